import type {
  CancelQueryCommand,
  CancelQueryCommandOutput,
  DescribeQueryCommand,
  DescribeQueryCommandOutput,
  GetQueryResultsCommand,
  GetQueryResultsCommandOutput,
  StartQueryCommand,
  StartQueryCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import type { AwsRetryOptions } from '../aws-retry.ts';

/**
 * The part of `CloudTrailClient` lakeq uses: the four CloudTrail Lake query calls. A real
 * `CloudTrailClient` fits, and so does a small stub in a test.
 */
export interface CloudTrailLike {
  send(command: StartQueryCommand): Promise<StartQueryCommandOutput>;
  send(command: DescribeQueryCommand): Promise<DescribeQueryCommandOutput>;
  send(command: GetQueryResultsCommand): Promise<GetQueryResultsCommandOutput>;
  send(command: CancelQueryCommand): Promise<CancelQueryCommandOutput>;
}

/**
 * How lakeq runs queries on a CloudTrail Lake event data store.
 *
 * @example
 * ```ts
 * const engine = createCloudTrailLakeEngine({
 *   client: new CloudTrailClient({ region: 'us-east-1' }),
 *   eventDataStore: 'arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/0b8a1c5e-4d1f-4e8f-8bd1-bcf6c2d3e4f5',
 * });
 * engine.tableNames.cloudtrail_events // '0b8a1c5e-4d1f-4e8f-8bd1-bcf6c2d3e4f5'
 * ```
 */
export interface CloudTrailLakeDialectConfig {
  readonly client: CloudTrailLike;
  /** The event data store's ARN or id; queries name it (the id) in FROM. */
  readonly eventDataStore: string;
  /** The account that owns the event data store, when it is not the caller's (organization stores). */
  readonly eventDataStoreOwnerAccountId?: string;
  /** First wait between DescribeQuery polls (default 200 ms); it doubles up to `pollMaxMs` (default 5 s). */
  readonly pollInitialMs?: number;
  readonly pollMaxMs?: number;
  /** Rows per GetQueryResults page, 1–1000 (default 1000, the API's maximum). */
  readonly maxPageRows?: number;
  /** Backoff for throttled API calls. */
  readonly retry?: AwsRetryOptions;
  /** More logical → physical table names; `cloudtrail_events` maps to the event data store id. */
  readonly tableNames?: Readonly<Record<string, string>>;
  /** Waits between polls; tests pass an instant one. Must reject when `signal` aborts. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}
