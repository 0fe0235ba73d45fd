import { mkdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readLedger } from '../../src/ingest/ledger.ts';
import { type LoadPlan, planLoad } from '../../src/ingest/load-plan.ts';
import { executeLocalPlan, type LoadSummary } from '../../src/ingest/local-load.ts';
import { loadQuery } from '../../src/query/registry.ts';
import type { GlueJobMetricRecord, GlueJobRunRecord } from '../../src/sources/glue/collect/records.ts';
import {
  type CollectedRelation,
  collectedHourDir,
  GLUE_JOB_METRICS,
  GLUE_JOB_RUNS,
} from '../../src/sources/glue/schema.ts';
import { glueJobMetrics } from '../../src/sources/glue/tables/glue-job-metrics.ts';
import { glueJobRuns } from '../../src/sources/glue/tables/glue-job-runs.ts';

/** One line of `job-runs/dt=…/hour=…/job-runs.json`, as the collector writes it (src/sources/glue/collect/records.ts). */
export type CollectedJobRun = GlueJobRunRecord;

/** One line of `job-metrics/dt=…/hour=…/job-metrics.json`. */
export type CollectedMetric = GlueJobMetricRecord & { metric_type: 'count' | 'gauge' };

/** The test price table, USD per DPU-hour by execution class (the collector's documented defaults). */
export const TEST_PRICES = { STANDARD: 0.44, FLEX: 0.29 } as const;

export const TEST_ACCOUNT = '111122223333';
export const TEST_REGION = 'eu-west-1';

/**
 * A finished run attempt with realistic defaults: `dpu_seconds` = execution × capacity and the
 * cost from `TEST_PRICES`, unless given.
 */
export function jobRun(
  spec: Partial<CollectedJobRun> & Pick<CollectedJobRun, 'job_name' | 'job_run_id' | 'started_on'>,
): CollectedJobRun {
  const execution = spec.execution_seconds === undefined ? 600 : spec.execution_seconds;
  const capacity = spec.max_capacity === undefined ? 10 : spec.max_capacity;
  const executionClass = spec.execution_class === undefined ? 'STANDARD' : spec.execution_class;
  const dpu =
    spec.dpu_seconds !== undefined
      ? spec.dpu_seconds
      : execution !== null && capacity !== null
        ? execution * capacity
        : null;
  const started = Date.parse(spec.started_on);
  const completed =
    spec.completed_on !== undefined
      ? spec.completed_on
      : execution === null
        ? null
        : new Date(started + (execution + 30) * 1000).toISOString();
  const price = executionClass === 'FLEX' ? TEST_PRICES.FLEX : TEST_PRICES.STANDARD;
  const base: CollectedJobRun = {
    job_name: spec.job_name,
    job_run_id: spec.job_run_id,
    attempt: 0,
    previous_run_id: null,
    trigger_name: null,
    job_run_state: 'SUCCEEDED',
    job_type: 'glueetl',
    started_on: spec.started_on,
    completed_on: completed,
    last_modified_on: completed ?? spec.started_on,
    execution_seconds: execution,
    worker_type: 'G.1X',
    number_of_workers: capacity === null ? null : Math.round(capacity),
    max_capacity: capacity,
    dpu_seconds: dpu,
    glue_version: '4.0',
    execution_class: executionClass,
    timeout_minutes: 2880,
    error_message: null,
    estimated_cost_usd: dpu === null ? null : (dpu / 3600) * price,
    region: TEST_REGION,
    account_id: TEST_ACCOUNT,
  };
  // Keys in the contract's order, whatever order `spec` has.
  const merged = { ...base, ...spec };
  return Object.fromEntries(
    GLUE_JOB_RUNS.columns.map((c) => [c.name, merged[c.name as keyof CollectedJobRun]]),
  ) as unknown as CollectedJobRun;
}

function hourOf(iso: string): Date {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`not an ISO time: ${iso}`);
  return new Date(Math.floor(t / 3_600_000) * 3_600_000);
}

