import path from 'node:path';
import { rawColumnType, type CollectedRelation as SharedCollectedRelation } from '../collected-relation.ts';

/**
 * The collected Glue data: NDJSON files the Glue collector writes under a root folder (locally
 * `<dataDir>/raw/glue`, on AWS `s3://bucket/prefix/raw/glue/`), one file per UTC hour:
 * `job-runs/dt=YYYY-MM-DD/hour=HH/job-runs.json` (a line per run attempt started in the hour)
 * and `job-metrics/dt=…/hour=…/job-metrics.json` (a line per datapoint of the hour). A file is
 * replaced atomically, and only when its content changes, so its mtime signals a change.
 */

declare module '../../catalog/table-definition.ts' {
  /** The raw source names Glue's tables read: the collector's hour files of runs and of metrics. */
  interface RawSourceNames {
    'glue-job-runs': true;
    'glue-job-metrics': true;
  }
}

/** The raw sources the Glue tables read. */
export type GlueCollectedSource = 'glue-job-runs' | 'glue-job-metrics';

/** A collected Glue relation: job runs or metric datapoints. */
export type CollectedRelation = SharedCollectedRelation<GlueCollectedSource>;

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

export { rawColumnType };

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
