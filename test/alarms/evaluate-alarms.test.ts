import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAlarm, type QueryAlarm, type QueryAlarmSpec } from '../../src/alarms/alarm-definition.ts';
import {
  alarmHistoryPath,
  alarmStatePath,
  readAlarmHistory,
  readAlarmState,
} from '../../src/alarms/alarm-store.ts';
import { evaluateAlarms } from '../../src/alarms/evaluate-alarms.ts';
import { openLocalAlarmQueries } from '../../src/alarms/local-alarm-queries.ts';
import type { RunAlarmQuery } from '../../src/alarms/query-alarm-value.ts';
import { type CloudTrailRecord, writeRecordsInS3Layout } from '../support/cloudtrail-fixtures.ts';
import { loadAll } from '../support/load-sample.ts';
import { ledgerRow } from './ledger-rows.ts';

const ACCOUNT = '111122223333';
let root: string;
let trail: string;

/** A CloudTrail record of a call by `who` at `time`, failed with `errorCode` when given. */
function call(time: string, n: number, who: string, errorCode?: string): CloudTrailRecord {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROAEXAMPLE:${who}`,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${who}/session`,
      accountId: ACCOUNT,
    },
    eventTime: time,
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    ...(errorCode ? { errorCode, errorMessage: 'Access Denied' } : {}),
    requestParameters: { bucketName: 'example-bucket', key: `k${n}` },
    responseElements: null,
    requestID: `REQ${String(n).padStart(8, '0')}`,
    eventID: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Data',
  };
}

let counter = 0;
/** `errors` failed and 2 successful calls in the hour starting at `hour`, written as that hour's log file. */
async function writeHour(hour: string, errors: number, tag: string): Promise<void> {
  const records: CloudTrailRecord[] = [];
  for (let i = 0; i < errors; i++)
    records.push(call(`${hour}:${String(10 + i).padStart(2, '0')}:00Z`, ++counter, 'app', 'AccessDenied'));
  records.push(call(`${hour}:30:00Z`, ++counter, 'app'), call(`${hour}:40:00Z`, ++counter, 'ops'));
  await writeRecordsInS3Layout(trail, records, { account: ACCOUNT, tag });
}

// Sum of errors of the last finished hour, above 2: fires at 3.
const apiErrors = defineAlarm({
  kind: 'query',
  name: 'api-errors',
  description: 'API errors in the last hour',
  query: { id: 'cloudtrail/api-errors-by-principal', window: { hours: 1 } },
  value: { reduce: 'sum', column: 'errors' },
  comparison: 'GreaterThanThreshold',
  threshold: 2,
});

