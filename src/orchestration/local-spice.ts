import { randomUUID } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { openLocalEngine, readsRawViews } from '../catalog/duckdb/local-engine.ts';
import type { TableDefinition } from '../catalog/table-definition.ts';
import { TABLES } from '../catalog/tables/index.ts';
import { SPICE_DATASETS, type SpiceDataset } from '../dashboards/datasets.ts';
import { spiceDatasetColumns } from '../dashboards/spice-dataset-columns.ts';
import type { DuckDbEngine } from '../engines/duckdb/duckdb-engine.ts';
import { inlineParameters } from '../engines/trino/trino-literals.ts';
import { timed } from '../ingest/step-timings.ts';
import { compileQuery } from '../query/compile-query.ts';
import { loadQuery } from '../query/registry.ts';
import { DEFAULT_SPICE_QUOTA_PER_DAY } from './handlers/context-defaults.ts';
import { namedError } from './named-error.ts';

/**
 * A SPICE-like snapshot per dataset, for local dashboards: an ingestion materializes the
 * dataset's SQL into `<dataDir>/spice/<datasetId>/<ingestionId>.parquet` (written to a staging
 * file, then renamed), with a status file beside it shaped like QuickSight's `Ingestion`.
 * CreateIngestion answers at once and the work runs in the background, as in QuickSight;
 * DescribeIngestion reports its progress.
 */

export type IngestionStatus = 'INITIALIZED' | 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';

/** QuickSight's `Ingestion`, plus the dataset and the snapshot file. */
export interface LocalIngestion {
  readonly Arn: string;
  readonly IngestionId: string;
  readonly IngestionStatus: IngestionStatus;
  readonly ErrorInfo?: { readonly Type: string; readonly Message: string };
  readonly RowInfo?: {
    readonly RowsIngested: number;
    readonly RowsDropped: number;
    readonly TotalRowsInDataset: number;
  };
  readonly CreatedTime: string;
  readonly IngestionTimeInSeconds?: number;
  readonly IngestionSizeInBytes?: number;
  readonly RequestSource: 'MANUAL';
  readonly RequestType: 'FULL_REFRESH';
  readonly DataSetId: string;
  /** The Parquet snapshot, once COMPLETED. */
  readonly snapshot?: string;
  /** The process running the ingestion: one that ended leaves it FAILED, not RUNNING forever. */
  readonly pid: number;
}

export interface LocalSpiceOptions {
  readonly dataDir: string;
  /** The delivered sources' raw roots, by source name (`cloudtrail`), for the datasets' SQL. */
  readonly roots: Readonly<Record<string, string | undefined>>;
  /** The time CreatedTime records and the 24-hour quota counts back from (default: the clock). */
  readonly now?: () => Date;
  /** Full refreshes per dataset per rolling 24 h: 32 (QuickSight Enterprise), 8 (Standard). */
  readonly quotaPerDay?: number;
  readonly datasets?: readonly SpiceDataset[];
  /**
   * Lends an engine of the local catalog whose raw views read nothing, its views of `tables`
   * (all, when undefined) made again over what is loaded now, for the snapshot of a dataset that
   * reads no raw view; undefined when it has none to lend. A run's refresh borrows the load's
   * engines, idle by then: opening an engine of its own took 0.15–0.27 s a dataset, five times
   * the snapshot's COPY.
   */
  readonly withEngine?: SpiceEngineLender;
}

/** See `LocalSpiceOptions.withEngine`. */
export type SpiceEngineLender = <T>(
  tables: readonly TableDefinition[] | undefined,
  fn: (engine: DuckDbEngine) => Promise<T>,
) => Promise<T> | undefined;

const DAY_MS = 86_400_000;
const INGESTION_ID = /^[a-zA-Z0-9-_]{1,128}$/;
const ACTIVE = new Set<IngestionStatus>(['INITIALIZED', 'QUEUED', 'RUNNING']);
/** Ingestions running in this process, by status file. */
const running = new Map<string, Promise<void>>();

/** The folder of a dataset's snapshots and status files. */
export function spiceDir(dataDir: string, datasetId: string): string {
  return path.join(dataDir, 'spice', datasetId);
}

