import type {
  DescribeAlarmsCommand,
  DescribeAlarmsCommandOutput,
  PutMetricAlarmCommand,
  PutMetricAlarmCommandInput,
  PutMetricAlarmCommandOutput,
  PutMetricDataCommand,
  PutMetricDataCommandInput,
  PutMetricDataCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import {
  type AlarmDefinition,
  cloudWatchAlarmName,
  LAKEQ_NAMESPACE,
  type MetricUnit,
  periodSecondsOf,
  type QueryAlarm,
} from './alarm-definition.ts';
import { type HealthMetrics, healthData } from './health-metrics.ts';

/** The CloudWatch calls lakeq makes; a real `CloudWatchClient` fits. */
export interface CloudWatchLike {
  send(command: DescribeAlarmsCommand): Promise<DescribeAlarmsCommandOutput>;
  send(command: PutMetricAlarmCommand): Promise<PutMetricAlarmCommandOutput>;
  send(command: PutMetricDataCommand): Promise<PutMetricDataCommandOutput>;
}

/** The dimension a query alarm's value is published with: `Alarm=<name>`. */
export const ALARM_DIMENSION = 'Alarm';

/** PutMetricData takes at most 1000 metrics per request (MetricData and EntityMetricData together). */
export const MAX_METRIC_DATA_PER_REQUEST = 1000;

/** How alarms are deployed. */
export interface AlarmDeployOptions {
  /** ARNs notified when an alarm goes to ALARM, such as an SNS topic (at most 5). */
  readonly alarmActions?: readonly string[];
}

/** A PutMetricAlarm input, as lakeq builds it (every member it manages is always set). */
export type AlarmInput = PutMetricAlarmCommandInput & {
  AlarmName: string;
  AlarmDescription: string;
  AlarmActions: string[];
  Namespace: string;
  MetricName: string;
  Dimensions: { Name: string; Value: string }[];
};

/**
 * The metric a query alarm's value is published as.
 *
 * @example
 * ```ts
 * queryAlarmMetric(glueFailedRuns) // { namespace: 'lakeq', metricName: 'GlueFailedRuns', dimensions: { Alarm: 'glue-failed-runs' } }
 * ```
 */
export function queryAlarmMetric(alarm: QueryAlarm): {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
} {
  return {
    namespace: LAKEQ_NAMESPACE,
    metricName: alarm.metricName,
    dimensions: { [ALARM_DIMENSION]: alarm.name },
  };
}

const dimensionList = (dims: Readonly<Record<string, string>>) =>
  Object.entries(dims)
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([Name, Value]) => ({ Name, Value }));

/**
 * The PutMetricAlarm input of an alarm. A query alarm watches the value the hourly run publishes
 * (namespace `lakeq`, its metric name, `Alarm=<name>`) with the Maximum statistic: one
 * datapoint per run, so a period holds the value of the last run(s) in it.
 *
 * @example
 * ```ts
 * putMetricAlarmInput(ALARMS[0], { alarmActions: ['arn:aws:sns:eu-west-1:111122223333:lakeq-alarms'] })
 * // { AlarmName: 'lakeq-loads-stopped', Namespace: 'lakeq', MetricName: 'LagHours', Dimensions: [],
 * //   Statistic: 'Maximum', Period: 3600, EvaluationPeriods: 1, Threshold: 3,
 * //   ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'breaching', ActionsEnabled: true, … }
 * ```
 */
export function putMetricAlarmInput(alarm: AlarmDefinition, options: AlarmDeployOptions = {}): AlarmInput {
  const metric =
    alarm.kind === 'query'
      ? { ...queryAlarmMetric(alarm), statistic: 'Maximum' as const }
      : {
          namespace: alarm.metric.namespace,
          metricName: alarm.metric.name,
          dimensions: alarm.metric.dimensions,
          statistic: alarm.metric.statistic,
        };
  const origin =
    alarm.kind === 'query'
      ? `value of query ${alarm.query.id} (${alarm.value.reduce}${'column' in alarm.value ? ` of ${alarm.value.column}` : ''}), published by the hourly run`
      : `${metric.namespace}/${metric.metricName}`;
  const suffix = ` [lakeq alarm ${alarm.name}: ${origin}]`;
  return {
    AlarmName: cloudWatchAlarmName(alarm),
    AlarmDescription: `${alarm.description.slice(0, 1024 - suffix.length)}${suffix}`,
    ActionsEnabled: true,
    AlarmActions: [...(options.alarmActions ?? [])],
    Namespace: metric.namespace,
    MetricName: metric.metricName,
    Dimensions: dimensionList(metric.dimensions),
    Statistic: metric.statistic,
    Period: periodSecondsOf(alarm),
    EvaluationPeriods: alarm.evaluationPeriods,
    Threshold: alarm.threshold,
    ComparisonOperator: alarm.comparison,
    TreatMissingData: alarm.treatMissingData,
  };
}

/** One value to publish. */
export interface MetricValue {
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number;
  readonly unit: MetricUnit;
}

/**
 * The health metrics and query alarm values as PutMetricData inputs, at most 1000 metric data
 * per request, all stamped with the evaluation time. Non-finite values (CloudWatch rejects NaN
 * and infinities) are refused with the metric named.
 *
 * @example
 * ```ts
 * putMetricDataInputs([...healthValues(health), { metricName: 'GlueFailedRuns', dimensions: { Alarm: 'glue-failed-runs' }, value: 2, unit: 'Count' }], at)
 * // [{ Namespace: 'lakeq', MetricData: [{ MetricName: 'RowsLoaded', Dimensions: [], Value: 1234, Unit: 'Count', Timestamp: at }, …] }]
 * ```
 */
export function putMetricDataInputs(
  values: readonly MetricValue[],
  at: Date,
  namespace = LAKEQ_NAMESPACE,
): PutMetricDataCommandInput[] {
  const data = values.map((v) => {
    if (!Number.isFinite(v.value)) {
      throw new Error(
        `metric ${namespace}/${v.metricName} ${JSON.stringify(v.dimensions)}: value ${v.value} is not a finite number`,
      );
    }
    return {
      MetricName: v.metricName,
      Dimensions: dimensionList(v.dimensions),
      Timestamp: at,
      Value: v.value,
      Unit: v.unit,
    };
  });
  const out: PutMetricDataCommandInput[] = [];
  for (let i = 0; i < data.length; i += MAX_METRIC_DATA_PER_REQUEST) {
    out.push({ Namespace: namespace, MetricData: data.slice(i, i + MAX_METRIC_DATA_PER_REQUEST) });
  }
  return out;
}

/**
 * The health metrics as values to publish (RowsLoaded, FailedLoads, LagHours and LagHours per Table).
 *
 * @example
 * ```ts
 * healthValues(healthMetrics(rows, at)) // [{ metricName: 'RowsLoaded', dimensions: {}, value: 1234, unit: 'Count' }, …]
 * ```
 */
export function healthValues(health: HealthMetrics): MetricValue[] {
  return healthData(health);
}
