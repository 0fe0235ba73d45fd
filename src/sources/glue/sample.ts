/**
 * `lakeq sample glue`: writes a realistic, deterministic folder of captured AWS Glue and CloudWatch
 * API responses, the layout the captured-folder source reads (src/sources/glue/collect/captured-api.ts):
 *
 * - `jobs/get-jobs-1.json`, `jobs/get-jobs-2.json`: GetJobs pages (times as epoch seconds, as AWS CLI v1
 *   and the fixture print them);
 * - `job-runs/<job>/page-0001.json`…: GetJobRuns pages, newest run first, 25 runs a page, the state of
 *   every run as of `to` (times as ISO strings, as AWS CLI v2 prints them); runs still running at `to`
 *   are RUNNING without CompletedOn;
 * - `job-runs/snapshots/<day>.json`: earlier captures of some runs, still RUNNING, so that the same run
 *   appears in two files with an older and a newer state;
 * - `metrics/<job>-<day>.json`: `{ MetricDataQueries, MetricDataResults }` with the Spark metrics of
 *   the glueetl and gluestreaming runs (Python shell and Ray jobs publish none of them), by day.
 *
 * The jobs (sample/jobs.ts): Spark G.1X/G.2X, one with auto scaling (DPUSeconds), one FLEX, Ray on
 * Z.2X, Python shell at 0.0625 and 1 DPU, a streaming job RUNNING through the window; hourly, 6-hourly
 * and daily schedules over [from, to); failures with real-looking error messages, TIMEOUT, STOPPED,
 * ERROR, retries (Attempt 1 with PreviousRunId), and a slow hourly run still RUNNING at `to`.
 * Deterministic: the output is a pure function of the options (no wall clock).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Random } from '../sample-random.ts';
import type { SampleWriter } from '../source-definition.ts';
import {
  jobMaxCapacity,
  runEnd,
  SAMPLE_GLUE_JOBS,
  type SampleJobSpec,
  type SampleRun,
  simulateJobRuns,
} from './sample/jobs.ts';

/**
 * Options of writeGlueSample.
 *
 * @example
 * ```ts
 * const options: GlueSampleOptions = { out: './glue-sample', from: new Date('2026-11-01'), to: new Date('2026-11-08'), seed: 7 };
 * ```
 */
export interface GlueSampleOptions {
  /** Output folder. */
  readonly out: string;
  /** Window start (inclusive), rounded down to the UTC hour. */
  readonly from: Date;
  /** Window end (exclusive), rounded up to the UTC hour: the moment the API is "captured". */
  readonly to: Date;
  /** Seed (default 1). */
  readonly seed?: number | undefined;
  /** Default 111122223333. */
  readonly accountId?: string | undefined;
  /** Default us-east-1. */
  readonly region?: string | undefined;
}

/**
 * What writeGlueSample wrote.
 *
 * @example
 * ```ts
 * // { jobs: 8, runs: 412, files: 40, metricPoints: 31000, from: '2026-11-01T00:00:00.000Z', to: '2026-11-08T00:00:00.000Z' }
 * ```
 */
export interface GlueSampleSummary {
  readonly jobs: number;
  /** Run attempts, each counted once. */
  readonly runs: number;
  readonly files: number;
  readonly metricPoints: number;
  readonly from: string;
  readonly to: string;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
const RUNS_PER_PAGE = 25;

/** AWS CLI v2's timestamp form: `2026-11-01T02:00:03.123000+00:00`. */
const cliTime = (ms: number) => new Date(ms).toISOString().replace('Z', '000+00:00');
const epochSeconds = (ms: number) => ms / 1000;
const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(value, null, 4)}\n`);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

function jobDefinition(job: SampleJobSpec, accountId: string, region: string, from: number) {
  const created = Math.floor(from / HOUR) * HOUR - 90 * 24 * HOUR + job.name.length * 61_000;
  const script = `s3://aws-glue-assets-${accountId}-${region}/scripts/${job.name}.py`;
  const command =
    job.type === 'glueray'
      ? { Name: 'glueray', ScriptLocation: script, PythonVersion: '3.9', Runtime: 'Ray2.4' }
      : { Name: job.type, ScriptLocation: script, PythonVersion: job.type === 'pythonshell' ? '3.9' : '3' };
  return {
    Name: job.name,
    JobMode: 'SCRIPT',
    Description: job.description,
    Role: `arn:aws:iam::${accountId}:role/service-role/AWSGlueServiceRole-lakeq`,
    CreatedOn: epochSeconds(created),
    LastModifiedOn: epochSeconds(created + 14 * 24 * HOUR),
    ExecutionProperty: { MaxConcurrentRuns: job.type === 'gluestreaming' ? 1 : 2 },
    Command: command,
    DefaultArguments: {
      '--enable-metrics': 'true',
      '--enable-continuous-cloudwatch-log': 'true',
      '--job-language': 'python',
      ...(job.autoScaling ? { '--enable-auto-scaling': 'true' } : {}),
    },
    MaxRetries: job.maxRetries,
    AllocatedCapacity: Math.max(1, Math.floor(jobMaxCapacity(job))),
    ...(job.timeout !== undefined ? { Timeout: job.timeout } : {}),
    MaxCapacity: jobMaxCapacity(job),
    ...(job.workerType ? { WorkerType: job.workerType, NumberOfWorkers: job.workers } : {}),
    GlueVersion: job.glueVersion,
    ...(job.executionClass ? { ExecutionClass: job.executionClass } : {}),
  };
}

