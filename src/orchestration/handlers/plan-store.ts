import { tableByName } from '../../catalog/tables/index.ts';
import { LakeqError } from '../../engines/engine.ts';
import { HOUR_MS } from '../../ingest/hours.ts';
import type { LoadBatch, LoadPlan, LoadReason } from '../../ingest/load-plan.ts';
import type { SourceFile } from '../../ingest/source-file.ts';
import { storeAt } from '../../storage/local-folder-store.ts';
import type { ObjectStore } from '../../storage/object-store.ts';

/**
 * A load plan kept between the tasks of one run: the planning task writes it, each batch's
 * tasks read their batch from it. State machine payloads carry only `{ runId, index }`, since a
 * 100-partition batch with its Glue storage descriptors is larger than Step Functions' 256 KiB.
 */

export interface StoredPartition {
  readonly dt: string;
  readonly hour: string;
  readonly start: string;
  readonly reason: LoadReason;
  readonly fingerprint: string;
  readonly files: readonly { path: string; size: number; mtimeMs: number; deliveredAt?: string }[];
  readonly keepAbove?: number;
}

/** One batch: consecutive hours of one table, written by one UNLOAD (or one local transform). */
export interface StoredBatch {
  readonly index: number;
  readonly table: string;
  readonly from: string;
  readonly to: string;
  readonly partitions: readonly StoredPartition[];
}

export interface StoredPlan {
  readonly runId: string;
  readonly executionName: string;
  readonly from: string;
  readonly to: string;
  readonly createdAt: string;
  readonly batches: readonly StoredBatch[];
  readonly unchanged: number;
  /** The partitions left alone (inputs unchanged), recorded as `skipped` in the ledger at the end. */
  readonly skipped: readonly {
    readonly table: string;
    readonly dt: string;
    readonly hour: string;
    readonly fingerprint: string;
    readonly sourceFiles: number;
    /** Why a partition whose inputs shrank was kept (UnchangedPartition.kept). */
    readonly kept?: string;
  }[];
}

/** A batch as the plan's own file lists it: its partitions are in the batch's record (`savePlan`). */
export interface StoredBatchSummary {
  readonly index: number;
  readonly table: string;
  readonly from: string;
  readonly to: string;
  /** How many partitions the batch has. */
  readonly partitions: number;
}

/** A stored plan as `loadStoredPlan` answers it: the run, its batches without their partitions, what it left alone. */
export interface StoredPlanSummary extends Omit<StoredPlan, 'batches'> {
  readonly batches: readonly StoredBatchSummary[];
}

/** A stored plan's key in the store: `orchestration/plans/<runId>.json`. */
export function planKey(runId: string): string {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(runId)) {
    throw new LakeqError('BAD_INPUT', `run id ${JSON.stringify(runId)} must be letters, digits, _ or -`);
  }
  return `orchestration/plans/${runId}.json`;
}

/**
 * A LoadPlan as stored batches of consecutive hours: a LoadBatch may leave hours out inside its
 * span, and an UNLOAD batch (partition-switch-plan) covers a run of consecutive hours. A run
 * longer than `maxPartitions(table)` is cut, so a batch's inputs fit a state's payload.
 *
 * @example
 * ```ts
 * storedPlan(plan, 'hourly-2026-11-27T13', now).batches.map((b) => [b.table, b.from, b.to])
 * ```
 */
