import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TableColumn } from '../../catalog/table-definition.ts';
import type { SourceFile } from '../../ingest/source-file.ts';

/**
 * The collected Glue data: NDJSON files the Glue collector writes under a root folder (locally
 * `<dataDir>/raw/glue`, on AWS `s3://bucket/prefix/raw/glue/`), one file per UTC hour:
 * `job-runs/dt=YYYY-MM-DD/hour=HH/job-runs.json` (a line per run attempt started in the hour)
 * and `job-metrics/dt=…/hour=…/job-metrics.json` (a line per datapoint of the hour). A file is
 * replaced atomically, and only when its content changes, so its mtime signals a change.
 */

/** The raw sources a curated table can read besides CloudTrail. */
export type GlueCollectedSource = 'glue-job-runs' | 'glue-job-metrics';

export interface CollectedRelation {
  readonly source: GlueCollectedSource;
  /** The relation transforms read: a DuckDB view locally, an external table on Athena. */
  readonly relation: string;
  /** The folder under the collected root. */
  readonly folder: string;
  /** The name the collector gives each hour's file. */
  readonly fileName: string;
  /**
   * The collected keys, in file order, with the curated table's Hive types. In the raw
   * relation a `timestamp` column is the collector's ISO 8601 text, converted by the transform.
   */
  readonly columns: readonly TableColumn[];
  /** The key one row stands for; the transform keeps one row per key. */
  readonly key: readonly string[];
}

/** States `glue/*` queries count as failed runs. */
export const FAILED_RUN_STATES = ['FAILED', 'ERROR', 'TIMEOUT'] as const;

export const GLUE_JOB_RUNS: CollectedRelation = {
  source: 'glue-job-runs',
  relation: 'glue_job_runs_collected',
  folder: 'job-runs',
  fileName: 'job-runs.json',
  key: ['account_id', 'region', 'job_name', 'job_run_id'],
  columns: [
    { name: 'job_name', type: 'string', comment: 'the Glue job' },
    { name: 'job_run_id', type: 'string', comment: 'the run attempt id (jr_…)' },
    { name: 'attempt', type: 'int', comment: 'attempt number, 0 for the first' },
    { name: 'previous_run_id', type: 'string', comment: 'the attempt this one retries' },
    { name: 'trigger_name', type: 'string', comment: 'the trigger that started the run' },
    { name: 'job_run_state', type: 'string', comment: 'JobRunState: RUNNING, SUCCEEDED, FAILED…' },
    { name: 'job_type', type: 'string', comment: 'glueetl, gluestreaming, pythonshell or glueray' },
    { name: 'started_on', type: 'timestamp', comment: 'when the attempt started, UTC' },
    { name: 'completed_on', type: 'timestamp', comment: 'when the attempt completed, UTC' },
    { name: 'last_modified_on', type: 'timestamp', comment: 'last state change, UTC' },
    { name: 'execution_seconds', type: 'int', comment: 'ExecutionTime in seconds' },
    { name: 'worker_type', type: 'string', comment: 'G.1X, G.2X, Standard…' },
    { name: 'number_of_workers', type: 'int', comment: 'workers allocated' },
    { name: 'max_capacity', type: 'double', comment: 'DPUs allocated' },
    { name: 'dpu_seconds', type: 'double', comment: 'DPUSeconds, else ExecutionTime × MaxCapacity' },
    { name: 'glue_version', type: 'string', comment: 'Glue version' },
    { name: 'execution_class', type: 'string', comment: 'STANDARD or FLEX' },
    { name: 'timeout_minutes', type: 'int', comment: 'the run timeout' },
    { name: 'error_message', type: 'string', comment: 'why the run failed' },
    {
      name: 'estimated_cost_usd',
      type: 'double',
      comment: 'DPU-hours × the configured price of its execution class and Region',
    },
    { name: 'region', type: 'string', comment: 'the Region of the job' },
    { name: 'account_id', type: 'string', comment: 'the account of the job' },
  ],
};

export const GLUE_JOB_METRICS: CollectedRelation = {
  source: 'glue-job-metrics',
  relation: 'glue_job_metrics_collected',
  folder: 'job-metrics',
  fileName: 'job-metrics.json',
  key: ['account_id', 'region', 'job_name', 'job_run_id', 'metric_name', 'statistic', 'metric_time'],
  columns: [
    { name: 'job_name', type: 'string', comment: 'the Glue job' },
    { name: 'job_run_id', type: 'string', comment: "the run id, or 'ALL' for the job's aggregate" },
    { name: 'metric_name', type: 'string', comment: 'CloudWatch metric name (Glue namespace)' },
    { name: 'metric_type', type: 'string', comment: "'count' or 'gauge'" },
    { name: 'metric_time', type: 'timestamp', comment: 'the datapoint time, UTC' },
    { name: 'value', type: 'double', comment: 'the datapoint value' },
    { name: 'unit', type: 'string', comment: 'CloudWatch unit' },
    { name: 'statistic', type: 'string', comment: 'Sum, Average, Maximum…' },
    { name: 'region', type: 'string', comment: 'the Region of the job' },
    { name: 'account_id', type: 'string', comment: 'the account of the job' },
  ],
};

