import { withThrottlingRetry } from '../../engines/aws-retry.ts';
import { LakeqError } from '../../engines/engine.ts';
import { parseInputTime } from '../execution-names.ts';
import type { LaunchResult, StartExecution } from './launch-hourly.ts';

/** A Step Functions state machine ARN. */
const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[\w-]{1,80}$/;

/**
 * `findings-report-2026-11-30T0800`: the run of the report scheduled at that minute (UTC).
 *
 * @example
 * ```ts
 * findingsReportExecutionName(new Date('2026-11-30T08:00:07Z')) // 'findings-report-2026-11-30T0800'
 * ```
 */
export function findingsReportExecutionName(time: Date): string {
  const iso = time.toISOString();
  return `findings-report-${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/**
 * What the findings report's schedule invokes (the Lambda action `launchFindingsReport`): it
 * starts the report's state machine under the scheduled minute's name, so a second delivery of
 * the same trigger (EventBridge Scheduler delivers at least once) gets ExecutionAlreadyExists
 * and mails nothing twice. The state machine is named by the schedule's input; the Lambda's
 * policy allows starting that one only.
 *
 * @example
 * ```ts
 * await launchFindingsReport({ time: '2026-11-30T08:00:02Z', stateMachineArn, severity: ['CRITICAL'] }, { startExecution })
 * // { executionName: 'findings-report-2026-11-30T0800', executionArn: '…', duplicate: false }
 * ```
 */
export async function launchFindingsReport(
  event: { readonly time?: unknown; readonly stateMachineArn?: unknown; readonly severity?: unknown },
  deps: { readonly startExecution: StartExecution },
): Promise<LaunchResult> {
  if (typeof event.stateMachineArn !== 'string' || !STATE_MACHINE_ARN.test(event.stateMachineArn))
    throw new LakeqError(
      'BAD_INPUT',
      `"stateMachineArn" must be a state machine ARN (got ${JSON.stringify(event.stateMachineArn)})`,
      { usage: true },
    );
  const time = parseInputTime('time', event.time);
  const executionName = findingsReportExecutionName(time);
  const input = {
    time: time.toISOString(),
    ...(event.severity !== undefined ? { severity: event.severity } : {}),
  };
  try {
    const out = await withThrottlingRetry(() =>
      deps.startExecution({
        stateMachineArn: event.stateMachineArn as string,
        name: executionName,
        input: JSON.stringify(input),
      }),
    );
    return {
      executionName,
      ...(out.executionArn ? { executionArn: out.executionArn } : {}),
      duplicate: false,
    };
  } catch (error) {
    if ((error as { name?: unknown }).name === 'ExecutionAlreadyExists')
      return { executionName, duplicate: true };
    throw error;
  }
}
