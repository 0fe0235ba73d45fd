import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { datasetsReading, SPICE_DATASETS } from '../../src/dashboards/datasets.ts';
import { appendLedger, type LedgerRow } from '../../src/ingest/ledger.ts';
import {
  backfillExecutionName,
  checkExecutionName,
  hourlyExecutionName,
  hourlyWindow,
} from '../../src/orchestration/execution-names.ts';
import { claimExecution, finishExecution } from '../../src/orchestration/execution-records.ts';
import { batchInputs } from '../../src/orchestration/handlers/batch-inputs.ts';
import { datasetsToRefresh } from '../../src/orchestration/handlers/datasets-to-refresh.ts';
import {
  type HandlerContext,
  localHandlerContext,
} from '../../src/orchestration/handlers/handler-context.ts';
import { planBackfill, type planWindow } from '../../src/orchestration/handlers/plan-window.ts';
import { recordFailure } from '../../src/orchestration/handlers/record-run.ts';
import { readPendingRefreshes } from '../../src/orchestration/handlers/run-records.ts';
import { handler } from '../../src/orchestration/lambda-entry.ts';
import { writeRecordsInS3Layout } from '../support/cloudtrail-fixtures.ts';
import { ADMIN_ROLE_ARN, ssoCall } from '../support/identity-center-records.ts';

const DATASET = 'lakeq-identity-center-instance-churn-hourly';
/** The run ledger's dataset: every load that changes a table writes the ledger, so it comes along. */
const PIPELINE = 'lakeq-pipeline-runs';
const NOW = new Date('2026-11-27T14:10:00Z');
let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'lakeq-handlers-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

type Ingestion = { IngestionStatus: string; CreatedTime: string };
/** A handler context whose QuickSight has these ingestions, by dataset id (none for the others). */
const context = (ingestions: Readonly<Record<string, Ingestion[]>> = {}): HandlerContext => ({
  ...localHandlerContext({ dataDir, sources: { cloudtrail: dataDir }, now: NOW }),
  listIngestions: async (datasetId: string) => ingestions[datasetId] ?? [],
});
const changed = (table: string, changedPartitions: number) => [[{ table, changedPartitions }]];

describe('execution names', () => {
  it('names an hourly run after the hour it loads: the finished hour before the scheduled time', () => {
    expect(hourlyExecutionName(hourlyWindow(new Date('2026-11-27T14:05:00Z'), 2).hour)).toBe(
      'hourly-2026-11-27T13',
    );
    expect(hourlyWindow(new Date('2026-11-27T14:00:00Z'), 2)).toEqual({
      hour: new Date('2026-11-27T13:00:00Z'),
      from: new Date('2026-11-27T11:00:00Z'),
      to: new Date('2026-11-27T14:00:00Z'),
    });
    expect(() => hourlyWindow(NOW, -1)).toThrow(/lookbackHours/);
  });

  it('makes names Step Functions accepts, and refuses the others', () => {
    const name = backfillExecutionName(new Date('2026-11-01'), new Date('2026-11-08'), ['b', 'a'], NOW);
    expect(name).toMatch(/^backfill-2026-11-01T00-2026-11-08T00-[0-9a-f]{8}-20261127T141000\.000Z$/);
    expect(backfillExecutionName(new Date('2026-11-01'), new Date('2026-11-08'), ['a', 'b'], NOW)).toBe(name);
    // A backfill started again a moment later (after one that failed) is a run of its own.
    const later = new Date(NOW.getTime() + 1);
    expect(backfillExecutionName(new Date('2026-11-01'), new Date('2026-11-08'), ['a', 'b'], later)).not.toBe(
      name,
    );
    expect(() => checkExecutionName(name)).not.toThrow();
    expect(() => checkExecutionName('hourly 2026-11-27T13:00')).toThrow(/execution name/);
    expect(() => checkExecutionName('x'.repeat(81))).toThrow(/execution name/);
  });

  it('lets one claim of a name win, and takes over a name whose run was killed', async () => {
    const record = {
      name: 'hourly-2026-11-27T13',
      stateMachine: 'hourly',
      status: 'RUNNING' as const,
      input: {},
      startDate: NOW.toISOString(),
      pid: process.pid,
    };
    const claims = await Promise.all([claimExecution(dataDir, record), claimExecution(dataDir, record)]);
    expect(claims.map((c) => c.claimed).sort()).toEqual([false, true]);
    // A RUNNING record of a process that is gone (pid above pid_max) is an orphan.
    await finishExecution(dataDir, { ...record, pid: 2 ** 22 + 1 });
    expect(await claimExecution(dataDir, record)).toEqual({ claimed: true });
  });
});

