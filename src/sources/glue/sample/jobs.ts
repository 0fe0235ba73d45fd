/**
 * The Glue jobs of the sample estate and how their runs go: a catalogue of realistic jobs (Spark
 * with and without auto scaling, FLEX, Ray, Python shell, streaming) and a simulation of their
 * scheduled runs over a window, seen as of the window's end. Pure functions of (seed, window).
 */
import { Random } from '../../sample-random.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export type SampleJobType = 'glueetl' | 'gluestreaming' | 'pythonshell' | 'glueray';

export type SampleSchedule =
  | { readonly kind: 'hourly'; readonly minute: number }
  | { readonly kind: 'every'; readonly hours: number; readonly minute: number }
  | { readonly kind: 'daily'; readonly hour: number; readonly minute: number }
  | { readonly kind: 'continuous' };

/** One sample job definition and the behaviour of its runs. */
export interface SampleJobSpec {
  readonly name: string;
  readonly description: string;
  readonly type: SampleJobType;
  readonly glueVersion: string;
  readonly workerType?: 'G.1X' | 'G.2X' | 'Z.2X';
  readonly workers?: number;
  /** Python shell only: 0.0625 or 1 DPU. */
  readonly maxCapacity?: number;
  readonly executionClass?: 'STANDARD' | 'FLEX';
  readonly autoScaling?: boolean;
  /** Minutes; absent for the streaming job (no timeout). */
  readonly timeout?: number;
  readonly maxRetries: number;
  readonly schedule: SampleSchedule;
  /** Planned execution seconds [min, max]. */
  readonly duration: readonly [number, number];
  readonly failureRate: number;
  readonly errors: readonly string[];
  /** Rare outcomes besides FAILED. */
  readonly stopRate?: number;
  readonly errorRate?: number;
  /** Forced outcomes, so that every window of two slots or more shows them. */
  readonly force?: {
    readonly failure?: boolean;
    readonly timeout?: boolean;
    readonly stopAndError?: boolean;
    /** The window's last run is slow and still RUNNING at its end. */
    readonly lastRunning?: boolean;
  };
  /** Bytes read per minute of a Spark run (metrics). */
  readonly bytesPerMinute?: number;
}

const S3_DENIED =
  'An error occurred while calling o122.pyWriteDynamicFrame. Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: %REQ%; S3 Extended Request ID: %EXT%)';
const SPARK_OOM =
  'An error occurred while calling o187.pyWriteDynamicFrame. Job aborted due to stage failure: Task 37 in stage 12.0 failed 4 times, most recent failure: Lost task 37.3 in stage 12.0 (TID 1093) (172.36.80.21 executor 7): ExecutorLostFailure (executor 7 exited caused by one of the running tasks) Reason: Container killed by YARN for exceeding memory limits. 11.4 GB of 11 GB physical memory used.';
const SPARK_NO_PATH =
  'AnalysisException: Path does not exist: s3://example-datalake-raw/clickstream/dt=%DAY%/hour=%HOUR%';
const SPARK_SCHEMA =
  "An error occurred while calling o95.getDynamicFrame. com.amazonaws.services.glue.util.NonFatalException: Unable to parse file: part-00042-3f1c.snappy.parquet: column 'order_total' expected DOUBLE but found BINARY";

/**
 * The sample's jobs.
 *
 * @example
 * ```ts
 * SAMPLE_GLUE_JOBS.map((j) => j.type); // every Glue job type, some twice
 * ```
 */
