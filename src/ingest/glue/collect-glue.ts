import { floorHour, HOUR_MS } from '../hours.ts';
import type { GlueApi, GlueJob, GlueJobRun } from './glue-api.ts';
import {
  existingGlueHours,
  glueHourFile,
  mergeMetricHour,
  mergeRunHour,
  readHourFile,
} from './glue-hour-files.ts';
import { fetchRunMetrics, type MetricRun } from './glue-metric-data.ts';
import type { GluePrices } from './glue-prices.ts';
import {
  type GlueJobMetricRecord,
  type GlueJobRunRecord,
  jobRunRecord,
  normalizeRunRecord,
} from './glue-records.ts';
import { isTerminalRunState, replacesRun } from './glue-run-state.ts';

/**
 * The Glue collector: reads job runs (GetJobs, GetJobRuns) and their CloudWatch metrics
 * (GetMetricData) for a window and merges them into the hour files of glue-hour-files.ts.
 *
 * Incremental: GetJobRuns returns runs newest first, so paging stops after the first page that ends
 * with a run started before `from` − the paging bound. The bound is the longest a run can still be
 * running: its Timeout (Glue stops a run after it; at most 7 days). It is the largest Timeout of all
 * jobs, and never less than Glue's default of 2,880 minutes (48 h), so a run started with a longer
 * Timeout override than its job's is still found; a streaming job without Timeout counts 7 days.
 * Kept runs: started in [from, to), completed in [from, to), still running (recorded as such and
 * replaced when a later collection sees them finish), or recorded as running by an earlier collection.
 */

/** Glue's default job Timeout (Glue 4.0 and earlier), the least paging bound. */
export const DEFAULT_RUN_BOUND_MINUTES = 2880;
/** Glue stops any run after 7 days. */
export const MAX_RUN_MINUTES = 10_080;

/** Job types whose runs publish the Spark job metrics of GLUE_JOB_METRICS. */
const SPARK_JOB_TYPES: ReadonlySet<string | null> = new Set(['glueetl', 'gluestreaming', null]);

/**
 * What collectGlue needs.
 *
 * @example
 * ```ts
 * const options: CollectGlueOptions = { api, root: '/d/raw/glue', from, to, prices: DEFAULT_GLUE_PRICES,
 *   region: 'us-east-1', accountId: '111122223333', now: new Date() };
 * ```
 */
export interface CollectGlueOptions {
  readonly api: GlueApi;
  /** The folder of the collected hour files (locally `<dataDir>/raw/glue`). */
  readonly root: string;
  /** Window start (inclusive). */
  readonly from: Date;
  /** Window end (exclusive). */
  readonly to: Date;
  readonly prices: GluePrices;
  readonly region: string;
  readonly accountId?: string | null | undefined;
  /** The end of the metric range of runs still running. */
  readonly now: Date;
  readonly signal?: AbortSignal | undefined;
  /** Overrides the paging bound (minutes before `from`), see the module comment. */
  readonly maxRunMinutes?: number | undefined;
}

/**
 * What a collection did.
 *
 * @example
 * ```ts
 * // { runs: 12, metricPoints: 3400, touchedHours: ['2026-11-01T12:00:00.000Z'], files: [...], warnings: [] }
 * ```
 */
export interface CollectGlueResult {
  /** Run attempts collected. */
  readonly runs: number;
  /** Metric datapoints collected. */
  readonly metricPoints: number;
  /** Hour starts (ISO) whose files changed, sorted; may precede `from`. */
  readonly touchedHours: string[];
  /** The files written (changed), sorted. */
  readonly files: string[];
  readonly warnings: string[];
}

/**
 * The paging bound of a job: its Timeout, or Glue's default; 7 days for a streaming job without one.
 *
 * @example
 * ```ts
 * jobRunBoundMinutes({ Timeout: 30 }); // 30
 * jobRunBoundMinutes({ Command: { Name: 'gluestreaming' } }); // 10080
 * ```
 */
export function jobRunBoundMinutes(job: GlueJob): number {
  const timeout = job.Timeout;
  if (typeof timeout === 'number' && timeout > 0) return Math.min(timeout, MAX_RUN_MINUTES);
  return job.Command?.Name === 'gluestreaming' ? MAX_RUN_MINUTES : DEFAULT_RUN_BOUND_MINUTES;
}

async function listJobs(api: GlueApi, signal: AbortSignal | undefined): Promise<GlueJob[]> {
  const jobs = new Map<string, GlueJob>();
  let token: string | undefined;
  do {
    signal?.throwIfAborted();
    const page = await api.getJobs(token);
    for (const job of page.Jobs ?? []) if (job.Name) jobs.set(job.Name, job);
    token = page.NextToken || undefined;
  } while (token);
  return [...jobs.values()].sort((a, b) => ((a.Name ?? '') < (b.Name ?? '') ? -1 : 1));
}

/** Ids of runs earlier collections recorded in a non-terminal state, in run files of [from, to). */
async function unfinishedRunIds(
  root: string,
  from: number,
  to: number,
  warnings: string[],
): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const hour of await existingGlueHours(root, 'job-runs', from, to)) {
    const file = glueHourFile(root, 'job-runs', new Date(hour));
    for (const record of await readHourFile(file, normalizeRunRecord, warnings)) {
      if (!isTerminalRunState(record.job_run_state)) ids.add(record.job_run_id);
    }
  }
  return ids;
}

const ms = (d: Date | undefined) => (d ? d.getTime() : undefined);