describe('datasetsToRefresh', () => {
  it('refreshes each dataset reading a changed table once, and the ledger’s, with an ingestion id from the execution', async () => {
    const loads = [
      ...changed('cloudtrail_events', 2),
      ...changed('identity_center_instance_churn_hourly', 1),
    ];
    const out = await datasetsToRefresh(
      { runId: 'r', executionName: 'hourly-2026-11-27T13', loads: [...loads, ...loads] },
      context(),
    );
    expect(out.refresh).toEqual([
      { datasetId: DATASET, ingestionId: 'hourly-2026-11-27T13', polls: { n: 0 } },
      { datasetId: PIPELINE, ingestionId: 'hourly-2026-11-27T13', polls: { n: 0 } },
    ]);
    expect(out.changedTables).toEqual(['cloudtrail_events', 'identity_center_instance_churn_hourly']);
    expect(Object.keys(await readPendingRefreshes(dataDir))).toEqual([DATASET, PIPELINE]);
  });

  it('refreshes only the ledger’s dataset when only tables no dashboard dataset reads changed', async () => {
    // No table is unread any more: a load that changed cloudtrail_events also wrote the run
    // ledger, which lakeq-pipeline-runs reads. What this proves now: the churn dataset, whose
    // table did not change, is left alone, and the ledger's dataset is refreshed once.
    const out = await datasetsToRefresh(
      { runId: 'r', executionName: 'e', loads: changed('cloudtrail_events', 3) },
      context(),
    );
    expect(out).toEqual({
      refresh: [{ datasetId: PIPELINE, ingestionId: 'e', polls: { n: 0 } }],
      skipped: [],
      changedTables: ['cloudtrail_events'],
    });
    // With a dataset list that has no ledger dataset, the same change selects nothing.
    const withoutLedger = SPICE_DATASETS.filter((d) => d.id !== PIPELINE);
    expect(datasetsReading(['cloudtrail_events'], withoutLedger)).toEqual([]);
  });

  it('refreshes nothing, and marks nothing pending, when a run changed no rows', async () => {
    const loads = [
      ...changed('cloudtrail_events', 0),
      ...changed('identity_center_instance_churn_hourly', 0),
    ];
    const out = await datasetsToRefresh({ runId: 'r', executionName: 'e', loads }, context());
    expect(out).toEqual({ refresh: [], skipped: [], changedTables: [] });
    expect(await readPendingRefreshes(dataDir)).toEqual({});
  });

  it('skips a dataset while an ingestion runs, and one at its own 24-hour quota; both stay pending', async () => {
    const loads = changed('identity_center_instance_churn_hourly', 1);
    const running = await datasetsToRefresh(
      { runId: 'r', executionName: 'e', loads },
      context({ [DATASET]: [{ IngestionStatus: 'RUNNING', CreatedTime: NOW.toISOString() }] }),
    );
    expect(running).toEqual({
      refresh: [{ datasetId: PIPELINE, ingestionId: 'e', polls: { n: 0 } }],
      skipped: [{ datasetId: DATASET, reason: 'INGESTION_RUNNING' }],
      changedTables: ['identity_center_instance_churn_hourly'],
    });
    const recent = Array.from({ length: 32 }, (_, i) => ({
      IngestionStatus: 'COMPLETED',
      CreatedTime: new Date(NOW.getTime() - i * 2_700_000).toISOString(),
    }));
    // Each dataset counts its own refreshes: the churn dataset is at 32, the ledger's at 31.
    const quota = await datasetsToRefresh(
      { runId: 'r', executionName: 'e', loads },
      context({ [DATASET]: recent, [PIPELINE]: recent.slice(0, 31) }),
    );
    expect(quota.skipped).toEqual([{ datasetId: DATASET, reason: 'QUOTA' }]);
    expect(quota.refresh.map((r) => r.datasetId)).toEqual([PIPELINE]);
    expect((await readPendingRefreshes(dataDir))[DATASET]?.reason).toBe('QUOTA');
    const reversed = await datasetsToRefresh(
      { runId: 'r', executionName: 'e', loads },
      context({ [DATASET]: recent.slice(0, 31), [PIPELINE]: recent }),
    );
    expect(reversed.skipped).toEqual([{ datasetId: PIPELINE, reason: 'QUOTA' }]);
    expect(reversed.refresh.map((r) => r.datasetId)).toEqual([DATASET]);
    const pending = await readPendingRefreshes(dataDir);
    expect(Object.keys(pending)).toEqual([DATASET, PIPELINE]);
    expect(pending[PIPELINE]?.reason).toBe('QUOTA');
    // The oldest of the 32 drops out of the window: room again, and both pending datasets are
    // refreshed (no run recorded a COMPLETED refresh of either, so both are still pending).
    const later = await datasetsToRefresh(
      { runId: 'r', executionName: 'e', loads: [] },
      context({ [DATASET]: recent.slice(0, 31), [PIPELINE]: recent.slice(0, 31) }),
    );
    expect(later.refresh.map((r) => r.datasetId)).toEqual([DATASET, PIPELINE]);
    expect(later.skipped).toEqual([]);
  });
});

