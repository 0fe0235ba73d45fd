import { LakeqError } from '../engines/engine.ts';
import { awsErrorLine } from './aws-errors.ts';
import { HELP, VERSION } from './help.ts';
import { type CliIO, processIO } from './io.ts';
import { systemErrorLine } from './system-errors.ts';

/** `LAKEQ_DEBUG=1` prints the stack trace of a system error too. */
const debugging = () => process.env.LAKEQ_DEBUG === '1';

/** Subcommands, each imported only when run, so `lakeq --help` loads neither DuckDB nor the AWS SDK. */
const COMMANDS: Record<string, () => Promise<{ run(args: string[], io: CliIO): Promise<number> }>> = {
  query: () => import('./commands/query.ts'),
  sql: () => import('./commands/sql.ts'),
  sample: () => import('./commands/sample.ts'),
  start: () => import('./commands/start.ts'),
  load: () => import('./commands/load.ts'),
  backfill: () => import('./commands/backfill.ts'),
  runs: () => import('./commands/runs.ts'),
  schedule: () => import('./commands/schedule.ts'),
  ddl: () => import('./commands/ddl.ts'),
  run: () => import('./commands/run.ts'),
  deploy: () => import('./commands/deploy.ts'),
  'iam-policy': () => import('./commands/iam-policy.ts'),
  dashboards: () => import('./commands/dashboards.ts'),
  alarms: () => import('./commands/alarms.ts'),
  report: () => import('./commands/report.ts'),
  tpcds: () => import('./commands/tpcds.ts'),
};

/**
 * Runs the lakeq command line and returns the exit code: 0 ok, 2 usage or validation error,
 * 1 runtime failure.
 *
 * @example
 * ```ts
 * await main(['query', 'run', 'identity-center/instance-churn', '--param', 'from=2026-11-01', '--param', 'to=2026-11-02'])
 * ```
 */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    io.out(VERSION);
    return 0;
  }
  const load = COMMANDS[command];
  if (!load) {
    io.err(`lakeq: unknown command "${command}". Run lakeq --help for the commands.`);
    return 2;
  }
  try {
    const mod = await load();
    return await mod.run(rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}

/** Prints an error for a person and picks the exit code. */
export function reportError(error: unknown, io: CliIO): number {
  if (error instanceof LakeqError) {
    io.err(`lakeq: ${error.message}`);
    return error.usage ? 2 : 1;
  }
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || e?.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    io.err(`lakeq: ${e.message}`);
    return 2;
  }
  // An AWS problem a command did not name its profile and Region for: still one line.
  const aws = awsErrorLine(error);
  if (aws !== undefined) {
    io.err(`lakeq: ${aws}`);
    return 1;
  }
  const system = systemErrorLine(error);
  if (system !== undefined && !debugging()) {
    io.err(`lakeq: ${system}`);
    return 1;
  }
  // Not an error lakeq knows how to say: the trace is what there is.
  io.err(`lakeq: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  return 1;
}
