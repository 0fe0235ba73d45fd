import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ALARMS } from '../../src/alarms/alarms.ts';
import { evaluateAlarms } from '../../src/alarms/evaluate-alarms.ts';
import { healthData, healthMetrics } from '../../src/alarms/health-metrics.ts';
import { ledgerRow } from './ledger-rows.ts';

// Evaluated at 01:20 on 28 November: the last finished hour is 2026-11-28T00.
const AT = new Date('2026-11-28T01:20:00Z');

const LEDGER = [
  // cloudtrail_events: newest loaded partition 22:00 the day before → 2 hours behind 00:00.
  ledgerRow({
    table: 'cloudtrail_events',
    dt: '2026-11-27',
    hour: '21',
    status: 'loaded',
    rows: 40,
    finishedAt: '2026-11-27T23:10:00Z',
  }),
  ledgerRow({
    table: 'cloudtrail_events',
    dt: '2026-11-27',
    hour: '22',
    status: 'loaded',
    rows: 7,
    finishedAt: '2026-11-28T00:25:00Z',
  }),
  // failed after that: a failure is no progress; 00:40 is in the last hour (00:20, 01:20].
  ledgerRow({
    table: 'cloudtrail_events',
    dt: '2026-11-27',
    hour: '23',
    status: 'failed',
    finishedAt: '2026-11-28T00:40:00Z',
  }),
  // churn: newest is a skipped (unchanged) partition of the last finished hour → 0.
  ledgerRow({
    table: 'churn',
    dt: '2026-11-27',
    hour: '20',
    status: 'loaded',
    rows: 3,
    finishedAt: '2026-11-28T00:21:00Z',
  }),
  ledgerRow({
    table: 'churn',
    dt: '2026-11-28',
    hour: '00',
    status: 'skipped',
    finishedAt: '2026-11-28T01:05:00Z',
  }),
  // slow_table: newest 19:00 → 5 hours behind; its last load finished at 01:00 (in the last hour).
  ledgerRow({
    table: 'slow_table',
    dt: '2026-11-27',
    hour: '19',
    status: 'loaded',
    rows: 11,
    finishedAt: '2026-11-28T01:00:00Z',
  }),
  // a partition of the current hour (events stamped 01:xx) counts as up to date, not −1.
  ledgerRow({
    table: 'early',
    dt: '2026-11-28',
    hour: '01',
    status: 'loaded',
    rows: 2,
    finishedAt: '2026-11-28T01:19:00Z',
  }),
  // only failures: no lag can be measured for it.
  ledgerRow({
    table: 'broken',
    dt: '2026-11-28',
    hour: '00',
    status: 'failed',
    finishedAt: '2026-11-28T01:10:00Z',
  }),
  // recorded after the evaluation time: not seen.
  ledgerRow({
    table: 'cloudtrail_events',
    dt: '2026-11-28',
    hour: '00',
    status: 'loaded',
    rows: 1000,
    finishedAt: '2026-11-28T01:30:00Z',
  }),
  // exactly one hour before: outside the last hour (the window is (at − 1h, at]).
  ledgerRow({
    table: 'churn',
    dt: '2026-11-27',
    hour: '19',
    status: 'failed',
    finishedAt: '2026-11-28T00:20:00Z',
  }),
];

describe('healthMetrics', () => {
  it('counts rows and failures of the last hour and the lag per table across midnight', () => {
    const h = healthMetrics(LEDGER, AT);
    expect(h.lastFinishedHour).toBe('2026-11-28T00');
    // loaded rows finished in (00:20, 01:20]: 7 + 3 + 11 + 2
    expect(h.rowsLoaded).toBe(23);
    // failed in (00:20, 01:20]: cloudtrail 00:40 and broken 01:10 (churn's 00:20 is on the edge, out)
    expect(h.failedLoads).toBe(2);
    expect(h.lagByTable).toEqual({ churn: 0, cloudtrail_events: 2, early: 0, slow_table: 5 });
    expect(h.lagHours).toBe(5);
  });

  it('has no lag datapoint before anything is loaded, and restricts to the given tables', () => {
    expect(healthMetrics([], AT)).toMatchObject({
      rowsLoaded: 0,
      failedLoads: 0,
      lagHours: null,
      lagByTable: {},
    });
    const only = healthMetrics(LEDGER, AT, { tables: ['cloudtrail_events', 'churn'] });
    expect(only.lagByTable).toEqual({ churn: 0, cloudtrail_events: 2 });
    expect(only.lagHours).toBe(2);
    expect(only.rowsLoaded).toBe(10);
  });

  it('becomes datapoints: LagHours overall and per Table, no LagHours when nothing loaded', () => {
    const data = healthData(healthMetrics(LEDGER, AT));
    expect(data).toContainEqual({ metricName: 'LagHours', dimensions: {}, value: 5, unit: 'None' });
    expect(data).toContainEqual({
      metricName: 'LagHours',
      dimensions: { Table: 'cloudtrail_events' },
      value: 2,
      unit: 'None',
    });
    expect(data).toContainEqual({ metricName: 'RowsLoaded', dimensions: {}, value: 23, unit: 'Count' });
    expect(data).toContainEqual({ metricName: 'FailedLoads', dimensions: {}, value: 2, unit: 'Count' });
    expect(data).toHaveLength(3 + 4);
    expect(healthData(healthMetrics([], AT)).map((d) => d.metricName)).toEqual(['RowsLoaded', 'FailedLoads']);
  });
});

