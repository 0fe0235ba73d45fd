import { floorHour } from '../../ingest/hours.ts';
import { storeAt } from '../../storage/local-folder-store.ts';
import { mapLimited } from '../../storage/map-limited.ts';
import { type ObjectStore, objectLocation } from '../../storage/object-store.ts';
import type { CollectResult } from '../source-definition.ts';
import type { GlueApi, GlueJob, GlueJobRun } from './collect/api.ts';
import {
  existingGlueHours,
  type GlueCollectedTable,
  glueHourKey,
  mergeMetricHour,
  mergeRunHour,
  readHourFile,
} from './collect/hour-files.ts';
import { fetchRunMetrics, type MetricRun } from './collect/metric-data.ts';
import type { GluePrices } from './collect/prices.ts';
import {
  type GlueJobMetricRecord,
  type GlueJobRunRecord,
  jobRunRecord,
  normalizeRunRecord,
} from './collect/records.ts';
import { isTerminalRunState, replacesRun, runVersion } from './collect/run-state.ts';

/**
 * The Glue collector: reads job runs (GetJobs, GetJobRuns) and their CloudWatch metrics
 * (GetMetricData) for a window and merges them into the hour files of collect/hour-files.ts, through
 * an ObjectStore: a local folder, or an S3 prefix when it runs on AWS Lambda.
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

/** Hour files read or merged at once (each a GetObject, and a PutObject when it changed, on S3). */
const FILE_CONCURRENCY = 8;

/** Job types whose runs publish the Spark job metrics of GLUE_JOB_METRICS. */
const SPARK_JOB_TYPES: ReadonlySet<string | null> = new Set(['glueetl', 'gluestreaming', null]);

/**
 * What collectGlue needs.
 *
 * @example
 * ```ts
 * const options: CollectGlueOptions = { api, root: '/d/raw/glue', from, to, prices: DEFAULT_GLUE_PRICES,
 *   region: 'us-east-1', accountId: '111122223333', now: new Date() };
 * // on Lambda: root: s3ObjectStore({ root: 's3://lake/lakeq/raw/glue/', client: () => s3 })
 * ```
 */
