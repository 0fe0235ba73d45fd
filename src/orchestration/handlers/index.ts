import { LakeqError } from '../../engines/engine.ts';
import { batchInputs } from './batch-inputs.ts';
import { collectSources } from './collect-sources.ts';
import { datasetsToRefresh } from './datasets-to-refresh.ts';
import { evaluateAlarmsAction } from './evaluate-alarms.ts';
import {
  launchFindingsReportAction,
  notifyFindingsReportAction,
  writeFindingsReportAction,
} from './findings-report-action.ts';
import type { HandlerContext } from './handler-context.ts';
import { launchHourlyAction } from './launch-hourly-action.ts';
import { planBackfill, planWindow } from './plan-window.ts';
import { recordBatch } from './record-batch.ts';
import { recordFailure, recordRun } from './record-run.ts';
import { writeReports } from './write-reports.ts';

/**
 * The Lambda actions the state machines name in `Payload.action`, each a function of (payload,
 * context): the same functions run in the local runner and in the Lambda bundle.
 */
export const LAMBDA_ACTIONS = {
  collectSources,
  planWindow,
  planBackfill,
  batchInputs,
  recordBatch,
  datasetsToRefresh,
  recordRun,
  recordFailure,
  writeReports: (payload: unknown, context: HandlerContext) => writeReports(payload, context),
  evaluateAlarms: evaluateAlarmsAction,
  launchHourly: launchHourlyAction,
  writeFindingsReport: writeFindingsReportAction,
  notifyFindingsReport: notifyFindingsReportAction,
  launchFindingsReport: launchFindingsReportAction,
} as const;

export type LambdaAction = keyof typeof LAMBDA_ACTIONS;

/**
 * Runs the action an event names.
 *
 * @example
 * ```ts
 * await dispatchAction({ action: 'recordBatch', runId, index: 0 }, context)
 * ```
 */
export async function dispatchAction(event: unknown, context: HandlerContext): Promise<unknown> {
  const action = (event as { action?: unknown } | null)?.action;
  if (typeof action !== 'string' || !Object.hasOwn(LAMBDA_ACTIONS, action)) {
    throw new LakeqError(
      'UNKNOWN_ACTION',
      `unknown action ${JSON.stringify(action)} (actions: ${Object.keys(LAMBDA_ACTIONS).join(', ')})`,
    );
  }
  const run = LAMBDA_ACTIONS[action as LambdaAction] as (
    payload: unknown,
    context: HandlerContext,
  ) => Promise<unknown>;
  return run(event, context);
}
