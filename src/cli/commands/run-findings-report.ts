import { parseArgs } from 'node:util';
import { LakeqError } from '../../engines/engine.ts';
import type { CliIO } from '../io.ts';
import { settingsFrom } from '../options.ts';
import { FINDINGS_OPTIONS, openFindingsInput } from './report-findings.ts';

const USAGE = `Usage: lakeq run findings-report [--time T] [--input security-hub|security-lake|DIR]
                                [--from T] [--to T] [--severity S[,S…]] [--format csv|json]
Runs statemachines/findings-report.asl.json on this machine: the findings report of the day of
--time (default now) goes to <data-dir>/reports/findings/findings-<day>.csv, and where AWS would
mail its link through SNS, one line names the file. --input as for lakeq report findings.`;

const OPTIONS = { time: { type: 'string' }, ...FINDINGS_OPTIONS } as const;

/**
 * `lakeq run findings-report`: the weekly report's state machine, run locally with local
 * handlers; prints the report's log line, then the execution's status.
 *
 * @example
 * ```ts
 * await runFindingsReportMachine(['--time', '2026-11-30T08:00:00Z', '--input', './captures'], io)
 * // lakeq findings report 2026-11-30: 3 active findings: /…/reports/findings/findings-2026-11-30.csv (not mailed: SNS is AWS only)
 * // findings-report-2026-11-30 SUCCEEDED
 * ```
 */
export async function runFindingsReportMachine(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length > 0)
    throw new LakeqError('BAD_COMMAND', `unexpected "${positionals[0]}"\n${USAGE}`, { usage: true });
  const settings = await settingsFrom(values);
  const { runFindingsReportLocally } = await import('../../orchestration/run-findings-report.ts');
  const opened = await openFindingsInput(values, settings, io);
  let run: Awaited<ReturnType<typeof runFindingsReportLocally>>;
  try {
    run = await opened.guard(() =>
      runFindingsReportLocally(
        {
          ...(values.time ? { time: values.time } : {}),
          ...(values.from ? { from: values.from } : {}),
          ...(values.to ? { to: values.to } : {}),
          ...(values.severity ? { severity: values.severity.join(',') } : {}),
          ...(values.format ? { format: values.format } : {}),
        },
        {
          dataDir: settings.dataDir,
          findings: opened.input,
          log: (line) => io.out(line),
          ...(io.signal ? { signal: io.signal } : {}),
        },
      ),
    );
  } finally {
    await opened.close();
  }
  io.out(`${run.executionName} ${run.status}`);
  if (run.error) {
    const { describeRunError } = await import('../../orchestration/named-error.ts');
    io.err(`  ${describeRunError(run.error)}`);
  }
  return run.status === 'SUCCEEDED' ? 0 : 1;
}