async function writeHourFiles<T extends object>(
  root: string,
  relation: CollectedRelation,
  rows: readonly T[],
  timeOf: (row: T) => string,
  mtime: Date | undefined,
): Promise<string[]> {
  const byHour = new Map<number, T[]>();
  for (const row of rows) {
    const hour = hourOf(timeOf(row)).getTime();
    byHour.set(hour, [...(byHour.get(hour) ?? []), row]);
  }
  const written: string[] = [];
  for (const [hour, list] of [...byHour].sort((a, b) => a[0] - b[0])) {
    const dir = collectedHourDir(root, relation, new Date(hour));
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, relation.fileName);
    const tmp = path.join(dir, `.${relation.fileName}.tmp`);
    await writeFile(tmp, list.map((r) => `${JSON.stringify(r)}\n`).join(''));
    // Atomic replacement, as the collector does it.
    await rename(tmp, file);
    if (mtime) await utimes(file, mtime, mtime);
    written.push(file);
  }
  return written.sort();
}

/**
 * Writes run attempts as the collector does: one NDJSON file per StartedOn UTC hour, replaced
 * atomically. Only the hours of `runs` are written (each replaced whole). `mtime` pins the
 * files' modification time, so a test's change signal does not depend on the clock's resolution.
 *
 * @example
 * ```ts
 * await writeCollectedRuns(root, [jobRun({ job_name: 'etl', job_run_id: 'jr_1', started_on: '2026-11-02T10:05:00Z' })])
 * // ['<root>/job-runs/dt=2026-11-02/hour=10/job-runs.json']
 * ```
 */
export function writeCollectedRuns(
  root: string,
  runs: readonly CollectedJobRun[],
  options: { mtime?: Date } = {},
): Promise<string[]> {
  return writeHourFiles(root, GLUE_JOB_RUNS, runs, (r) => r.started_on, options.mtime);
}

/** Writes datapoints as the collector does: one NDJSON file per UTC hour of `metric_time`. */
export function writeCollectedMetrics(
  root: string,
  points: readonly CollectedMetric[],
  options: { mtime?: Date } = {},
): Promise<string[]> {
  return writeHourFiles(root, GLUE_JOB_METRICS, points, (p) => p.metric_time, options.mtime);
}

/** Removes an hour's collected run file, as when the collector finds no run for it any more. */
export async function removeCollectedRunsHour(root: string, hour: Date): Promise<void> {
  await rm(path.join(collectedHourDir(root, GLUE_JOB_RUNS, hour), GLUE_JOB_RUNS.fileName), { force: true });
}

/** A deterministic pseudo-random generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const JOBS = [
  {
    name: 'orders-etl',
    type: 'glueetl',
    capacity: 10,
    worker: 'G.1X',
    cls: 'STANDARD',
    perDay: 4,
    secs: 900,
  },
  {
    name: 'clickstream',
    type: 'gluestreaming',
    capacity: 4,
    worker: 'G.025X',
    cls: 'STANDARD',
    perDay: 1,
    secs: 7200,
  },
  {
    name: 'nightly-report',
    type: 'pythonshell',
    capacity: 0.0625,
    worker: null,
    cls: 'STANDARD',
    perDay: 2,
    secs: 300,
  },
  {
    name: 'feature-ray',
    type: 'glueray',
    capacity: 8,
    worker: 'Z.2X',
    cls: 'STANDARD',
    perDay: 1,
    secs: 1800,
  },
  {
    name: 'backfill-flex',
    type: 'glueetl',
    capacity: 20,
    worker: 'G.2X',
    cls: 'FLEX',
    perDay: 2,
    secs: 1200,
  },
] as const;

/**
 * A deterministic estate of finished run attempts over `days` days from `from`: Spark, streaming,
 * Python shell and Ray jobs, flex runs, failures, timeouts and retries (a retry is a new attempt
 * whose `previous_run_id` is the failed one), with growth in the second week for some jobs.
 */