export function storedPlan(
  plan: LoadPlan,
  executionName: string,
  now: Date,
  maxPartitions: (table: string) => number = () => Number.POSITIVE_INFINITY,
): StoredPlan {
  const batches: StoredBatch[] = [];
  for (const batch of plan.batches) {
    const max = maxPartitions(batch.table.name);
    let run: StoredPartition[] = [];
    const flush = () => {
      const head = run[0];
      const tail = run.at(-1);
      if (head && tail) {
        batches.push({
          index: batches.length,
          table: batch.table.name,
          from: head.start,
          to: new Date(Date.parse(tail.start) + HOUR_MS).toISOString(),
          partitions: run,
        });
      }
      run = [];
    };
    for (const p of batch.partitions) {
      const tail = run.at(-1);
      if (tail && (p.start.getTime() !== Date.parse(tail.start) + HOUR_MS || run.length >= max)) flush();
      run.push({
        dt: p.dt,
        hour: p.hour,
        start: p.start.toISOString(),
        reason: p.reason,
        fingerprint: p.fingerprint,
        files: p.files.map((f) => ({
          path: f.path,
          size: f.size,
          mtimeMs: f.mtimeMs,
          ...(f.deliveredAt ? { deliveredAt: f.deliveredAt.toISOString() } : {}),
        })),
        ...(p.keepAbove !== undefined ? { keepAbove: p.keepAbove } : {}),
      });
    }
    flush();
  }
  return {
    runId: plan.runId,
    executionName,
    from: plan.from.toISOString(),
    to: plan.to.toISOString(),
    createdAt: now.toISOString(),
    batches,
    unchanged: plan.unchanged.length,
    skipped: plan.unchanged.map((u) => ({
      table: u.table,
      dt: u.partition.dt,
      hour: u.partition.hour,
      fingerprint: u.fingerprint,
      sourceFiles: u.sourceFiles,
      ...(u.kept ? { kept: u.kept } : {}),
    })),
  };
}

/**
 * Stores a plan: each batch on its own (`orchestration/batches/<runId>/<index>.batch.json`,
 * written first), then the plan's own file (whole: a reader sees it or nothing), which lists the
 * batches without their partitions. A batch's three tasks read only their batch (the whole plan
 * was 18.7 MB for a week of 1M events, read 3 times a batch), and the run's end reads only the
 * plan's file (with the file lists in it too, a 200k-event week's plan took 50 ms more to store
 * and 75 ms more to read back). `where` is the data folder or the store.
 *
 * @example
 * ```ts
 * await savePlan(context.store, storedPlan(plan, executionName, now));
 * ```
 */
export async function savePlan(where: string | ObjectStore, plan: StoredPlan): Promise<void> {
  const store = storeAt(where);
  const tablePartitions = new Map<string, number>();
  const tableBatches = new Map<string, number>();
  for (const b of plan.batches) {
    tablePartitions.set(b.table, (tablePartitions.get(b.table) ?? 0) + b.partitions.length);
    tableBatches.set(b.table, (tableBatches.get(b.table) ?? 0) + 1);
  }
  const head = { runId: plan.runId, executionName: plan.executionName, from: plan.from, to: plan.to };
  const headJson = JSON.stringify(head);
  const records = new Map<number, StoredBatchRecord>();
  const writes: Promise<void>[] = [];
  for (const batch of plan.batches) {
    const counts = {
      tablePartitions: tablePartitions.get(batch.table) ?? 0,
      tableBatches: tableBatches.get(batch.table) ?? 1,
    };
    const text = `{"plan":${headJson},"batch":${JSON.stringify(batch)},${JSON.stringify(counts).slice(1)}`;
    writes.push(store.put(batchKey(plan.runId, batch.index), text));
    records.set(batch.index, { plan: head, batch, ...counts });
  }
  await Promise.all(writes);
  const summary: StoredPlanSummary = {
    ...plan,
    batches: plan.batches.map(({ partitions, ...b }) => ({ ...b, partitions: partitions.length })),
  };
  await store.put(planKey(plan.runId), JSON.stringify(summary));
  // Only the latest run's: a long-lived scheduler must not keep every failed run's plan.
  SAVED.clear();
  SAVED.set(savedKey(store.root, plan.runId), records);
}

/**
 * The batch records of the plan this process stored last, by store and run: a batch's three
 * tasks (in this process when the run is local) take their record from here instead of reading
 * and parsing its file again (0.15 s of a 200k-event week's load). A stored plan never changes,
 * and its records are read-only (their types say so); `deleteStoredPlan` forgets them.
 */
