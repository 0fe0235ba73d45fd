import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Job, JobRun } from '@aws-sdk/client-glue';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CollectedSources } from '../../src/orchestration/handlers/collect-sources.ts';
import type { PlannedRun } from '../../src/orchestration/handlers/plan-window.ts';
import { handler } from '../../src/orchestration/lambda-entry.ts';
import { mockGlueAws } from '../sources/glue/glue-fake-aws.ts';
import { type FakeS3, fakeS3 } from './fake-s3.ts';

/*
 * The Lambda's collect task on AWS: Glue GetJobs/GetJobRuns and CloudWatch GetMetricData (mocked)
 * → hour files under s3://<lake>/<prefix>/raw/glue/, where the Athena tables read them → the
 * plan of the same run loads their hours. Every request is validated against the AWS models.
 */

const ACCOUNT = '111122223333';
const LAKE = 'lakeq-lake';
const ENV = {
  LAKEQ_DATA_BUCKET: LAKE,
  LAKEQ_DATA_PREFIX: 'lakeq',
  LAKEQ_GLUE_DATABASE: 'lakeq',
  LAKEQ_ATHENA_WORKGROUP: 'lakeq',
  LAKEQ_CLOUDTRAIL_ROOT: 's3://org-trail',
  LAKEQ_AWS_ACCOUNT_ID: ACCOUNT,
  AWS_REGION: 'eu-west-1',
};

const job: Job = {
  Name: 'orders-etl',
  Command: { Name: 'glueetl' },
  WorkerType: 'G.1X',
  NumberOfWorkers: 10,
  GlueVersion: '4.0',
  Timeout: 120,
};
const run = (id: string, started: string, state: JobRun['JobRunState'], completed?: string): JobRun => ({
  Id: id,
  JobName: 'orders-etl',
  Attempt: 0,
  JobRunState: state,
  StartedOn: new Date(started),
  LastModifiedOn: new Date(completed ?? started),
  ...(completed
    ? {
        CompletedOn: new Date(completed),
        ExecutionTime: (Date.parse(completed) - Date.parse(started)) / 1000,
      }
    : { ExecutionTime: 0 }),
  MaxCapacity: 10,
  WorkerType: 'G.1X',
  NumberOfWorkers: 10,
  GlueVersion: '4.0',
});

let s3: FakeS3;
let dir: string;
let glue: ReturnType<typeof mockGlueAws>;

beforeEach(async () => {
  s3 = fakeS3();
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-aws-collect-'));
  Object.assign(process.env, ENV, { LAKEQ_DATA_DIR: dir });
});
afterEach(async () => {
  vi.useRealTimers();
  glue?.restore();
  for (const name of [...Object.keys(ENV), 'LAKEQ_DATA_DIR']) delete process.env[name];
  await rm(dir, { recursive: true, force: true });
});

describe('the collect task on AWS', () => {
  it('writes the Glue runs and metrics of the window to S3 and the plan loads their hours', async () => {
    const state = {
      jobs: [job],
      runs: [
        run('jr_old', '2026-11-26T08:00:00Z', 'SUCCEEDED', '2026-11-26T08:20:00Z'),
        run('jr_a', '2026-11-27T12:10:00Z', 'SUCCEEDED', '2026-11-27T12:40:00Z'),
        run('jr_b', '2026-11-27T13:05:00Z', 'RUNNING'),
      ],
    };
    glue = mockGlueAws(state);
    // The Lambda's clock: what "still running" is measured to (metrics up to now).
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-27T14:05:30Z') });
    const input = { time: '2026-11-27T14:05:00Z' };
    const collected = (await handler({ action: 'collectSources', input })) as CollectedSources;
    expect(collected.glue).toMatchObject({ collected: true, runs: 2 });
    // The running run's metrics reach the clock (14:05): hour 14 is touched but not finished, so not planned.
    expect(collected.touchedHours).toEqual([
      '2026-11-27T12:00:00.000Z',
      '2026-11-27T13:00:00.000Z',
      '2026-11-27T14:00:00.000Z',
    ]);
    const runFiles = s3.keys(LAKE, 'lakeq/raw/glue/job-runs/');
    expect(runFiles).toEqual([
      'lakeq/raw/glue/job-runs/dt=2026-11-27/hour=12/job-runs.json',
      'lakeq/raw/glue/job-runs/dt=2026-11-27/hour=13/job-runs.json',
    ]);
    const hour13 = s3.buckets.get(LAKE)?.get(runFiles[1] as string)?.body ?? '';
    expect(JSON.parse(hour13.trim())).toMatchObject({
      job_name: 'orders-etl',
      job_run_id: 'jr_b',
      job_run_state: 'RUNNING',
      region: 'eu-west-1',
      account_id: ACCOUNT,
    });
    expect(s3.keys(LAKE, 'lakeq/raw/glue/job-metrics/').length).toBeGreaterThan(0);

    const plan = (await handler({
      action: 'planWindow',
      input: { ...input, collected },
      executionName: 'hourly-2026-11-27T13',
    })) as PlannedRun;
    const glueStage = plan.stages.find((s) => s.table === 'glue_job_runs');
    // Hours 12 and 13 have files; hour 11 has none and was never loaded, so there is nothing to write.
    expect(glueStage?.batches.reduce((n, b) => n + b.partitions, 0)).toBe(2);
    expect(glueStage?.batches.at(-1)?.to).toBe('2026-11-27T14:00:00.000Z');
    expect(glue.validate()).toBeGreaterThan(0);

    // The run finishes; the next hour's collection replaces its line, and S3 holds one file per hour still.
    state.runs[2] = run('jr_b', '2026-11-27T13:05:00Z', 'FAILED', '2026-11-27T14:30:00Z');
    const puts = s3.calls.filter((c) => c.operation === 'PutObject').length;
    vi.setSystemTime(new Date('2026-11-27T15:05:30Z'));
    const next = (await handler({
      action: 'collectSources',
      input: { time: '2026-11-27T15:05:00Z' },
    })) as CollectedSources;
    expect(next.touchedHours).toContain('2026-11-27T13:00:00.000Z');
    const again = s3.buckets.get(LAKE)?.get(runFiles[1] as string)?.body ?? '';
    expect(again.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(again)).toMatchObject({ job_run_id: 'jr_b', job_run_state: 'FAILED' });
    expect(s3.calls.filter((c) => c.operation === 'PutObject').length).toBeGreaterThan(puts);
  });

  it('is off with LAKEQ_GLUE_COLLECT=false, and the plan then leaves the Glue tables out', async () => {
    process.env.LAKEQ_GLUE_COLLECT = 'false';
    try {
      const collected = (await handler({
        action: 'collectSources',
        input: { time: '2026-11-27T14:05:00Z' },
      })) as CollectedSources;
      expect(collected).toEqual({
        touchedHours: [],
        glue: { collected: false, reason: 'no Glue source configured' },
        // Opt-in on AWS: without Regions to read, the Identity Center collector reads nothing.
        'identity-center': {
          collected: false,
          reason: 'LAKEQ_IDENTITY_CENTER_REGIONS names no Region to read',
        },
      });
      const plan = (await handler({
        action: 'planWindow',
        input: { time: '2026-11-27T14:05:00Z' },
        executionName: 'hourly-2026-11-27T13',
      })) as PlannedRun;
      expect(plan.stages.map((s) => s.table)).not.toContain('glue_job_runs');
    } finally {
      delete process.env.LAKEQ_GLUE_COLLECT;
    }
  });
});
