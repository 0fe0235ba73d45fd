import { selectTables } from '../catalog/tables/select-tables.ts';
import { DUCKDB_CAPABILITIES } from '../engines/duckdb/duckdb-capabilities.ts';
import { loadQuery } from '../query/registry.ts';
import { readLedger } from './ledger.ts';
import { acquireLoadLock } from './load-lock.ts';
import { type LoadPlan, planLoad } from './load-plan.ts';
import { executeLocalPlan, type LoadProgress, type LoadSummary } from './local-load.ts';

/** Hours a local transform run covers at most: a day keeps memory small and progress visible. */
export const LOCAL_BATCH_HOURS = 24;

/**
 * Hours a local transform run of a table that reads another table covers at most (see
 * `PlanOptions.maxPartitionsPerDerivedBatch`): Athena's 100, so a week is two batches, one per worker.
 */
export const LOCAL_DERIVED_BATCH_HOURS = 100;

/**
 * Bytes of (compressed) source files a local batch reads at most: its records are held in memory
 * while it is written, about 16× their gzipped size (measured: a day of the benchmark's sample,
 * 7 MB of gzip in 2,700 files, held 110 MB). 64 MB keeps a batch near 1 GB: a day 10× denser than
 * the sample is loaded in two or three batches instead of one.
 */
export const LOCAL_BATCH_BYTES = 64 * 1024 * 1024;

export interface RunLoadOptions {
  readonly dataDir: string;
  /**
   * Each source's raw root, by source name (`cloudtrail`: the trail folder; `glue`: the
   * collector's hour files, `<dataDir>/raw/glue`). A source without one has its tables left out.
   */
  readonly roots: Readonly<Record<string, string | undefined>>;
  readonly from: Date;
  readonly to: Date;
  /** Table names (default all), loaded with the tables they read. */
  readonly tables?: readonly string[];
  readonly force?: boolean;
  readonly allowShrink?: boolean;
  readonly latenessHours?: number;
  readonly concurrency?: number;
  readonly batchHours?: number;
  readonly now?: Date;
  readonly dryRun?: boolean;
  readonly onPlan?: (plan: LoadPlan) => void;
  readonly onProgress?: (progress: LoadProgress) => void;
  readonly signal?: AbortSignal;
}

/**
 * Plans and runs a load of hour partitions on the embedded engine: the one entry point of
 * `lakeq load`, `lakeq backfill` and `npm start`. Holds the data folder's load lock.
 *
 * @example
 * ```ts
 * const summary = await runLoad({ dataDir, roots: { cloudtrail }, from: new Date('2026-11-01'), to: new Date('2026-11-02') });
 * summary.loaded // 48: 24 hours × 2 tables
 * ```
 */
export async function runLoad(options: RunLoadOptions): Promise<{ plan: LoadPlan; summary?: LoadSummary }> {
  const tables = selectTables(options.tables);
  const versions = new Map<string, string>();
  for (const t of tables) versions.set(t.transform.queryId, (await loadQuery(t.transform.queryId)).version);
  const release = options.dryRun ? async () => {} : await acquireLoadLock(options.dataDir);
  try {
    const { rows: ledger } = await readLedger(options.dataDir);
    const plan = await planLoad({
      tables,
      roots: options.roots,
      from: options.from,
      to: options.to,
      ledger,
      versions,
      maxBytesPerBatch: LOCAL_BATCH_BYTES,
      maxPartitionsPerBatch: Math.min(
        options.batchHours ?? LOCAL_BATCH_HOURS,
        DUCKDB_CAPABILITIES.maxPartitionsPerWrite,
      ),
      // The user's batch size holds for every table; by default a derived table's batches are longer.
      maxPartitionsPerDerivedBatch: options.batchHours ?? LOCAL_DERIVED_BATCH_HOURS,
      ...(options.latenessHours !== undefined ? { latenessHours: options.latenessHours } : {}),
      ...(options.force ? { force: true } : {}),
      ...(options.allowShrink ? { allowShrink: true } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    options.onPlan?.(plan);
    if (options.dryRun) return { plan };
    const summary = await executeLocalPlan(plan, {
      dataDir: options.dataDir,
      roots: options.roots,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.latenessHours !== undefined ? { latenessHours: options.latenessHours } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { plan, summary };
  } finally {
    await release();
  }
}