/** The run as GetJobRuns shows it at `at`: finished, or still STARTING/RUNNING. */
function runAt(run: SampleRun, at: number) {
  const { job } = run;
  const end = runEnd(run);
  const executing = run.started + run.startup * 1000;
  const finished = end <= at;
  const state = finished ? run.outcome : executing <= at ? 'RUNNING' : 'STARTING';
  const capacity = jobMaxCapacity(job);
  const reportsDpuSeconds = finished && (job.autoScaling || job.executionClass === 'FLEX');
  return {
    Id: run.id,
    Attempt: run.attempt,
    ...(run.previousRunId ? { PreviousRunId: run.previousRunId } : {}),
    ...(run.triggerName ? { TriggerName: run.triggerName } : {}),
    JobName: job.name,
    JobMode: 'SCRIPT',
    StartedOn: cliTime(run.started),
    LastModifiedOn: cliTime(finished ? end : state === 'RUNNING' ? executing : run.started),
    ...(finished ? { CompletedOn: cliTime(end) } : {}),
    JobRunState: state,
    Arguments: { '--enable-metrics': 'true' },
    ...(finished && run.errorMessage ? { ErrorMessage: run.errorMessage } : {}),
    PredecessorRuns: [],
    AllocatedCapacity: Math.max(1, Math.floor(capacity)),
    ExecutionTime: finished ? run.execution : 0,
    ...(job.timeout !== undefined ? { Timeout: job.timeout } : {}),
    MaxCapacity: capacity,
    ...(job.workerType ? { WorkerType: job.workerType, NumberOfWorkers: job.workers } : {}),
    LogGroupName: '/aws-glue/jobs',
    GlueVersion: job.glueVersion,
    ...(reportsDpuSeconds ? { DPUSeconds: round(run.execution * capacity * run.utilization, 2) } : {}),
    ...(job.executionClass ? { ExecutionClass: job.executionClass } : {}),
  };
}

const SPARK_METRICS = [
  { name: 'glue.driver.aggregate.bytesRead', type: 'count', stat: 'Sum' },
  { name: 'glue.driver.aggregate.recordsRead', type: 'count', stat: 'Sum' },
  { name: 'glue.driver.aggregate.elapsedTime', type: 'count', stat: 'Sum' },
  { name: 'glue.driver.aggregate.numCompletedTasks', type: 'count', stat: 'Sum' },
  { name: 'glue.driver.aggregate.numFailedTasks', type: 'count', stat: 'Sum' },
  { name: 'glue.driver.jvm.heap.usage', type: 'gauge', stat: 'Average' },
  { name: 'glue.ALL.system.cpuSystemLoad', type: 'gauge', stat: 'Average' },
  {
    name: 'glue.driver.ExecutorAllocationManager.executors.numberAllExecutors',
    type: 'gauge',
    stat: 'Average',
  },
  { name: 'glue.ALL.s3.filesystem.write_bytes', type: 'gauge', stat: 'Sum' },
] as const;

type SparkMetricName = (typeof SPARK_METRICS)[number]['name'];