/**
 * Starts a full refresh of a dataset's local snapshot, like QuickSight CreateIngestion. Refuses,
 * with QuickSight's error names, an unknown dataset (ResourceNotFoundException), a used
 * IngestionId (ResourceExistsException), a refresh beyond the 24-hour quota or while another
 * runs (LimitExceededException).
 *
 * @example
 * ```ts
 * await createIngestion(spice, { DataSetId: 'lakeq-identity-center-instance-churn-hourly', IngestionId: 'hourly-2026-11-27T13' });
 * // { IngestionStatus: 'INITIALIZED', Status: 201, ... }; poll describeIngestion until COMPLETED
 * ```
 */
export async function createIngestion(
  options: LocalSpiceOptions,
  input: { DataSetId: string; IngestionId: string; IngestionType?: string },
): Promise<{
  Arn: string;
  IngestionId: string;
  IngestionStatus: IngestionStatus;
  RequestId: string;
  Status: number;
}> {
  const dataset = (options.datasets ?? SPICE_DATASETS).find((d) => d.id === input.DataSetId);
  if (!dataset) throw spiceError('ResourceNotFoundException', `no dataset ${input.DataSetId}`);
  if (!INGESTION_ID.test(input.IngestionId)) {
    throw spiceError(
      'InvalidParameterValueException',
      `IngestionId "${input.IngestionId}" is not [a-zA-Z0-9-_]{1,128}`,
    );
  }
  if (input.IngestionType !== undefined && input.IngestionType !== 'FULL_REFRESH') {
    throw spiceError('InvalidParameterValueException', 'local snapshots take full refreshes only');
  }
  const now = options.now?.() ?? new Date();
  const earlier = await listIngestions(options, dataset.id);
  if (earlier.some((i) => ACTIVE.has(i.IngestionStatus))) {
    throw spiceError('LimitExceededException', `an ingestion of ${dataset.id} is already running`);
  }
  const quota = options.quotaPerDay ?? DEFAULT_SPICE_QUOTA_PER_DAY;
  const lastDay = earlier.filter((i) => Date.parse(i.CreatedTime) > now.getTime() - DAY_MS);
  if (lastDay.length >= quota) {
    throw spiceError(
      'LimitExceededException',
      `${dataset.id} was refreshed ${lastDay.length} times in 24 hours (quota ${quota})`,
    );
  }
  const file = statusFile(options.dataDir, dataset.id, input.IngestionId);
  const record: LocalIngestion = {
    Arn: `arn:aws:quicksight:local:000000000000:dataset/${dataset.id}/ingestion/${input.IngestionId}`,
    IngestionId: input.IngestionId,
    IngestionStatus: 'INITIALIZED',
    CreatedTime: now.toISOString(),
    RequestSource: 'MANUAL',
    RequestType: 'FULL_REFRESH',
    DataSetId: dataset.id,
    pid: process.pid,
  };
  await mkdir(path.dirname(file), { recursive: true });
  // link() fails if the file exists: two creates of one IngestionId cannot both win.
  const temp = `${file}.${randomUUID()}.tmp`;
  await writeFile(temp, JSON.stringify(record));
  try {
    await link(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw spiceError('ResourceExistsException', `ingestion ${input.IngestionId} of ${dataset.id} exists`);
    }
    throw error;
  }
  // Registered before the next await, so no reader takes the new record for an orphan.
  const work = timed('spice refresh', () => materialize(options, dataset, record)).finally(() =>
    running.delete(file),
  );
  running.set(file, work);
  await rm(temp, { force: true });
  return {
    Arn: record.Arn,
    IngestionId: record.IngestionId,
    IngestionStatus: record.IngestionStatus,
    RequestId: randomUUID(),
    Status: 201,
  };
}

/**
 * An ingestion's status, like QuickSight DescribeIngestion. When the ingestion runs in this
 * process, waits up to `waitMs` for it to finish first, so a poll loop with no Wait spins little.
 *
 * @example
 * ```ts
 * const { Ingestion } = await describeIngestion(spice, { DataSetId, IngestionId }, { waitMs: 5000 });
 * Ingestion.IngestionStatus // 'COMPLETED'; Ingestion.RowInfo.RowsIngested // 42
 * ```
 */
