import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CloudWatchClient,
  CloudWatchServiceException,
  GetMetricDataCommand,
  type GetMetricDataOutput,
} from '@aws-sdk/client-cloudwatch';
import {
  GetJobRunsCommand,
  GetJobsCommand,
  GlueClient,
  type Job,
  type JobRun,
  ThrottlingException,
} from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchRunMetrics, planMetricBatches } from '../../../src/sources/glue/collect/metric-data.ts';
import { GLUE_JOB_METRICS } from '../../../src/sources/glue/collect/metrics.ts';
import { DEFAULT_GLUE_PRICES } from '../../../src/sources/glue/collect/prices.ts';
import type { GlueJobMetricRecord, GlueJobRunRecord } from '../../../src/sources/glue/collect/records.ts';
import { createSdkGlueApi } from '../../../src/sources/glue/collect/sdk-api.ts';
import { collectGlue } from '../../../src/sources/glue/collect.ts';
import { expectValidCommands, expectValidRequest } from '../../support/aws-model-validator.ts';
import { loadFixture } from '../../support/load-fixture.ts';
import { asSdkMetricResult, asSdkRun, metricValue, mockGlueAws } from './glue-fake-aws.ts';

const fixtureJob = loadFixture<{ Job: Record<string, unknown> }>('glue/api-responses/glue__get-job.json').Job;
const fixtureRuns = loadFixture<{ JobRuns: Record<string, unknown>[] }>(
  'glue/api-responses/glue__get-job-runs.json',
).JobRuns.map(asSdkRun);
const fixtureMetricData = loadFixture<{ MetricDataResults: Record<string, unknown>[] }>(
  'glue/cloudwatch-api-responses/cloudwatch__get-metric-data.json',
);

const FAST_RETRY = { minTimeoutMs: 1, maxTimeoutMs: 5 };
const HOUR = 3_600_000;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-glue-sdk-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lines = async (file: string) =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as GlueJobRunRecord & GlueJobMetricRecord);