export const SAMPLE_GLUE_JOBS: readonly SampleJobSpec[] = [
  {
    name: 'clickstream-hourly-compaction',
    description: 'Compacts the last hour of clickstream JSON into Parquet (auto scaling)',
    type: 'glueetl',
    glueVersion: '4.0',
    workerType: 'G.1X',
    workers: 20,
    autoScaling: true,
    executionClass: 'STANDARD',
    timeout: 60,
    maxRetries: 1,
    schedule: { kind: 'hourly', minute: 15 },
    duration: [240, 720],
    failureRate: 0.03,
    errors: [SPARK_NO_PATH, SPARK_OOM],
    force: { failure: true, lastRunning: true },
    bytesPerMinute: 3.2e9,
  },
  {
    name: 'customer-360-flex',
    description: 'Rebuilds the customer 360 table overnight on the FLEX execution class',
    type: 'glueetl',
    glueVersion: '4.0',
    workerType: 'G.1X',
    workers: 10,
    executionClass: 'FLEX',
    timeout: 240,
    maxRetries: 0,
    schedule: { kind: 'daily', hour: 4, minute: 0 },
    duration: [1500, 3000],
    failureRate: 0.08,
    errors: [SPARK_SCHEMA],
    bytesPerMinute: 1.1e9,
  },
  {
    name: 'finance-report-pyshell',
    description: 'Builds the daily finance report from Athena results (Python shell, 1 DPU)',
    type: 'pythonshell',
    glueVersion: '3.0',
    maxCapacity: 1,
    timeout: 60,
    maxRetries: 0,
    schedule: { kind: 'daily', hour: 6, minute: 30 },
    duration: [300, 900],
    failureRate: 0.1,
    errors: [
      "KeyError: 'cost_center'",
      "botocore.exceptions.ClientError: An error occurred (InvalidRequestException) when calling the StartQueryExecution operation: line 1:8: mismatched input 'FROM'",
    ],
  },
  {
    name: 'inventory-sync-pyshell',
    description: 'Syncs warehouse stock levels to DynamoDB every hour (Python shell, 1/16 DPU)',
    type: 'pythonshell',
    glueVersion: '3.0',
    maxCapacity: 0.0625,
    timeout: 10,
    maxRetries: 0,
    schedule: { kind: 'hourly', minute: 5 },
    duration: [40, 300],
    failureRate: 0.04,
    errors: [
      "ModuleNotFoundError: No module named 'pyarrow'",
      'botocore.exceptions.ClientError: An error occurred (ProvisionedThroughputExceededException) when calling the BatchWriteItem operation (reached max retries: 9): The level of configured provisioned throughput for the table was exceeded.',
    ],
    force: { timeout: true },
  },
  {
    name: 'iot-events-streaming',
    description: 'Streams device events from Kinesis into the lake (Spark streaming)',
    type: 'gluestreaming',
    glueVersion: '4.0',
    workerType: 'G.1X',
    workers: 4,
    maxRetries: 0,
    schedule: { kind: 'continuous' },
    duration: [0, 0],
    failureRate: 0,
    errors: [
      'An error occurred while calling o98.awaitTermination. com.amazonaws.services.kinesis.model.ProvisionedThroughputExceededException: Rate exceeded for shard shardId-000000000003 in stream iot-events under account %ACCOUNT%.',
    ],
    bytesPerMinute: 2.5e8,
  },
  {
    name: 'ml-features-ray',
    description: 'Computes ML features with Ray (Z.2X workers)',
    type: 'glueray',
    glueVersion: '4.0',
    workerType: 'Z.2X',
    workers: 5,
    timeout: 90,
    maxRetries: 0,
    schedule: { kind: 'daily', hour: 3, minute: 0 },
    duration: [2400, 6000],
    failureRate: 0.1,
    errors: ['ray.exceptions.RayTaskError(MemoryError): ray::build_features() (pid=1842, ip=172.34.11.9)'],
  },
  {
    name: 'orders-daily-etl',
    description: 'Loads the previous day of orders into the curated zone',
    type: 'glueetl',
    glueVersion: '4.0',
    workerType: 'G.2X',
    workers: 10,
    executionClass: 'STANDARD',
    timeout: 180,
    maxRetries: 1,
    schedule: { kind: 'daily', hour: 2, minute: 0 },
    duration: [1200, 2700],
    failureRate: 0.15,
    errors: [SPARK_OOM, S3_DENIED],
    bytesPerMinute: 2.1e9,
  },
  {
    name: 'partner-feed-export',
    description: 'Exports the partner feed to the partner bucket every 6 hours',
    type: 'glueetl',
    glueVersion: '3.0',
    workerType: 'G.1X',
    workers: 5,
    executionClass: 'STANDARD',
    timeout: 45,
    maxRetries: 0,
    schedule: { kind: 'every', hours: 6, minute: 30 },
    duration: [600, 1800],
    failureRate: 0.05,
    errors: [S3_DENIED],
    stopRate: 0.05,
    errorRate: 0.05,
    force: { stopAndError: true },
    bytesPerMinute: 6e8,
  },
];

/**
 * DPUs of one worker: G.1X 1, G.2X 2, Z.2X 2 (M-DPU).
 *
 * @example
 * ```ts
 * workerDpu('G.2X'); // 2
 * ```
 */
export function workerDpu(workerType: string | undefined): number {
  return workerType === 'G.2X' || workerType === 'Z.2X' ? 2 : 1;
}

/**
 * The DPUs a job's run is allotted (what GetJobRuns reports as MaxCapacity).
 *
 * @example
 * ```ts
 * jobMaxCapacity({ ...job, workerType: 'G.2X', workers: 10 }); // 20
 * ```
 */