async function evaluate(dataDir: string, at: string, alarms = [apiErrors], runQuery?: RunAlarmQuery) {
  const local = openLocalAlarmQueries({ dataDir, sources: { cloudtrail: trail } });
  try {
    return await evaluateAlarms({ dataDir, at: new Date(at), alarms, runQuery: runQuery ?? local.runQuery });
  } finally {
    await local.close();
  }
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-alarms-'));
  trail = path.join(root, 'trail');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a query alarm on the local engine', () => {
  it('fires and clears as the data changes: OK → ALARM → OK, with history', async () => {
    const dataDir = path.join(root, 'fires-and-clears');
    // Hour 10: 1 error. Loaded, then evaluated at 11:05 over [10:00, 11:00).
    await writeHour('2026-11-02T10', 1, 'a');
    await loadAll(dataDir, trail, '2026-11-02T10:00:00Z', '2026-11-02T11:00:00Z');
    const first = await evaluate(dataDir, '2026-11-02T11:05:00Z');
    expect(first.alarms[0]).toMatchObject({
      name: 'api-errors',
      state: 'OK',
      previousState: 'INSUFFICIENT_DATA',
      value: 1,
      reason: 'Threshold Crossed: 1 datapoint [1.0] was not greater than the threshold (2.0)',
      params: { from: '2026-11-02T10:00:00.000Z', to: '2026-11-02T11:00:00.000Z' },
    });

    // Hour 11: 4 errors by the time of the next run.
    await writeHour('2026-11-02T11', 4, 'b');
    await loadAll(dataDir, trail, '2026-11-02T11:00:00Z', '2026-11-02T12:00:00Z');
    const second = await evaluate(dataDir, '2026-11-02T12:05:00Z');
    expect(second.alarms[0]).toMatchObject({
      state: 'ALARM',
      previousState: 'OK',
      changed: true,
      value: 4,
      since: '2026-11-02T12:05:00.000Z',
      reason: 'Threshold Crossed: 1 datapoint [4.0] was greater than the threshold (2.0)',
    });

    // Hour 12: no errors.
    await writeHour('2026-11-02T12', 0, 'c');
    await loadAll(dataDir, trail, '2026-11-02T12:00:00Z', '2026-11-02T13:00:00Z');
    const third = await evaluate(dataDir, '2026-11-02T13:05:00Z');
    expect(third.alarms[0]).toMatchObject({ state: 'OK', previousState: 'ALARM', value: 0 });

    // The same state again: no transition, `since` kept.
    const fourth = await evaluate(dataDir, '2026-11-02T13:35:00Z');
    expect(fourth.alarms[0]).toMatchObject({
      state: 'OK',
      changed: false,
      since: '2026-11-02T13:05:00.000Z',
    });
    expect(fourth.transitions).toEqual([]);

    const { rows } = await readAlarmHistory(dataDir);
    expect(rows.map((r) => [r.at, r.from, r.to, r.value])).toEqual([
      ['2026-11-02T11:05:00.000Z', 'INSUFFICIENT_DATA', 'OK', 1],
      ['2026-11-02T12:05:00.000Z', 'OK', 'ALARM', 4],
      ['2026-11-02T13:05:00.000Z', 'ALARM', 'OK', 0],
    ]);
    expect(rows.every((r) => r.alarm === 'api-errors' && r.threshold === 2)).toBe(true);
    const state = await readAlarmState(dataDir);
    expect(state?.evaluatedAt).toBe('2026-11-02T13:35:00.000Z');
    expect(state?.alarms['api-errors']).toMatchObject({
      state: 'OK',
      since: '2026-11-02T13:05:00.000Z',
      value: 0,
    });
    // Written by rename: no temporary file is left beside it.
    expect(await readdir(path.dirname(alarmStatePath(dataDir)))).toEqual(['history.ndjson', 'state.json']);

    // An evaluation of the past is reported, not recorded.
    const past = await evaluate(dataDir, '2026-11-02T12:05:00Z');
    expect(past.recorded).toBe(false);
    expect(past.alarms[0]?.state).toBe('ALARM');
    expect((await readAlarmState(dataDir))?.evaluatedAt).toBe('2026-11-02T13:35:00.000Z');
    expect((await readFile(alarmHistoryPath(dataDir), 'utf8')).trim().split('\n')).toHaveLength(3);
  }, 120_000);

  it('is INSUFFICIENT_DATA when its query fails or finds no data', async () => {
    const dataDir = path.join(root, 'fires-and-clears');
    const failing = defineAlarm({
      ...specOf(apiErrors),
      name: 'bad-param',
      query: {
        id: 'cloudtrail/api-errors-by-principal',
        window: { hours: 1 },
        params: { account: 'not-an-account' },
      },
    });
    const unknown = defineAlarm({
      ...specOf(apiErrors),
      name: 'unknown-query',
      query: { id: 'nope/missing', window: { hours: 1 } },
    });
    const noColumn = defineAlarm({
      ...specOf(apiErrors),
      name: 'no-column',
      value: { reduce: 'max', column: 'nope' },
    });
    // Max of errors over a window without data: no rows, no datapoint.
    const empty = defineAlarm({
      ...specOf(apiErrors),
      name: 'no-data',
      value: { reduce: 'max', column: 'errors' },
    });
    const report = await evaluate(dataDir, '2026-11-05T09:05:00Z', [failing, unknown, noColumn, empty]);
    const byName = new Map(report.alarms.map((a) => [a.name, a]));
    expect(byName.get('bad-param')).toMatchObject({ state: 'INSUFFICIENT_DATA', value: null });
    expect(byName.get('bad-param')?.reason).toMatch(/^Query failed: .*account/);
    expect(byName.get('unknown-query')?.reason).toMatch(/^Query failed: unknown query "nope\/missing"/);
    // The column check needs rows: hour 11 had 4 errors.
    const withRows = await evaluate(dataDir, '2026-11-02T12:10:00Z', [noColumn]);
    expect(withRows.alarms[0]?.state).toBe('INSUFFICIENT_DATA');
    expect(withRows.alarms[0]?.reason).toMatch(
      /^Query failed: query cloudtrail\/api-errors-by-principal has no column "nope"/,
    );
    expect(byName.get('no-data')).toMatchObject({
      state: 'INSUFFICIENT_DATA',
      value: null,
      reason: 'Insufficient Data: 1 datapoint was unknown',
    });
    expect(byName.get('no-data')?.error).toBeUndefined();
  }, 120_000);
});

/** An alarm's definition as a spec again, to derive variants. */
function specOf(alarm: QueryAlarm): QueryAlarmSpec {
  return alarm;
}

