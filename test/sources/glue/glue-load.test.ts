import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLocalEngine } from '../../../src/catalog/duckdb/local-engine.ts';
import { readLedger } from '../../../src/ingest/ledger.ts';
import { planLoad } from '../../../src/ingest/load-plan.ts';
import { collectedHourDir, GLUE_JOB_RUNS } from '../../../src/sources/glue/schema.ts';
import { glueJobMetrics } from '../../../src/sources/glue/tables/glue-job-metrics.ts';
import { glueJobRuns } from '../../../src/sources/glue/tables/glue-job-runs.ts';
import {
  type CollectedMetric,
  jobRun,
  loadGlue,
  removeCollectedRunsHour,
  TEST_ACCOUNT,
  TEST_REGION,
  writeCollectedMetrics,
  writeCollectedRuns,
} from '../../support/glue-collected.ts';

let root: string;
let dataDir: string;
let glueRoot: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-glue-load-'));
  dataDir = path.join(root, 'data');
  glueRoot = path.join(dataDir, 'raw', 'glue');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function curatedRuns(): Promise<Record<string, unknown>[]> {
  const engine = await openLocalEngine({ sources: { cloudtrail: path.join(root, 'none') }, dataDir });
  try {
    const { rows } = await engine.execute<Record<string, unknown>>(
      CompiledQuery.raw(
        'select job_run_id, job_run_state, execution_seconds, dpu_seconds, estimated_cost_usd, completed_on, started_on, dt, hour from glue_job_runs order by job_run_id',
      ),
    );
    return rows;
  } finally {
    await engine.close();
  }
}

const HOUR = '2026-11-02T10:00:00Z';
const running = jobRun({
  job_name: 'orders-etl',
  job_run_id: 'jr_aaa',
  started_on: '2026-11-02T10:05:00Z',
  job_run_state: 'RUNNING',
  completed_on: null,
  last_modified_on: '2026-11-02T10:50:00Z',
  execution_seconds: null,
  dpu_seconds: null,
});
const finished = jobRun({
  job_name: 'orders-etl',
  job_run_id: 'jr_aaa',
  started_on: '2026-11-02T10:05:00Z',
  job_run_state: 'SUCCEEDED',
  completed_on: '2026-11-02T11:20:00Z',
  last_modified_on: '2026-11-02T11:20:00Z',
  execution_seconds: 4440,
  max_capacity: 10,
});

