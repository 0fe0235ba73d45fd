import { parseArgs } from 'node:util';
import type { LakeqSettings } from '../../config/lakeq-config.ts';
import { LakeqError } from '../../engines/engine.ts';
import type { FindingsInput } from '../../reports/findings-report.ts';
import type { CliIO } from '../io.ts';
import { settingsFrom } from '../options.ts';
import { printWarnings } from '../warnings.ts';

export const FINDINGS_USAGE = `Usage: lakeq report findings --out FILE [--from T] [--to T] [--severity S[,S…]] [--format csv|json]
                             [--input security-hub|security-lake|DIR] [--region R] [--engine E]
One row per active Security Hub finding (its latest state): account, Region, product, title,
severity, workflow status, record state, compliance status, control id, resource type and id,
first and last observed, remediation URL, finding id; most severe first. CSV (RFC 4180) or JSON.
  --input security-hub   the Security Hub API, GetFindings (default; AWS credentials, --region)
  --input security-lake  Security Lake's ocsf_findings view (local engine, or --engine athena)
  --input DIR            a folder of captured GetFindings outputs or Security Hub events
  --from/--to            last observed in [from, to); --severity CRITICAL,HIGH,MEDIUM,LOW,INFORMATIONAL`;

/** The options `report findings` and `run findings-report` share: what to read and which findings. */
export const FINDINGS_OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  severity: { type: 'string', multiple: true },
  format: { type: 'string' },
  input: { type: 'string' },
  region: { type: 'string' },
  engine: { type: 'string' },
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  source: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

const OPTIONS = { out: { type: 'string' }, ...FINDINGS_OPTIONS } as const;

/**
 * `lakeq report findings --out FILE`: the Security Hub findings report of AWS's blog post
 * "Download AWS Security Hub CSV report", from the Security Hub API, Security Lake or captured
 * responses, written whole to FILE; prints one line saying what it wrote.
 *
 * @example
 * ```ts
 * await runFindingsReport(['--out', 'findings.csv', '--input', './captures', '--severity', 'CRITICAL,HIGH'], io)
 * // wrote 3 active findings (1 CRITICAL, 2 HIGH) to /…/findings.csv from 5 captured files in ./captures
 * ```
 */
export async function runFindingsReport(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  if (values.help) {
    io.out(FINDINGS_USAGE);
    return 0;
  }
  if (positionals.length > 0)
    throw new LakeqError('BAD_COMMAND', `unexpected "${positionals[0]}"\n${FINDINGS_USAGE}`, { usage: true });
  if (!values.out)
    throw new LakeqError('BAD_OPTION', `--out FILE is required\n${FINDINGS_USAGE}`, { usage: true });
  const format = values.format ?? 'csv';
  if (format !== 'csv' && format !== 'json')
    throw new LakeqError('BAD_OPTION', `--format must be csv or json (got "${format}")`, { usage: true });
  const { parseFindingsFilter } = await import('../../reports/findings-filter.ts');
  const filter = parseFindingsFilter({ from: values.from, to: values.to, severity: values.severity });
  const settings = await settingsFrom(values);
  const report = await import('../../reports/findings-report.ts');
  const opened = await openFindingsInput(values, settings, io);
  let result: Awaited<ReturnType<typeof report.findingsReport>>;
  try {
    result = await opened.guard(() =>
      report.findingsReport(opened.input, filter, io.signal ? { signal: io.signal } : {}),
    );
  } finally {
    await opened.close();
  }
  for (const w of result.warnings) io.err(`warning: ${w}`);
  const file = await report.writeFindingsFile(values.out, report.renderFindings(result.rows, format));
  io.out(
    `wrote ${result.rows.length} active finding${result.rows.length === 1 ? '' : 's'} (${report.severityCounts(result.rows)}) to ${file} from ${result.input}`,
  );
  return 0;
}

/**
 * The findings input `--input` names, opened: the Security Hub API (a client in `--region` or the
 * settings' Region), Security Lake's view on the settings' engine, or a folder; `guard` turns AWS
 * setup errors into one line naming the profile and Region, `close` releases what was opened.
 */
export async function openFindingsInput(
  values: { readonly input?: string; readonly engine?: string; readonly region?: string },
  settings: LakeqSettings,
  io: CliIO,
): Promise<{
  input: FindingsInput;
  guard: <T>(fn: () => Promise<T>) => Promise<T>;
  close: () => Promise<void>;
}> {
  const input = values.input ?? 'security-hub';
  const { withAwsErrors } = await import('../aws-errors.ts');
  if (input === 'security-hub') {
    if (values.engine)
      throw new LakeqError('BAD_OPTION', '--engine is for --input security-lake', { usage: true });
    const { SecurityHubClient } = await import('@aws-sdk/client-securityhub');
    const region = values.region ?? settings.aws.region;
    const client = new SecurityHubClient({
      ...(region ? { region } : {}),
      ...(settings.aws.profile ? { profile: settings.aws.profile } : {}),
    });
    return {
      input: { kind: 'security-hub', client, ...(region ? { region } : {}) },
      guard: (fn) => withAwsErrors({ region, profile: settings.aws.profile }, fn),
      close: async () => client.destroy(),
    };
  }
  if (input === 'security-lake') {
    if (values.region)
      throw new LakeqError('BAD_OPTION', '--region is for --input security-hub', { usage: true });
    const { openEngine } = await import('../../engines/open-engine.ts');
    const { OCSF_FINDINGS_VIEW } = await import('../../reports/findings-security-lake.ts');
    const engine = await openEngine(settings, settings.engine, { sql: OCSF_FINDINGS_VIEW });
    return {
      input: { kind: 'security-lake', engine },
      guard: (fn) => withAwsErrors(settings.aws, fn),
      close: async () => {
        printWarnings(engine.warnings(), io);
        await engine.close();
      },
    };
  }
  if (values.engine || values.region)
    throw new LakeqError('BAD_OPTION', '--engine and --region are not for a folder of captured responses', {
      usage: true,
    });
  return { input: { kind: 'captured', dir: input }, guard: (fn) => fn(), close: async () => {} };
}