export function generateGlueRuns(options: { from: string; days: number; seed: number }): CollectedJobRun[] {
  const rnd = seededRandom(options.seed);
  const start = Date.parse(`${options.from}T00:00:00Z`);
  const runs: CollectedJobRun[] = [];
  let n = 0;
  const id = () => `jr_${options.seed.toString(16)}${(n++).toString(16).padStart(6, '0')}`;
  for (let day = 0; day < options.days; day++) {
    for (const job of JOBS) {
      for (let k = 0; k < job.perDay; k++) {
        const startedMs = start + day * 86_400_000 + Math.floor(((k + rnd()) / job.perDay) * 86_400_000 - 1);
        // Jobs grow in the later days, so week over week has something to find.
        const growth = job.name === 'orders-etl' && day >= 7 ? 1.6 : 1;
        const secs = Math.max(60, Math.round(job.secs * growth * (0.6 + rnd() * 0.8)));
        const roll = rnd();
        const state = roll < 0.1 ? 'FAILED' : roll < 0.14 ? 'TIMEOUT' : roll < 0.16 ? 'ERROR' : 'SUCCEEDED';
        const first = jobRun({
          job_name: job.name,
          job_run_id: id(),
          started_on: new Date(startedMs).toISOString(),
          job_run_state: state,
          job_type: job.type,
          worker_type: job.worker,
          max_capacity: job.capacity,
          number_of_workers: job.worker === null ? null : Math.round(job.capacity),
          execution_seconds: secs,
          execution_class: job.cls,
          trigger_name: k === 0 ? `${job.name}-schedule` : null,
          glue_version: job.type === 'pythonshell' ? '3.0' : '4.0',
          timeout_minutes: state === 'TIMEOUT' ? Math.ceil(secs / 60) : 2880,
          error_message:
            state === 'FAILED'
              ? `An error occurred while calling o${100 + k}.save. Job ${job.name} failed`
              : state === 'ERROR'
                ? 'Internal service error'
                : state === 'TIMEOUT'
                  ? 'Job run timed out'
                  : null,
          // Flex and auto-scaled runs report their own DPU-seconds.
          ...(job.cls === 'FLEX' ? { dpu_seconds: Math.round(secs * job.capacity * 0.75) } : {}),
        });
        runs.push(first);
        if (state === 'FAILED') {
          const retryStart = Date.parse(first.completed_on ?? first.started_on) + 60_000;
          runs.push(
            jobRun({
              job_name: job.name,
              job_run_id: id(),
              attempt: 1,
              previous_run_id: first.job_run_id,
              started_on: new Date(retryStart).toISOString(),
              job_type: job.type,
              worker_type: job.worker,
              max_capacity: job.capacity,
              number_of_workers: first.number_of_workers,
              execution_seconds: Math.round(secs * 0.9),
              execution_class: job.cls,
              glue_version: first.glue_version,
              ...(job.cls === 'FLEX' ? { dpu_seconds: Math.round(secs * 0.9 * job.capacity * 0.75) } : {}),
            }),
          );
        }
      }
    }
  }
  return runs;
}

/**
 * Loads the Glue tables of `[from, to)` through the real local load path (the planner, then the
 * local executor), as `runLoad` does for CloudTrail.
 */
export async function loadGlue(options: {
  dataDir: string;
  glueRoot: string;
  from: string;
  to: string;
  extraHours?: ReadonlyMap<string, readonly Date[]>;
  now?: Date;
  allowShrink?: boolean;
}): Promise<{ plan: LoadPlan; summary: LoadSummary }> {
  const tables = [glueJobRuns, glueJobMetrics];
  const versions = new Map<string, string>();
  for (const t of tables) versions.set(t.transform.queryId, (await loadQuery(t.transform.queryId)).version);
  const { rows: ledger } = await readLedger(options.dataDir);
  const plan = await planLoad({
    tables,
    roots: { cloudtrail: path.join(options.dataDir, 'raw', 'cloudtrail'), glue: options.glueRoot },
    from: new Date(options.from),
    to: new Date(options.to),
    ledger,
    versions,
    maxPartitionsPerBatch: 24,
    now: options.now ?? new Date('2100-01-01T00:00:00Z'),
    ...(options.extraHours ? { extraHours: options.extraHours } : {}),
    ...(options.allowShrink ? { allowShrink: true } : {}),
  });
  const summary = await executeLocalPlan(plan, {
    dataDir: options.dataDir,
    roots: { cloudtrail: path.join(options.dataDir, 'raw', 'cloudtrail'), glue: options.glueRoot },
  });
  if (summary.failed > 0) throw new Error(`glue load failed: ${summary.errors.join('; ')}`);
  return { plan, summary };
}