/**
 * Collects Glue job runs and their metrics for [from, to) into the hour files under `root`.
 *
 * @example
 * ```ts
 * const api = await openCapturedGlueApi('./captured-glue');
 * const result = await collectGlue({ api, root: './lakeq-data/raw/glue', from: new Date('2026-11-01T12:00Z'),
 *   to: new Date('2026-11-01T13:00Z'), prices: DEFAULT_GLUE_PRICES, region: 'us-east-1', accountId: null,
 *   now: new Date('2026-11-01T13:05Z') });
 * result.touchedHours; // ['2026-11-01T11:00:00.000Z', '2026-11-01T12:00:00.000Z']
 * ```
 */
export async function collectGlue(options: CollectGlueOptions): Promise<CollectGlueResult> {
  const { api, root, prices, region, signal } = options;
  const accountId = options.accountId ?? null;
  const from = options.from.getTime();
  const to = options.to.getTime();
  if (!Number.isFinite(from) || !Number.isFinite(to))
    throw new RangeError('collectGlue: from and to must be valid dates');
  if (to <= from) {
    throw new RangeError(
      `collectGlue: empty window ${options.from.toISOString()} to ${options.to.toISOString()}`,
    );
  }
  const warnings: string[] = [...(api.warnings ?? [])];

  const jobs = await listJobs(api, signal);
  const boundMinutes =
    options.maxRunMinutes ?? Math.max(DEFAULT_RUN_BOUND_MINUTES, ...jobs.map(jobRunBoundMinutes));
  const horizon = from - boundMinutes * 60_000;
  const unfinished = await unfinishedRunIds(root, Math.floor(horizon / HOUR_MS) * HOUR_MS, to, warnings);

  const keep = (run: GlueJobRun): boolean => {
    const started = ms(run.StartedOn);
    if (started === undefined || started >= to) return false;
    if (started >= from) return true;
    const ended =
      ms(run.CompletedOn) ?? (isTerminalRunState(run.JobRunState) ? ms(run.LastModifiedOn) : undefined);
    if (ended !== undefined && ended >= from && ended < to) return true;
    return !isTerminalRunState(run.JobRunState) || (run.Id !== undefined && unfinished.has(run.Id));
  };

  const kept = new Map<string, { run: GlueJobRun; job: GlueJob }>();
  for (const job of jobs) {
    const name = job.Name as string;
    let token: string | undefined;
    do {
      signal?.throwIfAborted();
      const page = await api.getJobRuns(name, token);
      const runs = page.JobRuns ?? [];
      for (const run of runs) {
        if (!run.Id) {
          warnings.push(`GetJobRuns ${name}: a run without Id, skipped`);
          continue;
        }
        if (!run.StartedOn) {
          warnings.push(`GetJobRuns ${name}: run ${run.Id} has no StartedOn, skipped`);
          continue;
        }
        if (!keep(run)) continue;
        const old = kept.get(run.Id);
        const version = (r: GlueJobRun) => ({
          state: r.JobRunState,
          lastModified: ms(r.LastModifiedOn) ?? null,
        });
        if (!old || replacesRun(version(run), version(old.run))) kept.set(run.Id, { run, job });
      }
      const last = runs.at(-1)?.StartedOn;
      if (last && last.getTime() < horizon) break;
      token = page.NextToken || undefined;
    } while (token);
  }

  const runsByHour = new Map<number, GlueJobRunRecord[]>();
  const metricRuns: MetricRun[] = [];
  let runCount = 0;
  for (const { run, job } of kept.values()) {
    let record: GlueJobRunRecord;
    try {
      record = jobRunRecord(run, job, { prices, region, accountId });
    } catch (error) {
      warnings.push(`GetJobRuns ${job.Name}: ${(error as Error).message}, skipped`);
      continue;
    }
    runCount++;
    const hour = floorHour(new Date(record.started_on)).getTime();
    const list = runsByHour.get(hour);
    if (list) list.push(record);
    else runsByHour.set(hour, [record]);
    if (SPARK_JOB_TYPES.has(record.job_type)) {
      const terminal = isTerminalRunState(record.job_run_state);
      const end = record.completed_on ?? (terminal ? record.last_modified_on : null);
      metricRuns.push({
        jobName: record.job_name,
        runId: record.job_run_id,
        start: new Date(record.started_on),
        end: end ? new Date(end) : options.now,
      });
    }
  }

  const touched = new Set<number>();
  const files: string[] = [];
  for (const [hour, records] of runsByHour) {
    const file = glueHourFile(root, 'job-runs', new Date(hour));
    if (await mergeRunHour(file, records, warnings)) {
      touched.add(hour);
      files.push(file);
    }
  }

  const metrics = await fetchRunMetrics(api, metricRuns, { region, accountId, signal });
  warnings.push(...metrics.warnings);
  const pointsByHour = new Map<number, GlueJobMetricRecord[]>();
  for (const point of metrics.records) {
    const hour = floorHour(new Date(point.metric_time)).getTime();
    const list = pointsByHour.get(hour);
    if (list) list.push(point);
    else pointsByHour.set(hour, [point]);
  }
  for (const [hour, records] of pointsByHour) {
    const file = glueHourFile(root, 'job-metrics', new Date(hour));
    if (await mergeMetricHour(file, records, warnings)) {
      touched.add(hour);
      files.push(file);
    }
  }

  return {
    runs: runCount,
    metricPoints: metrics.records.length,
    touchedHours: [...touched].sort((a, b) => a - b).map((h) => new Date(h).toISOString()),
    files: files.sort(),
    warnings,
  };
}