const SAVED = new Map<string, Map<number, StoredBatchRecord>>();
const savedKey = (root: string, runId: string) => `${root}\n${runId}`;

/** What a batch's tasks need of its plan: the run, the batch, and the partitions of its table in the whole run. */
export interface StoredBatchRecord {
  readonly plan: Pick<StoredPlan, 'runId' | 'executionName' | 'from' | 'to'>;
  readonly batch: StoredBatch;
  /** The partitions of the batch's table in the whole plan (progress: "24/168 partitions"). */
  readonly tablePartitions: number;
  /** The batches of the batch's table in the whole plan (absent in records of lakeq before 2026-12-04). */
  readonly tableBatches?: number;
}

function batchKey(runId: string, index: number): string {
  if (!Number.isInteger(index) || index < 0)
    throw new LakeqError('BAD_INPUT', `batch index ${index} is not a count`);
  planKey(runId);
  return `orchestration/batches/${runId}/${index}.batch.json`;
}

/**
 * A stored plan by run id, refused when missing.
 *
 * @example
 * ```ts
 * (await loadStoredPlan(context.store, runId)).skipped.length // partitions left alone
 * ```
 */
export async function loadStoredPlan(where: string | ObjectStore, runId: string): Promise<StoredPlanSummary> {
  const plan = await readPlanFile(storeAt(where), runId);
  // A plan stored before 2026-12-04 lists each batch whole.
  const count = (p: number | readonly StoredPartition[]) => (typeof p === 'number' ? p : p.length);
  return { ...plan, batches: plan.batches.map((b) => ({ ...b, partitions: count(b.partitions) })) };
}

/** The plan's file as stored: its batches summed up, or (stored before 2026-12-04) whole. */
async function readPlanFile(
  store: ObjectStore,
  runId: string,
): Promise<Omit<StoredPlan, 'batches'> & { batches: readonly (StoredBatch | StoredBatchSummary)[] }> {
  const text = await store.get(planKey(runId));
  if (text === undefined) throw new LakeqError('NO_PLAN', `no stored plan for run ${runId} in ${store.root}`);
  return JSON.parse(text);
}

/**
 * A stored batch by run and index, refused when the plan or the batch is missing: its own
 * record, or (a plan stored before batches were stored apart) the whole plan's.
 *
 * @example
 * ```ts
 * const { plan, batch } = await loadStoredBatch(context.store, '20261127T140501Z-1a2b3c4d', 0);
 * ```
 */
export async function loadStoredBatch(
  where: string | ObjectStore,
  runId: string,
  index: number,
): Promise<StoredBatchRecord> {
  const store = storeAt(where);
  const saved = SAVED.get(savedKey(store.root, runId))?.get(index);
  if (saved) return saved;
  const text = await store.get(batchKey(runId, index));
  if (text !== undefined) return JSON.parse(text) as StoredBatchRecord;
  const plan = await readPlanFile(store, runId);
  const whole = plan.batches.filter((b): b is StoredBatch => typeof b.partitions !== 'number');
  const batch = whole[index];
  if (!batch || whole.length !== plan.batches.length)
    throw new LakeqError('NO_BATCH', `run ${runId} has no batch ${index} (its record is missing)`);
  const own = whole.filter((b) => b.table === batch.table);
  const tablePartitions = own.reduce((n, b) => n + b.partitions.length, 0);
  const { runId: id, executionName, from, to } = plan;
  return { plan: { runId: id, executionName, from, to }, batch, tablePartitions, tableBatches: own.length };
}

/** What a batch's switch leaves to clean up, kept by `batchInputs` for `recordBatch`. */
export interface StoredSwitch {
  readonly outputPrefix: string;
  readonly cleanup: readonly string[];
}

function switchKey(runId: string, index: number): string {
  if (!Number.isInteger(index) || index < 0)
    throw new LakeqError('BAD_INPUT', `batch index ${index} is not a count`);
  planKey(runId);
  return `orchestration/batches/${runId}/${index}.json`;
}

