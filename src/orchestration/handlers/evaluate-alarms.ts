import type { HandlerContext } from './handler-context.ts';

/**
 * Lambda action `evaluateAlarms`, the hourly run's last step: locally the alarms are evaluated
 * and their states recorded (`lakeq alarms` shows them); on AWS the ETL's health and the query
 * alarms' values are published with PutMetricData, and CloudWatch alarms do the rest. The state
 * machine catches its failure: an alarm problem never fails a load that succeeded.
 *
 * @example
 * ```ts
 * await evaluateAlarmsAction({}, context) // { evaluated: true, summary: { mode: 'local', alarm: ['glue-failed-runs'] } }
 * ```
 */
export async function evaluateAlarmsAction(
  _payload: unknown,
  context: HandlerContext,
): Promise<{ evaluated: boolean; summary?: unknown }> {
  if (!context.alarms) return { evaluated: false };
  return { evaluated: true, summary: await context.alarms() };
}
