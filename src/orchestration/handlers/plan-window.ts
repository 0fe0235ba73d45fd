import { selectTables } from '../../catalog/tables/select-tables.ts';
import { LakeqError } from '../../engines/engine.ts';
import { readLedger } from '../../ingest/ledger.ts';
import { planLoad } from '../../ingest/load-plan.ts';
import { loadQuery } from '../../query/registry.ts';
import { readsCollectedFiles } from '../../sources/registry.ts';
import { hourlyWindow, parseInputTime } from '../execution-names.ts';
import { partitionsWithinPayload } from './batch-inputs.ts';
import { ATHENA_MAX_PARTITIONS_PER_BATCH } from './context-defaults.ts';
import type { HandlerContext } from './handler-context.ts';
import { pruneStoredPlans, savePlan, storedPlan } from './plan-store.ts';

/** Input of the hourly state machine. */
export interface HourlyInput {
  /** The scheduled time; the run loads the finished hour before it. */
  readonly time: string;
  /** Hours before the loaded one loaded again for late deliveries (default 2). */
  readonly lookbackHours?: number;
  readonly tables?: readonly string[];
  readonly force?: boolean;
  /** Replace partitions whose inputs disappeared or shrank by more than half (see planLoad). */
  readonly allowShrink?: boolean;
  /** Set by the state machine's collect task: the collected hours that changed (see collectSources). */
  readonly collected?: { readonly touchedHours?: readonly string[] };
}

/** Input of the backfill state machine: the finished hours of `[from, to)`. */
export interface BackfillInput {
  readonly from: string;
  readonly to: string;
  readonly tables?: readonly string[];
  readonly force?: boolean;
  /** Replace partitions whose inputs disappeared or shrank by more than half (see planLoad). */
  readonly allowShrink?: boolean;
  /** Set by the state machine's collect task: the collected hours that changed (see collectSources). */
  readonly collected?: { readonly touchedHours?: readonly string[] };
}

/** A batch as the state machine passes it: a reference into the stored plan. */
export interface BatchRef {
  readonly runId: string;
  readonly index: number;
  readonly table: string;
  readonly from: string;
  readonly to: string;
  readonly partitions: number;
}

/** What the planning task answers: the stages run one after another, a stage's batches at once. */
export interface PlannedRun {
  readonly runId: string;
  readonly executionName: string;
  readonly from: string;
  readonly to: string;
  readonly partitions: number;
  readonly unchanged: number;
  readonly stages: readonly { readonly table: string; readonly batches: readonly BatchRef[] }[];
}

export const DEFAULT_LOOKBACK_HOURS = 2;

/**
 * Lambda action `planWindow`: the hour before the scheduled time and its lookback → a stored
 * load plan of the partitions whose inputs changed.
 *
 * @example
 * ```ts
 * await planWindow({ input: { time: '2026-11-27T14:05:00Z' }, executionName: 'hourly-2026-11-27T13' }, context)
 * // { runId, from: '2026-11-27T11:00:00.000Z', to: '2026-11-27T14:00:00.000Z', partitions: 6, stages: [...] }
 * ```
 */
export async function planWindow(
  payload: { input: HourlyInput; executionName: string },
  context: HandlerContext,
): Promise<PlannedRun> {
  const input = payload.input ?? ({} as HourlyInput);
  const { from, to } = hourlyInputWindow(input);
  return planRun(context, payload.executionName, from, to, input);
}

/**
 * Lambda action `planBackfill`: the finished hours of `[from, to)` → a stored load plan in
 * batches of at most `context.maxPartitionsPerBatch` (≤ 100) partitions (a table that reads
 * another table: `context.maxPartitionsPerDerivedBatch`, ≤ 100).
 *
 * @example
 * ```ts
 * await planBackfill({ input: { from: '2026-11-01', to: '2026-11-08' }, executionName }, context)
 * ```
 */
export async function planBackfill(
  payload: { input: BackfillInput; executionName: string },
  context: HandlerContext,
): Promise<PlannedRun> {
  const input = payload.input ?? ({} as BackfillInput);
  const { from, to } = backfillInputWindow(input);
  return planRun(context, payload.executionName, from, to, input);
}

/**
 * The window `[from, to)` an hourly run's input names: the hour before its time and the lookback.
 *
 * @example
 * ```ts
 * hourlyInputWindow({ time: '2026-11-27T14:05:00Z' }) // { from: 11:00, to: 14:00 }
 * ```
 */