/**
 * Keeps a batch's switch prefixes (`orchestration/batches/<runId>/<index>.json`).
 *
 * @example
 * ```ts
 * await saveSwitch(context.store, runId, 0, { outputPrefix, cleanup });
 * ```
 */
export async function saveSwitch(
  where: string | ObjectStore,
  runId: string,
  index: number,
  value: StoredSwitch,
): Promise<void> {
  await storeAt(where).put(switchKey(runId, index), JSON.stringify(value));
}

/** How long the plan of a run that did not succeed is kept (for a redrive), unless it succeeds. */
export const PLAN_KEEP_MS = 7 * 24 * HOUR_MS;

/**
 * Deletes a finished run's plan and batch records: they serve only the tasks of that run.
 *
 * @example
 * ```ts
 * await deleteStoredPlan(context.store, runId); // orchestration/plans/<runId>.json and orchestration/batches/<runId>/
 * ```
 */
export async function deleteStoredPlan(where: string | ObjectStore, runId: string): Promise<void> {
  const store = storeAt(where);
  SAVED.delete(savedKey(store.root, runId));
  await store.deletePrefix(`orchestration/batches/${runId}/`);
  await store.deletePrefix(planKey(runId));
}

/**
 * Deletes the plans (and batch records) of runs that never succeeded, once older than `keepMs`:
 * a run killed or failed keeps its plan a while, so it can be redriven, but not forever.
 * Answers the run ids pruned.
 *
 * @example
 * ```ts
 * await pruneStoredPlans(context.store, context.now) // ['backfill-...-r1']
 * ```
 */
export async function pruneStoredPlans(
  where: string | ObjectStore,
  now: Date,
  keepMs = PLAN_KEEP_MS,
): Promise<string[]> {
  const store = storeAt(where);
  const pruned: string[] = [];
  for (const object of await store.list('orchestration/plans/')) {
    const runId = /^orchestration\/plans\/([A-Za-z0-9_-]{1,128})\.json$/.exec(object.key)?.[1];
    if (!runId || now.getTime() - object.lastModified.getTime() <= keepMs) continue;
    await deleteStoredPlan(store, runId);
    pruned.push(runId);
  }
  return pruned;
}

/**
 * A batch's switch prefixes, or undefined when `batchInputs` did not run for it.
 *
 * @example
 * ```ts
 * (await loadSwitch(context.store, runId, 0))?.cleanup // ['s3://lake/lakeq/curated/cloudtrail_events/run=.../batch=0/']
 * ```
 */
export async function loadSwitch(
  where: string | ObjectStore,
  runId: string,
  index: number,
): Promise<StoredSwitch | undefined> {
  const text = await storeAt(where).get(switchKey(runId, index));
  return text === undefined ? undefined : (JSON.parse(text) as StoredSwitch);
}

/**
 * A stored batch as the local loader takes it.
 *
 * @example
 * ```ts
 * await executeLocalPlan({ runId, from, to, batches: [toLoadBatch(batch)], unchanged: [] }, options);
 * ```
 */
export function toLoadBatch(batch: StoredBatch): LoadBatch {
  const table = tableByName(batch.table);
  if (!table) throw new LakeqError('UNKNOWN_TABLE', `unknown table "${batch.table}" in a stored plan`);
  return {
    table,
    from: new Date(batch.from),
    to: new Date(batch.to),
    partitions: batch.partitions.map((p) => ({
      dt: p.dt,
      hour: p.hour,
      start: new Date(p.start),
      reason: p.reason,
      fingerprint: p.fingerprint,
      files: p.files.map(
        (f): SourceFile => ({
          path: f.path,
          size: f.size,
          mtimeMs: f.mtimeMs,
          ...(f.deliveredAt ? { deliveredAt: new Date(f.deliveredAt) } : {}),
        }),
      ),
      ...(p.keepAbove !== undefined ? { keepAbove: p.keepAbove } : {}),
    })),
  };
}
