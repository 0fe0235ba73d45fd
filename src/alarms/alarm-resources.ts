import type { MetricAlarm as CloudWatchMetricAlarm } from '@aws-sdk/client-cloudwatch';
import { diffValues } from '../deploy/diff-values.ts';
import type { Resource } from '../deploy/resource.ts';
import { type AwsRetryOptions, withThrottlingRetry } from '../engines/aws-retry.ts';
import type { AlarmDefinition } from './alarm-definition.ts';
import {
  type AlarmDeployOptions,
  type AlarmInput,
  type CloudWatchLike,
  putMetricAlarmInput,
} from './cloudwatch-alarms.ts';

/** The prefix of every alarm lakeq deploys. */
export const ALARM_NAME_PREFIX = 'lakeq-';

/**
 * lakeq's deployed metric alarms by name, read once (DescribeAlarms with AlarmNamePrefix
 * `lakeq-`, every page) and shared by the alarm resources of a plan.
 *
 * @example
 * ```ts
 * const index = alarmIndex(cloudwatch);
 * (await index()).get('lakeq-loads-stopped')?.Threshold // 3
 * ```
 */
export function alarmIndex(
  cloudwatch: CloudWatchLike,
  retry: AwsRetryOptions = {},
): () => Promise<ReadonlyMap<string, CloudWatchMetricAlarm>> {
  let loaded: Promise<Map<string, CloudWatchMetricAlarm>> | undefined;
  const load = async () => {
    const { DescribeAlarmsCommand } = await import('@aws-sdk/client-cloudwatch');
    const out = new Map<string, CloudWatchMetricAlarm>();
    let token: string | undefined;
    do {
      const page = await withThrottlingRetry(
        () =>
          cloudwatch.send(
            new DescribeAlarmsCommand({
              AlarmNamePrefix: ALARM_NAME_PREFIX,
              AlarmTypes: ['MetricAlarm'],
              MaxRecords: 100,
              ...(token ? { NextToken: token } : {}),
            }),
          ),
        retry,
      );
      for (const alarm of page.MetricAlarms ?? []) if (alarm.AlarmName) out.set(alarm.AlarmName, alarm);
      token = page.NextToken;
    } while (token);
    return out;
  };
  return () => {
    loaded ??= load();
    return loaded;
  };
}

/**
 * One alarm as a deploy resource: described from the shared index, created or updated with
 * PutMetricAlarm (which replaces the whole alarm, so an update sends every member). Only the
 * members lakeq sets are compared; what CloudWatch adds (ARN, state, timestamps) is no reason
 * to update.
 *
 * @example
 * ```ts
 * const change = await planResource(cloudWatchAlarmResource(cloudwatch, alarmIndex(cloudwatch), ALARMS[0]));
 * change.action // 'create' the first time, then 'no-op'; 'update' with `Threshold: 3 → 4` when the definition changes
 * ```
 */
export function cloudWatchAlarmResource(
  cloudwatch: CloudWatchLike,
  index: () => Promise<ReadonlyMap<string, CloudWatchMetricAlarm>>,
  alarm: AlarmDefinition,
  options: AlarmDeployOptions & { readonly retry?: AwsRetryOptions } = {},
): Resource<CloudWatchMetricAlarm> {
  const desired: AlarmInput = putMetricAlarmInput(alarm, options);
  const put = async () => {
    const { PutMetricAlarmCommand } = await import('@aws-sdk/client-cloudwatch');
    await withThrottlingRetry(() => cloudwatch.send(new PutMetricAlarmCommand(desired)), options.retry);
  };
  return {
    kind: 'cloudwatch-alarm',
    name: desired.AlarmName,
    describe: async () => (await index()).get(desired.AlarmName),
    // DescribeAlarms may leave out empty lists, which PutMetricAlarm sets as [].
    diff: (current) =>
      diffValues(desired, {
        ...current,
        AlarmActions: current.AlarmActions ?? [],
        Dimensions: current.Dimensions ?? [],
      }),
    create: put,
    update: put,
  };
}

/**
 * The deploy resources of a list of alarms, sharing one DescribeAlarms listing.
 *
 * @example
 * ```ts
 * resources.push(...alarmResources(clients.cloudwatch, ALARMS, { alarmActions: [topicArn] }));
 * ```
 */
export function alarmResources(
  cloudwatch: CloudWatchLike,
  alarms: readonly AlarmDefinition[],
  options: AlarmDeployOptions & { readonly retry?: AwsRetryOptions } = {},
): Resource<CloudWatchMetricAlarm>[] {
  const index = alarmIndex(cloudwatch, options.retry);
  return alarms.map((a) => cloudWatchAlarmResource(cloudwatch, index, a, options));
}
