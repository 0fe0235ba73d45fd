import type { StartExecutionCommandInput, StartExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { withThrottlingRetry } from '../../engines/aws-retry.ts';
import { HOUR_MS } from '../../ingest/hours.ts';
import { hourlyExecutionName, loadedHour, parseInputTime } from '../execution-names.ts';

/** The one Step Functions call the launcher makes; a real `SFNClient` fits through `startExecution`. */
export type StartExecution = (input: StartExecutionCommandInput) => Promise<StartExecutionCommandOutput>;

/** What the launcher answers: the execution it started, or that the hour's run already exists. */
export interface LaunchResult {
  readonly executionName: string;
  /** Set when this call started the run (or StartExecution answered with the running one). */
  readonly executionArn?: string;
  /** True when a run with the hour's name exists already: a duplicate trigger, nothing started. */
  readonly duplicate: boolean;
}

/**
 * The launcher the EventBridge schedule calls (the Lambda action `launchHourly`): EventBridge
 * Scheduler can insert the scheduled time but cannot make an execution name from it, so this
 * starts the hourly state machine under the hour's name (`hourly-2026-11-27T13`). Step Functions
 * keeps execution names for 90 days, so a second trigger for the same hour (a retried schedule,
 * a manual start) gets ExecutionAlreadyExists and is reported as a duplicate instead of loading
 * the hour twice. The input is made from the hour alone: StartExecution with the same name and
 * input while that run is still going answers with the same run, as Step Functions documents.
 *
 * @example
 * ```ts
 * await launchHourly({ time: '2026-11-27T14:05:03Z' }, { stateMachineArn, startExecution: (i) => sfn.send(new StartExecutionCommand(i)) })
 * // { executionName: 'hourly-2026-11-27T13', executionArn: 'arn:aws:states:…:execution:lakeq-hourly:hourly-2026-11-27T13', duplicate: false }
 * ```
 */
export async function launchHourly(
  event: { readonly time: unknown; readonly lookbackHours?: unknown },
  deps: { readonly stateMachineArn: string; readonly startExecution: StartExecution },
): Promise<LaunchResult> {
  const hour = loadedHour(parseInputTime('time', event.time));
  const executionName = hourlyExecutionName(hour);
  const input: Record<string, unknown> = { time: new Date(hour.getTime() + HOUR_MS).toISOString() };
  if (event.lookbackHours !== undefined) input.lookbackHours = event.lookbackHours;
  try {
    const out = await withThrottlingRetry(() =>
      deps.startExecution({
        stateMachineArn: deps.stateMachineArn,
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
