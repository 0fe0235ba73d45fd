import type {
  GetQueryExecutionCommand,
  GetQueryExecutionCommandOutput,
  GetQueryResultsCommand,
  GetQueryResultsCommandOutput,
  StartQueryExecutionCommand,
  StartQueryExecutionCommandOutput,
  StopQueryExecutionCommand,
  StopQueryExecutionCommandOutput,
} from '@aws-sdk/client-athena';
import type { AwsRetryOptions } from '../aws-retry.ts';

/**
 * The part of `AthenaClient` lakeq uses: the four calls below. A real `AthenaClient` fits, and
 * so does a small stub in a test.
 */
export interface AthenaLike {
  send(command: StartQueryExecutionCommand): Promise<StartQueryExecutionCommandOutput>;
  send(command: GetQueryExecutionCommand): Promise<GetQueryExecutionCommandOutput>;
  send(command: GetQueryResultsCommand): Promise<GetQueryResultsCommandOutput>;
  send(command: StopQueryExecutionCommand): Promise<StopQueryExecutionCommandOutput>;
}

/**
 * How lakeq runs queries on Amazon Athena.
 *
 * @example
 * ```ts
 * const engine = createAthenaEngine({
 *   client: new AthenaClient({ region: 'eu-west-1' }),
 *   workGroup: 'lakeq',
 *   database: 'lakeq',
 *   outputLocation: 's3://my-bucket/athena-results/',
 * });
 * ```
 */
export interface AthenaDialectConfig {
  readonly client: AthenaLike;
  /** Athena's default is `primary`; the workgroup's own result location and limits then apply. */
  readonly workGroup?: string;
  /** Where Athena writes result files; needed unless the workgroup sets one. */
  readonly outputLocation?: string;
  readonly database?: string;
  /** Data catalog (Athena's default: `AwsDataCatalog`). */
  readonly catalog?: string;
  /**
   * Opt-in: answer a repeated query from Athena's cache of results no older than `maxAgeMinutes`
   * (Athena's default 60, at most 10080). Off by default, because a cached answer hides new data.
   */
  readonly resultReuse?: { readonly enabled: boolean; readonly maxAgeMinutes?: number };
  /** First wait between GetQueryExecution polls (default 200 ms); it doubles up to `pollMaxMs` (default 5 s). */
  readonly pollInitialMs?: number;
  readonly pollMaxMs?: number;
  /** Rows per GetQueryResults page, 1–1000 (default 1000, Athena's maximum). */
  readonly maxPageRows?: number;
  /**
   * Times a read query that FAILED with an error Athena marks retryable is started again
   * (default 2). Writes are never started again by the engine: a half-done write is for the
   * caller to clean up (see `NON_RETRYABLE_ATHENA_ERRORS`).
   */
  readonly failedQueryRetries?: number;
  /** Backoff for throttled API calls. */
  readonly retry?: AwsRetryOptions;
  /** Physical names of logical tables (default none: the library's names are the Glue table names). */
  readonly tableNames?: Readonly<Record<string, string>>;
  /** Waits between polls; tests pass an instant one. Must reject when `signal` aborts. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}