export function hourlyInputWindow(input: HourlyInput): { from: Date; to: Date } {
  const { from, to } = hourlyWindow(
    parseInputTime('time', input.time),
    input.lookbackHours ?? DEFAULT_LOOKBACK_HOURS,
  );
  return { from, to };
}

/**
 * The window `[from, to)` a backfill's input names, checked.
 *
 * @example
 * ```ts
 * backfillInputWindow({ from: '2026-11-01', to: '2026-11-08' })
 * ```
 */
export function backfillInputWindow(input: BackfillInput): { from: Date; to: Date } {
  const from = parseInputTime('from', input.from);
  const to = parseInputTime('to', input.to);
  if (from >= to) throw new LakeqError('BAD_INPUT', '"from" must be before "to" (the window is [from, to))');
  return { from, to };
}

async function planRun(
  context: HandlerContext,
  executionName: string,
  from: Date,
  to: Date,
  input: HourlyInput | BackfillInput,
): Promise<PlannedRun> {
  const { tables: tableNames, force, allowShrink } = input;
  const touched = collectedHours(input.collected?.touchedHours);
  if (tableNames !== undefined && !Array.isArray(tableNames)) {
    throw new LakeqError('BAD_INPUT', '"tables" must be a list of table names');
  }
  const max = context.maxPartitionsPerBatch;
  if (!Number.isInteger(max) || max < 1 || max > 100) {
    throw new LakeqError('BAD_PLAN', `maxPartitionsPerBatch must be 1 to 100 (got ${max})`);
  }
  const tables = selectTables(tableNames);
  const versions = new Map<string, string>();
  for (const t of tables) versions.set(t.transform.queryId, (await loadQuery(t.transform.queryId)).version);
  const { rows: ledger } = await readLedger(context.store);
  const plan = await planLoad({
    tables,
    // Without its collector a collected source's tables stay out of the plan (never planned as empty).
    roots: { ...context.roots, ...collectedRoots(context) },
    from,
    to,
    ledger,
    versions,
    maxPartitionsPerBatch: max,
    maxPartitionsPerDerivedBatch: Math.min(
      context.maxPartitionsPerDerivedBatch ?? max,
      ATHENA_MAX_PARTITIONS_PER_BATCH,
    ),
    ...(context.maxBytesPerBatch ? { maxBytesPerBatch: context.maxBytesPerBatch } : {}),
    now: context.now,
    ...(force ? { force: true } : {}),
    ...(allowShrink ? { allowShrink: true } : {}),
    ...(context.lister ? { lister: context.lister } : {}),
    ...(touched.length > 0
      ? { extraHours: new Map(tables.filter(readsCollectedFiles).map((t) => [t.name, touched])) }
      : {}),
  });
  const byName = new Map(tables.map((t) => [t.name, partitionsWithinPayload(t, context.target)]));
  const stored = storedPlan(plan, executionName, context.now, (table) => byName.get(table) ?? max);
  await pruneStoredPlans(context.store, context.now);
  await savePlan(context.store, stored);
  const stages: { table: string; batches: BatchRef[] }[] = [];
  for (const b of stored.batches) {
    let stage = stages.at(-1);
    if (stage?.table !== b.table) {
      stage = { table: b.table, batches: [] };
      stages.push(stage);
    }
    stage.batches.push({
      runId: stored.runId,
      index: b.index,
      table: b.table,
      from: b.from,
      to: b.to,
      partitions: b.partitions.length,
    });
  }
  return {
    runId: stored.runId,
    executionName,
    from: stored.from,
    to: stored.to,
    partitions: stored.batches.reduce((n, b) => n + b.partitions.length, 0),
    unchanged: stored.unchanged,
    stages,
  };
}

function collectedHours(hours: unknown): Date[] {
  if (hours === undefined) return [];
  if (!Array.isArray(hours))
    throw new LakeqError('BAD_INPUT', '"collected.touchedHours" must be a list of hours');
  return hours.map((h) => parseInputTime('collected.touchedHours', h));
}

/** The collected hour files' roots of the sources the context collects, by source name. */
function collectedRoots(context: HandlerContext): Record<string, string> {
  return Object.fromEntries(Object.entries(context.collectors ?? {}).map(([name, c]) => [name, c.root]));
}
