import type { GlueJobRun } from './api.ts';
import type { GlueJobRunRecord } from './records.ts';

/** Glue's JobRunState values, and which version of a run to keep when two are seen. */

/** Every `JobRunState` Glue returns (glue.service-2.json). */
export const JOB_RUN_STATES = [
  'STARTING',
  'RUNNING',
  'STOPPING',
  'STOPPED',
  'SUCCEEDED',
  'FAILED',
  'TIMEOUT',
  'ERROR',
  'WAITING',
  'EXPIRED',
] as const;

export type JobRunState = (typeof JOB_RUN_STATES)[number];

/** States a run never leaves. STARTING, RUNNING, STOPPING and WAITING are not final. */
export const TERMINAL_RUN_STATES: ReadonlySet<string> = new Set([
  'STOPPED',
  'SUCCEEDED',
  'FAILED',
  'TIMEOUT',
  'ERROR',
  'EXPIRED',
]);

/**
 * True for a state a run never leaves.
 *
 * @example
 * ```ts
 * isTerminalRunState('RUNNING'); // false
 * isTerminalRunState('TIMEOUT'); // true
 * ```
 */
export function isTerminalRunState(state: string | null | undefined): boolean {
  return state != null && TERMINAL_RUN_STATES.has(state);
}

/** What decides between two versions of one run: its state and when Glue last changed it (ms, or null). */
export interface RunVersion {
  readonly state: string | null | undefined;
  readonly lastModified: number | null | undefined;
}

/**
 * The version of a run as Glue answers it (GetJobRuns) or as a collected record holds it.
 *
 * @example
 * ```ts
 * runVersion({ JobRunState: 'RUNNING', LastModifiedOn: new Date(5) }); // { state: 'RUNNING', lastModified: 5 }
 * runVersion(record); // { state: record.job_run_state, lastModified: Date.parse(record.last_modified_on) }
 * ```
 */
export function runVersion(run: GlueJobRun | GlueJobRunRecord): RunVersion {
  if ('job_run_state' in run) {
    return {
      state: run.job_run_state,
      lastModified: run.last_modified_on ? Date.parse(run.last_modified_on) : null,
    };
  }
  return { state: run.JobRunState, lastModified: run.LastModifiedOn?.getTime() ?? null };
}

/**
 * True when `candidate` should replace `current`: a terminal state beats a non-terminal one;
 * otherwise the later LastModifiedOn wins (an unknown time is older than any); a tie keeps the
 * candidate, the version seen last.
 *
 * @example
 * ```ts
 * replacesRun({ state: 'SUCCEEDED', lastModified: 1 }, { state: 'RUNNING', lastModified: 9 }); // true
 * replacesRun({ state: 'RUNNING', lastModified: 1 }, { state: 'RUNNING', lastModified: 9 }); // false
 * ```
 */
export function replacesRun(candidate: RunVersion, current: RunVersion): boolean {
  const a = isTerminalRunState(candidate.state);
  const b = isTerminalRunState(current.state);
  if (a !== b) return a;
  return (
    (candidate.lastModified ?? Number.NEGATIVE_INFINITY) >= (current.lastModified ?? Number.NEGATIVE_INFINITY)
  );
}
