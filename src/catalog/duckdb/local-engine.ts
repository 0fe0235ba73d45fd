import type { LakeqSettings } from '../../config/lakeq-config.ts';
import { createDuckDbEngine, type DuckDbEngine } from '../../engines/duckdb/duckdb-engine.ts';
import type { TableDefinition } from '../table-definition.ts';
import { TABLES } from '../tables/index.ts';
import { createCuratedViews } from './curated-views.ts';
import { LocalCloudTrailSource } from './local-cloudtrail-source.ts';

export interface LocalEngineOptions {
  readonly threads?: number;
  /** Read exactly these CloudTrail files instead of scanning the source folder (loads use this). */
  readonly cloudtrailFiles?: readonly string[];
  /** The curated tables to give views (default all). */
  readonly tables?: readonly TableDefinition[];
  /**
   * Scan the raw CloudTrail folder for `cloudtrail_logs` / `cloudtrail_events_raw` (default
   * true). Queries over the curated tables skip it: a big trail takes seconds to scan.
   */
  readonly raw?: boolean;
}

/** Whether SQL reads the raw CloudTrail views (and so needs the source folder scanned). */
export function readsRawViews(sql: string): boolean {
  return /\b(cloudtrail_events_raw|cloudtrail_logs|cloudtrail_raw)\b/i.test(sql);
}

/**
 * The embedded engine with the local catalog: `cloudtrail_logs` and `cloudtrail_events_raw`
 * over the CloudTrail folder, and a view per curated table over its Parquet partitions.
 *
 * @example
 * ```ts
 * const engine = await openLocalEngine(settings);
 * await runQuery(engine, churn, { from: '2026-11-01', to: '2026-11-08' });
 * ```
 */
export async function openLocalEngine(
  settings: Pick<LakeqSettings, 'sources'> & Partial<Pick<LakeqSettings, 'dataDir'>>,
  options: LocalEngineOptions = {},
): Promise<DuckDbEngine> {
  const files = options.raw === false ? [] : options.cloudtrailFiles;
  const cloudtrail = new LocalCloudTrailSource(settings.sources.cloudtrail, files);
  const tables = options.tables ?? TABLES;
  return createDuckDbEngine({
    ...(options.threads ? { threads: options.threads } : {}),
    setup: async (run, warn) => {
      await cloudtrail.setup(run, warn);
      if (settings.dataDir !== undefined) await createCuratedViews(run, settings.dataDir, tables);
    },
    recover: (error, run, warn) => cloudtrail.recover(error, run, warn),
  });
}

/**
 * An engine for loads: the same catalog, with the CloudTrail views pointed at each batch's
 * files in turn, so one DuckDB instance serves every batch of a worker.
 */
export async function openLocalLoadEngine(
  settings: Pick<LakeqSettings, 'sources' | 'dataDir'>,
  options: { threads?: number } = {},
): Promise<{ engine: DuckDbEngine; useFiles(files: readonly string[]): Promise<void> }> {
  const cloudtrail = new LocalCloudTrailSource(settings.sources.cloudtrail, []);
  const engine = await createDuckDbEngine({
    ...(options.threads ? { threads: options.threads } : {}),
    maxConnections: 1,
    setup: async (run, warn) => {
      await cloudtrail.setup(run, warn);
      await createCuratedViews(run, settings.dataDir, TABLES);
    },
    recover: (error, run, warn) => cloudtrail.recover(error, run, warn),
  });
  return {
    engine,
    useFiles: async (files) => {
      engine.clearWarnings();
      // The curated views were made when the worker opened, after the tables it reads were loaded.
      await engine.reconfigure((run, warn) => cloudtrail.useFiles(files, run, warn));
    },
  };
}
