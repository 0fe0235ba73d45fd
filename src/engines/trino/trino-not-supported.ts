import { LakeqError } from '../engine.ts';

/**
 * A Trino function or construct that runs on Athena but that the local engine cannot emulate. The message
 * names it, says so, and tells what to do instead when there is a portable form.
 *
 * @example
 * ```ts
 * throw new TrinoNotSupportedError('function approx_set()', 'HyperLogLog sketches have no DuckDB counterpart');
 * // message: "Trino function approx_set() is not supported on the local engine (DuckDB): HyperLogLog …"
 * ```
 */
export class TrinoNotSupportedError extends LakeqError {
  readonly construct: string;
  constructor(construct: string, reason: string) {
    super(
      'TRINO_NOT_SUPPORTED',
      `Trino ${construct} is not supported on the local engine (DuckDB): ${reason}`,
      {
        usage: true,
      },
    );
    this.construct = construct;
  }
}