describe('the AWS SDK source', () => {
  let fake: ReturnType<typeof mockGlueAws> | undefined;
  afterEach(() => {
    fake?.validate();
    fake?.restore();
    fake = undefined;
  });

  it('collects the fixture runs: attempts, previous run ids, errors, DPU-seconds and cost', async () => {
    // The fixture job is a Glue 1.0 streaming job; its runs are G.1X with MaxCapacity 10.
    fake = mockGlueAws({ jobs: [fixtureJob as Job], runs: fixtureRuns });
    const api = createSdkGlueApi({ region: 'us-east-1' });
    // Fixture runs start 2020-10-16T01:17Z (two failed attempts) and 2020-10-16T18:45Z.
    const result = await collectGlue({
      api,
      root: dir,
      from: new Date('2020-10-16T00:00:00Z'),
      to: new Date('2020-10-17T00:00:00Z'),
      prices: DEFAULT_GLUE_PRICES,
      region: 'us-east-1',
      accountId: '111122223333',
      now: new Date('2020-10-17T00:05:00Z'),
    });
    expect(result.runs).toBe(3);
    expect(result.warnings).toEqual([]);
    const late = await lines(path.join(dir, 'job-runs/dt=2020-10-16/hour=18/job-runs.json'));
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({
      job_name: 'my-testing-job',
      job_run_id: 'jr_012e176506505074d94d761755e5c62538ee1aad6f17d39f527e9140cf0c9a5e',
      attempt: 0,
      previous_run_id: null,
      job_run_state: 'SUCCEEDED',
      job_type: 'gluestreaming',
      started_on: '2020-10-16T18:45:31.255Z',
      completed_on: '2020-10-16T18:47:55.985Z',
      execution_seconds: 117,
      worker_type: 'G.1X',
      number_of_workers: 10,
      max_capacity: 10,
      dpu_seconds: 1170, // ExecutionTime 117 × MaxCapacity 10 (no DPUSeconds)
      glue_version: '2.0',
      timeout_minutes: 2880,
      region: 'us-east-1',
      account_id: '111122223333',
    });
    expect(late[0]?.estimated_cost_usd).toBeCloseTo(0.143, 10); // 1170 / 3600 × 0.44
    const early = await lines(path.join(dir, 'job-runs/dt=2020-10-16/hour=01/job-runs.json'));
    const first = 'jr_03cc19ddab11c4e244d3f735567de74ff93b0b3ef468a713ffe73e53d1aec08f';
    expect(early.map((r) => [r.job_run_id, r.attempt, r.previous_run_id, r.job_run_state])).toEqual([
      [`${first}_attempt_1`, 1, first, 'FAILED'],
      [`${first}_attempt_2`, 2, `${first}_attempt_1`, 'FAILED'],
    ]);
    expect(early[0]?.error_message).toContain('Access Denied (Service: Amazon S3; Status Code: 403');
    expect(Object.keys(early[0] ?? {})).toEqual([
      'job_name',
      'job_run_id',
      'attempt',
      'previous_run_id',
      'trigger_name',
      'job_run_state',
      'job_type',
      'started_on',
      'completed_on',
      'last_modified_on',
      'execution_seconds',
      'worker_type',
      'number_of_workers',
      'max_capacity',
      'dpu_seconds',
      'glue_version',
      'execution_class',
      'timeout_minutes',
      'error_message',
      'estimated_cost_usd',
      'region',
      'account_id',
    ]);
    // Every GetJobRuns asks for the biggest page Glue allows.
    expect(fake.jobRunsCalls()).toEqual([{ JobName: 'my-testing-job', MaxResults: 200 }]);
  });

  it('stops paging GetJobRuns once a page ends before the window start minus the longest timeout', async () => {
    const to = Date.parse('2026-11-10T00:00:00Z');
    const from = to - HOUR;
    // An hourly job with ten days of history: run i started i+1 hours before `to`, plus 5 minutes.
    const runs: JobRun[] = Array.from({ length: 240 }, (_, i) => {
      const started = to - (i + 1) * HOUR + 5 * 60_000;
      return {
        Id: `jr_${String(i).padStart(4, '0')}`,
        JobName: 'hourly',
        Attempt: 0,
        JobRunState: 'SUCCEEDED',
        StartedOn: new Date(started),
        CompletedOn: new Date(started + 600_000),
        LastModifiedOn: new Date(started + 600_000),
        ExecutionTime: 590,
        MaxCapacity: 2,
      };
    });
    const jobs: Job[] = [{ Name: 'hourly', Command: { Name: 'pythonshell' }, Timeout: 30, MaxCapacity: 2 }];
    fake = mockGlueAws({ jobs, runs });
    const result = await collectGlue({
      api: createSdkGlueApi({ region: 'us-east-1', jobRunsPageSize: 3 }),
      root: dir,
      from: new Date(from),
      to: new Date(to),
      prices: DEFAULT_GLUE_PRICES,
      region: 'us-east-1',
      now: new Date(to + 60_000),
    });
    // The bound is Glue's default 2,880 minutes (the job's 30 is less): paging may stop after the
    // first page whose last run started before from − 48 h = to − 49 h. Page k (3 runs) ends with
    // run 3k+2, started to − (3k+3) h + 5 min: the first below is k = 16 (to − 51 h + 5 min).
    const horizon = from - 2880 * 60_000;
    let expectedPages = 0;
    for (let k = 0; k * 3 < runs.length; k++) {
      expectedPages++;
      const last = runs[Math.min(k * 3 + 2, runs.length - 1)];
      if ((last?.StartedOn?.getTime() ?? 0) < horizon) break;
    }
    expect(expectedPages).toBe(17);
    expect(fake.jobRunsCalls()).toHaveLength(expectedPages);
    expect(fake.jobRunsCalls()[1]).toEqual({ JobName: 'hourly', MaxResults: 3, NextToken: '3' });
    // Only the run that started in the window was kept.
    expect(result.runs).toBe(1);
    expect((await lines(path.join(dir, 'job-runs/dt=2026-11-09/hour=23/job-runs.json')))[0]?.job_run_id).toBe(
      'jr_0000',
    );
  });

  it('retries throttled GetJobs, GetJobRuns and GetMetricData calls', async () => {
    const glue = mockClient(GlueClient);
    const cloudwatch = mockClient(CloudWatchClient);
    try {
      const throttled = () => new ThrottlingException({ message: 'Rate exceeded', $metadata: {} });
      glue
        .on(GetJobsCommand)
        .rejectsOnce(throttled())
        .rejectsOnce(throttled())
        .resolves({ Jobs: [fixtureJob as Job] });
      glue
        .on(GetJobRunsCommand)
        .rejectsOnce(throttled())
        .rejectsOnce(throttled())
        .resolves({ JobRuns: fixtureRuns });
      const cwThrottled = () =>
        new CloudWatchServiceException({
          name: 'Throttling',
          $fault: 'client',
          message: 'Rate exceeded',
          $metadata: { httpStatusCode: 400 },
        });
      const metricData = {
        ...fixtureMetricData,
        MetricDataResults: fixtureMetricData.MetricDataResults.map(asSdkMetricResult),
      } as GetMetricDataOutput;
      cloudwatch
        .on(GetMetricDataCommand)
        .rejectsOnce(cwThrottled())
        .rejectsOnce(cwThrottled())
        .resolves(metricData);

      const api = createSdkGlueApi({ region: 'us-east-1', retry: FAST_RETRY });
      expect((await api.getJobs()).Jobs?.[0]?.Name).toBe('my-testing-job');
      expect((await api.getJobRuns('my-testing-job')).JobRuns).toHaveLength(3);
      const input = {
        MetricDataQueries: [
          {
            Id: 'm3',
            MetricStat: {
              Metric: { Namespace: 'Glue', MetricName: 'glue.driver.jvm.heap.usage' },
              Period: 60,
              Stat: 'Average',
            },
          },
        ],
        StartTime: new Date('2024-09-29T22:00:00Z'),
        EndTime: new Date('2024-09-29T23:00:00Z'),
      };
      expectValidRequest('cloudwatch', 'GetMetricData', input);
      const out = await api.getMetricData(input);
      expect(out.MetricDataResults?.[0]?.Values).toEqual([96.85]);
      expect(glue.commandCalls(GetJobsCommand)).toHaveLength(3);
      expect(glue.commandCalls(GetJobRunsCommand)).toHaveLength(3);
      expect(cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(3);
      expectValidCommands(
        'glue',
        glue.calls().map((c) => c.args[0]),
      );
      expectValidCommands(
        'cloudwatch',
        cloudwatch.calls().map((c) => c.args[0]),
      );
    } finally {
      glue.restore();
      cloudwatch.restore();
    }
  });

  it('does not retry an error that is not throttling', async () => {
    const glue = mockClient(GlueClient);
    try {
      glue.on(GetJobsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
      const api = createSdkGlueApi({ region: 'us-east-1', retry: FAST_RETRY });
      await expect(api.getJobs()).rejects.toThrow('denied');
      expect(glue.commandCalls(GetJobsCommand)).toHaveLength(1);
    } finally {
      glue.restore();
    }
  });
});

describe('GetMetricData batching', () => {
  const base = Date.parse('2026-11-01T00:00:00Z');
  const runs = Array.from({ length: 30 }, (_, i) => ({
    jobName: `job-${i % 3}`,
    runId: `jr_${String(i).padStart(3, '0')}`,
    start: new Date(base + i * 7 * 60_000 + 12_345),
    end: new Date(base + i * 7 * 60_000 + 5 * 60_000 + 1),
  }));

  it('sends at most 500 queries a request, with valid unique ids, over the runs floored/ceiled to the minute', () => {
    const batches = planMetricBatches(runs);
    // 30 runs × 22 metrics = 660 queries: 500 + 160.
    expect(GLUE_JOB_METRICS).toHaveLength(22);
    expect(batches.map((b) => b.input.MetricDataQueries.length)).toEqual([500, 160]);
    for (const batch of batches) {
      expectValidRequest('cloudwatch', 'GetMetricData', batch.input);
      const ids = batch.input.MetricDataQueries.map((q) => q.Id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9_]*$/);
      for (const q of batch.input.MetricDataQueries) {
        expect(q.MetricStat?.Period).toBe(60);
        expect(q.MetricStat?.Metric.Namespace).toBe('Glue');
        expect(q.MetricStat?.Metric.Dimensions?.map((d) => d.Name)).toEqual(['JobName', 'JobRunId', 'Type']);
      }
    }
    // Run 0 starts at 00:00:12.345 (→ 00:00); run 29 ends at 03:28:00.001 (→ 03:29).
    expect(batches[0]?.input.StartTime.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(batches[1]?.input.EndTime.toISOString()).toBe('2026-11-01T03:29:00.000Z');
  });

  it('pages through NextToken and maps every datapoint back to its run and metric', async () => {
    const sdkRuns: JobRun[] = runs.map((r) => ({
      Id: r.runId,
      JobName: r.jobName,
      StartedOn: r.start,
      CompletedOn: r.end,
      JobRunState: 'SUCCEEDED',
    }));
    const fake = mockGlueAws({ jobs: [], runs: sdkRuns, metricPageSize: 1000 });
    try {
      const { records, warnings } = await fetchRunMetrics(createSdkGlueApi({ region: 'us-east-1' }), runs, {
        region: 'us-east-1',
        accountId: null,
      });
      expect(warnings).toEqual([]);
      // Each run ran 5 whole minutes after its first full minute: minutes 1..5 → 5 points × 22 metrics.
      expect(records).toHaveLength(30 * 5 * 22);
      for (const r of records.slice(0, 200)) {
        expect(r.value).toBe(metricValue(r.job_run_id, r.metric_name, Date.parse(r.metric_time)));
        const def = GLUE_JOB_METRICS.find((d) => d.name === r.metric_name);
        expect([r.metric_type, r.statistic, r.unit]).toEqual([def?.type, def?.stat, def?.unit]);
      }
      // 660 queries × 5 points = 3,300 points: the 500-query request pages 3 times, the other once.
      expect(fake.metricCalls().map((c) => c.NextToken ?? null)).toEqual([null, '1000', '2000', null]);
      fake.validate();
    } finally {
      fake.restore();
    }
  });

  it('maps the fixture GetMetricData result to its run', async () => {
    const cloudwatch = mockClient(CloudWatchClient);
    try {
      const fixture = fixtureMetricData.MetricDataResults[0] as Record<string, unknown>;
      cloudwatch.on(GetMetricDataCommand).resolves({
        MetricDataResults: [{ ...asSdkMetricResult(fixture), Id: 'r0_m12' }],
        Messages: [],
      });
      const run = {
        jobName: 'my-testing-job',
        runId: 'jr_1',
        start: new Date('2024-09-29T22:05:30Z'),
        end: new Date('2024-09-29T22:30:00Z'),
      };
      const { records } = await fetchRunMetrics(createSdkGlueApi({ region: 'us-east-1' }), [run], {
        region: 'eu-west-1',
        accountId: '111122223333',
      });
      expect(records).toEqual([
        {
          job_name: 'my-testing-job',
          job_run_id: 'jr_1',
          metric_name: GLUE_JOB_METRICS[12]?.name,
          metric_type: 'gauge',
          metric_time: '2024-09-29T22:10:00.000Z',
          value: 96.85,
          unit: 'Percentage',
          statistic: 'Average',
          region: 'eu-west-1',
          account_id: '111122223333',
        },
      ]);
      const input = cloudwatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
      expect(input?.StartTime?.toISOString()).toBe('2024-09-29T22:05:00.000Z');
      expect(input?.EndTime?.toISOString()).toBe('2024-09-29T22:30:00.000Z');
      expectValidCommands(
        'cloudwatch',
        cloudwatch.calls().map((c) => c.args[0]),
      );
    } finally {
      cloudwatch.restore();
    }
  });
});