export async function describeIngestion(
  options: LocalSpiceOptions,
  input: { DataSetId: string; IngestionId: string },
  wait: { waitMs?: number } = {},
): Promise<{ Ingestion: LocalIngestion; RequestId: string; Status: number }> {
  const file = statusFile(options.dataDir, input.DataSetId, input.IngestionId);
  const work = running.get(file);
  if (work && (wait.waitMs ?? 0) > 0) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, wait.waitMs)))]);
    clearTimeout(timer);
  }
  const record = await readStatus(file);
  if (!record)
    throw spiceError('ResourceNotFoundException', `no ingestion ${input.IngestionId} of ${input.DataSetId}`);
  return { Ingestion: record, RequestId: randomUUID(), Status: 200 };
}

/**
 * A dataset's ingestions, newest first (ListIngestions).
 *
 * @example
 * ```ts
 * (await listIngestions(spice, 'lakeq-identity-center-instance-churn-hourly')).filter((i) => i.IngestionStatus === 'RUNNING')
 * ```
 */
export async function listIngestions(
  options: Pick<LocalSpiceOptions, 'dataDir'>,
  datasetId: string,
): Promise<LocalIngestion[]> {
  let names: string[];
  try {
    names = await readdir(spiceDir(options.dataDir, datasetId));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: LocalIngestion[] = [];
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const record = await readStatus(path.join(spiceDir(options.dataDir, datasetId), name));
    if (record) out.push(record);
  }
  return out.sort((a, b) => b.CreatedTime.localeCompare(a.CreatedTime));
}

/**
 * The newest COMPLETED snapshot of a dataset: what a local dashboard shows.
 *
 * @example
 * ```ts
 * const latest = await latestSnapshot(dataDir, 'lakeq-identity-center-instance-churn-hourly');
 * latest?.file // '<dataDir>/spice/lakeq-identity-center-instance-churn-hourly/hourly-2026-11-27T13.parquet'
 * ```
 */
export async function latestSnapshot(
  dataDir: string,
  datasetId: string,
): Promise<{ file: string; ingestion: LocalIngestion } | undefined> {
  for (const ingestion of await listIngestions({ dataDir }, datasetId)) {
    if (ingestion.IngestionStatus === 'COMPLETED' && ingestion.snapshot) {
      return { file: ingestion.snapshot, ingestion };
    }
  }
  return undefined;
}

