import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import costByJob from '../../queries/glue/cost-by-job.ts';
import dpuUsageTrend from '../../queries/glue/dpu-usage-trend.ts';
import failures from '../../queries/glue/failures.ts';
import jobRuns from '../../queries/glue/job-runs.ts';
import longestRuns from '../../queries/glue/longest-runs.ts';
import mostExpensiveRuns from '../../queries/glue/most-expensive-runs.ts';
import runMetrics from '../../queries/glue/run-metrics.ts';
import weekOverWeek from '../../queries/glue/week-over-week.ts';
import { openLocalEngine } from '../../src/catalog/duckdb/local-engine.ts';
import type { DuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.ts';
import { runQuery } from '../../src/query/run-query.ts';
import {
  type CollectedJobRun,
  type CollectedMetric,
  generateGlueRuns,
  jobRun,
  loadGlue,
  TEST_ACCOUNT,
  TEST_PRICES,
  TEST_REGION,
  writeCollectedMetrics,
  writeCollectedRuns,
} from '../support/glue-collected.ts';

let root: string;
let engine: DuckDbEngine;

// Two weeks of generated runs, plus a run still running (no DPU-seconds, no cost yet).
const generated = generateGlueRuns({ from: '2026-11-01', days: 14, seed: 7 });
const stillRunning = jobRun({
  job_name: 'orders-etl',
  job_run_id: 'jr_running',
  started_on: '2026-11-14T22:30:00Z',
  job_run_state: 'RUNNING',
  completed_on: null,
  execution_seconds: null,
  dpu_seconds: null,
});
const runs: CollectedJobRun[] = [...generated, stillRunning];
const FROM = '2026-11-01';
const TO = '2026-11-15';
const inWindow = (r: CollectedJobRun, from = FROM, to = TO) =>
  Date.parse(r.started_on) >= Date.parse(`${from}T00:00:00Z`) &&
  Date.parse(r.started_on) < Date.parse(`${to}T00:00:00Z`);
const iso = (t: string | null) => (t === null ? null : new Date(t).toISOString());
const FAILED = new Set(['FAILED', 'ERROR', 'TIMEOUT']);
/** The cost, recomputed here from DPU-seconds and the price table (not the collector's field). */
const costOf = (r: CollectedJobRun) =>
  r.dpu_seconds === null
    ? 0
    : (r.dpu_seconds / 3600) * (r.execution_class === 'FLEX' ? TEST_PRICES.FLEX : TEST_PRICES.STANDARD);
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** The queries return USD and (DPU-)hours rounded to 2 decimals: within half a hundredth of the exact value. */
const hundredths = (exact: number) => expect.closeTo(exact, 2);
/** Every value of these columns has at most 2 decimals (is its own rounding to 2 decimals). */
function expectRoundedTo2<T extends object>(rows: readonly T[], columns: readonly (keyof T)[]) {
  const values = rows.flatMap((r) => columns.map((c) => r[c] as unknown)).filter((v) => v !== null);
  expect(values.length).toBeGreaterThan(0);
  for (const v of values) expect(v).toBe(Number((v as number).toFixed(2)));
}

const target = generated.find((r) => r.job_name === 'orders-etl' && r.job_run_state === 'SUCCEEDED');
if (!target) throw new Error('the generated estate has no successful orders-etl run');
const metricPoint = (
  runId: string,
  name: string,
  minute: number,
  value: number,
  statistic = 'Sum',
): CollectedMetric => ({
  job_name: 'orders-etl',
  job_run_id: runId,
  metric_name: name,
  metric_type: name.includes('elapsedTime') || name.includes('Executors') ? 'gauge' : 'count',
  metric_time: new Date(Date.parse(target.started_on) + minute * 60_000).toISOString(),
  value,
  unit: name.includes('elapsedTime') ? 'Milliseconds' : 'Count',
  statistic,
  region: TEST_REGION,
  account_id: TEST_ACCOUNT,
});
const metrics: CollectedMetric[] = [
  ...[1, 2, 3, 4, 5].map((m) =>
    metricPoint(target.job_run_id, 'glue.driver.aggregate.recordsRead', m, m * 1000),
  ),
  ...[1, 3, 5].map((m) =>
    metricPoint(target.job_run_id, 'glue.driver.aggregate.elapsedTime', m, m * 60_000, 'Maximum'),
  ),
  metricPoint(
    target.job_run_id,
    'glue.driver.ExecutorAllocationManager.executors.numberAllExecutors',
    2,
    9,
    'Average',
  ),
  // Other series: another run and the job's aggregate.
  metricPoint('jr_other', 'glue.driver.aggregate.recordsRead', 2, 5),
  metricPoint('ALL', 'glue.driver.aggregate.recordsRead', 2, 99_999),
];

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-glue-queries-'));
  const dataDir = path.join(root, 'data');
  const glueRoot = path.join(root, 'glue');
  await writeCollectedRuns(glueRoot, runs);
  await writeCollectedMetrics(glueRoot, metrics);
  await loadGlue({ dataDir, glueRoot, from: '2026-10-31', to: '2026-11-17' });
  engine = await openLocalEngine({
    sources: { cloudtrail: path.join(root, 'none') },
    roots: { glue: glueRoot },
    dataDir,
  });
}, 300_000);
afterAll(async () => {
  await engine?.close();
  await rm(root, { recursive: true, force: true });
});

