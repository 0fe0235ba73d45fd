import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GLUE_JOB_METRICS, glueMetricUnit } from '../../../src/sources/glue/collect/metrics.ts';
import {
  DEFAULT_GLUE_PRICES,
  gluePricesSchema,
  parseGluePrices,
  priceFor,
} from '../../../src/sources/glue/collect/prices.ts';
import { dpuSeconds, jobRunRecord } from '../../../src/sources/glue/collect/records.ts';
import {
  isTerminalRunState,
  JOB_RUN_STATES,
  replacesRun,
} from '../../../src/sources/glue/collect/run-state.ts';
import { REAL_FIXTURES_URL } from '../../support/load-fixture.ts';

describe('the Glue price table', () => {
  it('defaults to the us-east-1 list prices and fills a missing default', () => {
    expect(DEFAULT_GLUE_PRICES).toEqual({ default: { STANDARD: 0.44, FLEX: 0.29 } });
    expect(gluePricesSchema.parse({})).toEqual(DEFAULT_GLUE_PRICES);
    expect(parseGluePrices(undefined)).toEqual(DEFAULT_GLUE_PRICES);
  });

  it('prices by Region override, then default; an unknown class as STANDARD', () => {
    const prices = parseGluePrices({
      default: { STANDARD: 0.44, FLEX: 0.29 },
      regions: { 'eu-west-1': { STANDARD: 0.48 }, 'ap-southeast-2': { FLEX: 0.31 } },
    });
    expect(priceFor(prices, 'eu-west-1', 'STANDARD')).toBe(0.48);
    expect(priceFor(prices, 'eu-west-1', 'FLEX')).toBe(0.29);
    expect(priceFor(prices, 'ap-southeast-2', 'FLEX')).toBe(0.31);
    expect(priceFor(prices, 'us-west-2', null)).toBe(0.44);
  });

  it('names the bad member of a bad table', () => {
    expect(() =>
      parseGluePrices({ default: { STANDARD: 0.44, FLEX: -1 } }, 'lakeq.config.json pricing.glue'),
    ).toThrow(/^lakeq\.config\.json pricing\.glue\.default\.FLEX: /);
    expect(() => parseGluePrices({ regions: { Ireland: { FLEX: 1 } } })).toThrow(
      /pricing\.glue\.regions\.Ireland/,
    );
    expect(() => parseGluePrices({ default: { STANDARD: 1, FLEX: 1 }, extra: 1 })).toThrow(/pricing\.glue/);
  });
});

describe('run records', () => {
  const ctx = { prices: DEFAULT_GLUE_PRICES, region: 'us-east-1', accountId: '111122223333' };

  it('takes DPUSeconds when present, else ExecutionTime × MaxCapacity, else null', () => {
    expect(dpuSeconds({ ExecutionTime: 117, MaxCapacity: 10 }, 10)).toBe(1170);
    expect(dpuSeconds({ ExecutionTime: 600, DPUSeconds: 2400 }, 10)).toBe(2400);
    expect(dpuSeconds({ ExecutionTime: 600 }, null)).toBeNull();
    expect(dpuSeconds({}, 10)).toBeNull();
  });

  it("fills the job's type and settings the run lacks", () => {
    const record = jobRunRecord(
      {
        Id: 'jr_1',
        JobName: 'j',
        StartedOn: new Date('2026-11-01T00:00:00Z'),
        JobRunState: 'SUCCEEDED',
        ExecutionTime: 36,
      },
      { Name: 'j', Command: { Name: 'pythonshell' }, MaxCapacity: 1, Timeout: 30, GlueVersion: '3.0' },
      ctx,
    );
    expect(record).toMatchObject({
      job_type: 'pythonshell',
      max_capacity: 1,
      dpu_seconds: 36,
      timeout_minutes: 30,
      glue_version: '3.0',
      attempt: 0,
    });
    expect(record.estimated_cost_usd).toBeCloseTo(0.0044, 12); // 36 / 3600 × 0.44
  });

  it('refuses a run it cannot place', () => {
    expect(() => jobRunRecord({ Id: 'jr_1', JobName: 'j' }, undefined, ctx)).toThrow(
      /jr_1 of j without StartedOn/,
    );
  });
});

describe('run states', () => {
  it('knows which states are final', () => {
    expect(JOB_RUN_STATES.filter(isTerminalRunState)).toEqual([
      'STOPPED',
      'SUCCEEDED',
      'FAILED',
      'TIMEOUT',
      'ERROR',
      'EXPIRED',
    ]);
  });

  it('prefers a terminal state, then the later LastModifiedOn, and the candidate on a tie', () => {
    expect(replacesRun({ state: 'SUCCEEDED', lastModified: 1 }, { state: 'RUNNING', lastModified: 5 })).toBe(
      true,
    );
    expect(replacesRun({ state: 'RUNNING', lastModified: 9 }, { state: 'FAILED', lastModified: 5 })).toBe(
      false,
    );
    expect(replacesRun({ state: 'STOPPING', lastModified: 9 }, { state: 'RUNNING', lastModified: 5 })).toBe(
      true,
    );
    expect(replacesRun({ state: 'RUNNING', lastModified: 4 }, { state: 'STOPPING', lastModified: 5 })).toBe(
      false,
    );
    expect(replacesRun({ state: 'RUNNING', lastModified: 5 }, { state: 'RUNNING', lastModified: 5 })).toBe(
      true,
    );
    expect(replacesRun({ state: 'RUNNING', lastModified: null }, { state: 'RUNNING', lastModified: 5 })).toBe(
      false,
    );
  });
});

describe('the Glue metric list', () => {
  it('is the concrete metrics of the fixture table, with their type, statistic and unit', () => {
    const csv = readFileSync(
      new URL('glue/cloudwatch-metrics/glue_job_metrics.csv', REAL_FIXTURES_URL),
      'utf8',
    );
    const rows = csv
      .split('\n')
      .slice(1)
      .filter((l) => l.startsWith('glue.'))
      .map((l) => l.split(','))
      .filter(([name]) => !name?.includes('{'));
    const statName: Record<string, string> = { SUM: 'Sum', Average: 'Average', Maximum: 'Maximum' };
    expect(GLUE_JOB_METRICS.map((m) => [m.name, m.type, m.stat, m.unit])).toEqual(
      rows.map(([name, namespace, dims, type, stat, unit]) => {
        expect([namespace, dims]).toEqual(['Glue', 'JobName;JobRunId;Type']);
        return [name, type, statName[stat ?? ''], unit];
      }),
    );
    expect(glueMetricUnit('glue.driver.aggregate.numFailedTasks')).toBe('Count');
    expect(glueMetricUnit('glue.glue.driver.aggregate.numFailedTasks')).toBeNull();
  });
});
