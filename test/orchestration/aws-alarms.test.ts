import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import {
  CloudWatchClient,
  PutMetricDataCommand,
  type PutMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appendLedger } from '../../src/ingest/ledger.ts';
import { handler } from '../../src/orchestration/lambda-entry.ts';
import { s3ObjectStore } from '../../src/storage/s3-object-store.ts';
import { ledgerRow } from '../alarms/ledger-rows.ts';
import { expectValidCommands } from '../support/aws-model-validator.ts';
import { fakeS3 } from './fake-s3.ts';

/*
 * The hourly run's last task on AWS: the ETL's health from the ledger in S3 and the query alarms'
 * values from Athena, published with PutMetricData for the CloudWatch alarms deploy created.
 */

const ACCOUNT = '111122223333';
const ENV = {
  LAKEQ_DATA_BUCKET: 'lakeq-lake',
  LAKEQ_DATA_PREFIX: 'lakeq',
  LAKEQ_GLUE_DATABASE: 'lakeq',
  LAKEQ_ATHENA_WORKGROUP: 'lakeq',
  LAKEQ_CLOUDTRAIL_ROOT: 's3://org-trail',
  LAKEQ_AWS_ACCOUNT_ID: ACCOUNT,
  AWS_REGION: 'eu-west-1',
};
const athena = mockClient(AthenaClient);
const cloudwatch = mockClient(CloudWatchClient);
let dir: string;

beforeEach(async () => {
  fakeS3();
  athena.reset();
  cloudwatch.reset();
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-aws-alarms-'));
  Object.assign(process.env, ENV, { LAKEQ_DATA_DIR: dir });
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-28T01:20:30Z') });
});
afterEach(async () => {
  vi.useRealTimers();
  for (const name of [...Object.keys(ENV), 'LAKEQ_DATA_DIR']) delete process.env[name];
  await rm(dir, { recursive: true, force: true });
});

describe('evaluateAlarms on AWS', () => {
  it('publishes lag, failed loads and the query alarms’ values to the lakeq namespace', async () => {
    await appendLedger(s3ObjectStore({ root: 's3://lakeq-lake/lakeq/', client: () => new S3Client({}) }), [
      ledgerRow({
        table: 'cloudtrail_events',
        dt: '2026-11-27',
        hour: '20',
        status: 'loaded',
        rows: 9,
        finishedAt: '2026-11-27T21:05:00Z',
      }),
      ledgerRow({
        table: 'cloudtrail_events',
        dt: '2026-11-27',
        hour: '21',
        status: 'failed',
        finishedAt: '2026-11-28T00:50:00Z',
      }),
    ]);
    let n = 0;
    athena.on(StartQueryExecutionCommand).callsFake(() => ({ QueryExecutionId: `q-${++n}` }));
    athena.on(GetQueryExecutionCommand).callsFake((input: { QueryExecutionId: string }) => ({
      QueryExecution: {
        QueryExecutionId: input.QueryExecutionId,
        Status: { State: 'SUCCEEDED' },
        StatementType: 'DML',
        Statistics: { DataScannedInBytes: 0 },
      },
    }));
    // No failed Glue run, no cost: each query answers its header row only.
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        Rows: [{ Data: [{ VarCharValue: 'job_name' }] }],
        ResultSetMetadata: { ColumnInfo: [{ Name: 'job_name', Type: 'varchar' }] },
      },
    });
    cloudwatch.on(PutMetricDataCommand).resolves({});

    const out = (await handler({ action: 'evaluateAlarms', executionName: 'hourly-2026-11-28T00' })) as {
      evaluated: boolean;
      summary: { mode: string; values: { alarm: string; value: number | null }[] };
    };
    expect(out.evaluated).toBe(true);
    expect(out.summary.mode).toBe('cloudwatch');
    expect(out.summary.values).toEqual([
      { alarm: 'glue-failed-runs', value: 0 },
      { alarm: 'glue-daily-cost', value: 0 },
    ]);

    const starts = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input);
    expect(starts).toHaveLength(2);
    expect(starts.every((s) => s.WorkGroup === 'lakeq')).toBe(true);
    expect(starts.map((s) => /-- lakeq:(\S+)@/.exec(s.QueryString ?? '')?.[1])).toEqual([
      'glue/failures',
      'glue/cost-by-job',
    ]);
    expectValidCommands(
      'athena',
      athena.calls().map((c) => c.args[0]),
    );

    const puts = cloudwatch
      .commandCalls(PutMetricDataCommand)
      .map((c) => c.args[0].input as PutMetricDataCommandInput);
    expectValidCommands(
      'cloudwatch',
      cloudwatch.calls().map((c) => c.args[0]),
    );
    expect(puts.every((p) => p.Namespace === 'lakeq')).toBe(true);
    const data = puts.flatMap((p) => p.MetricData ?? []);
    const value = (name: string, dims = 0) =>
      data.find((d) => d.MetricName === name && (d.Dimensions ?? []).length === dims)?.Value;
    // Newest partition 20:00, last finished hour 00:00: 4 hours behind; one failed load in the last hour.
    expect(value('LagHours')).toBe(4);
    expect(value('FailedLoads')).toBe(1);
    expect(
      data.filter((d) => (d.Dimensions ?? []).some((x) => x.Name === 'Alarm')).map((d) => d.Value),
    ).toEqual([0, 0]);
  });
});