export function jobMaxCapacity(job: SampleJobSpec): number {
  if (job.maxCapacity !== undefined) return job.maxCapacity;
  return (job.workers ?? 0) * workerDpu(job.workerType);
}

export type SampleOutcome = 'SUCCEEDED' | 'FAILED' | 'TIMEOUT' | 'STOPPED' | 'ERROR';

/** One run attempt as planned: when it starts, how long it takes, how it ends. */
export interface SampleRun {
  readonly job: SampleJobSpec;
  readonly id: string;
  readonly attempt: number;
  readonly previousRunId?: string;
  readonly triggerName?: string;
  /** StartedOn, ms. */
  readonly started: number;
  /** Seconds from StartedOn until the run executes (provisioning; long for FLEX). */
  readonly startup: number;
  /** Seconds executing until the end (the planned ExecutionTime). */
  readonly execution: number;
  readonly outcome: SampleOutcome;
  readonly errorMessage?: string;
  /** Share of the allotted DPUs used (auto scaling and FLEX report DPUSeconds). */
  readonly utilization: number;
}

/**
 * When the run ends (CompletedOn), ms.
 *
 * @example
 * ```ts
 * runEnd({ ...run, started: 0, startup: 10, execution: 50 }); // 60000
 * ```
 */
export function runEnd(run: SampleRun): number {
  return run.started + (run.startup + run.execution) * 1000;
}

function scheduledSlots(schedule: SampleSchedule, from: number, to: number): number[] {
  const out: number[] = [];
  if (schedule.kind === 'continuous') return out;
  const step = schedule.kind === 'hourly' ? HOUR : schedule.kind === 'every' ? schedule.hours * HOUR : DAY;
  const offset =
    schedule.kind === 'daily' ? schedule.hour * HOUR + schedule.minute * MINUTE : schedule.minute * MINUTE;
  for (let t = Math.floor(from / DAY) * DAY + offset; t < to; t += step) if (t >= from) out.push(t);
  return out;
}

function fillError(template: string, rng: Random, at: number, accountId: string): string {
  const iso = new Date(at).toISOString();
  return template
    .replace('%REQ%', rng.upperHex(16))
    .replace('%EXT%', `${rng.alnum(56)}=`)
    .replace('%DAY%', iso.slice(0, 10))
    .replace('%HOUR%', iso.slice(11, 13))
    .replace('%ACCOUNT%', accountId);
}

function startupSeconds(job: SampleJobSpec, rng: Random): number {
  if (job.executionClass === 'FLEX') return rng.int(60, 600);
  if (job.type === 'glueray') return rng.int(30, 75);
  if (job.type === 'pythonshell') return rng.int(8, 25);
  return rng.int(6, 20);
}

/** Context of a simulation. */
export interface SampleRunContext {
  readonly seed: number;
  readonly from: number;
  readonly to: number;
  readonly accountId: string;
}

/**
 * The run attempts of a job whose StartedOn falls in [from, to), retries included, oldest first.
 *
 * @example
 * ```ts
 * simulateJobRuns(SAMPLE_GLUE_JOBS[0], { seed: 1, from, to, accountId: '111122223333' });
 * ```
 */