describe('recordFailure', () => {
  it('records the error, says whether it is non-retryable, and leaves datasets of loaded tables pending', async () => {
    const row = (table: string, status: LedgerRow['status']): LedgerRow => ({
      runId: 'r1',
      table,
      dt: '2026-11-27',
      hour: '13',
      status,
      rows: 1,
      bytes: 10,
      fingerprint: 'f',
      sourceFiles: 1,
      quarantined: [],
      queryId: 'q',
      queryVersion: '1.0.0',
      engine: 'duckdb',
      engineQueryIds: [],
      startedAt: NOW.toISOString(),
      finishedAt: NOW.toISOString(),
    });
    await appendLedger(dataDir, [
      row('cloudtrail_events', 'loaded'),
      row('identity_center_instance_churn_hourly', 'loaded'),
    ]);
    const error = {
      Error: 'States.TaskFailed',
      Cause: '{"Status":{"StateChangeReason":"HIVE_TOO_MANY_OPEN_PARTITIONS"}}',
    };
    const record = await recordFailure({ executionName: 'e', state: { runId: 'r1', error } }, context());
    expect(record).toMatchObject({ status: 'FAILED', error, nonRetryable: true, runId: 'r1' });
    expect(Object.keys(await readPendingRefreshes(dataDir))).toEqual([DATASET, PIPELINE]);
    const throttled = await recordFailure(
      {
        executionName: 'e2',
        state: { error: { Error: 'Athena.TooManyRequestsException', Cause: 'Rate exceeded' } },
      },
      context(),
    );
    expect(throttled.nonRetryable).toBe(false);
  });
});

describe('the Lambda entry', () => {
  it('dispatches on event.action with its configuration from the environment', async () => {
    const trail = path.join(dataDir, 'trail');
    await writeRecordsInS3Layout(trail, [
      ssoCall({
        time: '2020-03-01T13:15:00Z',
        eventName: 'CreateInstance',
        account: '111122223333',
        actorArn: ADMIN_ROLE_ARN,
      }),
    ]);
    process.env.LAKEQ_DATA_DIR = dataDir;
    process.env.LAKEQ_CLOUDTRAIL_ROOT = trail;
    try {
      const plan = (await handler({
        action: 'planWindow',
        input: { time: '2020-03-01T14:05:00Z', lookbackHours: 0 },
        executionName: 'hourly-2020-03-01T13',
      })) as Awaited<ReturnType<typeof planWindow>>;
      // The Lambda runs on the real clock: a 2020 hour has long finished.
      expect(plan).toMatchObject({
        from: '2020-03-01T13:00:00.000Z',
        to: '2020-03-01T14:00:00.000Z',
        partitions: 2,
      });
      expect(plan.stages.map((s) => s.table)).toEqual([
        'cloudtrail_events',
        'identity_center_instance_churn_hourly',
      ]);
      await expect(handler({ action: 'dropTables' })).rejects.toThrow(/unknown action "dropTables"/);
      await expect(
        handler({ action: 'planWindow', input: { time: 'soon' }, executionName: 'x' }),
      ).rejects.toThrow(/"time"/);
    } finally {
      delete process.env.LAKEQ_DATA_DIR;
      delete process.env.LAKEQ_CLOUDTRAIL_ROOT;
    }
  });
});

describe('batch sizes', () => {
  it('keeps each batch at most 100 partitions and its inputs within a state payload (256 KiB)', async () => {
    const trail = path.join(dataDir, 'trail');
    const hours = Array.from({ length: 130 }, (_, h) => new Date(Date.UTC(2026, 10, 1, h, 15)).toISOString());
    await writeRecordsInS3Layout(
      trail,
      hours.map((time) =>
        ssoCall({ time, eventName: 'CreateInstance', account: '111122223333', actorArn: ADMIN_ROLE_ARN }),
      ),
    );
    const ctx = {
      ...localHandlerContext({ dataDir, sources: { cloudtrail: trail }, now: NOW }),
      maxPartitionsPerBatch: 100,
    };
    const plan = await planBackfill(
      { input: { from: '2026-11-01', to: '2026-11-06T10' }, executionName: 'b' },
      ctx,
    );
    const sizes = plan.stages.map((s) => s.batches.map((b) => b.partitions));
    expect(sizes).toEqual([
      [56, 44, 30],
      [100, 30],
    ]);
    for (const batch of plan.stages.flatMap((s) => s.batches)) {
      const inputs = await batchInputs({ runId: plan.runId, index: batch.index }, ctx);
      expect(JSON.stringify({ ...batch, inputs }).length).toBeLessThan(256 * 1024 - 16 * 1024);
    }
    // Day batches for the source table; the table that reads it takes the derived size (at most 100).
    const local = await planBackfill(
      { input: { from: '2026-11-01', to: '2026-11-06T10' }, executionName: 'c' },
      { ...ctx, maxPartitionsPerBatch: 24, maxPartitionsPerDerivedBatch: 72 },
    );
    expect(local.stages.map((s) => s.batches.map((b) => b.partitions))).toEqual([
      [24, 24, 24, 24, 24, 10],
      [72, 58],
    ]);
    const capped = await planBackfill(
      { input: { from: '2026-11-01', to: '2026-11-06T10' }, executionName: 'd' },
      { ...ctx, maxPartitionsPerBatch: 24, maxPartitionsPerDerivedBatch: 500 },
    );
    expect(capped.stages.map((s) => s.batches.map((b) => b.partitions))[1]).toEqual([100, 30]);
  });
});
