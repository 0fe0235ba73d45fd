import { LakeqError } from '../../engines/engine.ts';
import { type LaunchResult, launchHourly } from '../launcher/launch-hourly.ts';
import type { HandlerContext } from './handler-context.ts';

/**
 * Lambda action `launchHourly`: what the EventBridge schedule invokes on AWS. It starts the
 * hourly state machine under the hour's execution name, so a duplicate trigger runs nothing.
 *
 * @example
 * ```ts
 * await launchHourlyAction({ action: 'launchHourly', time: '2026-11-27T14:05:00Z' }, context)
 * // { executionName: 'hourly-2026-11-27T13', executionArn: '…', duplicate: false }
 * ```
 */
export async function launchHourlyAction(
  payload: { time: unknown; lookbackHours?: unknown },
  context: HandlerContext,
): Promise<LaunchResult> {
  if (!context.startHourly) {
    throw new LakeqError(
      'BAD_CONFIG',
      'launchHourly needs the hourly state machine (LAKEQ_HOURLY_STATE_MACHINE_ARN): it runs on AWS only; locally use lakeq run hourly or lakeq schedule',
    );
  }
  return launchHourly(payload, context.startHourly);
}