/** Per-minute datapoints of a Spark run while it executes (every 10 minutes for streaming), up to `at`. */
function runMetricPoints(run: SampleRun, seed: number, at: number): Map<SparkMetricName, [number, number][]> {
  const { job } = run;
  const rng = new Random(seed, 'glue-metrics', run.id);
  const step = job.type === 'gluestreaming' ? 10 * MINUTE : MINUTE;
  const first = Math.ceil((run.started + run.startup * 1000) / step) * step;
  const last = Math.min(runEnd(run), at);
  const workers = job.workers ?? 2;
  const points = new Map<SparkMetricName, [number, number][]>(SPARK_METRICS.map((m) => [m.name, []]));
  const push = (name: SparkMetricName, t: number, v: number) => points.get(name)?.push([t, v]);
  const failing = run.outcome === 'FAILED' || run.outcome === 'TIMEOUT';
  const recordSize = rng.int(400, 1600);
  const perStep = (job.bytesPerMinute ?? 1e8) * (step / MINUTE) * (job.executionClass === 'FLEX' ? 0.8 : 1);
  for (let t = first; t < last; t += step) {
    const progress = (t - first) / Math.max(step, last - first);
    const executors = job.autoScaling
      ? Math.max(1, Math.round((workers - 1) * Math.min(1, run.utilization * rng.float(0.6, 1.4))))
      : workers - 1;
    const bytes = Math.round(perStep * rng.float(0.6, 1.4) * (executors / Math.max(1, workers - 1)));
    push('glue.driver.aggregate.bytesRead', t, bytes);
    push('glue.driver.aggregate.recordsRead', t, Math.round(bytes / recordSize));
    push('glue.driver.aggregate.elapsedTime', t, rng.int(54_000, 60_000) * (step / MINUTE));
    push('glue.driver.aggregate.numCompletedTasks', t, rng.int(20, 60) * executors);
    push('glue.driver.aggregate.numFailedTasks', t, failing && progress > 0.8 ? rng.int(1, 4) : 0);
    const heap = failing ? 0.45 + 0.5 * progress : rng.float(0.25, 0.6);
    push('glue.driver.jvm.heap.usage', t, round(Math.min(0.99, heap), 4));
    push('glue.ALL.system.cpuSystemLoad', t, round(rng.float(0.35, 0.92), 4));
    push('glue.driver.ExecutorAllocationManager.executors.numberAllExecutors', t, executors);
    push('glue.ALL.s3.filesystem.write_bytes', t, Math.round(bytes * rng.float(0.25, 0.45)));
  }
  return points;
}

/**
 * Writes the sample folder and returns what was written.
 *
 * @example
 * ```ts
 * await writeGlueSample({ out: './glue-sample', from: new Date('2026-11-01'), to: new Date('2026-11-03'), seed: 7 });
 * const api = await openCapturedGlueApi('./glue-sample');
 * ```
 */
