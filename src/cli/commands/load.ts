import { parseArgs } from 'node:util';
import { LakeqError } from '../../engines/engine.ts';
import type { LedgerRow } from '../../ingest/ledger.ts';
import type { LoadPlan } from '../../ingest/load-plan.ts';
import type { BatchProgress } from '../../orchestration/handlers/handler-context.ts';
import { isoTime } from '../../query/param-types.ts';
import type { CliIO } from '../io.ts';
import { localRunSources, parsePositiveInt, settingsFrom } from '../options.ts';
import { formatBytes, progressReporter } from '../progress.ts';

const LOAD_USAGE = `Usage: lakeq load --from TIME --to TIME [--tables a,b] [--force] [--allow-shrink]
       lakeq load --hour TIME [--lookback N]     the hourly load: the hour and the N before it (default 2)`;
const BACKFILL_USAGE =
  'Usage: lakeq backfill --from TIME --to TIME [--tables a,b] [--concurrency N] [--dry-run] [--force] [--allow-shrink]';

const OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  hour: { type: 'string' },
  lookback: { type: 'string' },
  tables: { type: 'string' },
  force: { type: 'boolean' },
  'allow-shrink': { type: 'boolean' },
  concurrency: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'batch-hours': { type: 'string' },
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  source: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `lakeq load` (a window, or `--hour` with its lookback) and `lakeq backfill` share this. */
export async function runLoadCommand(kind: 'load' | 'backfill', args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  const usage = kind === 'load' ? LOAD_USAGE : BACKFILL_USAGE;
  if (values.help) {
    io.out(usage);
    return 0;
  }
  if (positionals.length > 0)
    throw new LakeqError('BAD_COMMAND', `unexpected argument(s): ${positionals.join(' ')}\n${usage}`, {
      usage: true,
    });
  let from: Date;
  let to: Date;
  if (values.hour !== undefined) {
    if (kind === 'backfill' || values.from || values.to) {
      throw new LakeqError('BAD_OPTION', `--hour is for the hourly load, without --from/--to\n${usage}`, {
        usage: true,
      });
    }
    const hour = time('hour', values.hour);
    const lookback = values.lookback === undefined ? 2 : Number(values.lookback);
    if (!Number.isInteger(lookback) || lookback < 0 || lookback > 168) {
      throw new LakeqError(
        'BAD_OPTION',
        `--lookback must be an integer from 0 to 168 (got "${values.lookback}")`,
        { usage: true },
      );
    }
    from = new Date(hour.getTime() - lookback * 3_600_000);
    to = new Date(hour.getTime() + 3_600_000);
  } else {
    if (!values.from || !values.to)
      throw new LakeqError('BAD_OPTION', `--from and --to are required\n${usage}`, { usage: true });
    from = time('from', values.from);
    to = time('to', values.to);
    if (from >= to)
      throw new LakeqError('BAD_OPTION', '--from must be before --to (the window is [from, to))', {
        usage: true,
      });
  }
  const settings = await settingsFrom(values);
  const tables = values.tables
    ?.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (tables) {
    // A typo in --tables is a usage error now, not a failed run later.
    const { selectTables } = await import('../../catalog/tables/select-tables.ts');
    selectTables(tables);
  }
  const batchHours = values['batch-hours']
    ? parsePositiveInt('batch-hours', values['batch-hours'], 24)
    : undefined;
  if (values['dry-run']) {
    const { runLoad } = await import('../../ingest/run-load.ts');
    const { rawRoots } = await import('../../sources/registry.ts');
    const { plan } = await runLoad({
      dataDir: settings.dataDir,
      roots: rawRoots(settings),
      from,
      to,
      ...(tables ? { tables } : {}),
      ...(values.force ? { force: true } : {}),
      ...(values['allow-shrink'] ? { allowShrink: true } : {}),
      ...(batchHours ? { batchHours } : {}),
      dryRun: true,
    });
    printPlan(plan, io);
    return 0;
  }
  // One path: loads run the state machines, as the scheduler and AWS do.
  const { runStateMachine } = await import('../../orchestration/run-state-machine.ts');
  const report = progressReporter(io);
  const done = new Map<string, { partitions: number; rows: number }>();
  const options = {
    ...localRunSources(settings),
    signal: io.signal,
    ...(batchHours ? { maxPartitionsPerBatch: batchHours } : {}),
    ...(values.concurrency
      ? { loadConcurrency: parsePositiveInt('concurrency', values.concurrency, 1) }
      : {}),
    onBatch: (p: BatchProgress) => {
      const sofar = done.get(p.table) ?? { partitions: 0, rows: 0 };
      sofar.partitions += p.partitions;
      sofar.rows += p.rows;
      done.set(p.table, sofar);
      report({
        table: p.table,
        partitionsDone: sofar.partitions,
        partitionsTotal: p.tablePartitions,
        rows: sofar.rows,
        lastPartition: p.lastPartition,
      });
    },
  };
  const common = {
    ...(tables ? { tables } : {}),
    ...(values.force ? { force: true } : {}),
    ...(values['allow-shrink'] ? { allowShrink: true } : {}),
  };
  const result =
    values.hour !== undefined
      ? await runStateMachine(
          'hourly',
          {
            time: to.toISOString(),
            lookbackHours: Math.round((to.getTime() - from.getTime()) / 3_600_000) - 1,
            ...common,
          },
          // Its own name: a manual load of an hour must not collide with the scheduled hourly-<hour> run.
          { ...options, executionName: `load-${to.toISOString().slice(0, 13)}-${Date.now()}` },
        )
      : await runStateMachine(
          'backfill',
          { from: from.toISOString(), to: to.toISOString(), ...common },
          options,
        );
  const summary = summarize(result.ledgerRows);
  io.out(
    `${result.executionName} ${result.status}: ${summary.loaded} partitions loaded, ${summary.unchanged} unchanged, ` +
      `${summary.failed} failed; ${summary.rows} rows, ${formatBytes(summary.bytes)}; ` +
      `${summary.quarantined.size} source files skipped; ${result.refreshedDatasets.length} datasets refreshed`,
  );
  for (const [file, reason] of summary.quarantined) io.err(`  skipped ${file}: ${reason}`);
  const { describeDropped } = await import('../../ingest/dropped-records.ts');
  const { DEFAULT_LATENESS_HOURS } = await import('../../ingest/load-plan.ts');
  const dropped = describeDropped(summary.dropped, DEFAULT_LATENESS_HOURS);
  if (dropped) io.err(`  records not loaded: ${dropped} (lakeq runs shows them per partition)`);
  for (const r of result.ledgerRows) {
    if (r.status === 'skipped' && r.error) io.err(`  kept ${r.table} ${r.dt}/${r.hour}: ${r.error}`);
  }
  if (result.error) {
    const { describeRunError } = await import('../../orchestration/named-error.ts');
    io.err(`  failed: ${describeRunError(result.error)}`);
  }
  return result.status === 'SUCCEEDED' || result.status === 'DUPLICATE' ? 0 : 1;
}

