import { availableParallelism } from 'node:os';
import type { DuckDbSandbox } from '../../engines/duckdb/duckdb-dialect-config.ts';
import { createDuckDbEngine, type DuckDbEngine } from '../../engines/duckdb/duckdb-engine.ts';
import { SOURCES } from '../../sources/index.ts';
import { rawRootOf, type SourceLocations } from '../../sources/registry.ts';
import type { LocalRawRelations } from '../../sources/source-definition.ts';
import type { RawSourceName, TableDefinition } from '../table-definition.ts';
import { TABLES } from '../tables/index.ts';
import { createCuratedViews, curatedViewSql } from './curated-views.ts';
import { ledgerViewSql } from './ledger-view.ts';

/**
 * What the local catalog needs of the settings: each source's input (`sources`, by source
 * name: the CloudTrail folder, …), the data folder (the curated tables, and a collected source's
 * hour files under `raw/<name>`), and `roots` for a source whose raw files are elsewhere.
 */
export type LocalCatalogSettings = SourceLocations;

export interface LocalEngineOptions {
  readonly threads?: number;
  /** The curated tables to give views (default all). */
  readonly tables?: readonly TableDefinition[];
  /**
   * Scan the sources' raw folders for their raw views (`cloudtrail_logs`, `cloudtrail_events_raw`,
   * `glue_job_runs_collected`, …; default true). Queries over the curated tables skip it: a big
   * trail takes seconds to scan.
   */
  readonly raw?: boolean;
  /** Lock the engine down once its views exist (`lakeq sql` without `--unsafe`). */
  readonly sandbox?: DuckDbSandbox;
}

const RAW_VIEW = new RegExp(
  `\\b(${[
    ...SOURCES.flatMap((s) => s.rawRelations),
    ...SOURCES.flatMap((s) => (s.rawRelationPrefixes ?? []).map((p) => `${p}\\w+`)),
  ].join('|')})\\b`,
  'i',
);

/** Whether SQL reads the raw views of a source (and so needs the source folders scanned). */
export function readsRawViews(sql: string): boolean {
  return RAW_VIEW.test(sql);
}

/** Each registered source's raw relations in one engine, in registry order. */
async function openRawRelations(settings: LocalCatalogSettings, scan: boolean): Promise<LocalRawRelations[]> {
  return Promise.all(
    SOURCES.map(async (source) => (await source.local())({ root: rawRootOf(source, settings), scan })),
  );
}

/** The first source's relations that recover from a failed query (they name the file to leave out). */
async function recoverAny(
  relations: readonly LocalRawRelations[],
  ...args: Parameters<LocalRawRelations['recover']>
): Promise<boolean> {
  for (const r of relations) if (await r.recover(...args)) return true;
  return false;
}

/**
 * The embedded engine with the local catalog: each registered source's raw views over its raw
 * files (`cloudtrail_logs` and `cloudtrail_events_raw` over the CloudTrail folder,
 * `glue_job_runs_collected` and `glue_job_metrics_collected` over the Glue collector's files)
 * and a view per curated table over its Parquet partitions.
 *
 * @example
 * ```ts
 * const engine = await openLocalEngine(settings);
 * await runQuery(engine, churn, { from: '2026-11-01', to: '2026-11-08' });
 * ```
 */
export async function openLocalEngine(
  settings: LocalCatalogSettings,
  options: LocalEngineOptions = {},
): Promise<DuckDbEngine> {
  const scan = options.raw !== false;
  const relations = await openRawRelations(settings, scan);
  const tables = options.tables ?? TABLES;
  return createDuckDbEngine({
    ...(options.threads ? { threads: options.threads } : {}),
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    setup: async (run, warn) => {
      if (settings.dataDir !== undefined) {
        // A table not loaded yet is an empty view over its transform, which DuckDB binds when the
        // view is made: over the raw views' thousands of files that is ~0.3 s a table. Made
        // while the raw views are still empty (their types are the same), it binds in
        // milliseconds; a query of it binds it again over the files, as it would anyway.
        const empty = scan ? await openRawRelations(settings, false) : relations;
        for (const r of empty) await r.setup(run, scan ? () => {} : warn);
        await createCuratedViews(run, settings.dataDir, tables);
        if (!scan) return;
      }
      for (const r of relations) await r.setup(run, warn);
    },
    recover: (error, run, warn) => recoverAny(relations, error, run, warn),
    sessionSql: (sql) => {
      const parts = relations.map((r) => r.sessionSql?.(sql)).filter((p) => p !== undefined);
      return parts.length === 0 ? undefined : parts.join(';\n');
    },
  });
}