export async function writeGlueSample(options: GlueSampleOptions): Promise<GlueSampleSummary> {
  const from = Math.floor(options.from.getTime() / HOUR) * HOUR;
  const to = Math.ceil(options.to.getTime() / HOUR) * HOUR;
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new RangeError('from and to must be valid dates');
  if (to <= from) {
    throw new RangeError(`empty window: from ${options.from.toISOString()} to ${options.to.toISOString()}`);
  }
  const seed = options.seed ?? 1;
  const accountId = options.accountId ?? '111122223333';
  if (!/^\d{12}$/.test(accountId)) throw new RangeError(`accountId must be 12 digits: ${accountId}`);
  const region = options.region ?? 'us-east-1';
  const out = options.out;
  let files = 0;
  let runCount = 0;
  let metricPoints = 0;

  const definitions = SAMPLE_GLUE_JOBS.map((job) => jobDefinition(job, accountId, region, from));
  const half = Math.ceil(definitions.length / 2);
  await writeJson(path.join(out, 'jobs', 'get-jobs-1.json'), {
    Jobs: definitions.slice(0, half),
    NextToken: new Random(seed, 'glue-jobs-token').alnum(48),
  });
  await writeJson(path.join(out, 'jobs', 'get-jobs-2.json'), { Jobs: definitions.slice(half) });
  files += 2;

  const snapshots = new Map<string, ReturnType<typeof runAt>[]>();
  for (const job of SAMPLE_GLUE_JOBS) {
    const runs = simulateJobRuns(job, { seed, from, to, accountId });
    runCount += runs.length;
    const newestFirst = [...runs].sort((a, b) => b.started - a.started);
    const tokens = new Random(seed, 'glue-runs-token', job.name);
    const pages = Math.max(1, Math.ceil(newestFirst.length / RUNS_PER_PAGE));
    for (let p = 0; p < pages; p++) {
      const slice = newestFirst.slice(p * RUNS_PER_PAGE, (p + 1) * RUNS_PER_PAGE);
      const file = path.join(out, 'job-runs', job.name, `page-${String(p + 1).padStart(4, '0')}.json`);
      await writeJson(file, {
        JobRuns: slice.map((run) => runAt(run, to)),
        ...(p < pages - 1 ? { NextToken: tokens.alnum(64) } : {}),
      });
      files++;
    }

    for (const run of runs) {
      const rng = new Random(seed, 'glue-snapshot', run.id);
      const executing = run.started + run.startup * 1000;
      // An earlier capture while the run was executing: finished runs only (a failed one always).
      if (runEnd(run) <= to && executing < runEnd(run) && (run.outcome === 'FAILED' || rng.chance(0.15))) {
        const day = new Date(run.started).toISOString().slice(0, 10);
        const list = snapshots.get(day) ?? [];
        list.push(runAt(run, executing));
        snapshots.set(day, list);
      }
    }

    if (job.type !== 'glueetl' && job.type !== 'gluestreaming') continue;
    const byDay = new Map<string, { queries: unknown[]; results: unknown[] }>();
    let q = 0;
    for (const run of runs) {
      for (const [name, points] of runMetricPoints(run, seed, to)) {
        const metric = SPARK_METRICS.find((m) => m.name === name);
        if (!metric) continue;
        const days = new Map<string, [number, number][]>();
        for (const point of points) {
          const day = new Date(point[0]).toISOString().slice(0, 10);
          const list = days.get(day) ?? [];
          list.push(point);
          days.set(day, list);
        }
        for (const [day, list] of days) {
          const id = `q${q++}`;
          const file = byDay.get(day) ?? { queries: [], results: [] };
          file.queries.push({
            Id: id,
            MetricStat: {
              Metric: {
                Namespace: 'Glue',
                MetricName: name,
                Dimensions: [
                  { Name: 'JobName', Value: job.name },
                  { Name: 'JobRunId', Value: run.id },
                  { Name: 'Type', Value: metric.type },
                ],
              },
              Period: 60,
              Stat: metric.stat,
            },
            ReturnData: true,
          });
          // CloudWatch's default order: newest first.
          const ordered = [...list].sort((a, b) => b[0] - a[0]);
          file.results.push({
            Id: id,
            Label: name,
            Timestamps: ordered.map(([t]) => cliTime(t)),
            Values: ordered.map(([, v]) => v),
            StatusCode: 'Complete',
          });
          metricPoints += list.length;
          byDay.set(day, file);
        }
      }
    }
    for (const [day, content] of [...byDay].sort(([a], [b]) => (a < b ? -1 : 1))) {
      await writeJson(path.join(out, 'metrics', `${job.name}-${day}.json`), {
        MetricDataQueries: content.queries,
        MetricDataResults: content.results,
        Messages: [],
      });
      files++;
    }
  }

  for (const [day, runs] of [...snapshots].sort(([a], [b]) => (a < b ? -1 : 1))) {
    await writeJson(path.join(out, 'job-runs', 'snapshots', `${day}.json`), { JobRuns: runs });
    files++;
  }

  return {
    jobs: SAMPLE_GLUE_JOBS.length,
    runs: runCount,
    files,
    metricPoints,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
  };
}

/**
 * Glue's sample for `lakeq sample glue` and for `npm start`, which writes one where the Glue
 * collector's input (captured API responses) does not exist.
 *
 * @example
 * ```ts
 * await glueSampleWriter.write({ out: './lakeq-data/raw/glue-api', from, to, seed: 1, options: {} });
 * ```
 */
export const glueSampleWriter: SampleWriter = {
  write: async ({ out, from, to, seed }) => {
    const glue = await writeGlueSample({ out, from, to, seed });
    return {
      summary:
        `wrote ${glue.jobs} Glue jobs, ${glue.runs} runs and ${glue.metricPoints} metric datapoints in ` +
        `${glue.files} files to ${out} (${glue.from} to ${glue.to})`,
      brief: `  ${glue.jobs} Glue jobs, ${glue.runs} runs, ${glue.metricPoints} metric datapoints`,
    };
  },
  inspect: async (input) => {
    return (await stat(input).catch(() => undefined))
      ? { found: true }
      : { found: false, message: `No captured Glue API responses in ${input}: writing a sample there…` };
  },
};
