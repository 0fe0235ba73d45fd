import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendLedger, type LedgerRow, ledgerPath, readLedger } from '../../src/ingest/ledger.ts';
import {
  deleteStoredPlan,
  loadStoredBatch,
  loadStoredPlan,
  planKey,
  type StoredPlan,
  savePlan,
} from '../../src/orchestration/handlers/plan-store.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-stored-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const partition = (hour: string) => ({
  dt: '2026-11-27',
  hour,
  start: `2026-11-27T${hour}:00:00.000Z`,
  reason: 'new' as const,
  fingerprint: `f-${hour}`,
  files: [{ path: `/trail/${hour}.json.gz`, size: 10, mtimeMs: 1 }],
});

const plan: StoredPlan = {
  runId: 'r1',
  executionName: 'backfill-x',
  from: '2026-11-27T10:00:00.000Z',
  to: '2026-11-27T13:00:00.000Z',
  createdAt: '2026-11-27T14:05:00.000Z',
  batches: [
    {
      index: 0,
      table: 'cloudtrail_events',
      from: '2026-11-27T10:00:00.000Z',
      to: '2026-11-27T12:00:00.000Z',
      partitions: [partition('10'), partition('11')],
    },
    {
      index: 1,
      table: 'cloudtrail_events',
      from: '2026-11-27T12:00:00.000Z',
      to: '2026-11-27T13:00:00.000Z',
      partitions: [partition('12')],
    },
    {
      index: 2,
      table: 'identity_center_instance_churn_hourly',
      from: '2026-11-27T10:00:00.000Z',
      to: '2026-11-27T11:00:00.000Z',
      partitions: [partition('10')],
    },
  ],
  unchanged: 0,
  skipped: [],
};

describe('stored plans keep each batch on its own', () => {
  it("a batch's tasks read its own record; a plan stored before (no records) still answers", async () => {
    await savePlan(dir, plan);
    const one = await loadStoredBatch(dir, 'r1', 1);
    expect(one.batch).toEqual(plan.batches[1]);
    expect(one.plan).toEqual({ runId: 'r1', executionName: 'backfill-x', from: plan.from, to: plan.to });
    expect(one.tablePartitions).toBe(3);
    expect(one.tableBatches).toBe(2);
    expect((await loadStoredBatch(dir, 'r1', 2)).tablePartitions).toBe(1);
    // The files as another process reads them: the plan's own file lists the batches without
    // their partitions (each batch's record has them); loadStoredPlan answers it.
    const stored = async (key: string) => JSON.parse(await readFile(path.join(dir, key), 'utf8'));
    const summary = {
      ...plan,
      batches: plan.batches.map(({ partitions, ...b }) => ({ ...b, partitions: partitions.length })),
    };
    expect(await stored(planKey('r1'))).toEqual(summary);
    expect(await loadStoredPlan(dir, 'r1')).toEqual(summary);
    expect(await stored('orchestration/batches/r1/1.batch.json')).toEqual({
      plan: { runId: 'r1', executionName: 'backfill-x', from: plan.from, to: plan.to },
      batch: plan.batches[1],
      tablePartitions: 3,
      tableBatches: 2,
    });
    expect((await stored('orchestration/batches/r1/2.batch.json')).tableBatches).toBe(1);
    // The record answers even when the plan is unreadable: the batch does not read the plan.
    await writeFile(path.join(dir, planKey('r1')), 'damaged');
    expect((await loadStoredBatch(dir, 'r1', 0)).batch).toEqual(plan.batches[0]);
    await expect(loadStoredPlan(dir, 'r1')).rejects.toThrow();

    // Stored by an earlier version: only the plan, whole.
    await mkdir(path.join(dir, 'orchestration', 'plans'), { recursive: true });
    await writeFile(path.join(dir, planKey('r2')), JSON.stringify({ ...plan, runId: 'r2' }));
    const old = await loadStoredBatch(dir, 'r2', 1);
    expect(old.batch).toEqual(plan.batches[1]);
    expect(old.plan).toEqual({ runId: 'r2', executionName: 'backfill-x', from: plan.from, to: plan.to });
    expect(old.tablePartitions).toBe(3);
    expect(old.tableBatches).toBe(2);
    await expect(loadStoredBatch(dir, 'r2', 7)).rejects.toThrow(/no batch 7/);
    expect((await loadStoredPlan(dir, 'r2')).batches.map((b) => b.partitions)).toEqual([2, 1, 1]);
    // Stored now, with a batch's record gone (and not in memory: another run stored since).
    await savePlan(dir, { ...plan, runId: 'r5' });
    await savePlan(dir, { ...plan, runId: 'r5-later' });
    await rm(path.join(dir, 'orchestration', 'batches', 'r5', '1.batch.json'));
    expect((await loadStoredBatch(dir, 'r5', 0)).batch).toEqual(plan.batches[0]);
    await expect(loadStoredBatch(dir, 'r5', 1)).rejects.toThrow(/no batch 1 \(its record is missing\)/);

    // Deleting a run's plan deletes its batch records too.
    await deleteStoredPlan(dir, 'r1');
    expect(await readdir(path.join(dir, 'orchestration', 'batches'))).not.toContain('r1');
    await expect(loadStoredBatch(dir, 'r1', 0)).rejects.toThrow(/no stored plan/);
  });

  it('answers the batches of the plan this process stored last from memory, until it is deleted', async () => {
    await savePlan(dir, { ...plan, runId: 'r3' });
    const record = path.join(dir, 'orchestration', 'batches', 'r3', '1.batch.json');
    await writeFile(record, 'damaged');
    expect((await loadStoredBatch(dir, 'r3', 1)).batch).toEqual(plan.batches[1]);
    // Another run's plan replaces it in memory: r3's record is read from its (damaged) file again.
    await savePlan(dir, { ...plan, runId: 'r4' });
    await expect(loadStoredBatch(dir, 'r3', 1)).rejects.toThrow();
    expect((await loadStoredBatch(dir, 'r4', 2)).tablePartitions).toBe(1);
    await deleteStoredPlan(dir, 'r4');
    await expect(loadStoredBatch(dir, 'r4', 2)).rejects.toThrow(/no stored plan/);
  });
});