/**
 * DuckDB 1.5.6's TopN-window optimizer fails (`INTERNAL Error: Failed to cast expression to
 * type`) on the dedup window of a transform over a batch table of JSON-converted records.
 * Nothing a load writes depends on the order rows arrive in (a partition's checksum is a sum over
 * its rows, and its file was never sorted), so DuckDB need not keep it: reading a day of 2,744
 * small files into the batch table took 2.0 s CPU with insertion order kept and 0.55 s without.
 */
const LOAD_ENGINE_SETTINGS = [
  `SET disabled_optimizers = 'top_n_window_elimination'`,
  'SET preserve_insertion_order = false',
  // A load engine drops each batch's tables before the next batch makes its own. After such a
  // bulk free DuckDB flushes its allocator by default, handing the pages back to the OS, and the
  // next batch faults them in again: a 200k-event week's load took 540k page faults and 4.0–4.6 s
  // of system time with the flush, 400–430k and 3.0–3.7 s without it (1.2 s less wall time, 1.4 s
  // less CPU, median of five alternated runs), for 70–90 MB more peak memory. The memory stays
  // with the engine for the next batch, and goes when the run closes it.
  `SET allocator_bulk_deallocation_flush_threshold = '1TiB'`,
];

/** A load worker's engine; `useFiles` points the source's raw views at one batch's files. */
export interface LocalLoadEngine {
  readonly engine: DuckDbEngine;
  /**
   * The raw views of `source` read exactly `files`; the other raw views (all of them without a
   * source) read nothing. `tables`: the curated tables the batch reads, whose views are made
   * again over what the run has loaded so far (default: every table's, when there is no source);
   * without a source, the ledger's view too.
   */
  useFiles(
    files: readonly string[],
    source?: RawSourceName,
    tables?: readonly TableDefinition[],
  ): Promise<void>;
  /** The DuckDB threads the engine's next statement gets. */
  threads(): number;
  /**
   * The `WITH` entries standing for the raw relations over the current batch's records of
   * `[from, to)` (`LocalRawRelations.batchSliceSql`); undefined when no source has any.
   */
  batchSliceSql(from: Date, to: Date): string | undefined;
}

/**
 * An engine for loads: the same catalog, with the raw views pointed at each batch's files in
 * turn, so one DuckDB instance serves every batch of a worker.
 *
 * @example
 * ```ts
 * const worker = await openLocalLoadEngine({ sources: { cloudtrail }, dataDir });
 * await worker.useFiles(['…/job-runs/dt=2026-11-27/hour=13/job-runs.json'], 'glue-job-runs');
 * ```
 */
export async function openLocalLoadEngine(
  settings: LocalCatalogSettings & { readonly dataDir: string },
  options: { threads?: number; threadsFor?: () => number } = {},
): Promise<LocalLoadEngine> {
  const relations = await openRawRelations(settings, false);
  const engine = await createDuckDbEngine({
    ...(options.threads ? { threads: options.threads } : {}),
    ...(options.threadsFor ? { threadsFor: options.threadsFor } : {}),
    // Two: a batch written in slices runs their COPYs at once (see `stageBatch`).
    maxConnections: 2,
    setup: async (run, warn) => {
      for (const setting of LOAD_ENGINE_SETTINGS) await run(setting);
      for (const r of relations) await r.setup(run, warn);
      await createCuratedViews(run, settings.dataDir, TABLES);
    },
    recover: (error, run, warn) => recoverAny(relations, error, run, warn),
  });
  const threads = options.threadsFor ?? (() => options.threads ?? availableParallelism());
  return {
    engine,
    threads,
    batchSliceSql: (from, to) => {
      const entries = relations.map((r) => r.batchSliceSql?.(from, to)).filter((e) => e !== undefined);
      return entries.length === 0 ? undefined : entries.join(',\n');
    },
    useFiles: async (files, source, tables) => {
      engine.clearWarnings();
      await engine.reconfigure(async (run, warn) => {
        for (const r of relations) await r.useFiles(source, source === undefined ? [] : files, run, warn);
        // A table that reads curated tables: their views again, over what earlier batches of the
        // run (on this engine or another) wrote. A batch of raw files reads no curated view.
        const refresh = tables ?? (source === undefined ? TABLES : []);
        for (const table of refresh) await run(await curatedViewSql(settings.dataDir, table));
        // And the ledger's, made empty when the engine opened before the run's first load.
        if (source === undefined) await run(await ledgerViewSql(settings.dataDir));
      });
    },
  };
}
