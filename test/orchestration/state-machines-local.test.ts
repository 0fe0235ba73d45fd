import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openLocalEngine } from '../../src/catalog/duckdb/local-engine.ts';
import { HOUR_MS } from '../../src/ingest/hours.ts';
import { readLedger } from '../../src/ingest/ledger.ts';
import { runLoad } from '../../src/ingest/run-load.ts';
import { readExecutionRecord } from '../../src/orchestration/execution-records.ts';
import { PLAN_KEEP_MS } from '../../src/orchestration/handlers/plan-store.ts';
import { readRunRecords } from '../../src/orchestration/handlers/run-records.ts';
import { getLocalPartitions } from '../../src/orchestration/local-services/local-glue.ts';
import { latestSnapshot, listIngestions } from '../../src/orchestration/local-spice.ts';
import { runStateMachine } from '../../src/orchestration/run-state-machine.ts';
import { type CloudTrailRecord, writeRecordsInS3Layout } from '../support/cloudtrail-fixtures.ts';
import { ADMIN_ROLE_ARN, ssoCall } from '../support/identity-center-records.ts';

const DATASET = 'lakeq-identity-center-instance-churn-hourly';
/** The run ledger's dataset: a load that changed a table wrote the ledger, so it is refreshed too. */
const PIPELINE = 'lakeq-pipeline-runs';
const CHURN = 'identity_center_instance_churn_hourly';
const NOW = new Date('2026-11-21T00:00:00Z');
const HIVE = 'HIVE_TOO_MANY_OPEN_PARTITIONS: Exceeded limit of 100 open writers for partitions/buckets';

let root: string;
let trail: string;
let dataDir: string;

const sso = (time: string, eventName: 'CreateInstance' | 'DeleteInstance', account = '111122223333') =>
  ssoCall({ time, eventName, account, actorArn: ADMIN_ROLE_ARN, instanceId: `${account}abcd` });
const s3Event = (time: string): CloudTrailRecord => ({
  ...sso(time, 'CreateInstance'),
  eventSource: 's3.amazonaws.com',
  eventName: 'GetObject',
});

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-sfn-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
beforeEach(async () => {
  const dir = await mkdtemp(path.join(root, 'case-'));
  trail = path.join(dir, 'trail');
  dataDir = path.join(dir, 'data');
  await writeRecordsInS3Layout(trail, [
    sso('2026-11-20T10:15:00Z', 'CreateInstance'),
    sso('2026-11-20T11:20:00Z', 'CreateInstance', '444455556666'),
    s3Event('2026-11-20T11:40:00Z'),
    sso('2026-11-20T12:30:00Z', 'DeleteInstance'),
    sso('2026-11-20T13:05:00Z', 'CreateInstance'),
    s3Event('2026-11-20T13:50:00Z'),
  ]);
});
afterEach(async () => {
  await rm(path.dirname(trail), { recursive: true, force: true });
});

const options = (extra: Partial<Parameters<typeof runStateMachine>[2]> = {}) => ({
  dataDir,
  sources: { cloudtrail: trail },
  now: NOW,
  ...extra,
});
/** The hourly run that loads the hour before `time` (and its two lookback hours). */
const hourly = (time: string, extra: Partial<Parameters<typeof runStateMachine>[2]> = {}) =>
  runStateMachine('hourly', { time }, options(extra));

async function count(sql: string): Promise<number> {
  const engine = await openLocalEngine({ sources: { cloudtrail: trail }, dataDir });
  try {
    const { rows } = await engine.execute<{ n: number }>(CompiledQuery.raw(sql));
    return Number(rows[0]?.n);
  } finally {
    await engine.close();
  }
}

