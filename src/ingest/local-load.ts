import { availableParallelism } from 'node:os';
import { CompiledQuery } from 'kysely';
import type { LocalLoadEngine } from '../catalog/duckdb/local-engine.ts';
import type { TableDefinition } from '../catalog/table-definition.ts';
import { TABLES, tableByName } from '../catalog/tables/index.ts';
import { LakeqError } from '../engines/engine.ts';
import { inlineParameters } from '../engines/trino/trino-literals.ts';
import { compileQuery } from '../query/compile-query.ts';
import type { LibraryQuery } from '../query/define-query.ts';
import { loadQuery } from '../query/registry.ts';
import { countDroppedRecords } from './dropped-records.ts';
import { partitionPath } from './hours.ts';
import { appendLedger, type LedgerRow } from './ledger.ts';
import { defaultLoadConcurrency, LoadEngines, loadEngineThreads } from './load-engines.ts';
import { DEFAULT_LATENESS_HOURS, type LoadBatch, type LoadPlan, type PlannedPartition } from './load-plan.ts';
import { cleanStaging, type StagedBatch, stageBatch } from './local-partition-writer.ts';
import { timed } from './step-timings.ts';

/** Progress of a run, reported after each batch. */
export interface LoadProgress {
  readonly table: string;
  readonly partitionsDone: number;
  readonly partitionsTotal: number;
  readonly rows: number;
  readonly lastPartition: string;
}

export interface LoadSummary {
  readonly runId: string;
  readonly loaded: number;
  readonly unchanged: number;
  readonly failed: number;
  readonly rows: number;
  readonly bytes: number;
  readonly sourceFiles: number;
  /** Source files not read, with the reason: malformed, truncated, not CloudTrail, empty. */
  readonly quarantined: readonly { readonly path: string; readonly reason: string }[];
  readonly errors: readonly string[];
}

export interface ExecuteOptions {
  readonly dataDir: string;
  /**
   * The sources' raw roots, by source name (default: a collected source's `<dataDir>/raw/<name>`);
   * a batch reads only its planned files there.
   */
  readonly roots?: Readonly<Record<string, string | undefined>>;
  /** Batches run at once (each on its own DuckDB instance). Default `defaultLoadConcurrency()`. */
  readonly concurrency?: number;
  /** DuckDB threads of each engine this call opens. Default: the cores shared among the batches run at once. */
  readonly threads?: number;
  readonly onProgress?: (progress: LoadProgress) => void;
  readonly signal?: AbortSignal;
  /** The planner's lateness bound (default DEFAULT_LATENESS_HOURS): records beyond it are counted. */
  readonly latenessHours?: number;
  /** Engines kept open across calls (a state machine run's batches); default: opened for this call and closed after it. */
  readonly engines?: LoadEngines;
  /**
   * The batches of the plan's table in the whole run, when this call loads part of it (the state
   * machine loads a batch per call): how the engines know a batch is the last to start.
   * Default: the plan's own.
   */
  readonly tableBatches?: number;
}

/** Runs whose stale staging files this process has already removed. */
const STAGING_CLEANED = new Set<string>();

/**
 * Runs a load plan on the embedded engine: for each batch, its raw files are read once, the
 * table's transform (a library query) over the batch's window is written in one partitioned
 * COPY to a staging folder (`stageBatch`), then each hour is switched to its partition
 * atomically and recorded in the ledger. Tables run in plan order, so a table's inputs are
 * loaded before it. A failed batch is recorded and the run goes on with the next one.
 */