export const COLLECTED_RELATIONS: readonly CollectedRelation[] = [GLUE_JOB_RUNS, GLUE_JOB_METRICS];

/**
 * The collected relation a raw source name stands for.
 *
 * @example
 * ```ts
 * collectedRelation('glue-job-runs').relation // 'glue_job_runs_collected'
 * ```
 */
export function collectedRelation(source: GlueCollectedSource): CollectedRelation {
  const found = COLLECTED_RELATIONS.find((r) => r.source === source);
  if (!found) throw new Error(`unknown collected source "${source}"`);
  return found;
}

/** Whether a raw source name is one of the collected Glue sources. */
export function isCollectedSource(source: string): source is GlueCollectedSource {
  return COLLECTED_RELATIONS.some((r) => r.source === source);
}

/** The raw relation's type of a column: timestamps stay the collector's ISO text. */
export function rawColumnType(column: TableColumn): string {
  return column.type === 'timestamp' ? 'string' : column.type;
}

/**
 * The folder of one hour's collected file(s): `<root>/job-runs/dt=2026-11-27/hour=13`.
 *
 * @example
 * ```ts
 * collectedHourDir('/data/raw/glue', GLUE_JOB_RUNS, new Date('2026-11-27T13:00Z'))
 * // '/data/raw/glue/job-runs/dt=2026-11-27/hour=13'
 * ```
 */
export function collectedHourDir(root: string, relation: CollectedRelation, hour: Date): string {
  const iso = hour.toISOString();
  return path.join(root, relation.folder, `dt=${iso.slice(0, 10)}`, `hour=${iso.slice(11, 13)}`);
}

const JSON_FILE = /\.json$/i;

/**
 * How a collected root is listed: a local folder, or an `s3://bucket/prefix` URI with an S3
 * lister (the CloudTrail lister of cloudtrail-file-index.ts fits). Paths are the lister's own.
 */
export interface CollectedFolderLister {
  join(dir: string, ...names: string[]): string;
  /** The files directly in `dir` whose name `keep` accepts; none when `dir` does not exist. */
  files(
    dir: string,
    keep: (name: string) => boolean,
  ): Promise<readonly { readonly name: string; readonly size: number; readonly mtimeMs: number }[]>;
}

/** The local folder lister: readdir and stat; a file replaced or removed meanwhile is left out. */
export const LOCAL_COLLECTED_LISTER: CollectedFolderLister = {
  join: (dir, ...names) => path.join(dir, ...names),
  files: async (dir, keep) => {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      throw error;
    }
    const out: { name: string; size: number; mtimeMs: number }[] = [];
    for (const name of names.filter(keep)) {
      const info = await stat(path.join(dir, name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      if (info?.isFile()) out.push({ name, size: info.size, mtimeMs: info.mtimeMs });
    }
    return out;
  },
};

/**
 * The collected files of each hour (keyed `2026-11-27T13`), listed, with size and mtime for
 * fingerprints. An hour with no file has no entry. Only `*.json` files count, so the
 * collector's temporary files never show. An `s3://` root needs an S3 `lister`.
 *
 * @example
 * ```ts
 * const byHour = await collectedFilesByHour('/data/raw/glue', GLUE_JOB_RUNS, [new Date('2026-11-27T13:00Z')]);
 * byHour.get('2026-11-27T13') // [{ path: '…/job-runs/dt=2026-11-27/hour=13/job-runs.json', size: 812, mtimeMs: … }]
 * ```
 */
export async function collectedFilesByHour(
  root: string,
  relation: CollectedRelation,
  hours: readonly Date[],
  lister: CollectedFolderLister = LOCAL_COLLECTED_LISTER,
): Promise<Map<string, SourceFile[]>> {
  if (root.startsWith('s3://') && lister === LOCAL_COLLECTED_LISTER)
    throw new Error(`${relation.relation}: listing ${root} needs an S3 lister`);
  const out = new Map<string, SourceFile[]>();
  for (const hour of hours) {
    const iso = hour.toISOString();
    const dir = lister.join(root, relation.folder, `dt=${iso.slice(0, 10)}`, `hour=${iso.slice(11, 13)}`);
    const listed = await lister.files(dir, (name) => JSON_FILE.test(name));
    const files = [...listed]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((f) => ({ path: lister.join(dir, f.name), size: f.size, mtimeMs: f.mtimeMs }));
    if (files.length > 0) out.set(iso.slice(0, 13), files);
  }
  return out;
}
