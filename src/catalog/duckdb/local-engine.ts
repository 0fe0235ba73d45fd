import path from 'node:path';
import type { DuckDbSandbox } from '../../engines/duckdb/duckdb-dialect-config.ts';
import { createDuckDbEngine, type DuckDbEngine } from '../../engines/duckdb/duckdb-engine.ts';
import { LocalCloudTrailSource } from '../../sources/cloudtrail/raw-duckdb.ts';
import { LocalGlueSource } from '../../sources/glue/raw-duckdb.ts';
import { isCollectedSource } from '../../sources/glue/schema.ts';
import { LocalIdentityCenterSource } from '../../sources/identity-center/raw-duckdb.ts';
import { SOURCES } from '../../sources/index.ts';
import type { RawSourceName, TableDefinition } from '../table-definition.ts';
import { TABLES } from '../tables/index.ts';
import { createCuratedViews } from './curated-views.ts';

/** The raw source folders the local catalog reads. */
export interface LocalSources {
  /** CloudTrail logs in the S3 delivery layout. */
  readonly cloudtrail: string;
  /**
   * The Glue collector's NDJSON files (default `<dataDir>/raw/glue`). Not `sources.glue` of the
   * settings: that is the collector's input (captured API responses).
   */
  readonly glueCollected?: string;
  /** The Identity Center collector's snapshot files (default `<dataDir>/raw/identity-center`). */
  readonly identityCenterCollected?: string;
}

/** What the local catalog needs of the settings. */
export interface LocalCatalogSettings {
  readonly sources: LocalSources;
  readonly dataDir?: string;
}

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
  /** Lock the engine down once its views exist (`lakeq sql` without `--unsafe`). */
  readonly sandbox?: DuckDbSandbox;
}

const RAW_VIEW = new RegExp(`\\b(${SOURCES.flatMap((s) => s.rawRelations).join('|')})\\b`, 'i');

/** Whether SQL reads the raw views of a source (and so needs the source folders scanned). */
export function readsRawViews(sql: string): boolean {
  return RAW_VIEW.test(sql);
}

/**
 * The Glue collected root of the settings: `sources.glueCollected`, else `<dataDir>/raw/glue`.
 *
 * @example
 * ```ts
 * glueRootOf({ sources: { cloudtrail: '/t' }, dataDir: '/d' }) // '/d/raw/glue'
 * ```
 */
export function glueRootOf(settings: LocalCatalogSettings): string | undefined {
  if (settings.sources.glueCollected !== undefined) return settings.sources.glueCollected;
  return settings.dataDir === undefined ? undefined : path.join(settings.dataDir, 'raw', 'glue');
}

/**
 * The Identity Center snapshot root of the settings: `sources.identityCenterCollected`, else
 * `<dataDir>/raw/identity-center`.
 *
 * @example
 * ```ts
 * identityCenterRootOf({ sources: { cloudtrail: '/t' }, dataDir: '/d' }) // '/d/raw/identity-center'
 * ```
 */
export function identityCenterRootOf(settings: LocalCatalogSettings): string | undefined {
  if (settings.sources.identityCenterCollected !== undefined) return settings.sources.identityCenterCollected;
  return settings.dataDir === undefined ? undefined : path.join(settings.dataDir, 'raw', 'identity-center');
}

/**
 * The embedded engine with the local catalog: `cloudtrail_logs` and `cloudtrail_events_raw`
 * over the CloudTrail folder, `glue_job_runs_collected` and `glue_job_metrics_collected` over
 * the Glue collector's files, and a view per curated table over its Parquet partitions.
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
  const raw = options.raw !== false;
  const files = raw ? options.cloudtrailFiles : [];
  const cloudtrail = new LocalCloudTrailSource(settings.sources.cloudtrail, files);
  const glueRoot = glueRootOf(settings);
  const glue = new LocalGlueSource(glueRoot ?? '', { scan: raw && glueRoot !== undefined });
  const idcRoot = identityCenterRootOf(settings);
  const identityCenter = new LocalIdentityCenterSource(idcRoot ?? '', { scan: raw && idcRoot !== undefined });
  const tables = options.tables ?? TABLES;
  return createDuckDbEngine({
    ...(options.threads ? { threads: options.threads } : {}),
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    setup: async (run, warn) => {
      await cloudtrail.setup(run, warn);
      await glue.setup(run, warn);
      await identityCenter.setup(run, warn);
      if (settings.dataDir !== undefined) await createCuratedViews(run, settings.dataDir, tables);
    },
    recover: async (error, run, warn) =>
      (await cloudtrail.recover(error, run, warn)) ||
      (await glue.recover(error, run, warn)) ||
      identityCenter.recover(error, run, warn),
  });
}

/** A load worker's engine; `useFiles` points the source's raw views at one batch's files. */
export interface LocalLoadEngine {
  readonly engine: DuckDbEngine;
  /** The raw views read exactly `files` of `source` (default CloudTrail); the other raw views read nothing. */
  useFiles(files: readonly string[], source?: RawSourceName): Promise<void>;
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
  options: { threads?: number } = {},
): Promise<LocalLoadEngine> {
  const cloudtrail = new LocalCloudTrailSource(settings.sources.cloudtrail, []);
  const glue = new LocalGlueSource(glueRootOf(settings) ?? '', { scan: false });
  const identityCenter = new LocalIdentityCenterSource(identityCenterRootOf(settings) ?? '', { scan: false });
  const engine = await createDuckDbEngine({
    ...(options.threads ? { threads: options.threads } : {}),
    maxConnections: 1,
    setup: async (run, warn) => {
      await cloudtrail.setup(run, warn);
      await glue.setup(run, warn);
      await identityCenter.setup(run, warn);
      await createCuratedViews(run, settings.dataDir, TABLES);
    },
    recover: async (error, run, warn) =>
      (await cloudtrail.recover(error, run, warn)) ||
      (await glue.recover(error, run, warn)) ||
      identityCenter.recover(error, run, warn),
  });
  return {
    engine,
    useFiles: async (files, source = 'cloudtrail') => {
      engine.clearWarnings();
      // The curated views were made when the worker opened, after the tables it reads were loaded.
      await engine.reconfigure(async (run, warn) => {
        await cloudtrail.useFiles(source === 'cloudtrail' ? files : [], run, warn);
        await glue.useFiles(
          isCollectedSource(source) ? source : undefined,
          isCollectedSource(source) ? files : [],
          run,
          warn,
        );
        await identityCenter.useFiles(source, files, run, warn);
      });
    },
  };
}