async function materialize(
  options: LocalSpiceOptions,
  dataset: SpiceDataset,
  record: LocalIngestion,
): Promise<void> {
  const file = statusFile(options.dataDir, dataset.id, record.IngestionId);
  const started = Date.now();
  const target = path.join(spiceDir(options.dataDir, dataset.id), `${record.IngestionId}.parquet`);
  const staging = `${target}.${randomUUID()}.tmp`;
  try {
    await writeStatus(file, { ...record, IngestionStatus: 'RUNNING' });
    const settings = { sources: {}, roots: options.roots, dataDir: options.dataDir };
    // Without the raw views unless the dataset reads them: scanning a trail's files takes seconds
    // (measured 5.5–6 s a dataset over a week of 19k files), its curated tables need none of it.
    // A table's dataset needs that table's view only (each view costs a glob of its folder).
    const own =
      'table' in dataset.source
        ? TABLES.find((t) => 'table' in dataset.source && t.name === dataset.source.table)
        : undefined;
    const snapshot = async (engine: DuckDbEngine, select: string) => {
      const quoted = staging.replace(/'/g, "''");
      const result = await engine.execute(
        CompiledQuery.raw(`COPY (${select}) TO '${quoted}' (FORMAT parquet)`),
      );
      return result.stats.rowsAffected ?? 0;
    };
    // A borrowed engine serves a dataset over curated tables only (its raw views read nothing).
    // Its own table's view made again; none for the ledger's (not a curated table: its view
    // is made again all the same); every one for a query's.
    const tables = own ? [own] : 'table' in dataset.source ? [] : undefined;
    let rows = await options.withEngine?.(tables, async (engine) => {
      const select = await datasetSql(dataset, engine);
      return readsRawViews(select) ? undefined : snapshot(engine, select);
    });
    if (rows === undefined) {
      let engine = await openLocalEngine(settings, { raw: false, ...(own ? { tables: [own] } : {}) });
      try {
        let select = await datasetSql(dataset, engine);
        if (readsRawViews(select)) {
          await engine.close();
          engine = await openLocalEngine(settings);
          select = await datasetSql(dataset, engine);
        }
        rows = await snapshot(engine, select);
      } finally {
        await engine.close();
      }
    }
    await rename(staging, target);
    const { size } = await stat(target);
    await writeStatus(file, {
      ...record,
      IngestionStatus: 'COMPLETED',
      RowInfo: { RowsIngested: rows, RowsDropped: 0, TotalRowsInDataset: rows },
      IngestionTimeInSeconds: Math.round((Date.now() - started) / 1000),
      IngestionSizeInBytes: size,
      snapshot: target,
    });
  } catch (error) {
    await rm(staging, { force: true });
    await writeStatus(file, {
      ...record,
      IngestionStatus: 'FAILED',
      ErrorInfo: { Type: 'SQL_EXCEPTION', Message: error instanceof Error ? error.message : String(error) },
      IngestionTimeInSeconds: Math.round((Date.now() - started) / 1000),
    });
  }
}

/** SPICE's column types as DuckDB types: a snapshot holds what QuickSight would. */
const SPICE_TO_DUCKDB: Readonly<Record<string, string>> = {
  STRING: 'VARCHAR',
  INTEGER: 'BIGINT',
  DECIMAL: 'DOUBLE',
  DATETIME: 'TIMESTAMP',
  BIT: 'BOOLEAN',
  BOOLEAN: 'BOOLEAN',
  JSON: 'VARCHAR',
};

/**
 * The SELECT a dataset's snapshot holds: its table in QuickSight's shape (the dataset's columns
 * with the names lower-cased and the types after its casts, `dt` a DATETIME; a value that does
 * not convert is NULL, as SPICE skips it), or its library query.
 */
async function datasetSql(
  dataset: SpiceDataset,
  engine: Awaited<ReturnType<typeof openLocalEngine>>,
): Promise<string> {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const shaped = (from: string) => {
    const columns = spiceDatasetColumns(dataset, TABLES).map(
      (c) => `TRY_CAST(${quote(c.Name)} AS ${SPICE_TO_DUCKDB[c.Type] ?? 'VARCHAR'}) AS ${quote(c.Name)}`,
    );
    return `SELECT ${columns.join(', ')} FROM ${from}`;
  };
  if ('table' in dataset.source) return shaped(quote(dataset.source.table));
  const query = await loadQuery(dataset.source.queryId);
  const sql = inlineParameters(compileQuery(query, dataset.source.params, engine).compiled).sql;
  // A query's declared columns are its dataset's shape: one the query lacks fails the refresh.
  return dataset.source.columns ? shaped(`(${sql}) AS q`) : sql;
}

function statusFile(dataDir: string, datasetId: string, ingestionId: string): string {
  return path.join(spiceDir(dataDir, datasetId), `${ingestionId}.json`);
}

async function writeStatus(file: string, record: LocalIngestion): Promise<void> {
  const temp = `${file}.${randomUUID()}.tmp`;
  await writeFile(temp, JSON.stringify(record));
  await rename(temp, file);
}

/** A status as a reader should see it: an active ingestion whose process is gone has FAILED. */
/**
 * A status file's record, or undefined when it is gone, damaged, or names an ingestion other
 * than its own file (its id becomes a path: a hand-edited `../..` must never be followed).
 */
async function readStatus(file: string): Promise<LocalIngestion | undefined> {
  let record: LocalIngestion;
  try {
    record = JSON.parse(await readFile(file, 'utf8')) as LocalIngestion;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return undefined;
    throw error;
  }
  const id = record?.IngestionId;
  if (typeof id !== 'string' || !INGESTION_ID.test(id) || `${id}.json` !== path.basename(file))
    return undefined;
  if (record.snapshot !== undefined) {
    // The snapshot is the ingestion's own file beside its status, wherever the folder moved.
    record = { ...record, snapshot: path.join(path.dirname(file), `${id}.parquet`) };
  }
  const orphan = record.pid === process.pid ? !running.has(file) : !isAlive(record.pid);
  if (ACTIVE.has(record.IngestionStatus) && orphan) {
    return {
      ...record,
      IngestionStatus: 'FAILED',
      ErrorInfo: {
        Type: 'INTERNAL_SERVICE_ERROR',
        Message: `the process running it (pid ${record.pid}) ended`,
      },
    };
  }
  return record;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An error named as QuickSight names it (the Step Functions integration prefixes `QuickSight.`). */
function spiceError(name: string, message: string): Error {
  return namedError(name, message);
}