function summarize(rows: readonly LedgerRow[]) {
  const out = {
    loaded: 0,
    unchanged: 0,
    failed: 0,
    rows: 0,
    bytes: 0,
    quarantined: new Map<string, string>(),
    dropped: { noTime: 0, future: 0, outsideHours: 0 },
  };
  for (const r of rows) {
    if (r.dropped) {
      out.dropped.noTime += r.dropped.noTime;
      out.dropped.future += r.dropped.future;
      out.dropped.outsideHours += r.dropped.outsideHours;
    }
    if (r.status === 'loaded') {
      out.loaded++;
      out.rows += r.rows;
      out.bytes += r.bytes;
    } else if (r.status === 'skipped') out.unchanged++;
    else out.failed++;
    for (const q of r.quarantined) out.quarantined.set(q.path, q.reason);
  }
  return out;
}

export function run(args: string[], io: CliIO): Promise<number> {
  return runLoadCommand('load', args, io);
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

function printPlan(plan: LoadPlan, io: CliIO): void {
  const count = plan.batches.reduce((n, b) => n + b.partitions.length, 0);
  io.out(
    `plan ${plan.runId}: ${count} partitions in ${plan.batches.length} batches; ${plan.unchanged.length} unchanged`,
  );
  for (const b of plan.batches) {
    const reasons = new Map<string, number>();
    for (const p of b.partitions) reasons.set(p.reason, (reasons.get(p.reason) ?? 0) + 1);
    const why = [...reasons].map(([r, n]) => `${n} ${r}`).join(', ');
    io.out(
      `  ${b.table.name.padEnd(38)} ${b.from.toISOString().slice(0, 13)} → ${b.to.toISOString().slice(0, 13)}  ${String(b.partitions.length).padStart(3)} partitions (${why})`,
    );
  }
}