describe('the hourly state machine, run locally', () => {
  it('loads the hour and its lookback into every table, refreshes the snapshot once, records the run', async () => {
    const run = await hourly('2026-11-20T14:05:00Z');
    expect(run).toMatchObject({ status: 'SUCCEEDED', executionName: 'hourly-2026-11-20T13' });
    // The collect step ran first; without a Glue source the run loads the CloudTrail tables only.
    expect(run.attempts.CollectSources).toBe(1);

    // Ledger: hours 11, 12, 13 of both tables, each once, all loaded by this run.
    const keys = run.ledgerRows.map((r) => `${r.table} ${r.dt}T${r.hour} ${r.status}`).sort();
    expect(keys).toEqual(
      ['cloudtrail_events', CHURN].flatMap((t) =>
        ['11', '12', '13'].map((h) => `${t} 2026-11-20T${h} loaded`),
      ),
    );
    const { rows: ledger } = await readLedger(dataDir);
    expect(ledger.filter((r) => r.runId === run.runId)).toHaveLength(6);

    // SPICE: one COMPLETED ingestion named after the run, as many rows as the table has.
    expect(run.refreshedDatasets).toEqual([DATASET, PIPELINE]);
    const snapshot = await latestSnapshot(dataDir, DATASET);
    expect(snapshot?.ingestion).toMatchObject({
      IngestionId: 'hourly-2026-11-20T13',
      IngestionStatus: 'COMPLETED',
    });
    const tableRows = await count(`select count(*) as n from ${CHURN}`);
    expect(tableRows).toBe(3);
    expect(snapshot?.ingestion.RowInfo).toEqual({ RowsIngested: 3, RowsDropped: 0, TotalRowsInDataset: 3 });
    expect(await count(`select count(*) as n from read_parquet('${snapshot?.file}')`)).toBe(tableRows);
    // The ledger's snapshot, refreshed once after the loads: the 6 rows they wrote.
    expect(await listIngestions({ dataDir }, PIPELINE)).toHaveLength(1);
    const ledgerSnapshot = await latestSnapshot(dataDir, PIPELINE);
    expect(ledgerSnapshot?.ingestion).toMatchObject({
      IngestionId: 'hourly-2026-11-20T13',
      IngestionStatus: 'COMPLETED',
      RowInfo: { RowsIngested: 6 },
    });

    // The partitions were registered in the (local) catalog at this run's prefix.
    const registered = await getLocalPartitions(dataDir, 'cloudtrail_events');
    expect(registered.map((p) => p.Values?.join(' '))).toEqual([
      '2026-11-20 11',
      '2026-11-20 12',
      '2026-11-20 13',
    ]);
    expect(registered[0]?.StorageDescriptor?.Location).toContain(`run=${run.runId}-b0/`);

    const [record] = await readRunRecords(dataDir);
    expect(record).toMatchObject({
      executionName: 'hourly-2026-11-20T13',
      status: 'SUCCEEDED',
      partitions: 6,
      changedTables: ['cloudtrail_events', CHURN],
    });
    expect(await readExecutionRecord(dataDir, 'hourly-2026-11-20T13')).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('runs a duplicate trigger for the same hour once, at the same time or later', async () => {
    const [a, b] = await Promise.all([hourly('2026-11-20T14:05:00Z'), hourly('2026-11-20T14:59:00Z')]);
    expect([a?.status, b?.status].sort()).toEqual(['DUPLICATE', 'SUCCEEDED']);
    const again = await hourly('2026-11-20T14:01:00Z');
    expect(again).toMatchObject({ status: 'DUPLICATE', previous: { status: 'SUCCEEDED' } });
    const { rows } = await readLedger(dataDir);
    expect(rows).toHaveLength(6);
    expect(await listIngestions({ dataDir }, DATASET)).toHaveLength(1);
    expect(await listIngestions({ dataDir }, PIPELINE)).toHaveLength(1);
  });

  it('refreshes no dataset whose rows did not change (only the ledger’s), and nothing when nothing changed', async () => {
    await hourly('2026-11-20T14:05:00Z');
    // New events in hour 14, none of them Identity Center calls: the churn table's rows stay the same.
    await writeRecordsInS3Layout(trail, [s3Event('2026-11-20T14:10:00Z')], { tag: 'later' });
    const run = await hourly('2026-11-20T15:05:00Z');
    expect(run.status).toBe('SUCCEEDED');
    expect(run.ledgerRows.length).toBeGreaterThan(0);
    // cloudtrail_events changed, so its load wrote the ledger: the ledger's dataset alone is refreshed.
    expect(run.output).toMatchObject({
      changedTables: ['cloudtrail_events'],
      refreshed: [{ datasetId: PIPELINE, status: 'COMPLETED' }],
      skipped: [],
    });
    expect(run.refreshedDatasets).toEqual([PIPELINE]);
    expect(run.attempts.StartIngestion).toBe(1);
    expect(await listIngestions({ dataDir }, DATASET)).toHaveLength(1);
    expect(await listIngestions({ dataDir }, PIPELINE)).toHaveLength(2);

    // The next hour has no new files and nothing to reload: no table changed, nothing is refreshed.
    const idle = await hourly('2026-11-20T16:05:00Z');
    expect(idle.status).toBe('SUCCEEDED');
    expect(idle.output).toMatchObject({ changedTables: [], refreshed: [], skipped: [] });
    expect(idle.refreshedDatasets).toEqual([]);
    expect(idle.attempts.StartIngestion).toBeUndefined();
    expect(await listIngestions({ dataDir }, PIPELINE)).toHaveLength(2);
  });

  it('stops on a non-retryable failure: one attempt, a failure record, no SPICE refresh', async () => {
    const run = await hourly('2026-11-20T14:05:00Z', {
      faults: [{ state: 'UnloadBatch', error: 'States.TaskFailed', cause: HIVE }],
    });
    expect(run.status).toBe('FAILED');
    expect(run.error).toEqual({ Error: 'States.TaskFailed', Cause: HIVE });
    expect(run.attempts.UnloadBatch).toBe(1);
    expect(run.attempts.RecordFailure).toBe(1);
    expect(run.attempts.StartIngestion).toBeUndefined();
    expect(await listIngestions({ dataDir }, DATASET)).toEqual([]);
    expect(run.ledgerRows).toEqual([]);
    expect(await readRunRecords(dataDir)).toEqual([
      expect.objectContaining({
        executionName: 'hourly-2026-11-20T13',
        status: 'FAILED',
        nonRetryable: true,
      }),
    ]);
    expect(await readExecutionRecord(dataDir, 'hourly-2026-11-20T13')).toMatchObject({ status: 'FAILED' });
  });

  it('keeps no plan of a run that succeeded; a failed run keeps its plan a week, then the next run prunes it', async () => {
    const plans = () => readdir(path.join(dataDir, 'orchestration', 'plans')).catch(() => [] as string[]);
    const batches = () => readdir(path.join(dataDir, 'orchestration', 'batches')).catch(() => [] as string[]);
    const failed = await hourly('2026-11-20T14:05:00Z', {
      faults: [{ state: 'UnloadBatch', error: 'States.TaskFailed', cause: HIVE }],
    });
    expect(failed.status).toBe('FAILED');
    const kept = await plans();
    expect(kept).toHaveLength(1);

    const ok = await hourly('2026-11-20T15:05:00Z');
    expect(ok.status).toBe('SUCCEEDED');
    // The failed run's plan is less than a week old: still there; the successful run's is gone.
    expect(await plans()).toEqual(kept);
    expect(ok.runId).toBeDefined();
    expect(await batches()).not.toContain(ok.runId);

    const old = new Date(Date.now() - PLAN_KEEP_MS - HOUR_MS);
    await utimes(path.join(dataDir, 'orchestration', 'plans', kept[0] ?? ''), old, old);
    expect((await hourly('2026-11-20T16:05:00Z', { now: new Date() })).status).toBe('SUCCEEDED');
    expect(await plans()).toEqual([]);
    expect(await batches()).toEqual([]);
  });

  it('records a run whose alarm evaluation failed as succeeded: alarms never fail the loads', async () => {
    const run = await hourly('2026-11-20T14:05:00Z', {
      faults: [{ state: 'EvaluateAlarms', error: 'States.TaskFailed', cause: 'alarm store unreadable' }],
    });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.attempts.EvaluateAlarms).toBe(1);
    expect(run.attempts.RecordFailure).toBeUndefined();
    expect(run.output).toMatchObject({
      status: 'SUCCEEDED',
      alarmsError: { Error: 'States.TaskFailed', Cause: 'alarm store unreadable' },
    });
    expect(run.refreshedDatasets).toEqual([DATASET, PIPELINE]);
    expect(await readRunRecords(dataDir)).toEqual([
      expect.objectContaining({ executionName: 'hourly-2026-11-20T13', status: 'SUCCEEDED' }),
    ]);
  });

  it('skips a dataset over its 24-hour refresh quota and refreshes it in a later run', async () => {
    await hourly('2026-11-20T14:05:00Z', { spiceQuotaPerDay: 1 });
    await writeRecordsInS3Layout(trail, [sso('2026-11-20T14:20:00Z', 'DeleteInstance')], { tag: 'later' });
    const skipped = await hourly('2026-11-20T15:05:00Z', { spiceQuotaPerDay: 1 });
    expect(skipped.status).toBe('SUCCEEDED');
    expect(skipped.output).toMatchObject({ changedTables: ['cloudtrail_events', CHURN] });
    // Each dataset was refreshed once by the first run: both are at their quota of 1.
    expect(skipped.output).toMatchObject({
      skipped: [
        { datasetId: DATASET, reason: 'QUOTA' },
        { datasetId: PIPELINE, reason: 'QUOTA' },
      ],
      refreshed: [],
    });
    expect(skipped.attempts.StartIngestion).toBeUndefined();
    // A day later, with nothing new loaded, the pending dataset is refreshed.
    const later = await hourly('2026-11-20T16:05:00Z', {
      spiceQuotaPerDay: 1,
      now: new Date('2026-11-22T01:00:00Z'),
    });
    expect(later.refreshedDatasets).toEqual([DATASET, PIPELINE]);
    // Nothing was loaded; the ledger says so for each hour the run left alone.
    expect(later.ledgerRows.map((r) => `${r.table} ${r.hour} ${r.status}`).sort()).toEqual([
      'cloudtrail_events 13 skipped',
      'cloudtrail_events 14 skipped',
      `${CHURN} 13 skipped`,
      `${CHURN} 14 skipped`,
    ]);
    expect((await latestSnapshot(dataDir, DATASET))?.ingestion.RowInfo?.RowsIngested).toBe(
      await count(`select count(*) as n from ${CHURN}`),
    );
  });
});

describe('the backfill state machine, run locally', () => {
  it('loads the window in batches and refreshes each dataset once, at the end', async () => {
    const run = await runStateMachine(
      'backfill',
      { from: '2026-11-20T00', to: '2026-11-21T00' },
      options({ maxPartitionsPerBatch: 2 }),
    );
    expect(run.status).toBe('SUCCEEDED');
    expect(run.executionName).toBe('backfill-2026-11-20T00-2026-11-21T00-20261121T000000.000Z');
    // Batches of at most 2 hours: several per table, each written once.
    expect(run.attempts.UnloadBatch).toBeGreaterThanOrEqual(4);
    const partitions = run.ledgerRows.map((r) => `${r.table} ${r.dt}T${r.hour}`);
    expect(new Set(partitions).size).toBe(partitions.length);
    expect(partitions).toContain(`${CHURN} 2026-11-20T10`);
    // One refresh per dataset at the end, not one per batch: the churn dataset and the ledger's.
    expect(run.attempts.StartIngestion).toBe(2);
    expect(run.refreshedDatasets).toEqual([DATASET, PIPELINE]);
    const ingestions = await listIngestions({ dataDir }, DATASET);
    expect(ingestions).toHaveLength(1);
    expect(ingestions[0]).toMatchObject({ IngestionStatus: 'COMPLETED', RowInfo: { RowsIngested: 4 } });
    const ledgerIngestions = await listIngestions({ dataDir }, PIPELINE);
    expect(ledgerIngestions).toHaveLength(1);
    expect(ledgerIngestions[0]).toMatchObject({ IngestionStatus: 'COMPLETED' });
    expect(await count(`select count(*) as n from ${CHURN}`)).toBe(4);
  });

  it('after a run killed between its loads and its refresh, the next run refreshes what they changed', async () => {
    // The state a SIGKILL after the loads leaves: partitions and ledger rows written, no refresh
    // run, nothing marked pending.
    await runLoad({
      dataDir,
      roots: { cloudtrail: trail },
      from: new Date('2026-11-20T00:00:00Z'),
      to: new Date('2026-11-21T00:00:00Z'),
      now: NOW,
    });
    expect(await listIngestions({ dataDir }, DATASET)).toEqual([]);
    const window = { from: '2026-11-20T00', to: '2026-11-21T00' };
    const next = await runStateMachine('backfill', window, options());
    expect(next.status).toBe('SUCCEEDED');
    // Its own loads changed nothing, yet the datasets the killed run's loads changed are refreshed.
    expect(next.output).toMatchObject({ changedTables: [] });
    expect(next.refreshedDatasets).toEqual([DATASET, PIPELINE]);
    expect((await listIngestions({ dataDir }, DATASET))[0]).toMatchObject({
      IngestionStatus: 'COMPLETED',
      RowInfo: { RowsIngested: 4 },
    });
    // Once refreshed, they are not refreshed again until a table changes.
    const idle = await runStateMachine('backfill', window, options({ now: new Date(NOW.getTime() + 1000) }));
    expect(idle.refreshedDatasets).toEqual([]);
  });

  it('retries a throttled load with backoff: throttled twice, then it succeeds (3 attempts)', async () => {
    const run = await runStateMachine(
      'backfill',
      { from: '2026-11-20T10', to: '2026-11-20T14', tables: ['cloudtrail_events'] },
      options({
        faults: [
          {
            state: 'UnloadBatch',
            error: 'Athena.TooManyRequestsException',
            cause: 'Rate exceeded',
            times: 2,
          },
        ],
      }),
    );
    expect(run.status).toBe('SUCCEEDED');
    expect(run.attempts.UnloadBatch).toBe(3);
    expect(run.ledgerRows.map((r) => `${r.dt}T${r.hour} ${r.status}`)).toEqual([
      '2026-11-20T10 loaded',
      '2026-11-20T11 loaded',
      '2026-11-20T12 loaded',
      '2026-11-20T13 loaded',
    ]);
    expect(await count('select count(*) as n from cloudtrail_events')).toBe(6);
  });
});