describe('metric alarms on the health metrics: TreatMissingData', () => {
  const lagAlarm = (name: string, treatMissingData: 'breaching' | 'notBreaching' | 'missing' | 'ignore') =>
    defineAlarm({
      kind: 'metric',
      name,
      description: 'lag',
      metric: { namespace: 'lakeq', name: 'LagHours', statistic: 'Maximum' },
      comparison: 'GreaterThanThreshold',
      threshold: 3,
      treatMissingData,
    });
  const noQueries: RunAlarmQuery = async () => {
    throw new Error('unused');
  };

  it('decides a period without a datapoint as breaching, notBreaching, missing or ignore say', async () => {
    const dataDir = path.join(root, 'missing-data');
    const alarms = [
      lagAlarm('breaching', 'breaching'),
      lagAlarm('not-breaching', 'notBreaching'),
      lagAlarm('missing', 'missing'),
      lagAlarm('ignore', 'ignore'),
    ];
    // Loaded up to 08:00, evaluated at 09:30: 0 hours behind.
    const ledger = [
      ledgerRow({
        table: 't',
        dt: '2026-11-03',
        hour: '08',
        status: 'loaded',
        rows: 5,
        finishedAt: '2026-11-03T09:06:00Z',
      }),
    ];
    const first = await evaluateAlarms({
      dataDir,
      at: new Date('2026-11-03T09:30:00Z'),
      alarms,
      runQuery: noQueries,
      ledger,
    });
    expect(first.alarms.map((a) => [a.name, a.state, a.value])).toEqual([
      ['breaching', 'OK', 0],
      ['not-breaching', 'OK', 0],
      ['missing', 'OK', 0],
      ['ignore', 'OK', 0],
    ]);
    // Nothing ever loaded (another data folder's empty ledger): LagHours has no datapoint.
    const second = await evaluateAlarms({
      dataDir,
      at: new Date('2026-11-03T10:30:00Z'),
      alarms,
      runQuery: noQueries,
      ledger: [],
    });
    expect(second.alarms.map((a) => [a.name, a.state, a.value])).toEqual([
      ['breaching', 'ALARM', null],
      ['not-breaching', 'OK', null],
      ['missing', 'INSUFFICIENT_DATA', null],
      ['ignore', 'OK', null],
    ]);
    expect(second.alarms[0]?.reason).toBe(
      'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching]',
    );
    expect(second.alarms[1]?.reason).toMatch(/treated as \[NonBreaching\]$/);
    expect(second.alarms[2]?.reason).toBe('Insufficient Data: 1 datapoint was unknown');
    expect(second.transitions.map((t) => [t.alarm, t.from, t.to])).toEqual([
      ['breaching', 'OK', 'ALARM'],
      ['missing', 'OK', 'INSUFFICIENT_DATA'],
    ]);
  });

  it('needs every datapoint of its evaluation periods to breach (2 of 2), kept between evaluations', async () => {
    const dataDir = path.join(root, 'two-periods');
    const alarm = defineAlarm({
      kind: 'metric',
      name: 'failed-twice',
      description: 'failed loads two hours running',
      metric: { namespace: 'lakeq', name: 'FailedLoads', statistic: 'Sum' },
      evaluationPeriods: 2,
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      treatMissingData: 'notBreaching',
    });
    const failed = (finishedAt: string) =>
      ledgerRow({ table: 't', dt: '2026-11-03', hour: '01', status: 'failed', finishedAt });
    const at = (t: string) => ({ dataDir, alarms: [alarm], runQuery: noQueries, at: new Date(t) });
    // 10:xx: one failure; the period before has no datapoint (treated as not breaching).
    const r1 = await evaluateAlarms({
      ...at('2026-11-03T10:50:00Z'),
      ledger: [failed('2026-11-03T10:20:00Z')],
    });
    expect(r1.alarms[0]?.state).toBe('OK');
    expect(r1.alarms[0]?.reason).toContain('treated as [NonBreaching]');
    // 11:xx: another failure: 2 of 2 periods breach.
    const r2 = await evaluateAlarms({
      ...at('2026-11-03T11:50:00Z'),
      ledger: [
        failed('2026-11-03T10:20:00Z'),
        failed('2026-11-03T11:20:00Z'),
        failed('2026-11-03T11:30:00Z'),
      ],
    });
    expect(r2.alarms[0]).toMatchObject({
      state: 'ALARM',
      value: 2,
      reason:
        'Threshold Crossed: 2 out of the last 2 datapoints [1.0, 2.0] were greater than or equal to the threshold (1.0)',
    });
    // 12:xx: none: OK again.
    const r3 = await evaluateAlarms({
      ...at('2026-11-03T12:50:00Z'),
      ledger: [failed('2026-11-03T11:30:00Z')],
    });
    expect(r3.alarms[0]).toMatchObject({ state: 'OK', value: 0 });
  });

  it('reports a metric only CloudWatch has as not evaluated, and records nothing for it', async () => {
    const dataDir = path.join(root, 'aws-only');
    const glueMetric = defineAlarm({
      kind: 'metric',
      name: 'glue-oom',
      description: 'driver memory',
      metric: {
        namespace: 'Glue',
        name: 'glue.driver.jvm.heap.usage',
        dimensions: { JobName: 'etl', JobRunId: 'ALL', Type: 'gauge' },
        statistic: 'Maximum',
      },
      periodSeconds: 300,
      comparison: 'GreaterThanThreshold',
      threshold: 0.9,
    });
    const report = await evaluateAlarms({
      dataDir,
      at: new Date('2026-11-03T10:00:00Z'),
      alarms: [glueMetric],
      runQuery: noQueries,
      ledger: [],
    });
    expect(report.alarms[0]).toMatchObject({ evaluated: false, state: 'INSUFFICIENT_DATA' });
    expect((await readAlarmState(dataDir))?.alarms).toEqual({});
  });
});
