import { describe, expect, it } from 'vitest';
import {
  type AlarmSpec,
  defineAlarm,
  defineAlarms,
  type QueryAlarmSpec,
} from '../../src/alarms/alarm-definition.ts';
import { ALARMS, defaultAlarms } from '../../src/alarms/alarms.ts';
import { queryAlarmParams, reduceRows } from '../../src/alarms/query-alarm-value.ts';
import { loadQuery } from '../../src/query/registry.ts';

const base: QueryAlarmSpec = {
  kind: 'query',
  name: 'api-errors',
  description: 'API errors',
  query: { id: 'cloudtrail/api-errors-by-principal', window: { hours: 24 }, params: { limit: 5 } },
  value: { reduce: 'sum', column: 'errors' },
  comparison: 'GreaterThanThreshold',
  threshold: 10,
};

describe('defineAlarm', () => {
  it('fills in the defaults', () => {
    expect(defineAlarm(base)).toEqual({
      ...base,
      query: { ...base.query, window: { hours: 24, fromParam: 'from', toParam: 'to' } },
      evaluationPeriods: 1,
      periodHours: 1,
      treatMissingData: 'missing',
      metricName: 'ApiErrors',
      unit: 'None',
    });
  });

  it('refuses a bad definition, naming the alarm and the field', () => {
    expect(() => defineAlarm({ ...base, name: 'Bad Name' })).toThrow(
      /alarm "Bad Name": name: must be lower-case kebab/,
    );
    expect(() => defineAlarm({ ...base, comparison: 'GreaterThan' as 'GreaterThanThreshold' })).toThrow(
      /alarm "api-errors": comparison/,
    );
    expect(() =>
      defineAlarm({ ...base, value: { reduce: 'sum' } as unknown as { reduce: 'count' } }),
    ).toThrow(/value/);
    expect(() => defineAlarm({ ...base, query: { ...base.query, params: { from: 'x' } } })).toThrow(
      /query.params: a fixed param has the name of a window param/,
    );
    expect(() =>
      defineAlarm({
        kind: 'metric',
        name: 'm',
        description: 'm',
        metric: { namespace: 'lakeq', name: 'LagHours', statistic: 'Maximum' },
        periodSeconds: 90,
        comparison: 'GreaterThanThreshold',
        threshold: 1,
      }),
    ).toThrow(/alarm "m": periodSeconds: must be 10, 20, 30 or a multiple of 60/);
    expect(() => defineAlarm({ ...base, kind: 'other' } as unknown as AlarmSpec)).toThrow(
      /kind must be "query" or "metric"/,
    );
    expect(() => defineAlarms([defineAlarm(base), defineAlarm(base)])).toThrow(
      /"api-errors" is defined twice/,
    );
  });
});

describe('the default alarms', () => {
  it('are the four alarms of the design, with a configurable cost threshold', () => {
    expect(ALARMS.map((a) => [a.name, a.kind, a.comparison, a.threshold, a.treatMissingData])).toEqual([
      ['loads-stopped', 'metric', 'GreaterThanThreshold', 3, 'breaching'],
      ['etl-failed-loads', 'metric', 'GreaterThanThreshold', 0, 'notBreaching'],
      ['glue-failed-runs', 'query', 'GreaterThanThreshold', 0, 'missing'],
      ['glue-daily-cost', 'query', 'GreaterThanThreshold', 100, 'missing'],
    ]);
    expect(
      defaultAlarms({ glueDailyCostUsd: 250 }).find((a) => a.name === 'glue-daily-cost')?.threshold,
    ).toBe(250);
  });

  // Depends on the glue/* queries (queries/glue/failures.ts, queries/glue/cost-by-job.ts and their
  // entries in queries/index.ts): it fails, naming the query, whenever one is missing or its params change.
  it('[needs glue/failures and glue/cost-by-job] every query alarm names a registered query that accepts its params', async () => {
    const at = new Date('2026-11-27T14:05:00Z');
    for (const alarm of ALARMS) {
      if (alarm.kind !== 'query') continue;
      const query = await loadQuery(alarm.query.id);
      const parsed = query.params.safeParse(queryAlarmParams(alarm, at));
      expect(parsed.success, `${alarm.name}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  });
});

describe('query alarm values', () => {
  it('maps the window onto the last finished hours', () => {
    const alarm = defineAlarm(base);
    expect(queryAlarmParams(alarm, new Date('2026-11-28T00:59:59Z'))).toEqual({
      limit: 5,
      from: '2026-11-27T00:00:00.000Z',
      to: '2026-11-28T00:00:00.000Z',
    });
  });

  it('reduces rows: count and sum of nothing are 0, max and min of nothing are no datapoint', () => {
    const rows = [{ c: 2.5 }, { c: '1.25' }, { c: null }, { c: 7 }];
    expect(reduceRows(rows, { reduce: 'sum', column: 'c' }, 'q/x')).toBe(10.75);
    expect(reduceRows(rows, { reduce: 'max', column: 'c' }, 'q/x')).toBe(7);
    expect(reduceRows(rows, { reduce: 'min', column: 'c' }, 'q/x')).toBe(1.25);
    expect(reduceRows(rows, { reduce: 'count' }, 'q/x')).toBe(4);
    expect(reduceRows([], { reduce: 'count' }, 'q/x')).toBe(0);
    expect(reduceRows([], { reduce: 'sum', column: 'c' }, 'q/x')).toBe(0);
    expect(reduceRows([{ c: null }], { reduce: 'max', column: 'c' }, 'q/x')).toBeNull();
    expect(() => reduceRows([{ c: 'abc' }], { reduce: 'sum', column: 'c' }, 'q/x')).toThrow(
      'query q/x: column "c" holds "abc", not a number',
    );
    expect(() => reduceRows([{ d: 1 }], { reduce: 'max', column: 'c' }, 'q/x')).toThrow(
      'query q/x has no column "c" (columns: d)',
    );
  });
});
