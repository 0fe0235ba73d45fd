import type { PutMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { type AwsRetryOptions, withThrottlingRetry } from '../engines/aws-retry.ts';
import type { CloudWatchLike } from './cloudwatch-alarms.ts';

/**
 * Sends PutMetricData requests in order, each retried while CloudWatch throttles it.
 * The SDK is imported here, when something is published.
 *
 * @example
 * ```ts
 * await publishMetricData(cloudwatch, putMetricDataInputs(values, at));
 * ```
 */
export async function publishMetricData(
  cloudwatch: CloudWatchLike,
  inputs: readonly PutMetricDataCommandInput[],
  retry: AwsRetryOptions & { readonly signal?: AbortSignal } = {},
): Promise<number> {
  const { PutMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
  for (const input of inputs) {
    await withThrottlingRetry(() => cloudwatch.send(new PutMetricDataCommand(input)), retry);
  }
  return inputs.length;
}