export function simulateJobRuns(job: SampleJobSpec, ctx: SampleRunContext): SampleRun[] {
  if (job.schedule.kind === 'continuous') return streamingRuns(job, ctx);
  const slots = scheduledSlots(job.schedule, ctx.from, ctx.to);
  const plan = new Random(ctx.seed, 'glue-plan', job.name, ctx.from, ctx.to);
  const forcedFailure = job.force?.failure && slots.length >= 2 ? plan.int(0, slots.length - 2) : -1;
  const forcedTimeout = job.force?.timeout && slots.length >= 2 ? plan.int(0, slots.length - 2) : -1;
  const forcedStop = job.force?.stopAndError && slots.length >= 3 ? plan.int(0, slots.length - 2) : -1;
  const forcedError = forcedStop >= 0 ? (forcedStop + 1) % (slots.length - 1) : -1;
  const runs: SampleRun[] = [];
  slots.forEach((slot, index) => {
    const rng = new Random(ctx.seed, 'glue-run', job.name, slot);
    const started = slot + rng.int(1, 9) * 1000 + rng.int(0, 999);
    if (started >= ctx.to) return;
    const startup = startupSeconds(job, rng);
    let execution = rng.int(job.duration[0], job.duration[1]);
    let outcome: SampleOutcome = 'SUCCEEDED';
    const roll = rng.next();
    if (index === forcedFailure || (index !== forcedTimeout && roll < job.failureRate)) outcome = 'FAILED';
    else if (roll < job.failureRate + (job.stopRate ?? 0)) outcome = 'STOPPED';
    else if (roll < job.failureRate + (job.stopRate ?? 0) + (job.errorRate ?? 0)) outcome = 'ERROR';
    if (index === forcedStop) outcome = 'STOPPED';
    if (index === forcedError) outcome = 'ERROR';
    if (index === forcedTimeout) execution = (job.timeout ?? 60) * 60 + 30;
    if (job.force?.lastRunning && index === slots.length - 1) {
      execution = Math.max(execution, Math.ceil((ctx.to - started) / 1000) + rng.int(600, 1800));
      outcome = 'SUCCEEDED';
    }
    if (job.timeout !== undefined && execution >= job.timeout * 60) {
      execution = job.timeout * 60;
      outcome = 'TIMEOUT';
    }
    if (outcome === 'FAILED') execution = Math.max(30, Math.round(execution * rng.float(0.2, 0.9)));
    if (outcome === 'STOPPED') execution = Math.max(30, Math.round(execution * rng.float(0.1, 0.6)));
    if (outcome === 'ERROR') execution = 0;
    const id = `jr_${rng.hex(64)}`;
    const base = {
      job,
      id,
      attempt: 0,
      triggerName: `${job.name}-schedule`,
      started,
      startup,
      utilization: utilization(job, rng),
    };
    const first: SampleRun = {
      ...base,
      execution,
      outcome,
      ...(outcome === 'FAILED'
        ? { errorMessage: fillError(rng.pick(job.errors), rng, started, ctx.accountId) }
        : {}),
      ...(outcome === 'ERROR'
        ? {
            errorMessage:
              'Failed to start job run due to an internal error: ResourceNumberLimitExceededException: Failed to meet resource allocation requirement. Please retry the job run.',
          }
        : {}),
    };
    runs.push(first);
    let previous = first;
    for (let attempt = 1; attempt <= job.maxRetries && previous.outcome === 'FAILED'; attempt++) {
      const retryStart = runEnd(previous) + rng.int(5, 40) * 1000;
      if (runEnd(previous) > ctx.to || retryStart >= ctx.to) break;
      const succeeded = index === forcedFailure || rng.chance(0.75);
      const retryExecution = rng.int(job.duration[0], job.duration[1]);
      const retry: SampleRun = {
        job,
        id: `${id}_attempt_${attempt}`,
        attempt,
        previousRunId: previous.id,
        triggerName: `${job.name}-schedule`,
        started: retryStart,
        startup: startupSeconds(job, rng),
        execution: succeeded
          ? retryExecution
          : Math.max(30, Math.round(retryExecution * rng.float(0.2, 0.9))),
        outcome: succeeded ? 'SUCCEEDED' : 'FAILED',
        utilization: utilization(job, rng),
        ...(succeeded
          ? {}
          : { errorMessage: fillError(rng.pick(job.errors), rng, retryStart, ctx.accountId) }),
      };
      runs.push(retry);
      previous = retry;
    }
  });
  return runs;
}

function utilization(job: SampleJobSpec, rng: Random): number {
  if (job.autoScaling) return rng.float(0.3, 0.75);
  if (job.executionClass === 'FLEX') return rng.float(0.8, 0.98);
  return 1;
}

/** A streaming job deployed at the window's start, failing once in windows of two days or more. */
function streamingRuns(job: SampleJobSpec, ctx: SampleRunContext): SampleRun[] {
  const rng = new Random(ctx.seed, 'glue-streaming', job.name, ctx.from, ctx.to);
  const runs: SampleRun[] = [];
  let started = ctx.from + rng.int(3, 8) * MINUTE + rng.int(0, 59_999);
  if (ctx.to - ctx.from >= 2 * DAY) {
    const failAt = ctx.from + Math.floor((ctx.to - ctx.from) * rng.float(0.45, 0.6));
    const startup = rng.int(15, 40);
    runs.push({
      job,
      id: `jr_${rng.hex(64)}`,
      attempt: 0,
      started,
      startup,
      execution: Math.round((failAt - started) / 1000) - startup,
      outcome: 'FAILED',
      errorMessage: fillError(rng.pick(job.errors), rng, failAt, ctx.accountId),
      utilization: 1,
    });
    started = failAt + rng.int(8, 20) * MINUTE;
  }
  if (started < ctx.to) {
    runs.push({
      job,
      id: `jr_${rng.hex(64)}`,
      attempt: 0,
      started,
      startup: rng.int(15, 40),
      // Runs on past the window's end.
      execution: Math.ceil((ctx.to - started) / 1000) + 7 * 24 * 3600,
      outcome: 'SUCCEEDED',
      utilization: 1,
    });
  }
  return runs;
}
