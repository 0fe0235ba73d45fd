/**
 * An error whose `name` is an ASL error name (`States.TaskFailed`, `QuickSight.ThrottlingException`):
 * Retry and Catch match the name, the message is the Cause.
 *
 * @example
 * ```ts
 * throw namedError('Athena.TooManyRequestsException', 'Rate exceeded');
 * ```
 */
export function namedError(name: string, cause: string): Error {
  const error = new Error(cause);
  error.name = name;
  return error;
}

/**
 * A state machine's error as one line for a person: a Lambda task's Cause is the JSON of the
 * error (`{"errorType":…,"errorMessage":…}`), an Athena task's the query execution; the message
 * (or the query's StateChangeReason) is what matters.
 *
 * @example
 * ```ts
 * describeRunError({ Error: 'LakeqError', Cause: '{"errorType":"LakeqError","errorMessage":"could not write …"}' })
 * // 'LakeqError: could not write …'
 * ```
 */
export function describeRunError(error: { readonly Error: string; readonly Cause: string }): string {
  try {
    const cause = JSON.parse(error.Cause) as {
      errorType?: unknown;
      errorMessage?: unknown;
      QueryExecution?: { QueryExecutionId?: string; Status?: { State?: string; StateChangeReason?: string } };
    };
    const query = cause?.QueryExecution;
    if (typeof query?.Status?.StateChangeReason === 'string') {
      return `${error.Error}: query ${query.QueryExecutionId ?? ''} ${query.Status.State ?? ''}: ${query.Status.StateChangeReason}`.replace(
        / {2,}/g,
        ' ',
      );
    }
    if (typeof cause?.errorMessage === 'string') {
      const type = typeof cause.errorType === 'string' ? cause.errorType : error.Error;
      return `${type}: ${cause.errorMessage}`;
    }
  } catch {
    // a plain-text Cause
  }
  return `${error.Error}: ${error.Cause}`;
}
