import type { AwsRetryOptions } from '../engines/aws-retry.ts';
import { type LedgerRow, readLedger } from '../ingest/ledger.ts';
import type { AlarmDefinition } from './alarm-definition.ts';
import { ALARMS } from './alarms.ts';
import {
  type CloudWatchLike,
  healthValues,
  type MetricValue,
  putMetricDataInputs,
  queryAlarmMetric,
} from './cloudwatch-alarms.ts';
import { type AlarmReport, evaluateAlarms } from './evaluate-alarms.ts';
import { type HealthMetrics, healthMetrics } from './health-metrics.ts';
import { publishMetricData } from './publish-metric-data.ts';
import { queryAlarmValue, type RunAlarmQuery } from './query-alarm-value.ts';

export interface HourlyAlarmOptions {
  /** The run's time (the handler context's `now`). */
  readonly at: Date;
  readonly dataDir: string;
  /** Runs a library query: the local DuckDB engine, or Athena on AWS (`engineAlarmQueries`). */
  readonly runQuery: RunAlarmQuery;
  /** Default ALARMS. */
  readonly alarms?: readonly AlarmDefinition[];
  /** The ledger rows (default `readLedger(dataDir)`). */
  readonly ledger?: readonly LedgerRow[];
  /** On AWS: publish the values with PutMetricData; CloudWatch's alarms keep the state. */
  readonly cloudwatch?: CloudWatchLike;
  readonly retry?: AwsRetryOptions & { readonly signal?: AbortSignal };
  /** The tables whose lag counts (default every table in the ledger). */
  readonly healthTables?: readonly string[];
}

/** A query alarm's value as published (or why it was not). */
export interface PublishedAlarmValue {
  readonly alarm: string;
  readonly value: number | null;
  readonly error?: string;
}

export type HourlyAlarmResult =
  | { readonly mode: 'local'; readonly report: AlarmReport }
  | {
      readonly mode: 'cloudwatch';
      readonly health: HealthMetrics;
      readonly values: readonly PublishedAlarmValue[];
      /** Metric data sent, and in how many PutMetricData requests. */
      readonly metricData: number;
      readonly requests: number;
    };

/**
 * What the hourly run does with alarms at its end. Locally (no `cloudwatch`) it evaluates every
 * alarm and records states and transitions in the data folder (`evaluateAlarms`). On AWS it
 * computes the health metrics and every query alarm's value and publishes them with
 * PutMetricData in namespace `lakeq`; the deployed CloudWatch alarms evaluate them. A query that
 * fails publishes nothing for its alarm (CloudWatch then applies TreatMissingData) and is named
 * in `values`; it does not fail the run.
 *
 * @example
 * ```ts
 * // the Lambda action `evaluateAlarms`
 * await alarmsAfterHourlyRun({ at: context.now, dataDir: context.dataDir, runQuery: engineAlarmQueries(athena),
 *   cloudwatch: new CloudWatchClient({}) })
 * // { mode: 'cloudwatch', metricData: 7, requests: 1, values: [{ alarm: 'glue-failed-runs', value: 0 }, …], … }
 * ```
 */
export async function alarmsAfterHourlyRun(options: HourlyAlarmOptions): Promise<HourlyAlarmResult> {
  const alarms = options.alarms ?? ALARMS;
  const ledger = options.ledger ?? (await readLedger(options.dataDir)).rows;
  if (!options.cloudwatch) {
    const report = await evaluateAlarms({
      dataDir: options.dataDir,
      at: options.at,
      alarms,
      runQuery: options.runQuery,
      ledger,
      ...(options.healthTables ? { healthTables: options.healthTables } : {}),
    });
    return { mode: 'local', report };
  }
  const health = healthMetrics(
    ledger,
    options.at,
    options.healthTables ? { tables: options.healthTables } : {},
  );
  const metrics: MetricValue[] = healthValues(health);
  const values: PublishedAlarmValue[] = [];
  for (const alarm of alarms) {
    if (alarm.kind !== 'query') continue;
    try {
      const { value } = await queryAlarmValue(alarm, options.at, options.runQuery);
      values.push({ alarm: alarm.name, value });
      if (value === null) continue;
      const metric = queryAlarmMetric(alarm);
      metrics.push({ metricName: metric.metricName, dimensions: metric.dimensions, value, unit: alarm.unit });
    } catch (error) {
      values.push({ alarm: alarm.name, value: null, error: (error as Error).message ?? String(error) });
    }
  }
  const inputs = putMetricDataInputs(metrics, options.at);
  const requests = await publishMetricData(options.cloudwatch, inputs, options.retry);
  return { mode: 'cloudwatch', health, values, metricData: metrics.length, requests };
}