describe('glue/* queries on generated collected data', () => {
  it('the estate has what the queries look for: failures, retries, timeouts, flex, every job type', () => {
    const states = new Set(runs.map((r) => r.job_run_state));
    for (const s of ['SUCCEEDED', 'FAILED', 'TIMEOUT', 'RUNNING']) expect(states).toContain(s);
    expect(runs.some((r) => r.previous_run_id !== null)).toBe(true);
    expect(new Set(runs.map((r) => r.job_type))).toEqual(
      new Set(['glueetl', 'gluestreaming', 'pythonshell', 'glueray']),
    );
    expect(runs.some((r) => r.execution_class === 'FLEX')).toBe(true);
  });

  it('glue/job-runs: the runs started in the window, of one job', async () => {
    const { rows } = await runQuery(engine, jobRuns, {
      from: '2026-11-03',
      to: '2026-11-05',
      job_name: 'backfill-flex',
    });
    const expected = runs
      .filter((r) => r.job_name === 'backfill-flex' && inWindow(r, '2026-11-03', '2026-11-05'))
      .sort(
        (a, b) => Date.parse(a.started_on) - Date.parse(b.started_on) || byText(a.job_run_id, b.job_run_id),
      );
    expect(expected.length).toBeGreaterThan(2);
    expect(rows).toEqual(
      expected.map((r) => ({
        job_name: r.job_name,
        job_run_id: r.job_run_id,
        attempt: r.attempt,
        previous_run_id: r.previous_run_id,
        trigger_name: r.trigger_name,
        job_run_state: r.job_run_state,
        job_type: r.job_type,
        started_on: iso(r.started_on),
        completed_on: iso(r.completed_on),
        execution_seconds: r.execution_seconds,
        worker_type: r.worker_type,
        number_of_workers: r.number_of_workers,
        max_capacity: r.max_capacity,
        dpu_seconds: r.dpu_seconds,
        glue_version: r.glue_version,
        execution_class: 'FLEX',
        error_message: r.error_message,
        estimated_cost_usd: hundredths(costOf(r)),
        region: TEST_REGION,
        account_id: TEST_ACCOUNT,
      })),
    );
    const all = await runQuery(engine, jobRuns, { from: FROM, to: TO });
    expectRoundedTo2(all.rows, ['estimated_cost_usd']);
    expect(all.rows.length).toBe(runs.filter((r) => inWindow(r)).length);
    expect(all.rows.filter((r) => r.job_run_state === 'RUNNING').map((r) => r.job_run_id)).toEqual([
      'jr_running',
    ]);
  });

  it('glue/cost-by-job: runs, failures, DPU-hours and cost per day and job, the cost recomputed from the price table', async () => {
    const { rows } = await runQuery(engine, costByJob, { from: FROM, to: TO });
    const groups = new Map<
      string,
      { day: string; job_name: string; runs: number; failed: number; dpu: number; cost: number }
    >();
    for (const r of runs.filter((x) => inWindow(x))) {
      const day = r.started_on.slice(0, 10);
      const key = `${day}|${r.job_name}`;
      const g = groups.get(key) ?? { day, job_name: r.job_name, runs: 0, failed: 0, dpu: 0, cost: 0 };
      g.runs++;
      if (FAILED.has(r.job_run_state)) g.failed++;
      g.dpu += (r.dpu_seconds ?? 0) / 3600;
      g.cost += costOf(r);
      groups.set(key, g);
    }
    const expected = [...groups.values()].sort(
      (a, b) => byText(a.day, b.day) || byText(a.job_name, b.job_name),
    );
    expect(rows.map((r) => Object.keys(r))).toEqual(
      expected.map(() => ['day', 'job_name', 'runs', 'failed_runs', 'dpu_hours', 'estimated_cost_usd']),
    );
    expect(rows).toEqual(
      expected.map((g) => ({
        day: g.day,
        job_name: g.job_name,
        runs: g.runs,
        failed_runs: g.failed,
        dpu_hours: hundredths(g.dpu),
        estimated_cost_usd: hundredths(g.cost),
      })),
    );
    expectRoundedTo2(rows, ['dpu_hours', 'estimated_cost_usd']);
    // Rounded after summing: a day's total is the exact sum rounded, not a sum of rounded runs.
    const busiest = [...groups.values()].sort((a, b) => b.runs - a.runs)[0];
    const busiestRow = rows.find((r) => r.day === busiest?.day && r.job_name === busiest?.job_name);
    expect(busiest?.runs).toBeGreaterThan(1);
    expect(busiestRow?.estimated_cost_usd).toBe(Number(busiest?.cost.toFixed(2)));
    // A hand-checked cell: a flex run of 20 DPU for 1000 s at 75 % is 4.1667 DPU-hours, $1.2083 at $0.29.
    expect(TEST_PRICES.FLEX * ((1000 * 20 * 0.75) / 3600)).toBeCloseTo(1.208333, 6);
    expect(expected.reduce((n, g) => n + g.failed, 0)).toBeGreaterThan(0);
  });

  it('glue/failures: failed, errored and timed-out attempts with their messages, and whether the retry succeeded', async () => {
    const { rows } = await runQuery(engine, failures, { from: FROM, to: TO });
    const expected = runs
      .filter((r) => inWindow(r) && FAILED.has(r.job_run_state))
      .sort((a, b) => Date.parse(b.started_on) - Date.parse(a.started_on) || byText(a.job_name, b.job_name));
    expect(rows.map((r) => [r.job_run_id, r.job_run_state, r.error_message, r.retried_ok])).toEqual(
      expected.map((r) => [
        r.job_run_id,
        r.job_run_state,
        r.error_message,
        runs.some((x) => x.previous_run_id === r.job_run_id && x.job_run_state === 'SUCCEEDED'),
      ]),
    );
    expect(rows.some((r) => r.retried_ok)).toBe(true);
    expect(rows.some((r) => !r.retried_ok)).toBe(true);
  });

  it('glue/longest-runs and glue/most-expensive-runs: the top runs, with a limit', async () => {
    const longest = await runQuery(engine, longestRuns, { from: FROM, to: TO, limit: 5 });
    const byRuntime = runs
      .filter((r) => inWindow(r) && r.execution_seconds !== null)
      .sort(
        (a, b) =>
          (b.execution_seconds ?? 0) - (a.execution_seconds ?? 0) ||
          byText(a.job_name, b.job_name) ||
          byText(a.job_run_id, b.job_run_id),
      )
      .slice(0, 5);
    expect(longest.rows.map((r) => [r.job_run_id, r.execution_seconds])).toEqual(
      byRuntime.map((r) => [r.job_run_id, r.execution_seconds]),
    );
    for (const [i, r] of byRuntime.entries()) {
      expect(longest.rows[i]?.timeout_used).toBeCloseTo(
        (r.execution_seconds ?? 0) / (60 * (r.timeout_minutes ?? 1)),
        9,
      );
      expect(longest.rows[i]?.dpu_hours).toBeCloseTo((r.dpu_seconds ?? 0) / 3600, 2);
    }

    const expensive = await runQuery(engine, mostExpensiveRuns, { from: FROM, to: TO, limit: 3 });
    const byCost = runs
      .filter((r) => inWindow(r) && r.dpu_seconds !== null)
      .sort(
        (a, b) =>
          costOf(b) - costOf(a) || byText(a.job_name, b.job_name) || byText(a.job_run_id, b.job_run_id),
      )
      .slice(0, 3);
    expect(expensive.rows.map((r) => r.job_run_id)).toEqual(byCost.map((r) => r.job_run_id));
    for (const [i, r] of byCost.entries())
      expect(expensive.rows[i]?.estimated_cost_usd).toBeCloseTo(costOf(r), 2);
    expectRoundedTo2([...longest.rows, ...expensive.rows], ['dpu_hours', 'estimated_cost_usd']);
  });

  it('glue/dpu-usage-trend: DPU-hours per day and job type', async () => {
    const { rows } = await runQuery(engine, dpuUsageTrend, { from: '2026-11-02', to: '2026-11-04' });
    const groups = new Map<
      string,
      { day: string; job_type: string; runs: number; dpu: number; cost: number }
    >();
    for (const r of runs.filter((x) => inWindow(x, '2026-11-02', '2026-11-04'))) {
      const day = r.started_on.slice(0, 10);
      const type = r.job_type ?? 'unknown';
      const g = groups.get(`${day}|${type}`) ?? { day, job_type: type, runs: 0, dpu: 0, cost: 0 };
      g.runs++;
      g.dpu += (r.dpu_seconds ?? 0) / 3600;
      g.cost += costOf(r);
      groups.set(`${day}|${type}`, g);
    }
    const expected = [...groups.values()].sort(
      (a, b) => byText(a.day, b.day) || byText(a.job_type, b.job_type),
    );
    expect(rows).toEqual(
      expected.map((g) => ({
        day: g.day,
        job_type: g.job_type,
        runs: g.runs,
        dpu_hours: hundredths(g.dpu),
        estimated_cost_usd: hundredths(g.cost),
      })),
    );
    expectRoundedTo2(rows, ['dpu_hours', 'estimated_cost_usd']);
  });

  it('glue/run-metrics: the datapoints of one run only', async () => {
    const day = target.started_on.slice(0, 10);
    const next = new Date(Date.parse(`${day}T00:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10);
    const { rows } = await runQuery(engine, runMetrics, {
      job_run_id: target.job_run_id,
      from: day,
      to: next,
    });
    const expected = metrics
      .filter((m) => m.job_run_id === target.job_run_id)
      .sort(
        (a, b) =>
          byText(a.metric_name, b.metric_name) ||
          byText(a.statistic, b.statistic) ||
          byText(a.metric_time, b.metric_time),
      );
    expect(rows).toEqual(
      expected.map((m) => ({
        job_name: 'orders-etl',
        metric_name: m.metric_name,
        metric_type: m.metric_type,
        statistic: m.statistic,
        unit: m.unit,
        metric_time: m.metric_time,
        value: m.value,
      })),
    );
  });

  it('glue/week-over-week: jobs whose runtime or cost grew, the week before `to` against the one before', async () => {
    const { rows } = await runQuery(engine, weekOverWeek, { to: TO });
    const mid = Date.parse('2026-11-08T00:00:00Z');
    const jobs = new Map<
      string,
      { rp: number; rc: number; tp: number; tc: number; cp: number; cc: number }
    >();
    for (const r of runs.filter((x) => inWindow(x))) {
      const j = jobs.get(r.job_name) ?? { rp: 0, rc: 0, tp: 0, tc: 0, cp: 0, cc: 0 };
      const current = Date.parse(r.started_on) >= mid;
      if (current) {
        j.rc++;
        j.tc += (r.execution_seconds ?? 0) / 3600;
        j.cc += costOf(r);
      } else {
        j.rp++;
        j.tp += (r.execution_seconds ?? 0) / 3600;
        j.cp += costOf(r);
      }
      jobs.set(r.job_name, j);
    }
    const expected = [...jobs]
      .filter(([, j]) => j.tc > j.tp || j.cc > j.cp)
      .sort(
        ([na, a], [nb, b]) => b.cc - b.cp - (a.cc - a.cp) || b.tc - b.tp - (a.tc - a.tp) || byText(na, nb),
      );
    // orders-etl runs 1.6 times longer in the second week: it must be there.
    expect(expected.map(([n]) => n)).toContain('orders-etl');
    expect(rows).toEqual(
      expected.map(([name, j]) => ({
        job_name: name,
        runs_previous: j.rp,
        runs_current: j.rc,
        runtime_hours_previous: hundredths(j.tp),
        runtime_hours_current: hundredths(j.tc),
        runtime_growth_hours: hundredths(j.tc - j.tp),
        cost_usd_previous: hundredths(j.cp),
        cost_usd_current: hundredths(j.cc),
        cost_growth_usd: hundredths(j.cc - j.cp),
      })),
    );
    expectRoundedTo2(rows, [
      'runtime_hours_previous',
      'runtime_hours_current',
      'runtime_growth_hours',
      'cost_usd_previous',
      'cost_usd_current',
      'cost_growth_usd',
    ]);
  });
});