const row = (hour: string, runId = 'r1'): LedgerRow => ({
  runId,
  table: 'cloudtrail_events',
  dt: '2026-11-27',
  hour,
  status: 'loaded',
  rows: 1,
  bytes: 1,
  fingerprint: 'f',
  sourceFiles: 1,
  quarantined: [],
  queryId: 'q',
  queryVersion: '1',
  engine: 'duckdb',
  engineQueryIds: [],
  startedAt: '2026-11-27T14:00:00.000Z',
  finishedAt: '2026-11-27T14:00:00.000Z',
});

describe('the ledger read again after appends', () => {
  it('answers what a fresh read answers: new rows, damaged lines by their number, a rewritten file', async () => {
    await appendLedger(dir, [row('10'), row('11')]);
    expect((await readLedger(dir)).rows.map((r) => r.hour)).toEqual(['10', '11']);
    await appendLedger(dir, [row('12')]);
    await appendFile(ledgerPath(dir), 'not json\n');
    await appendLedger(dir, [row('13')]);
    const again = await readLedger(dir);
    expect(again.rows.map((r) => r.hour)).toEqual(['10', '11', '12', '13']);
    expect(again.damaged).toEqual([4]);
    // A line being written (no newline yet) is read, and read whole once it is finished.
    await appendFile(ledgerPath(dir), JSON.stringify(row('14')).slice(0, 20));
    expect((await readLedger(dir)).damaged).toEqual([4, 6]);
    await appendFile(ledgerPath(dir), `${JSON.stringify(row('14')).slice(20)}\n`);
    expect((await readLedger(dir)).rows.map((r) => r.hour)).toEqual(['10', '11', '12', '13', '14']);
    expect((await readLedger(dir)).damaged).toEqual([4]);
    // Rewritten (not appended): read from the start.
    await writeFile(ledgerPath(dir), `${JSON.stringify(row('20', 'r9'))}\n`);
    expect((await readLedger(dir)).rows.map((r) => [r.runId, r.hour])).toEqual([['r9', '20']]);
  });
});
