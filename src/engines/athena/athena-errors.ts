// Apart from athena-engine.ts, which loads the Athena SDK client: a local load's state machine
// needs this list, not the client.

/**
 * Failure reasons that must never be retried, by the engine or by a state machine's Retry
 * block: running the same statement again fails the same way (one INSERT/CTAS writes at most
 * 100 partitions). The ASL Retry blocks are tested against this list.
 */
export const NON_RETRYABLE_ATHENA_ERRORS = ['HIVE_TOO_MANY_OPEN_PARTITIONS'] as const;

/**
 * True when an error or failure reason names one of `NON_RETRYABLE_ATHENA_ERRORS`.
 *
 * @example
 * ```ts
 * isNonRetryableAthenaError('HIVE_TOO_MANY_OPEN_PARTITIONS: Exceeded limit of 100 open writers') // true
 * ```
 */
export function isNonRetryableAthenaError(errorOrReason: unknown): boolean {
  const text = errorOrReason instanceof Error ? errorOrReason.message : String(errorOrReason);
  return NON_RETRYABLE_ATHENA_ERRORS.some((marker) => text.includes(marker));
}
