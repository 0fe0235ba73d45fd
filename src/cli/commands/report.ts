import { parseArgs } from 'node:util';
import { LakeqError } from '../../engines/engine.ts';
import type { CliIO } from '../io.ts';
import { settingsFrom } from '../options.ts';
import { printWarnings } from '../warnings.ts';

const USAGE =
  'Usage: lakeq report identity-center --out DIR [--day YYYY-MM-DD] [--engine E] [--data-dir DIR]\n       lakeq report findings --out FILE [--from T] [--to T] [--severity S] [--format csv|json] [--input security-hub|security-lake|DIR]';

/**
 * `lakeq report identity-center --out DIR`: the three CSV files of AWS's blog post on multiple IAM
 * Identity Center instances (instances, duplicated users, application assignments), from the
 * latest inventory snapshot (or `--day`), written into DIR.
 */
export async function run(args: string[], io: CliIO): Promise<number> {
  if (args[0] === 'findings')
    return (await import('./report-findings.ts')).runFindingsReport(args.slice(1), io);
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      day: { type: 'string' },
      engine: { type: 'string' },
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      source: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (positionals[0] !== 'identity-center' || positionals.length !== 1) {
    throw new LakeqError(
      'BAD_COMMAND',
      `lakeq report knows two reports: identity-center, findings\n${USAGE}`,
      {
        usage: true,
      },
    );
  }
  if (!values.out) throw new LakeqError('BAD_OPTION', `--out DIR is required\n${USAGE}`, { usage: true });
  if (values.day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.day)) {
    throw new LakeqError('BAD_OPTION', `--day must be a day, YYYY-MM-DD (got "${values.day}")`, {
      usage: true,
    });
  }
  const settings = await settingsFrom(values);
  const { openEngine } = await import('../../engines/open-engine.ts');
  const { writeIdentityCenterReport } = await import('../../reports/identity-center-report.ts');
  // The report reads the snapshot tables only: no raw folder is scanned.
  const engine = await openEngine(settings, settings.engine, { sql: 'identity_center_instances' });
  try {
    const report = await writeIdentityCenterReport(engine, values.out, {
      ...(values.day ? { day: values.day } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
    });
    printWarnings(engine.warnings(), io);
    io.out(
      `wrote the Identity Center report of the snapshot of ${report.day}: ${report.files
        .map((f) => `${f.location} (${f.rows} rows)`)
        .join(', ')}`,
    );
    return 0;
  } finally {
    await engine.close();
  }
}
