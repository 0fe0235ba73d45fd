import { parseArgs } from 'node:util';
import { LakeqError } from '../../engines/engine.ts';
import { floorHour, HOUR_MS } from '../../ingest/hours.ts';
import { isoTime } from '../../query/param-types.ts';
import type { CliIO } from '../io.ts';
import { localRunSources, settingsFrom } from '../options.ts';

const USAGE = `Usage: lakeq run hourly [--hour TIME] [--lookback N] [--force] [--name NAME]
       lakeq run backfill --from TIME --to TIME [--tables a,b] [--force] [--name NAME]
       lakeq run findings-report [--time TIME] [--input security-hub|security-lake|DIR] (--help for more)
Runs statemachines/<name>.asl.json locally. hourly loads the hour (default: the last finished
one) and the N hours before it (default 2); backfill loads the finished hours of [from, to).
Each then refreshes the local SPICE snapshot of every dataset whose tables changed, once.
A run is named after its window (hourly-2026-11-27T13); a name that already ran is not run again.`;

const OPTIONS = {
  hour: { type: 'string' },
  lookback: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  tables: { type: 'string' },
  force: { type: 'boolean' },
  name: { type: 'string' },
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  source: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * `lakeq run hourly|backfill`: runs a state machine locally and prints one line: execution
 * name, status, partitions loaded, datasets refreshed.
 *
 * @example
 * ```ts
 * await run(['hourly', '--hour', '2026-11-27T13'], io)
 * // hourly-2026-11-27T13 SUCCEEDED 6 partitions, 1 dataset refreshed (lakeq-identity-center-instance-churn-hourly)
 * ```
 */
export async function run(args: string[], io: CliIO): Promise<number> {
  if (args[0] === 'findings-report')
    return (await import('./run-findings-report.ts')).runFindingsReportMachine(args.slice(1), io);
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const [machine, ...extra] = positionals;
  if ((machine !== 'hourly' && machine !== 'backfill') || extra.length > 0) {
    throw new LakeqError('BAD_COMMAND', `expected "run hourly" or "run backfill"\n${USAGE}`, { usage: true });
  }
  const settings = await settingsFrom(values);
  const { runStateMachine } = await import('../../orchestration/run-state-machine.ts');
  const options = {
    ...localRunSources(settings),
    ...(machine === 'hourly' ? { alarms: settings.alarms } : {}),
    signal: io.signal,
    ...(values.name ? { executionName: values.name } : {}),
  };
  const force = values.force ? { force: true } : {};
  let result: Awaited<ReturnType<typeof runStateMachine>>;
  if (machine === 'hourly') {
    if (values.from || values.to || values.tables) {
      throw new LakeqError('BAD_OPTION', `run hourly takes --hour, not --from/--to/--tables\n${USAGE}`, {
        usage: true,
      });
    }
    const hour = values.hour
      ? time('hour', values.hour)
      : new Date(floorHour(new Date()).getTime() - HOUR_MS);
    const lookbackHours = values.lookback === undefined ? undefined : Number(values.lookback);
    if (
      lookbackHours !== undefined &&
      !(Number.isInteger(lookbackHours) && lookbackHours >= 0 && lookbackHours <= 168)
    ) {
      throw new LakeqError(
        'BAD_OPTION',
        `--lookback must be an integer from 0 to 168 (got "${values.lookback}")`,
        {
          usage: true,
        },
      );
    }
    const lookback = lookbackHours === undefined ? {} : { lookbackHours };
    // The state machine takes the scheduled time; the hour it loads is the one before.
    const input = {
      time: new Date(floorHour(hour).getTime() + HOUR_MS).toISOString(),
      ...lookback,
      ...force,
    };
    result = await runStateMachine('hourly', input, options);
  } else {
    if (!values.from || !values.to) {
      throw new LakeqError('BAD_OPTION', `--from and --to are required\n${USAGE}`, { usage: true });
    }
    if (values.hour || values.lookback) {
      throw new LakeqError('BAD_OPTION', `run backfill takes --from/--to, not --hour/--lookback\n${USAGE}`, {
        usage: true,
      });
    }
    const from = time('from', values.from);
    const to = time('to', values.to);
    if (from >= to) {
      throw new LakeqError('BAD_OPTION', '--from must be before --to (the window is [from, to))', {
        usage: true,
      });
    }
    const tables = values.tables
      ?.split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    const input = { from: from.toISOString(), to: to.toISOString(), ...(tables ? { tables } : {}), ...force };
    result = await runStateMachine('backfill', input, options);
  }
  if (result.status === 'DUPLICATE') {
    const previous = result.previous;
    io.out(
      `${result.executionName} DUPLICATE already ran${previous ? ` (${previous.status}, started ${previous.startDate})` : ''}; not run again`,
    );
    return 0;
  }
  const partitions = result.ledgerRows.filter((r) => r.status === 'loaded').length;
  const refreshed = result.refreshedDatasets;
  io.out(
    `${result.executionName} ${result.status} ${partitions} partition${partitions === 1 ? '' : 's'}, ` +
      `${refreshed.length} dataset${refreshed.length === 1 ? '' : 's'} refreshed` +
      (refreshed.length > 0 ? ` (${refreshed.join(', ')})` : ''),
  );
  if (result.error) {
    const { describeRunError } = await import('../../orchestration/named-error.ts');
    io.err(`  ${describeRunError(result.error)}`);
  }
  return result.status === 'SUCCEEDED' ? 0 : 1;
}

function time(name: string, value: string): Date {
  const parsed = isoTime.safeParse(value);
  if (!parsed.success) {
    throw new LakeqError('BAD_OPTION', `--${name}: ${parsed.error.issues[0]?.message ?? 'not a time'}`, {
      usage: true,
    });
  }
  return parsed.data;
}
