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
