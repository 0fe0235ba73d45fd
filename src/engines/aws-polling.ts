import { setTimeout as delay } from 'node:timers/promises';

/** How to wait for an asynchronous AWS job (an Athena or CloudTrail Lake query) to finish. */
export interface PollOptions<T> {
  /** One status call, e.g. GetQueryExecution. */
  readonly poll: () => Promise<T>;
  readonly isDone: (status: T) => boolean;
  /** First wait (default 200 ms); each next one doubles, up to `maxMs` (default 5 s). */
  readonly initialMs?: number | undefined;
  readonly maxMs?: number | undefined;
  /** Injectable for tests; the default is a timer that `signal` interrupts. */
  readonly sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Polls until the status is final, with exponential backoff. Rejects with the abort reason as
 * soon as `signal` aborts, so the caller can stop the job.
 *
 * @example
 * ```ts
 * const out = await pollWithBackoff({
 *   poll: () => client.send(new DescribeQueryCommand({ QueryId })),
 *   isDone: (out) => out.QueryStatus !== 'QUEUED' && out.QueryStatus !== 'RUNNING',
 * });
 * // waits 200, 400, 800, 1600, 3200, 5000, 5000 … ms between calls
 * ```
 */
export async function pollWithBackoff<T>(options: PollOptions<T>): Promise<T> {
  const { signal } = options;
  const sleep = options.sleep ?? ((ms: number, s?: AbortSignal) => delay(ms, undefined, { signal: s }));
  const first = options.initialMs ?? 200;
  const max = options.maxMs ?? 5000;
  for (let attempt = 0; ; attempt++) {
    signal?.throwIfAborted();
    const status = await options.poll();
    if (options.isDone(status)) return status;
    await sleep(Math.min(max, first * 2 ** attempt), signal);
  }
}
