import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Job, JobRun } from '@aws-sdk/client-glue';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GLUE_JOB_METRICS } from '../../../src/sources/glue/collect/metrics.ts';
import { DEFAULT_GLUE_PRICES, type GluePrices } from '../../../src/sources/glue/collect/prices.ts';
import type { GlueJobMetricRecord, GlueJobRunRecord } from '../../../src/sources/glue/collect/records.ts';
import { createSdkGlueApi } from '../../../src/sources/glue/collect/sdk-api.ts';
import {
  type CollectGlueOptions,
  collectGlue,
  jobRunBoundMinutes,
} from '../../../src/sources/glue/collect.ts';
import { metricValue, mockGlueAws } from './glue-fake-aws.ts';

const t = (iso: string) => new Date(iso);

let dir: string;
let fake: ReturnType<typeof mockGlueAws> | undefined;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-glue-collect-'));
});
afterEach(async () => {
  // Every request the collector sent is one AWS would accept.
  fake?.validate();
  fake?.restore();
  fake = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function ndjson<T>(file: string): Promise<T[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

const runsFile = (day: string, hour: string) =>
  path.join(dir, `job-runs/dt=${day}/hour=${hour}/job-runs.json`);
const metricsFile = (day: string, hour: string) =>
  path.join(dir, `job-metrics/dt=${day}/hour=${hour}/job-metrics.json`);

const ordersJob: Job = {
  Name: 'orders',
  Command: { Name: 'glueetl' },
  Timeout: 120,
  WorkerType: 'G.1X',
  NumberOfWorkers: 10,
  GlueVersion: '4.0',
};

function collect(from: string, to: string, now: string, extra: Partial<CollectGlueOptions> = {}) {
  return collectGlue({
    api: createSdkGlueApi({ region: 'us-east-1' }),
    root: dir,
    from: t(from),
    to: t(to),
    prices: DEFAULT_GLUE_PRICES,
    region: 'us-east-1',
    accountId: '111122223333',
    now: t(now),
    ...extra,
  });
}

const running: JobRun = {
  Id: 'jr_run1',
  JobName: 'orders',
  Attempt: 0,
  TriggerName: 'orders-hourly',
  JobRunState: 'RUNNING',
  StartedOn: t('2026-11-01T12:50:00Z'),
  LastModifiedOn: t('2026-11-01T12:50:20Z'),
  ExecutionTime: 0,
  MaxCapacity: 10,
  WorkerType: 'G.1X',
  NumberOfWorkers: 10,
  GlueVersion: '4.0',
  ExecutionClass: 'STANDARD',
  Timeout: 120,
};
const succeeded: JobRun = {
  ...running,
  JobRunState: 'SUCCEEDED',
  CompletedOn: t('2026-11-01T13:20:00Z'),
  LastModifiedOn: t('2026-11-01T13:20:00Z'),
  ExecutionTime: 1790,
};

describe('collectGlue', () => {
  it('asks CloudWatch only for the window of a run that started days before it (a streaming run)', async () => {
    const longRunning: JobRun = {
      ...running,
      Id: 'jr_stream',
      StartedOn: t('2026-10-29T08:00:00Z'),
      LastModifiedOn: t('2026-10-29T08:00:20Z'),
      Timeout: 10_080,
    };
    fake = mockGlueAws({ jobs: [{ ...ordersJob, Timeout: 10_080 }], runs: [longRunning] });
    await collect('2026-11-01T12:00:00Z', '2026-11-01T13:00:00Z', '2026-11-01T13:05:00Z');
    const starts = fake.metricCalls().map((c) => (c.StartTime as Date).toISOString());
    expect(starts.length).toBeGreaterThan(0);
    expect(starts.every((s) => s === '2026-11-01T12:00:00.000Z')).toBe(true);
    // 12:00 … 13:04: 65 minutes per metric, nothing from the three days before.
    const points = [
      ...(await ndjson<GlueJobMetricRecord>(metricsFile('2026-11-01', '12'))),
      ...(await ndjson<GlueJobMetricRecord>(metricsFile('2026-11-01', '13'))),
    ];
    expect(points).toHaveLength(65 * GLUE_JOB_METRICS.length);
  });

  it('records a running run, then replaces it when it finishes: one line, final state, its hour touched', async () => {
    const state = { jobs: [ordersJob], runs: [running] };
    fake = mockGlueAws(state);
    const first = await collect('2026-11-01T12:00:00Z', '2026-11-01T13:00:00Z', '2026-11-01T13:05:00Z');
    expect(first.runs).toBe(1);
    expect(first.touchedHours).toEqual(['2026-11-01T12:00:00.000Z', '2026-11-01T13:00:00.000Z']);
    const before = await ndjson<GlueJobRunRecord>(runsFile('2026-11-01', '12'));
    expect(before.map((r) => [r.job_run_id, r.job_run_state, r.completed_on])).toEqual([
      ['jr_run1', 'RUNNING', null],
    ]);
    // Metrics of a running run go up to `now`: 12:50 … 13:04.
    const points1 = await ndjson<GlueJobMetricRecord>(metricsFile('2026-11-01', '13'));
    expect(new Set(points1.map((p) => p.metric_time)).size).toBe(5);

    state.runs = [succeeded];
    const second = await collect('2026-11-01T13:00:00Z', '2026-11-01T14:00:00Z', '2026-11-01T14:05:00Z');
    expect(second.runs).toBe(1);
    // The run started at 12:50, before the window: its hour is touched all the same.
    expect(second.touchedHours).toContain('2026-11-01T12:00:00.000Z');
    const after = await ndjson<GlueJobRunRecord>(runsFile('2026-11-01', '12'));
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      job_run_id: 'jr_run1',
      job_run_state: 'SUCCEEDED',
      completed_on: '2026-11-01T13:20:00.000Z',
      execution_seconds: 1790,
      dpu_seconds: 17_900,
      trigger_name: 'orders-hourly',
      job_type: 'glueetl',
    });
    expect(after[0]?.estimated_cost_usd).toBeCloseTo((17_900 / 3600) * 0.44, 12);

    // Metrics: one point per minute 12:50 … 13:19 for every metric, each once, with the fake's values.
    const points = [
      ...(await ndjson<GlueJobMetricRecord>(metricsFile('2026-11-01', '12'))),
      ...(await ndjson<GlueJobMetricRecord>(metricsFile('2026-11-01', '13'))),
    ];
    expect(points).toHaveLength(30 * GLUE_JOB_METRICS.length);
    const keys = points.map(
      (p) => `${p.job_run_id}|${p.metric_name}|${p.metric_type}|${p.metric_time}|${p.statistic}`,
    );
    expect(new Set(keys).size).toBe(points.length);
    for (const p of points)
      expect(p.value).toBe(metricValue('jr_run1', p.metric_name, Date.parse(p.metric_time)));
  });

  it('re-collecting an unchanged window rewrites nothing: same mtime, no touched hours', async () => {
    fake = mockGlueAws({ jobs: [ordersJob], runs: [succeeded] });
    await collect('2026-11-01T12:00:00Z', '2026-11-01T14:00:00Z', '2026-11-01T14:05:00Z');
    const files = [
      runsFile('2026-11-01', '12'),
      metricsFile('2026-11-01', '12'),
      metricsFile('2026-11-01', '13'),
    ];
    const old = new Date('2020-01-01T00:00:00Z');
    for (const file of files) await utimes(file, old, old);
    const bytes = await Promise.all(files.map((f) => readFile(f, 'utf8')));

    const again = await collect('2026-11-01T12:00:00Z', '2026-11-01T14:00:00Z', '2026-11-01T14:05:00Z');
    expect(again.runs).toBe(1);
    expect(again.touchedHours).toEqual([]);
    expect(again.files).toEqual([]);
    for (const [i, file] of files.entries()) {
      expect((await stat(file)).mtimeMs).toBe(old.getTime());
      expect(await readFile(file, 'utf8')).toBe(bytes[i]);
    }
  });

  it('finishes a run recorded as running even when it completes after the window being collected', async () => {
    const state = { jobs: [ordersJob], runs: [running] };
    fake = mockGlueAws(state);
    await collect('2026-11-01T12:00:00Z', '2026-11-01T13:00:00Z', '2026-11-01T13:05:00Z');
    // Later, a window that neither holds its start nor its end (13:20 → 16:30 here).
    state.runs = [
      { ...succeeded, CompletedOn: t('2026-11-01T16:30:00Z'), LastModifiedOn: t('2026-11-01T16:30:00Z') },
    ];
    const result = await collect('2026-11-01T15:00:00Z', '2026-11-01T16:00:00Z', '2026-11-01T17:00:00Z');
    expect(result.touchedHours).toContain('2026-11-01T12:00:00.000Z');
    const rows = await ndjson<GlueJobRunRecord>(runsFile('2026-11-01', '12'));
    expect(rows.map((r) => r.job_run_state)).toEqual(['SUCCEEDED']);
  });

  it('keeps a newer line already on disk when the API shows an older state', async () => {
    fake = mockGlueAws({ jobs: [ordersJob], runs: [succeeded] });
    await collect('2026-11-01T12:00:00Z', '2026-11-01T14:00:00Z', '2026-11-01T14:05:00Z');
    fake.restore();
    fake = mockGlueAws({ jobs: [ordersJob], runs: [running] });
    const result = await collect('2026-11-01T12:00:00Z', '2026-11-01T13:00:00Z', '2026-11-01T13:05:00Z');
    expect(result.touchedHours).not.toContain('2026-11-01T12:00:00.000Z');
    const rows = await ndjson<GlueJobRunRecord>(runsFile('2026-11-01', '12'));
    expect(rows.map((r) => r.job_run_state)).toEqual(['SUCCEEDED']);
  });

  it('keeps runs started, or completed, in the window and runs still running; not the others', async () => {
    const base = { JobName: 'orders', Attempt: 0, MaxCapacity: 2, ExecutionTime: 60 };
    const runs: JobRun[] = [
      // started in the window
      {
        ...base,
        Id: 'a',
        JobRunState: 'FAILED',
        StartedOn: t('2026-11-01T12:10:00Z'),
        CompletedOn: t('2026-11-01T12:20:00Z'),
      },
      // started before, completed in the window
      {
        ...base,
        Id: 'b',
        JobRunState: 'SUCCEEDED',
        StartedOn: t('2026-11-01T11:30:00Z'),
        CompletedOn: t('2026-11-01T12:05:00Z'),
      },
      // started before, still running
      { ...base, Id: 'c', JobRunState: 'STOPPING', StartedOn: t('2026-11-01T10:00:00Z') },
      // finished before the window
      {
        ...base,
        Id: 'd',
        JobRunState: 'SUCCEEDED',
        StartedOn: t('2026-11-01T11:00:00Z'),
        CompletedOn: t('2026-11-01T11:50:00Z'),
      },
      // started at the window's end (excluded)
      { ...base, Id: 'e', JobRunState: 'RUNNING', StartedOn: t('2026-11-01T13:00:00Z') },
      // retry of a, started in the window
      {
        ...base,
        Id: 'a_attempt_1',
        Attempt: 1,
        PreviousRunId: 'a',
        JobRunState: 'WAITING',
        StartedOn: t('2026-11-01T12:21:00Z'),
      },
    ];
    fake = mockGlueAws({ jobs: [ordersJob], runs });
    const result = await collect('2026-11-01T12:00:00Z', '2026-11-01T13:00:00Z', '2026-11-01T13:05:00Z');
    expect(result.runs).toBe(4);
    const h12 = await ndjson<GlueJobRunRecord>(runsFile('2026-11-01', '12'));
    expect(h12.map((r) => [r.job_run_id, r.attempt, r.previous_run_id, r.job_run_state])).toEqual([
      ['a', 0, null, 'FAILED'],
      ['a_attempt_1', 1, 'a', 'WAITING'],
    ]);
    expect((await ndjson<GlueJobRunRecord>(runsFile('2026-11-01', '11'))).map((r) => r.job_run_id)).toEqual([
      'b',
    ]);
    expect((await ndjson<GlueJobRunRecord>(runsFile('2026-11-01', '10'))).map((r) => r.job_run_id)).toEqual([
      'c',
    ]);
    expect(result.touchedHours).toEqual([
      '2026-11-01T10:00:00.000Z',
      '2026-11-01T11:00:00.000Z',
      '2026-11-01T12:00:00.000Z',
      '2026-11-01T13:00:00.000Z',
    ]);
  });

  it('computes DPU-seconds and cost per execution class and Region from the price table', async () => {
    const base = { JobName: 'orders', Attempt: 0, JobRunState: 'SUCCEEDED' } as const;
    const at = (minute: number) => t(`2026-11-01T12:${String(minute).padStart(2, '0')}:00Z`);
    const runs: JobRun[] = [
      // auto scaling: DPUSeconds wins over ExecutionTime × MaxCapacity (6000)
      {
        ...base,
        Id: 'autoscaled',
        StartedOn: at(1),
        ExecutionTime: 600,
        MaxCapacity: 10,
        DPUSeconds: 2400.5,
        ExecutionClass: 'STANDARD',
      },
      // FLEX
      {
        ...base,
        Id: 'flex',
        StartedOn: at(2),
        ExecutionTime: 1200,
        MaxCapacity: 10,
        DPUSeconds: 9000,
        ExecutionClass: 'FLEX',
      },
      // Python shell, 1/16 DPU, no class: priced as STANDARD
      { ...base, Id: 'pyshell', StartedOn: at(3), ExecutionTime: 100, MaxCapacity: 0.0625 },
      // nothing known
      { ...base, Id: 'unknown', StartedOn: at(4) },
    ];
    const prices: GluePrices = {
      default: { STANDARD: 0.44, FLEX: 0.29 },
      regions: { 'eu-west-1': { STANDARD: 0.5 } },
    };
    fake = mockGlueAws({ jobs: [{ Name: 'orders', Command: { Name: 'pythonshell' } }], runs });
    await collect('2026-11-01T12:00:00Z', '2026-11-01T13:00:00Z', '2026-11-01T13:05:00Z', {
      prices,
      region: 'eu-west-1',
    });
    const rows = new Map(
      (await ndjson<GlueJobRunRecord>(runsFile('2026-11-01', '12'))).map((r) => [r.job_run_id, r]),
    );
    expect(rows.get('autoscaled')?.dpu_seconds).toBe(2400.5);
    expect(rows.get('autoscaled')?.estimated_cost_usd).toBeCloseTo((2400.5 / 3600) * 0.5, 12); // eu-west-1 override
    expect(rows.get('flex')?.dpu_seconds).toBe(9000);
    expect(rows.get('flex')?.estimated_cost_usd).toBeCloseTo(2.5 * 0.29, 12); // default FLEX: no override
    expect(rows.get('pyshell')?.dpu_seconds).toBe(6.25);
    expect(rows.get('pyshell')?.estimated_cost_usd).toBeCloseTo((6.25 / 3600) * 0.5, 12);
    expect(rows.get('unknown')).toMatchObject({
      dpu_seconds: null,
      estimated_cost_usd: null,
      execution_seconds: null,
    });
    for (const r of rows.values()) expect(r.region).toBe('eu-west-1');
  });

  it('drops a hand-broken line with a warning and keeps the rest of the hour file', async () => {
    fake = mockGlueAws({ jobs: [ordersJob], runs: [succeeded] });
    await collect('2026-11-01T12:00:00Z', '2026-11-01T14:00:00Z', '2026-11-01T14:05:00Z');
    const file = runsFile('2026-11-01', '12');
    await writeFile(file, `${await readFile(file, 'utf8')}{not json\n`);
    const result = await collect('2026-11-01T12:00:00Z', '2026-11-01T14:00:00Z', '2026-11-01T14:05:00Z');
    expect(result.warnings.some((w) => w.startsWith(`${file}:2:`))).toBe(true);
    expect((await ndjson<GlueJobRunRecord>(file)).map((r) => r.job_run_id)).toEqual(['jr_run1']);
  });

  it('refuses an empty window', async () => {
    fake = mockGlueAws({ jobs: [], runs: [] });
    await expect(
      collect('2026-11-01T12:00:00Z', '2026-11-01T12:00:00Z', '2026-11-01T13:00:00Z'),
    ).rejects.toThrow(/empty window/);
  });
});

describe('jobRunBoundMinutes', () => {
  it("is the job's Timeout, Glue's default 2,880 without one, 7 days for streaming without one", () => {
    expect(jobRunBoundMinutes({ Timeout: 30 })).toBe(30);
    expect(jobRunBoundMinutes({})).toBe(2880);
    expect(jobRunBoundMinutes({ Command: { Name: 'gluestreaming' } })).toBe(10_080);
    expect(jobRunBoundMinutes({ Timeout: 50_000 })).toBe(10_080);
  });
});
