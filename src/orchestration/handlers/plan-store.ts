import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tableByName } from '../../catalog/tables/index.ts';
import { LakeqError } from '../../engines/engine.ts';
import type { SourceFile } from '../../ingest/cloudtrail-file-index.ts';
import { HOUR_MS } from '../../ingest/hours.ts';
import type { LoadBatch, LoadPlan, LoadReason } from '../../ingest/load-plan.ts';

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
  }[];
}

/** `<dataDir>/orchestration/plans/<runId>.json`. */
export function planPath(dataDir: string, runId: string): string {
  return path.join(dataDir, 'orchestration', 'plans', `${runId}.json`);
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
    })),
  };
}

export async function savePlan(dataDir: string, plan: StoredPlan): Promise<void> {
  const file = planPath(dataDir, plan.runId);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, JSON.stringify(plan));
  await rename(`${file}.tmp`, file);
}

/**
 * A stored batch by run and index, refused when the plan or the batch is missing.
 *
 * @example
 * ```ts
 * const { plan, batch } = await loadStoredBatch(dataDir, '20261127T140501Z-1a2b3c4d', 0);
 * ```
 */
/**
 * A stored plan by run id, refused when missing.
 *
 * @example
 * ```ts
 * (await loadStoredPlan(dataDir, runId)).skipped.length // partitions left alone
 * ```
 */
export async function loadStoredPlan(dataDir: string, runId: string): Promise<StoredPlan> {
  try {
    return JSON.parse(await readFile(planPath(dataDir, runId), 'utf8')) as StoredPlan;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new LakeqError('NO_PLAN', `no stored plan for run ${runId} in ${dataDir}`);
    }
    throw error;
  }
}

export async function loadStoredBatch(
  dataDir: string,
  runId: string,
  index: number,
): Promise<{ plan: StoredPlan; batch: StoredBatch }> {
  const plan = await loadStoredPlan(dataDir, runId);
  const batch = plan.batches[index];
  if (!batch) throw new LakeqError('NO_BATCH', `run ${runId} has no batch ${index}`);
  return { plan, batch };
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
    })),
  };
}