describe('health alarms from the ledger', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('a Glue table (collector-fed: no partition for an hour without runs) never makes loads-stopped fire', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lakeq-health-'));
    const quietGlue = [
      ledgerRow({
        table: 'cloudtrail_events',
        dt: '2026-11-28',
        hour: '00',
        status: 'loaded',
        rows: 5,
        finishedAt: '2026-11-28T01:10:00Z',
      }),
      // The last Glue run was 10 hours ago; its partitions stop there, and that is not a stopped load.
      ledgerRow({
        table: 'glue_job_runs',
        dt: '2026-11-27',
        hour: '14',
        status: 'loaded',
        rows: 3,
        finishedAt: '2026-11-28T00:10:00Z',
      }),
      ledgerRow({
        table: 'glue_job_metrics',
        dt: '2026-11-27',
        hour: '14',
        status: 'failed',
        finishedAt: '2026-11-28T00:50:00Z',
      }),
    ];
    const report = await evaluateAlarms({
      dataDir: dir,
      at: AT,
      alarms: ALARMS.filter((a) => a.kind === 'metric'),
      runQuery: async () => [],
      ledger: quietGlue,
    });
    expect(report.health.lagByTable).toEqual({ cloudtrail_events: 0 });
    expect(report.alarms.find((a) => a.name === 'loads-stopped')?.state).toBe('OK');
    // Its failures still count.
    expect(report.alarms.find((a) => a.name === 'etl-failed-loads')).toMatchObject({
      state: 'ALARM',
      value: 1,
    });
  });

  it('loads-stopped fires when a table is more than 3 hours behind; etl-failed-loads on a failure', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lakeq-health-'));
    const alarms = ALARMS.filter((a) => a.kind === 'metric');
    const noQueries = async () => {
      throw new Error('no query alarm here');
    };
    const report = await evaluateAlarms({
      dataDir: dir,
      at: AT,
      alarms,
      runQuery: noQueries,
      ledger: LEDGER,
    });
    const byName = new Map(report.alarms.map((a) => [a.name, a]));
    expect(byName.get('loads-stopped')).toMatchObject({
      state: 'ALARM',
      value: 5,
      reason: 'Threshold Crossed: 1 datapoint [5.0] was greater than the threshold (3.0)',
    });
    expect(byName.get('etl-failed-loads')).toMatchObject({ state: 'ALARM', value: 2 });

    // Caught up an hour later with no failure: 3 hours behind is not more than 3.
    const later = new Date('2026-11-28T02:10:00Z');
    const caughtUp = [
      ...LEDGER,
      ledgerRow({
        table: 'slow_table',
        dt: '2026-11-27',
        hour: '22',
        status: 'loaded',
        rows: 1,
        finishedAt: '2026-11-28T02:00:00Z',
      }),
      ledgerRow({
        table: 'early',
        dt: '2026-11-28',
        hour: '01',
        status: 'skipped',
        finishedAt: '2026-11-28T02:01:00Z',
      }),
    ];
    const next = await evaluateAlarms({
      dataDir: dir,
      at: later,
      alarms,
      runQuery: noQueries,
      ledger: caughtUp,
    });
    // glue 22:00 is 3 hours behind 01:00 (cloudtrail's 00:00, recorded at 01:30, now counts: 1 behind).
    expect(next.health.lagHours).toBe(3);
    expect(next.health.lagByTable).toEqual({ churn: 1, cloudtrail_events: 1, early: 0, slow_table: 3 });
    expect(next.alarms.map((a) => [a.name, a.state, a.value])).toEqual([
      ['loads-stopped', 'OK', 3],
      ['etl-failed-loads', 'OK', 0],
    ]);
    expect(next.transitions.map((t) => [t.alarm, t.from, t.to])).toEqual([
      ['loads-stopped', 'ALARM', 'OK'],
      ['etl-failed-loads', 'ALARM', 'OK'],
    ]);
  });
});
