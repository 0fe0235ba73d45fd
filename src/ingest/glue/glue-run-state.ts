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