describe('loading the collected Glue job runs', () => {
  it('a running run seen in one hour and finished in the next is one row, in its final state; no change → skipped', async () => {
    await writeCollectedRuns(glueRoot, [running], { mtime: new Date('2026-11-02T11:00:00Z') });
    const first = await loadGlue({ dataDir, glueRoot, from: HOUR, to: '2026-11-02T11:00:00Z' });
    expect(first.summary.loaded).toBe(1);
    expect(await curatedRuns()).toEqual([
      expect.objectContaining({
        job_run_id: 'jr_aaa',
        job_run_state: 'RUNNING',
        execution_seconds: null,
        dt: '2026-11-02',
        hour: '10',
      }),
    ]);

    // The run finished: the collector replaced the StartedOn hour's file.
    await writeCollectedRuns(glueRoot, [finished], { mtime: new Date('2026-11-02T12:00:00Z') });
    const second = await loadGlue({ dataDir, glueRoot, from: HOUR, to: '2026-11-02T11:00:00Z' });
    expect(second.plan.batches.flatMap((b) => b.partitions.map((p) => p.reason))).toEqual(['changed']);
    const rows = await curatedRuns();
    expect(rows).toEqual([
      {
        job_run_id: 'jr_aaa',
        job_run_state: 'SUCCEEDED',
        execution_seconds: 4440,
        dpu_seconds: 44_400,
        estimated_cost_usd: expect.closeTo((44_400 / 3600) * 0.44, 9),
        completed_on: '2026-11-02T11:20:00.000Z',
        started_on: '2026-11-02T10:05:00.000Z',
        dt: '2026-11-02',
        hour: '10',
      },
    ]);

    // Nothing changed: nothing to load, and the ledger says the hour was skipped by this run.
    const third = await loadGlue({ dataDir, glueRoot, from: HOUR, to: '2026-11-02T11:00:00Z' });
    expect(third.plan.batches).toEqual([]);
    expect(third.summary.loaded).toBe(0);
    const { rows: ledger } = await readLedger(dataDir);
    const ofThird = ledger.filter((r) => r.runId === third.plan.runId);
    expect(ofThird).toEqual([
      expect.objectContaining({
        table: 'glue_job_runs',
        dt: '2026-11-02',
        hour: '10',
        status: 'skipped',
        sourceFiles: 1,
      }),
    ]);
    expect(await curatedRuns()).toEqual(rows);
  });

  it('deduplicates the collected lines of a run: a terminal state wins, else the latest last_modified_on', async () => {
    const lines = [
      // Terminal beats a later-modified non-terminal line.
      { ...finished, job_run_id: 'jr_t', last_modified_on: '2026-11-02T11:20:00Z' },
      { ...running, job_run_id: 'jr_t', job_run_state: 'STOPPING', last_modified_on: '2026-11-02T11:40:00Z' },
      // Among non-terminal lines, the latest last_modified_on.
      { ...running, job_run_id: 'jr_r', job_run_state: 'STARTING', last_modified_on: '2026-11-02T10:06:00Z' },
      { ...running, job_run_id: 'jr_r', job_run_state: 'RUNNING', last_modified_on: '2026-11-02T10:30:00Z' },
      { ...running, job_run_id: 'jr_r', job_run_state: 'WAITING', last_modified_on: '2026-11-02T10:10:00Z' },
    ];
    await writeCollectedRuns(glueRoot, lines);
    await loadGlue({ dataDir, glueRoot, from: HOUR, to: '2026-11-02T11:00:00Z' });
    const rows = await curatedRuns();
    expect(rows.map((r) => [r.job_run_id, r.job_run_state])).toEqual([
      ['jr_r', 'RUNNING'],
      ['jr_t', 'SUCCEEDED'],
    ]);
  });

  it("plans the collector's touched hours outside the window; an hour whose file disappeared is kept, unless shrinking is allowed", async () => {
    const old = jobRun({ ...running, job_run_id: 'jr_old', started_on: '2026-11-02T05:10:00Z' });
    await writeCollectedRuns(glueRoot, [old], { mtime: new Date('2026-11-02T06:00:00Z') });
    await loadGlue({ dataDir, glueRoot, from: '2026-11-02T05:00:00Z', to: '2026-11-02T06:00:00Z' });
    // Five hours later the run finished: its StartedOn hour's file changed, outside the hourly window.
    const done = jobRun({ ...finished, job_run_id: 'jr_old', started_on: '2026-11-02T05:10:00Z' });
    await writeCollectedRuns(glueRoot, [done], { mtime: new Date('2026-11-02T11:00:00Z') });
    const window = { from: '2026-11-02T10:00:00Z', to: '2026-11-02T11:00:00Z' };
    const without = await loadGlue({ dataDir, glueRoot, ...window });
    expect(without.plan.batches).toEqual([]);
    expect((await curatedRuns()).map((r) => r.job_run_state)).toEqual(['RUNNING']);

    const touched = new Map([['glue_job_runs', [new Date('2026-11-02T05:00:00Z')]]]);
    const withExtra = await loadGlue({ dataDir, glueRoot, ...window, extraHours: touched });
    expect(
      withExtra.plan.batches.map((b) => [b.table.name, b.partitions.map((p) => `${p.dt}T${p.hour}`)]),
    ).toEqual([['glue_job_runs', ['2026-11-02T05']]]);
    expect((await curatedRuns()).map((r) => [r.job_run_id, r.job_run_state])).toEqual([
      ['jr_old', 'SUCCEEDED'],
    ]);

    // The collector no longer has the hour: the loaded runs are kept (an input that went
    // missing never replaces good rows with none), and the plan says why.
    await removeCollectedRunsHour(glueRoot, new Date('2026-11-02T05:00:00Z'));
    const kept = await loadGlue({ dataDir, glueRoot, ...window, extraHours: touched });
    expect(kept.plan.batches).toEqual([]);
    expect(kept.plan.unchanged.filter((u) => u.kept).map((u) => [u.table, u.partition.hour, u.kept])).toEqual(
      [['glue_job_runs', '05', 'its 1 source files are gone: kept its 1 rows (--allow-shrink replaces it)']],
    );
    expect((await curatedRuns()).map((r) => r.job_run_id)).toEqual(['jr_old']);

    // Allowed to shrink, it loads as an empty partition (no file), like a CloudTrail hour without logs.
    const emptied = await loadGlue({ dataDir, glueRoot, ...window, extraHours: touched, allowShrink: true });
    expect(emptied.plan.batches.flatMap((b) => b.partitions.map((p) => [p.reason, p.files.length]))).toEqual([
      ['changed', 0],
    ]);
    expect(await curatedRuns()).toEqual([]);
    const { rows: ledger } = await readLedger(dataDir);
    expect(ledger.filter((r) => r.runId === emptied.plan.runId)).toEqual([
      expect.objectContaining({
        table: 'glue_job_runs',
        hour: '05',
        status: 'loaded',
        rows: 0,
        sourceFiles: 0,
      }),
    ]);
    const partitionDir = path.join(dataDir, 'curated', 'glue_job_runs', 'dt=2026-11-02', 'hour=05');
    expect(await readdir(partitionDir).catch(() => [])).toEqual([]);
  });

  it('a batch reads only its own hour files, and a malformed file is quarantined while the others load', async () => {
    const a = jobRun({ ...finished, job_run_id: 'jr_a', started_on: '2026-11-02T08:15:00Z' });
    const b = jobRun({ ...finished, job_run_id: 'jr_b', started_on: '2026-11-02T09:15:00Z' });
    await writeCollectedRuns(glueRoot, [a, b]);
    const bad = path.join(collectedHourDir(glueRoot, GLUE_JOB_RUNS, new Date(HOUR)), GLUE_JOB_RUNS.fileName);
    await mkdir(path.dirname(bad), { recursive: true });
    await writeFile(bad, '{"job_name": "x", "job_run_id": \n');
    const { summary, plan } = await loadGlue({
      dataDir,
      glueRoot,
      from: '2026-11-02T09:00:00Z',
      to: '2026-11-02T11:00:00Z',
    });
    // 08:00 is outside the window: its file is not read even though it is on disk.
    expect(plan.batches.flatMap((x) => x.partitions.map((p) => p.hour))).toEqual(['09', '10']);
    expect((await curatedRuns()).map((r) => r.job_run_id)).toEqual(['jr_b']);
    expect(summary.quarantined.map((q) => q.path)).toEqual([bad]);
    const { rows: ledger } = await readLedger(dataDir);
    const hour10 = ledger.find((r) => r.runId === plan.runId && r.hour === '10');
    expect(hour10).toMatchObject({ status: 'loaded', rows: 0, quarantined: [{ path: bad }] });
  });

  it('a plan without the Glue root leaves the loaded Glue hours alone', async () => {
    await writeCollectedRuns(glueRoot, [finished]);
    await loadGlue({ dataDir, glueRoot, from: HOUR, to: '2026-11-02T11:00:00Z' });
    const { rows: ledger } = await readLedger(dataDir);
    await removeCollectedRunsHour(glueRoot, new Date(HOUR));
    const plan = await planLoad({
      tables: [glueJobRuns, glueJobMetrics],
      roots: { cloudtrail: path.join(root, 'none') },
      from: new Date(HOUR),
      to: new Date('2026-11-02T11:00:00Z'),
      ledger,
      versions: new Map(),
      maxPartitionsPerBatch: 24,
      now: new Date('2100-01-01T00:00:00Z'),
    });
    expect(plan.batches).toEqual([]);
    expect(plan.unchanged).toEqual([]);
  });

  it('loads metrics by the hour of their datapoint time', async () => {
    const point = (time: string, value: number, statistic = 'Sum'): CollectedMetric => ({
      job_name: 'orders-etl',
      job_run_id: 'jr_aaa',
      metric_name: 'glue.driver.aggregate.recordsRead',
      metric_type: 'count',
      metric_time: time,
      value,
      unit: 'Count',
      statistic,
      region: TEST_REGION,
      account_id: TEST_ACCOUNT,
    });
    await writeCollectedMetrics(glueRoot, [
      point('2026-11-02T10:55:00Z', 100),
      point('2026-11-02T10:55:00Z', 100), // the same datapoint twice
      point('2026-11-02T11:00:00Z', 250),
      point('2026-11-02T11:00:00Z', 7, 'Average'),
    ]);
    const { summary } = await loadGlue({ dataDir, glueRoot, from: HOUR, to: '2026-11-02T12:00:00Z' });
    expect(summary.loaded).toBe(2);
    const engine = await openLocalEngine({ sources: { cloudtrail: path.join(root, 'none') }, dataDir });
    try {
      const { rows } = await engine.execute(
        CompiledQuery.raw(
          'select hour, metric_time, statistic, "value" from glue_job_metrics order by metric_time, statistic',
        ),
      );
      expect(rows).toEqual([
        { hour: '10', metric_time: '2026-11-02T10:55:00.000Z', statistic: 'Sum', value: 100 },
        { hour: '11', metric_time: '2026-11-02T11:00:00.000Z', statistic: 'Average', value: 7 },
        { hour: '11', metric_time: '2026-11-02T11:00:00.000Z', statistic: 'Sum', value: 250 },
      ]);
    } finally {
      await engine.close();
    }
  });

  it('the collected views exist and are empty when the Glue folder does not', async () => {
    const engine = await openLocalEngine({
      sources: { cloudtrail: path.join(root, 'none') },
      roots: { glue: path.join(root, 'no-glue') },
    });
    try {
      for (const view of ['glue_job_runs_collected', 'glue_job_metrics_collected']) {
        const { rows } = await engine.execute(CompiledQuery.raw(`select count(*) as n from ${view}`));
        expect(rows).toEqual([{ n: 0 }]);
      }
    } finally {
      await engine.close();
    }
  });
});
