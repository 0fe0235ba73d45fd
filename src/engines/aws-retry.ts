import pRetry from 'p-retry';

/**
 * Error names the AWS SDKs classify as throttling (the list in `@smithy/service-error-classification`),
 * plus CloudTrail Lake's `MaxConcurrentQueriesException`, which is its concurrency quota saying "later".
 */
export const THROTTLING_ERROR_NAMES: ReadonlySet<string> = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'MaxConcurrentQueriesException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);

/** Backoff for throttled AWS calls: exponential with jitter, bounded. */
export interface AwsRetryOptions {
  /** Retries after the first attempt (default 6). */
  readonly retries?: number;
  /** First delay (default 500 ms); later ones double, randomized ×1–2. */
  readonly minTimeoutMs?: number;
  /** Longest delay (default 20 s). */
  readonly maxTimeoutMs?: number;
}

/** True for an AWS throttling error: a known name, HTTP 429, or the SDK's own throttling mark. */
export function isThrottlingError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as {
    name?: unknown;
    $metadata?: { httpStatusCode?: number };
    $retryable?: { throttling?: boolean };
  };
  return (
    (typeof e.name === 'string' && THROTTLING_ERROR_NAMES.has(e.name)) ||
    e.$metadata?.httpStatusCode === 429 ||
    e.$retryable?.throttling === true
  );
}

/**
 * Runs one AWS call, retrying it only while AWS throttles it; any other error is thrown at once.
 * Aborting `signal` ends the wait between attempts.
 *
 * @example
 * ```ts
 * const out = await withThrottlingRetry(() => client.send(new GetQueryExecutionCommand({ QueryExecutionId: id })));
 * ```
 */
export function withThrottlingRetry<T>(
  call: () => Promise<T>,
  options: AwsRetryOptions & { readonly signal?: AbortSignal | undefined } = {},
): Promise<T> {
  return pRetry(call, {
    retries: options.retries ?? 6,
    minTimeout: options.minTimeoutMs ?? 500,
    maxTimeout: options.maxTimeoutMs ?? 20_000,
    factor: 2,
    randomize: true,
    signal: options.signal,
    shouldRetry: ({ error }) => isThrottlingError(error),
  });
}