export async function executeLocalPlan(plan: LoadPlan, options: ExecuteOptions): Promise<LoadSummary> {
  // Every table's, not only those with batches: a killed run's staging file in a table this run
  // has nothing to load would otherwise stay forever. The load lock keeps other runs out. Once
  // per run: the state machine runs a plan one batch at a time.
  if (!STAGING_CLEANED.has(plan.runId)) {
    for (const table of TABLES) await cleanStaging(options.dataDir, table, plan.runId);
    STAGING_CLEANED.add(plan.runId);
  }
  const tables: TableDefinition[] = [];
  for (const b of plan.batches) if (!tables.includes(b.table)) tables.push(b.table);
  const totals = { loaded: 0, failed: 0, rows: 0, bytes: 0, sourceFiles: new Set<string>() };
  const quarantined = new Map<string, string>();
  const errors: string[] = [];
  const own = options.engines === undefined;
  const concurrency = options.concurrency ?? defaultLoadConcurrency();
  const engines =
    options.engines ??
    new LoadEngines({
      dataDir: options.dataDir,
      ...(options.roots ? { roots: options.roots } : {}),
      threads: options.threads ?? loadEngineThreads(concurrency),
      // The user's threads hold; by default a batch left alone takes the cores.
      ...(options.threads === undefined ? { maxThreads: availableParallelism() } : {}),
    });
  try {
    await loadTables();
  } finally {
    if (own) await engines.close();
  }
  async function loadTables(): Promise<void> {
    for (const table of tables) {
      const batches = plan.batches.filter((b) => b.table === table);
      const total = batches.reduce((n, b) => n + b.partitions.length, 0);
      const query = await loadQuery(table.transform.queryId);
      let done = 0;
      await runLimited(batches, concurrency, async (batch) => {
        if (options.signal?.aborted) return;
        const rows = await engines.use((worker) => loadBatch(plan.runId, batch, query, worker, options), {
          key: `${plan.runId}\n${table.name}`,
          batches: options.tableBatches ?? batches.length,
        });
        await timed('load: ledger', () => appendLedger(options.dataDir, rows));
        for (const row of rows) {
          if (row.status === 'loaded') {
            totals.loaded++;
            totals.rows += row.rows;
            totals.bytes += row.bytes;
          } else if (row.status === 'failed') {
            totals.failed++;
            if (row.error && !errors.includes(row.error)) errors.push(row.error);
          }
          for (const q of row.quarantined) quarantined.set(q.path, q.reason);
        }
        for (const p of batch.partitions) for (const f of p.files) totals.sourceFiles.add(f.path);
        done += batch.partitions.length;
        const tail = batch.partitions.at(-1);
        options.onProgress?.({
          table: table.name,
          partitionsDone: done,
          partitionsTotal: total,
          rows: totals.rows,
          lastPartition: tail ? partitionPath(tail) : '',
        });
      });
    }
  }
  await appendLedger(options.dataDir, await skippedRows(plan));
  return {
    runId: plan.runId,
    loaded: totals.loaded,
    unchanged: plan.unchanged.length,
    failed: totals.failed,
    rows: totals.rows,
    bytes: totals.bytes,
    sourceFiles: totals.sourceFiles.size,
    quarantined: [...quarantined].map(([path, reason]) => ({ path, reason })),
    errors,
  };
}

type LoadWorker = LocalLoadEngine;

/**
 * The transform's parameters for a batch whose raw files the engine reads: its window, and
 * `copies: 'absent'` when the table's `localCopiesCheck` finds no copies of an event among the
 * batch's records, so the transform leaves its deduplication out (at 1M events a week that step,
 * a sort of every row of the window, was about a quarter of the transform's CPU).
 *
 * @example
 * ```ts
 * await batchTransformParams(batch, worker.engine) // { from, to, copies: 'absent' }
 * ```
 */
export async function batchTransformParams(
  batch: Pick<LoadBatch, 'table' | 'from' | 'to'>,
  engine: LocalLoadEngine['engine'],
): Promise<{ from: Date; to: Date; copies?: 'absent' }> {
  const window = { from: batch.from, to: batch.to };
  const check = batch.table.transform.localCopiesCheck;
  if (check === undefined) return window;
  const { rows } = await engine.execute<{ copies: unknown }>(CompiledQuery.raw(check));
  const copies = Number(rows[0]?.copies);
  if (!Number.isInteger(copies) || copies < 0)
    throw new LakeqError(
      'COPIES_CHECK',
      `${batch.table.name}: the copies check answered ${String(rows[0]?.copies)}, not a count`,
    );
  return copies === 0 ? { ...window, copies: 'absent' } : window;
}