export interface CollectGlueOptions {
  readonly api: GlueApi;
  /**
   * Where the collected hour files go: a local folder (locally `<dataDir>/raw/glue`), or any
   * ObjectStore, e.g. an S3 prefix (`s3://bucket/prefix/raw/glue/`). Keys are relative to it:
   * `job-runs/dt=YYYY-MM-DD/hour=HH/job-runs.json`, `job-metrics/dt=…/hour=…/job-metrics.json`.
   */
  readonly root: string | ObjectStore;
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
 * // { runs: 12, metricPoints: 3400, touchedHours: ['2026-11-01T12:00:00.000Z'],
 * //   files: ['s3://lake/lakeq/raw/glue/job-runs/dt=2026-11-01/hour=12/job-runs.json'], warnings: [] }
 * ```
 */
export interface CollectGlueResult {
  /** Run attempts collected. */
  readonly runs: number;
  /** Metric datapoints collected. */
  readonly metricPoints: number;
  /** Hour starts (ISO) whose files changed, sorted; may precede `from`. */
  readonly touchedHours: string[];
  /**
   * Where the files written (changed) are, sorted: absolute paths for a folder root
   * (`/d/raw/glue/job-runs/dt=…/hour=…/job-runs.json`), `s3://bucket/prefix/job-runs/…` for an S3
   * store (see objectLocation). Empty when nothing changed.
   */
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

/**
 * Ids of runs earlier collections recorded in a non-terminal state, in run files of [from, to),
 * and the text of each file read (by key), so merging does not read it again.
 */
async function unfinishedRunIds(
  store: ObjectStore,
  from: number,
  to: number,
  warnings: string[],
): Promise<{ ids: Set<string>; texts: Map<string, string | undefined> }> {
  const hours = await existingGlueHours(store, 'job-runs', from, to);
  // Each file's warnings apart, so they come out in hour order however the reads interleave.
  const read = await mapLimited(hours, FILE_CONCURRENCY, async (hour) => {
    const own: string[] = [];
    const key = glueHourKey('job-runs', new Date(hour));
    const { records, text } = await readHourFile(store, key, normalizeRunRecord, own);
    return { key, records, text, own };
  });
  const ids = new Set<string>();
  const texts = new Map<string, string | undefined>();
  for (const { key, records, text, own } of read) {
    warnings.push(...own);
    texts.set(key, text);
    for (const record of records) if (!isTerminalRunState(record.job_run_state)) ids.add(record.job_run_id);
  }
  return { ids, texts };
}

/** Merges each hour's records into its file; answers the hours whose file changed, with its key. */
async function mergeHours<R>(
  table: GlueCollectedTable,
  byHour: ReadonlyMap<number, R[]>,
  merge: (key: string, records: readonly R[], warnings: string[]) => Promise<boolean>,
  warnings: string[],
): Promise<{ hour: number; key: string }[]> {
  const hours = [...byHour.keys()].sort((a, b) => a - b);
  const merged = await mapLimited(hours, FILE_CONCURRENCY, async (hour) => {
    const own: string[] = [];
    const key = glueHourKey(table, new Date(hour));
    const changed = await merge(key, byHour.get(hour) ?? [], own);
    return { hour, key, changed, own };
  });
  for (const m of merged) warnings.push(...m.own);
  return merged.filter((m) => m.changed).map(({ hour, key }) => ({ hour, key }));
}

const ms = (d: Date | undefined) => (d ? d.getTime() : undefined);

/**
 * Collects Glue job runs and their metrics for [from, to) into the hour files under `root` (a
 * folder or an ObjectStore); a file is written only when its bytes change.
 *
 * @example
 * ```ts
 * const api = await openCapturedGlueApi('./captured-glue');
 * const result = await collectGlue({ api, root: './lakeq-data/raw/glue', from: new Date('2026-11-01T12:00Z'),
 *   to: new Date('2026-11-01T13:00Z'), prices: DEFAULT_GLUE_PRICES, region: 'us-east-1', accountId: null,
 *   now: new Date('2026-11-01T13:05Z') });
 * result.touchedHours; // ['2026-11-01T11:00:00.000Z', '2026-11-01T12:00:00.000Z']
 * // The same into S3 (on Lambda): root: s3ObjectStore({ root: 's3://lake/lakeq/raw/glue/', client: () => s3 })
 * ```
 */
export async function collectGlue(options: CollectGlueOptions): Promise<CollectGlueResult> {
  const { api, prices, region, signal } = options;
  const store = storeAt(options.root);
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
  const accountId = options.accountId ?? accountOfJobs(jobs);
  const boundMinutes =
    options.maxRunMinutes ?? Math.max(DEFAULT_RUN_BOUND_MINUTES, ...jobs.map(jobRunBoundMinutes));
  const horizon = from - boundMinutes * 60_000;
  const read = await unfinishedRunIds(store, floorHour(new Date(horizon)).getTime(), to, warnings);
  const unfinished = read.ids;

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
        if (!old || replacesRun(runVersion(run), runVersion(old.run))) kept.set(run.Id, { run, job });
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
      const end = record.completed_on
        ? new Date(record.completed_on)
        : terminal && record.last_modified_on
          ? new Date(record.last_modified_on)
          : options.now;
      // Only the window's datapoints: earlier ones were collected by the runs of the earlier
      // hours (the scheduler catches up missed hours), so a week-long streaming run costs an
      // hour of metrics per hourly run, not its whole history.
      const start = new Date(Math.max(Date.parse(record.started_on), options.from.getTime()));
      if (end > start) metricRuns.push({ jobName: record.job_name, runId: record.job_run_id, start, end });
    }
  }

  const changed = await mergeHours(
    'job-runs',
    runsByHour,
    (key, records, own) => mergeRunHour(store, key, records, own, read.texts.get(key)),
    warnings,
  );

  const metrics = await fetchRunMetrics(api, metricRuns, { region, accountId, signal });
  warnings.push(...metrics.warnings);
  const pointsByHour = new Map<number, GlueJobMetricRecord[]>();
  for (const point of metrics.records) {
    const hour = floorHour(new Date(point.metric_time)).getTime();
    const list = pointsByHour.get(hour);
    if (list) list.push(point);
    else pointsByHour.set(hour, [point]);
  }
  changed.push(
    ...(await mergeHours(
      'job-metrics',
      pointsByHour,
      (key, records, own) => mergeMetricHour(store, key, records, own),
      warnings,
    )),
  );

  const touched = new Set(changed.map((c) => c.hour));
  return {
    runs: runCount,
    metricPoints: metrics.records.length,
    touchedHours: [...touched].sort((a, b) => a - b).map((h) => new Date(h).toISOString()),
    files: changed.map((c) => objectLocation(store, c.key)).sort(),
    warnings,
  };
}

/**
 * The account of a GetJobs answer, from its jobs' IAM role ARNs (`arn:aws:iam::<account>:role/…`):
 * captured responses do not say which account they came from, but the roles do. Null unless
 * every job that names a role names the same account.
 */
function accountOfJobs(jobs: readonly GlueJob[]): string | null {
  const accounts = new Set<string>();
  for (const job of jobs) {
    const account = /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(job.Role ?? '')?.[1];
    if (account) accounts.add(account);
  }
  return accounts.size === 1 ? ([...accounts][0] as string) : null;
}

/** Warnings the collect task's answer carries at most (the first ones). */
const MAX_WARNINGS = 20;

/**
 * Collects, and answers as the collect task reports the Glue source: runs, metric datapoints,
 * files written and the first warnings (malformed captured files, runs without a start time).
 *
 * @example
 * ```ts
 * await collectGlueResult({ api, root, from, to, prices, region: 'eu-west-1', now })
 * // { collected: true, touchedHours: ['2026-11-27T13:00:00.000Z'], summary: { runs: 14, metricPoints: 2310, files: 4, warnings: [] } }
 * ```
 */
export async function collectGlueResult(options: CollectGlueOptions): Promise<CollectResult> {
  const result = await collectGlue(options);
  return {
    collected: true,
    touchedHours: result.touchedHours,
    summary: {
      runs: result.runs,
      metricPoints: result.metricPoints,
      files: result.files.length,
      warnings: result.warnings.slice(0, MAX_WARNINGS),
    },
  };
}
