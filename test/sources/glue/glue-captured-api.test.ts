import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCapturedGlueApi } from '../../../src/sources/glue/collect/captured-api.ts';
import { DEFAULT_GLUE_PRICES } from '../../../src/sources/glue/collect/prices.ts';
import type { GlueJobMetricRecord, GlueJobRunRecord } from '../../../src/sources/glue/collect/records.ts';
import { collectGlue } from '../../../src/sources/glue/collect.ts';
import { expectValidRequest } from '../../support/aws-model-validator.ts';
import { loadFixture } from '../../support/load-fixture.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-glue-captured-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(rel: string, content: unknown): Promise<string> {
  const file = path.join(dir, 'src', rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

async function ndjson<T>(file: string): Promise<T[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

const fixtureJob = loadFixture<{ Job: Record<string, unknown> }>('glue/api-responses/glue__get-job.json').Job;
const fixtureRuns = loadFixture<Record<string, unknown>>('glue/api-responses/glue__get-job-runs.json');

const run = (
  id: string,
  state: string,
  started: string,
  modified: string,
  extra: Record<string, unknown> = {},
) => ({
  Id: id,
  JobName: 'etl',
  Attempt: 0,
  JobRunState: state,
  StartedOn: started,
  LastModifiedOn: modified,
  ExecutionTime: 0,
  MaxCapacity: 2,
  ...extra,
});

describe('openCapturedGlueApi', () => {
  it('merges a run seen in several files: the latest state wins whatever the file order', async () => {
    await put('jobs/all.json', {
      Jobs: [{ Name: 'etl', Command: { Name: 'glueetl' }, CreatedOn: 1602805698.167 }],
    });
    // File order (sorted): a-final.json, b/page.json, z-old.json.
    await put('job-runs/a-final.json', {
      JobRuns: [
        run('r1', 'SUCCEEDED', '2026-11-01T12:00:00+00:00', '2026-11-01T12:30:00+00:00', {
          CompletedOn: '2026-11-01T12:30:00+00:00',
          ExecutionTime: 1790,
        }),
        run('r2', 'RUNNING', '2026-11-01T12:40:00+00:00', '2026-11-01T12:45:00+00:00'),
      ],
    });
    // The same runs, seen earlier: r1 still running; r2 starting (an older LastModifiedOn), in epoch seconds.
    await put('job-runs/b/page.json', {
      JobRuns: [
        run('r2', 'STARTING', String(Date.parse('2026-11-01T12:40:00Z') / 1000), '', {
          StartedOn: Date.parse('2026-11-01T12:40:00Z') / 1000,
          LastModifiedOn: Date.parse('2026-11-01T12:40:05Z') / 1000,
        }),
      ],
    });
    await put('job-runs/z-old.json', {
      JobRuns: [run('r1', 'RUNNING', '2026-11-01T12:00:00Z', '2026-11-01T12:59:00Z')],
    });
    const api = await openCapturedGlueApi(path.join(dir, 'src'));
    expect(api.warnings).toEqual([]);
    const page = await api.getJobRuns('etl');
    expect(page.JobRuns?.map((r) => [r.Id, r.JobRunState])).toEqual([
      ['r2', 'RUNNING'],
      ['r1', 'SUCCEEDED'],
    ]);
    expect(page.JobRuns?.[1]?.CompletedOn?.toISOString()).toBe('2026-11-01T12:30:00.000Z');

    const result = await collectGlue({
      api,
      root: path.join(dir, 'raw'),
      from: new Date('2026-11-01T12:00:00Z'),
      to: new Date('2026-11-01T13:00:00Z'),
      prices: DEFAULT_GLUE_PRICES,
      region: 'us-east-1',
      accountId: null,
      now: new Date('2026-11-01T13:00:00Z'),
    });
    expect(result.runs).toBe(2);
    const rows = await ndjson<GlueJobRunRecord>(
      path.join(dir, 'raw/job-runs/dt=2026-11-01/hour=12/job-runs.json'),
    );
    expect(rows.map((r) => [r.job_run_id, r.job_run_state, r.dpu_seconds])).toEqual([
      ['r1', 'SUCCEEDED', 3580],
      ['r2', 'RUNNING', 0],
    ]);
  });

  it('reads the AWS fixtures (epoch seconds) and lists jobs seen only in job runs', async () => {
    await put('jobs/get-job.json', { Job: fixtureJob });
    await put('job-runs/my-testing-job.json', fixtureRuns);
    await put('job-runs/other.json', {
      JobRuns: [run('x1', 'SUCCEEDED', '2020-10-16T10:00:00Z', '2020-10-16T10:05:00Z')],
    });
    const api = await openCapturedGlueApi(path.join(dir, 'src'));
    const jobs = (await api.getJobs()).Jobs ?? [];
    expect(jobs.map((j) => [j.Name, j.Command?.Name ?? null])).toEqual([
      ['etl', null],
      ['my-testing-job', 'gluestreaming'],
    ]);
    const runs = (await api.getJobRuns('my-testing-job')).JobRuns ?? [];
    expect(runs.map((r) => r.StartedOn?.toISOString())).toEqual([
      '2020-10-16T18:45:31.255Z',
      '2020-10-16T01:19:28.496Z',
      '2020-10-16T01:17:00.518Z',
    ]);
  });

  it('pages job runs newest first', async () => {
    await put('job-runs/p1.json', {
      JobRuns: [1, 2, 3].map((h) =>
        run(`r${h}`, 'SUCCEEDED', `2026-11-01T0${h}:00:00Z`, `2026-11-01T0${h}:10:00Z`),
      ),
    });
    const api = await openCapturedGlueApi(path.join(dir, 'src'), { pageSize: 2 });
    const first = await api.getJobRuns('etl');
    expect(first.JobRuns?.map((r) => r.Id)).toEqual(['r3', 'r2']);
    expect(first.NextToken).toBeDefined();
    const second = await api.getJobRuns('etl', first.NextToken);
    expect(second.JobRuns?.map((r) => r.Id)).toEqual(['r1']);
    expect(second.NextToken).toBeUndefined();
  });

  it('skips a malformed file with a warning naming it and why, and uses the others', async () => {
    await put('job-runs/good.json', {
      JobRuns: [run('ok', 'SUCCEEDED', '2026-11-01T12:00:00Z', '2026-11-01T12:10:00Z')],
    });
    const truncated = await put('job-runs/truncated.json', '{"JobRuns": [{"Id": "r9"');
    const wrongType = await put('job-runs/deep/wrong.json', { JobRuns: [{ Id: 7, JobName: 'etl' }] });
    const badDate = await put('job-runs/bad-date.json', {
      JobRuns: [run('r8', 'RUNNING', 'yesterday', '2026-11-01T12:00:00Z')],
    });
    const notRuns = await put('jobs/not-jobs.json', { Something: [] });
    const badMetrics = await put('metrics/m.json', { MetricDataQueries: [], MetricDataResults: 'none' });
    const api = await openCapturedGlueApi(path.join(dir, 'src'));
    expect(api.warnings).toHaveLength(5);
    const warningFor = (file: string) => api.warnings.find((w) => w.startsWith(`${file}: skipped`));
    expect(warningFor(truncated)).toMatch(/not valid JSON/);
    expect(warningFor(wrongType)).toMatch(/not a GetJobRuns output .*JobRuns\.0\.Id/);
    expect(warningFor(badDate)).toMatch(/not a date: "yesterday"/);
    expect(warningFor(notRuns)).toMatch(/not a GetJobs output/);
    expect(warningFor(badMetrics)).toMatch(/not a GetMetricData capture .*MetricDataResults/);
    expect((await api.getJobRuns('etl')).JobRuns?.map((r) => r.Id)).toEqual(['ok']);

    // The collector passes the source's warnings on.
    const result = await collectGlue({
      api,
      root: path.join(dir, 'raw'),
      from: new Date('2026-11-01T12:00:00Z'),
      to: new Date('2026-11-01T13:00:00Z'),
      prices: DEFAULT_GLUE_PRICES,
      region: 'us-east-1',
      accountId: null,
      now: new Date('2026-11-01T13:00:00Z'),
    });
    expect(result.runs).toBe(1);
    expect(result.warnings).toEqual(api.warnings);
  });

  it('answers GetMetricData from the stored results whose query matches the dimensions, metric and stat', async () => {
    const dims = [
      { Name: 'JobRunId', Value: 'r1' },
      { Name: 'Type', Value: 'count' },
      { Name: 'JobName', Value: 'etl' },
    ];
    const query = (Id: string, MetricName: string, Stat: string, Dimensions = dims) => ({
      Id,
      MetricStat: { Metric: { Namespace: 'Glue', MetricName, Dimensions }, Period: 60, Stat },
    });
    await put('metrics/day1.json', {
      MetricDataQueries: [
        query('a', 'glue.driver.aggregate.bytesRead', 'Sum'),
        query('b', 'glue.driver.aggregate.recordsRead', 'Sum'),
      ],
      MetricDataResults: [
        {
          Id: 'a',
          Timestamps: ['2026-11-01T12:02:00+00:00', '2026-11-01T12:01:00+00:00'],
          Values: [20, 10],
          StatusCode: 'Complete',
        },
        { Id: 'b', Timestamps: ['2026-11-01T12:01:00+00:00'], Values: [5], StatusCode: 'Complete' },
      ],
    });
    // A second capture of the same series (other ids, epoch seconds): points are merged.
    await put('metrics/day2.json', {
      MetricDataQueries: [query('x', 'glue.driver.aggregate.bytesRead', 'Sum', [...dims].reverse())],
      MetricDataResults: [{ Id: 'x', Timestamps: [Date.parse('2026-11-01T12:03:00Z') / 1000], Values: [30] }],
    });
    const api = await openCapturedGlueApi(path.join(dir, 'src'));
    expect(api.warnings).toEqual([]);
    const asked = {
      MetricDataQueries: [
        query('r0_m0', 'glue.driver.aggregate.bytesRead', 'Sum', [
          { Name: 'JobName', Value: 'etl' },
          { Name: 'JobRunId', Value: 'r1' },
          { Name: 'Type', Value: 'count' },
        ]),
        query('r0_m1', 'glue.driver.aggregate.bytesRead', 'Average'),
        query('r0_m2', 'glue.driver.aggregate.recordsRead', 'Sum', [{ Name: 'JobName', Value: 'etl' }]),
      ],
      StartTime: new Date('2026-11-01T12:01:00Z'),
      EndTime: new Date('2026-11-01T12:03:00Z'),
      ScanBy: 'TimestampAscending' as const,
    };
    expectValidRequest('cloudwatch', 'GetMetricData', asked);
    const out = await api.getMetricData(asked);
    expect(
      out.MetricDataResults?.map((r) => [
        r.Id,
        r.Timestamps?.map((t) => t.toISOString().slice(11, 16)),
        r.Values,
      ]),
    ).toEqual([
      ['r0_m0', ['12:01', '12:02'], [10, 20]], // 12:03 is at EndTime, excluded
      ['r0_m1', [], []], // another statistic
      ['r0_m2', [], []], // other dimensions
    ]);
  });

  it('refuses a folder that does not exist', async () => {
    await expect(openCapturedGlueApi(path.join(dir, 'nope'))).rejects.toThrow(
      /Glue source folder not found: .*nope/,
    );
  });
});

describe('a metric capture through the collector', () => {
  it('writes the stored datapoints of a kept run with their unit and statistic', async () => {
    await put('jobs/j.json', { Jobs: [{ Name: 'etl', Command: { Name: 'glueetl' } }] });
    await put('job-runs/r.json', {
      JobRuns: [
        run('r1', 'SUCCEEDED', '2026-11-01T12:00:30Z', '2026-11-01T12:03:00Z', {
          CompletedOn: '2026-11-01T12:03:00Z',
        }),
      ],
    });
    await put('metrics/m.json', {
      MetricDataQueries: [
        {
          Id: 'q1',
          MetricStat: {
            Metric: {
              Namespace: 'Glue',
              MetricName: 'glue.driver.jvm.heap.usage',
              Dimensions: [
                { Name: 'JobName', Value: 'etl' },
                { Name: 'JobRunId', Value: 'r1' },
                { Name: 'Type', Value: 'gauge' },
              ],
            },
            Period: 60,
            Stat: 'Average',
          },
        },
      ],
      MetricDataResults: [
        {
          Id: 'q1',
          Timestamps: ['2026-11-01T12:03:00Z', '2026-11-01T12:02:00Z', '2026-11-01T12:01:00Z'],
          Values: [0.5, 0.4, 0.3],
        },
      ],
    });
    const api = await openCapturedGlueApi(path.join(dir, 'src'));
    const result = await collectGlue({
      api,
      root: path.join(dir, 'raw'),
      from: new Date('2026-11-01T12:00:00Z'),
      to: new Date('2026-11-01T13:00:00Z'),
      prices: DEFAULT_GLUE_PRICES,
      region: 'us-east-1',
      accountId: '111122223333',
      now: new Date('2026-11-01T13:00:00Z'),
    });
    // The run's range is [12:00, 12:03): the 12:03 point is after it.
    expect(result.metricPoints).toBe(2);
    const points = await ndjson<GlueJobMetricRecord>(
      path.join(dir, 'raw/job-metrics/dt=2026-11-01/hour=12/job-metrics.json'),
    );
    expect(points).toEqual(
      ['12:01', '12:02'].map((hm, i) => ({
        job_name: 'etl',
        job_run_id: 'r1',
        metric_name: 'glue.driver.jvm.heap.usage',
        metric_type: 'gauge',
        metric_time: `2026-11-01T${hm}:00.000Z`,
        value: [0.3, 0.4][i],
        unit: 'Percentage',
        statistic: 'Average',
        region: 'us-east-1',
        account_id: '111122223333',
      })),
    );
  });
});