async function loadBatch(
  runId: string,
  batch: LoadBatch,
  query: LibraryQuery,
  worker: LoadWorker,
  options: ExecuteOptions,
): Promise<LedgerRow[]> {
  const startedAt = new Date().toISOString();
  const files = [...new Set(batch.partitions.flatMap((p) => p.files.map((f) => f.path)))].sort();
  const common = {
    runId,
    table: batch.table.name,
    queryId: query.id,
    queryVersion: query.version,
    engine: 'duckdb',
  };
  const { engine } = worker;
  let staged: StagedBatch | undefined;
  try {
    // A batch reads only its planned files: an hour whose file disappeared reads nothing and loads empty.
    const step = (name: string) => `load ${batch.table.name}: ${name}`;
    await timed(step('read files'), () =>
      'source' in batch.table.input
        ? worker.useFiles(files, batch.table.input.source)
        : worker.useFiles([], undefined, readTables(batch.table)),
    );
    const params = await timed(step('copies check'), () => batchTransformParams(batch, engine));
    const { compiled } = compileQuery(query, params, engine);
    // A batch with more threads than one (alone on the machine) is written in as many slices,
    // when its source can keep each slice to its own records (see `stageBatch`).
    const threads = worker.threads();
    const slices =
      threads > 1 && batch.partitions.length > 1 && worker.batchSliceSql(batch.from, batch.to) !== undefined
        ? { count: threads, sql: (from: Date, to: Date) => worker.batchSliceSql(from, to) }
        : undefined;
    // The transform streams into partitioned COPYs: no batch table, whose rows (nested structs)
    // cost more to insert than to write (see `stageBatch`).
    staged = await timed(step('transform and stage'), () =>
      stageBatch(
        engine,
        options.dataDir,
        batch.table,
        inlineParameters(compiled).sql,
        batch.partitions,
        runId,
        { ...(options.signal ? { signal: options.signal } : {}), ...(slices ? { slices } : {}) },
      ),
    );
    const { contents } = staged;
    const skipped = engine
      .warnings()
      .filter((w) => w.code === 'SOURCE_FILE_SKIPPED' && w.path !== undefined)
      .map((w) => ({ path: w.path as string, reason: w.message.replace(/^skipped .*?: /, '') }));
    // Every record read is loaded or counted: those no partition can hold, by reason.
    const dropped =
      'source' in batch.table.input && batch.table.input.source === 'cloudtrail'
        ? await timed(step('dropped records'), () =>
            countDroppedRecords(
              engine,
              batch.partitions,
              options.latenessHours ?? DEFAULT_LATENESS_HOURS,
              new Date(),
            ),
          )
        : new Map();
    const rows: LedgerRow[] = [];
    const toWrite: PlannedPartition[] = [];
    for (const partition of batch.partitions) {
      const expected = contents.get(`${partition.dt}/${partition.hour}`)?.rows ?? 0;
      if (partition.keepAbove !== undefined && expected * 2 < partition.keepAbove) {
        // Rebuilt, it would hold less than half its rows: keep what is there and say why.
        rows.push({
          ...common,
          dt: partition.dt,
          hour: partition.hour,
          status: 'skipped',
          rows: 0,
          bytes: 0,
          fingerprint: partition.fingerprint,
          sourceFiles: partition.files.length,
          quarantined: skipped.filter((s) => partition.files.some((f) => f.path === s.path)),
          engineQueryIds: [],
          startedAt,
          finishedAt: new Date().toISOString(),
          error: `rebuilt from its files it would drop from ${partition.keepAbove} to ${expected} rows: kept its ${partition.keepAbove} rows (--allow-shrink replaces it)`,
        });
      } else toWrite.push(partition);
    }
    const written = await timed(step('switch partitions'), () => (staged as StagedBatch).commit(toWrite));
    const finishedAt = new Date().toISOString();
    for (const partition of toWrite) {
      const key = `${partition.dt}/${partition.hour}`;
      const w = written.get(key) ?? { rows: 0, bytes: 0 };
      const own = new Set(partition.files.map((f) => f.path));
      rows.push({
        ...common,
        dt: partition.dt,
        hour: partition.hour,
        status: 'loaded',
        rows: w.rows,
        bytes: w.bytes,
        fingerprint: partition.fingerprint,
        ...(w.checksum ? { checksum: w.checksum } : {}),
        sourceFiles: partition.files.length,
        quarantined: skipped.filter((s) => own.has(s.path)),
        ...(dropped.has(key) ? { dropped: dropped.get(key) } : {}),
        engineQueryIds: [],
        startedAt,
        finishedAt,
      });
    }
    // In the plan's order, as before: the shrink guard's rows among the loaded ones.
    const order = new Map(batch.partitions.map((p, i) => [`${p.dt}/${p.hour}`, i]));
    rows.sort((x, y) => (order.get(`${x.dt}/${x.hour}`) ?? 0) - (order.get(`${y.dt}/${y.hour}`) ?? 0));
    return rows;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return batch.partitions.map((partition) => ({
      ...common,
      dt: partition.dt,
      hour: partition.hour,
      status: 'failed' as const,
      rows: 0,
      bytes: 0,
      fingerprint: partition.fingerprint,
      sourceFiles: partition.files.length,
      quarantined: [],
      engineQueryIds: [],
      startedAt,
      finishedAt: new Date().toISOString(),
      error: message,
    }));
  } finally {
    await staged?.discard();
  }
}

/** Ledger rows for the partitions a run left alone, so every run says what it did with each hour. */
async function skippedRows(plan: LoadPlan): Promise<LedgerRow[]> {
  const at = new Date().toISOString();
  const queries = new Map<string, LibraryQuery>();
  const rows: LedgerRow[] = [];
  for (const u of plan.unchanged) {
    const table = tableByName(u.table);
    if (!table) continue;
    const query = queries.get(table.transform.queryId) ?? (await loadQuery(table.transform.queryId));
    queries.set(query.id, query);
    rows.push({
      runId: plan.runId,
      table: u.table,
      dt: u.partition.dt,
      hour: u.partition.hour,
      status: 'skipped',
      rows: 0,
      bytes: 0,
      fingerprint: u.fingerprint,
      sourceFiles: u.sourceFiles,
      quarantined: [],
      queryId: query.id,
      queryVersion: query.version,
      engine: 'duckdb',
      engineQueryIds: [],
      startedAt: at,
      finishedAt: at,
      ...(u.kept ? { error: u.kept } : {}),
    });
  }
  return rows;
}

/** The curated tables a table's transform reads: its input table. */
function readTables(table: TableDefinition): TableDefinition[] {
  const input = 'table' in table.input ? tableByName(table.input.table) : undefined;
  return input ? [input] : [];
}

async function runLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, worker: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (index: number) => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, (_, i) => worker(i)));
}
