import { type AlarmDefinition, defineAlarm, defineAlarms, LAKEQ_NAMESPACE } from './alarm-definition.ts';
import { HEALTH_METRICS } from './health-metrics.ts';

/** What a deployment may change in lakeq's default alarms. */
export interface DefaultAlarmOptions {
  /** The estimated Glue cost, in USD over the last 24 hours, above which `glue-daily-cost` fires (default 100). */
  readonly glueDailyCostUsd?: number;
}

/** The default threshold of `glue-daily-cost`, in USD per 24 hours. */
export const DEFAULT_GLUE_DAILY_COST_USD = 100;

/**
 * lakeq's alarms:
 * - `loads-stopped`: no table has a loaded (or unchanged) partition for more than 3 of the last
 *   finished hours, or the ETL published no health at all (missing data is breaching).
 * - `etl-failed-loads`: a partition load failed in the last hour.
 * - `glue-failed-runs`: a Glue job run failed, errored or timed out in the last hour.
 * - `glue-daily-cost`: the estimated Glue cost of the last 24 hours is above the threshold.
 *
 * @example
 * ```ts
 * defaultAlarms({ glueDailyCostUsd: 250 }).find((a) => a.name === 'glue-daily-cost')?.threshold // 250
 * ```
 */
export function defaultAlarms(options: DefaultAlarmOptions = {}): readonly AlarmDefinition[] {
  const costThreshold = options.glueDailyCostUsd ?? DEFAULT_GLUE_DAILY_COST_USD;
  return defineAlarms([
    defineAlarm({
      kind: 'metric',
      name: 'loads-stopped',
      description:
        'The ETL stopped loading: the newest partition of a table is more than 3 hours behind the last finished hour, or no health was published.',
      metric: { namespace: LAKEQ_NAMESPACE, name: HEALTH_METRICS.lagHours, statistic: 'Maximum' },
      periodSeconds: 3600,
      evaluationPeriods: 1,
      comparison: 'GreaterThanThreshold',
      threshold: 3,
      treatMissingData: 'breaching',
    }),
    defineAlarm({
      kind: 'metric',
      name: 'etl-failed-loads',
      description: 'A partition load failed in the last hour (lakeq runs --failed lists them).',
      metric: { namespace: LAKEQ_NAMESPACE, name: HEALTH_METRICS.failedLoads, statistic: 'Sum' },
      periodSeconds: 3600,
      comparison: 'GreaterThanThreshold',
      threshold: 0,
      // No run, no datapoint: loads-stopped reports that, not this alarm.
      treatMissingData: 'notBreaching',
    }),
    defineAlarm({
      kind: 'query',
      name: 'glue-failed-runs',
      description: 'A Glue job run failed, errored or timed out in the last hour (query glue/failures).',
      query: { id: 'glue/failures', window: { hours: 1 } },
      value: { reduce: 'count' },
      periodHours: 1,
      comparison: 'GreaterThanThreshold',
      threshold: 0,
      unit: 'Count',
    }),
    defineAlarm({
      kind: 'query',
      name: 'glue-daily-cost',
      description: `The estimated Glue cost of the last 24 hours is above ${costThreshold} USD (query glue/cost-by-job).`,
      query: { id: 'glue/cost-by-job', window: { hours: 24 } },
      value: { reduce: 'sum', column: 'estimated_cost_usd' },
      periodHours: 1,
      comparison: 'GreaterThanThreshold',
      threshold: costThreshold,
    }),
  ]);
}

/** lakeq's alarms with the default thresholds. */
export const ALARMS: readonly AlarmDefinition[] = defaultAlarms();
