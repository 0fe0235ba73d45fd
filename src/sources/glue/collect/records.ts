import type { GlueJob, GlueJobRun } from './api.ts';
import { type GluePrices, priceFor } from './prices.ts';

/**
 * One line of `job-runs/dt=…/hour=…/job-runs.json`: one run attempt, placed by its StartedOn hour.
 * The keys and their order are the contract the glue_job_runs table reads.
 *
 * @example
 * ```ts
 * const row: GlueJobRunRecord = { job_name: 'orders', job_run_id: 'jr_1', attempt: 0, previous_run_id: null,
 *   trigger_name: null, job_run_state: 'SUCCEEDED', job_type: 'glueetl', started_on: '2026-11-01T02:00:00.000Z',
 *   completed_on: '2026-11-01T02:10:00.000Z', last_modified_on: '2026-11-01T02:10:00.000Z', execution_seconds: 590,
 *   worker_type: 'G.1X', number_of_workers: 10, max_capacity: 10, dpu_seconds: 5900, glue_version: '4.0',
 *   execution_class: 'STANDARD', timeout_minutes: 2880, error_message: null, estimated_cost_usd: 0.7211111111111111,
 *   region: 'us-east-1', account_id: '111122223333' };
 * ```
 */
export interface GlueJobRunRecord {
  job_name: string;
  job_run_id: string;
  attempt: number;
  previous_run_id: string | null;
  trigger_name: string | null;
  job_run_state: string;
  job_type: string | null;
  started_on: string;
  completed_on: string | null;
  last_modified_on: string | null;
  execution_seconds: number | null;
  worker_type: string | null;
  number_of_workers: number | null;
  max_capacity: number | null;
  dpu_seconds: number | null;
  glue_version: string | null;
  execution_class: string | null;
  timeout_minutes: number | null;
  error_message: string | null;
  estimated_cost_usd: number | null;
  region: string;
  account_id: string | null;
}

/**
 * One line of `job-metrics/dt=…/hour=…/job-metrics.json`: one datapoint, placed by metric_time's hour.
 *
 * @example
 * ```ts
 * const point: GlueJobMetricRecord = { job_name: 'orders', job_run_id: 'jr_1',
 *   metric_name: 'glue.driver.aggregate.bytesRead', metric_type: 'count', metric_time: '2026-11-01T02:01:00.000Z',
 *   value: 1048576, unit: 'Bytes', statistic: 'Sum', region: 'us-east-1', account_id: '111122223333' };
 * ```
 */
export interface GlueJobMetricRecord {
  job_name: string;
  job_run_id: string;
  metric_name: string;
  metric_type: string;
  metric_time: string;
  value: number;
  unit: string | null;
  statistic: string;
  region: string;
  account_id: string | null;
}

/** Where a record comes from: the Region, account and prices of the collection. */
export interface RecordContext {
  readonly prices: GluePrices;
  readonly region: string;
  readonly accountId: string | null;
}

const iso = (d: Date | undefined): string | null => (d ? d.toISOString() : null);
const num = (n: number | undefined): number | null =>
  typeof n === 'number' && Number.isFinite(n) ? n : null;
const str = (s: string | undefined): string | null => (typeof s === 'string' && s !== '' ? s : null);

/**
 * DPU-seconds of a run: `DPUSeconds` when Glue reports it (auto scaling, FLEX), else
 * ExecutionTime × MaxCapacity; null when neither is known.
 *
 * @example
 * ```ts
 * dpuSeconds({ ExecutionTime: 117, MaxCapacity: 10 }, null); // 1170
 * dpuSeconds({ ExecutionTime: 600, MaxCapacity: 10, DPUSeconds: 2400 }, null); // 2400
 * ```
 */
export function dpuSeconds(run: GlueJobRun, maxCapacity: number | null): number | null {
  const reported = num(run.DPUSeconds);
  if (reported !== null) return reported;
  const seconds = num(run.ExecutionTime);
  return seconds !== null && maxCapacity !== null ? seconds * maxCapacity : null;
}

/**
 * The record of one run; the job fills what the run leaves out (its type, and settings older runs
 * lack). Throws when the run has no Id, JobName or StartedOn, since it could not be placed.
 *
 * @example
 * ```ts
 * const row = jobRunRecord(run, job, { prices: DEFAULT_GLUE_PRICES, region: 'us-east-1', accountId: null });
 * row.estimated_cost_usd; // row.dpu_seconds / 3600 * 0.44 for a STANDARD run
 * ```
 */
export function jobRunRecord(
  run: GlueJobRun,
  job: GlueJob | undefined,
  ctx: RecordContext,
): GlueJobRunRecord {
  if (!run.Id) throw new Error('job run without Id');
  const jobName = run.JobName ?? job?.Name;
  if (!jobName) throw new Error(`job run ${run.Id} without JobName`);
  if (!run.StartedOn) throw new Error(`job run ${run.Id} of ${jobName} without StartedOn`);
  const maxCapacity = num(run.MaxCapacity) ?? num(job?.MaxCapacity);
  const dpu = dpuSeconds(run, maxCapacity);
  const executionClass = str(run.ExecutionClass) ?? str(job?.ExecutionClass);
  return {
    job_name: jobName,
    job_run_id: run.Id,
    attempt: num(run.Attempt) ?? 0,
    previous_run_id: str(run.PreviousRunId),
    trigger_name: str(run.TriggerName),
    job_run_state: run.JobRunState ?? 'UNKNOWN',
    job_type: str(job?.Command?.Name),
    started_on: run.StartedOn.toISOString(),
    completed_on: iso(run.CompletedOn),
    last_modified_on: iso(run.LastModifiedOn),
    execution_seconds: num(run.ExecutionTime),
    worker_type: str(run.WorkerType) ?? str(job?.WorkerType),
    number_of_workers: num(run.NumberOfWorkers) ?? num(job?.NumberOfWorkers),
    max_capacity: maxCapacity,
    dpu_seconds: dpu,
    glue_version: str(run.GlueVersion) ?? str(job?.GlueVersion),
    execution_class: executionClass,
    timeout_minutes: num(run.Timeout) ?? num(job?.Timeout),
    error_message: str(run.ErrorMessage),
    estimated_cost_usd: dpu === null ? null : (dpu / 3600) * priceFor(ctx.prices, ctx.region, executionClass),
    region: ctx.region,
    account_id: ctx.accountId,
  };
}

const STRING_KEYS = ['job_name', 'job_run_id', 'job_run_state', 'started_on', 'region'] as const;

/**
 * A run record read back from an hour file, re-keyed in contract order; null when a required key is
 * missing or mistyped (so a hand-edited line cannot break the merge).
 *
 * @example
 * ```ts
 * normalizeRunRecord(JSON.parse(line)); // GlueJobRunRecord | null
 * ```
 */
export function normalizeRunRecord(value: unknown): GlueJobRunRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  for (const key of STRING_KEYS) if (typeof v[key] !== 'string') return null;
  const s = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : null);
  const n = (k: string) => (typeof v[k] === 'number' ? (v[k] as number) : null);
  return {
    job_name: v.job_name as string,
    job_run_id: v.job_run_id as string,
    attempt: n('attempt') ?? 0,
    previous_run_id: s('previous_run_id'),
    trigger_name: s('trigger_name'),
    job_run_state: v.job_run_state as string,
    job_type: s('job_type'),
    started_on: v.started_on as string,
    completed_on: s('completed_on'),
    last_modified_on: s('last_modified_on'),
    execution_seconds: n('execution_seconds'),
    worker_type: s('worker_type'),
    number_of_workers: n('number_of_workers'),
    max_capacity: n('max_capacity'),
    dpu_seconds: n('dpu_seconds'),
    glue_version: s('glue_version'),
    execution_class: s('execution_class'),
    timeout_minutes: n('timeout_minutes'),
    error_message: s('error_message'),
    estimated_cost_usd: n('estimated_cost_usd'),
    region: v.region as string,
    account_id: s('account_id'),
  };
}

/**
 * A metric record read back from an hour file, re-keyed in contract order; null when malformed.
 *
 * @example
 * ```ts
 * normalizeMetricRecord(JSON.parse(line)); // GlueJobMetricRecord | null
 * ```
 */
export function normalizeMetricRecord(value: unknown): GlueJobMetricRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const keys = ['job_name', 'job_run_id', 'metric_name', 'metric_type', 'metric_time', 'statistic', 'region'];
  for (const key of keys) if (typeof v[key] !== 'string') return null;
  if (typeof v.value !== 'number') return null;
  return {
    job_name: v.job_name as string,
    job_run_id: v.job_run_id as string,
    metric_name: v.metric_name as string,
    metric_type: v.metric_type as string,
    metric_time: v.metric_time as string,
    value: v.value,
    unit: typeof v.unit === 'string' ? v.unit : null,
    statistic: v.statistic as string,
    region: v.region as string,
    account_id: typeof v.account_id === 'string' ? v.account_id : null,
  };
}
