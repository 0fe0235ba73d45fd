import {
  CancelQueryCommand,
  DescribeQueryCommand,
  type DescribeQueryResponse,
  GetQueryResultsCommand,
  type GetQueryResultsResponse,
  StartQueryCommand,
} from '@aws-sdk/client-cloudtrail';
import type { CompiledQuery } from 'kysely';
import { pollWithBackoff } from '../aws-polling.ts';
import { withThrottlingRetry } from '../aws-retry.ts';
import {
  type Engine,
  type EngineResult,
  type EngineWarning,
  type ExecuteOptions,
  LakeqError,
  QueryFailedError,
} from '../engine.ts';
import { inlineParameters, tagSql } from '../trino/trino-literals.ts';
import { CLOUDTRAIL_LAKE_CAPABILITIES } from './cloudtrail-lake-capabilities.ts';
import { CloudTrailLakeDialect } from './cloudtrail-lake-dialect.ts';
import type { CloudTrailLakeDialectConfig } from './cloudtrail-lake-dialect-config.ts';
import { eventDataStoreId, lakeRowsToRecords } from './cloudtrail-lake-types.ts';

/** StartQuery's QueryStatement limit (botocore model: max 10000). */
const MAX_STATEMENT_LENGTH = 10_000;
const FINAL_STATES = new Set(['FINISHED', 'FAILED', 'CANCELLED', 'TIMED_OUT']);

/**
 * Opens an engine that runs lakeq's Trino SQL on a CloudTrail Lake event data store. The logical
 * table `cloudtrail_events` is the event data store (`engine.tableNames`).
 *
 * @example
 * ```ts
 * const lake = createCloudTrailLakeEngine({ client: new CloudTrailClient({}), eventDataStore: edsArn });
 * const { rows } = await lake.execute(CompiledQuery.raw(`select eventName from ${lake.tableNames.cloudtrail_events} limit 10`));
 * // StartQuery → DescribeQuery (polled) → GetQueryResults (paged); every value is a string
 * ```
 */
export function createCloudTrailLakeEngine(config: CloudTrailLakeDialectConfig): Engine {
  return new CloudTrailLakeEngine(config);
}

class CloudTrailLakeEngine implements Engine {
  readonly name = 'cloudtrail-lake' as const;
  readonly capabilities = CLOUDTRAIL_LAKE_CAPABILITIES;
  readonly dialect = new CloudTrailLakeDialect(this);
  readonly tableNames: Readonly<Record<string, string>>;
  readonly #config: CloudTrailLakeDialectConfig;
  readonly #owner: { EventDataStoreOwnerAccountId?: string };
  readonly #warnings: EngineWarning[] = [];
  #closed = false;

  constructor(config: CloudTrailLakeDialectConfig) {
    const pageRows = config.maxPageRows ?? 1000;
    if (!Number.isInteger(pageRows) || pageRows < 1 || pageRows > 1000) {
      throw new LakeqError('BAD_CONFIG', `cloudtrail-lake maxPageRows must be 1–1000, got ${pageRows}`, {
        usage: true,
      });
    }
    if (!config.eventDataStore) {
      throw new LakeqError('BAD_CONFIG', 'cloudtrail-lake needs the event data store ARN or id', {
        usage: true,
      });
    }
    this.#config = config;
    this.#owner = config.eventDataStoreOwnerAccountId
      ? { EventDataStoreOwnerAccountId: config.eventDataStoreOwnerAccountId }
      : {};
    this.tableNames = { cloudtrail_events: eventDataStoreId(config.eventDataStore), ...config.tableNames };
  }

  warnings(): readonly EngineWarning[] {
    return [...this.#warnings];
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  async execute<R = Record<string, unknown>>(
    query: CompiledQuery,
    options: ExecuteOptions = {},
  ): Promise<EngineResult<R>> {
    if (this.#closed) throw new LakeqError('ENGINE_CLOSED', 'the cloudtrail-lake engine is closed');
    const started = performance.now();
    const { signal } = options;
    const statement = tagSql(inlineParameters(query).sql, options.tag);
    const length = [...statement].length;
    if (length > MAX_STATEMENT_LENGTH) {
      throw new LakeqError(
        'QUERY_TOO_LONG',
        `CloudTrail Lake takes at most ${MAX_STATEMENT_LENGTH} characters of SQL; this query has ${length}`,
      );
    }
    try {
      signal?.throwIfAborted();
      const status = await this.#run(statement, signal);
      const id = status.QueryId!;
      const { rows, columns, statistics } = await this.#results(id, signal);
      const describe = status.QueryStatistics;
      return {
        rows: rows as R[],
        columns,
        stats: {
          engine: 'cloudtrail-lake',
          engineQueryId: id,
          rows: rows.length,
          elapsedMs: performance.now() - started,
          dataScannedBytes: describe?.BytesScanned ?? statistics?.BytesScanned,
          engineMs: describe?.ExecutionTimeInMillis,
        },
      };
    } catch (error) {
      if (signal?.aborted && !(error instanceof LakeqError && error.code === 'CANCELLED')) throw cancelled();
      throw error;
    }
  }

  /** Starts the query and waits for a final state; aborting cancels it on CloudTrail Lake. */
  async #run(statement: string, signal: AbortSignal | undefined): Promise<DescribeQueryResponse> {
    const { client } = this.#config;
    const { QueryId: id } = await this.#call(
      () => client.send(new StartQueryCommand({ QueryStatement: statement, ...this.#owner })),
      signal,
    );
    if (!id) throw new LakeqError('CLOUDTRAIL_LAKE_BAD_RESPONSE', 'StartQuery returned no QueryId');
    let status: DescribeQueryResponse;
    try {
      status = await pollWithBackoff({
        poll: () =>
          this.#call(() => client.send(new DescribeQueryCommand({ QueryId: id, ...this.#owner })), signal),
        isDone: (out) => FINAL_STATES.has(out.QueryStatus ?? ''),
        initialMs: this.#config.pollInitialMs,
        maxMs: this.#config.pollMaxMs,
        sleep: this.#config.sleep,
        signal,
      });
    } catch (error) {
      if (!signal?.aborted) throw error;
      await this.#cancel(id);
      throw cancelled(id, true);
    }
    const state = status.QueryStatus!;
    if (state === 'FINISHED') return { ...status, QueryId: id };
    const reason =
      status.ErrorMessage ??
      (state === 'TIMED_OUT'
        ? 'the query ran longer than CloudTrail Lake allows'
        : 'CloudTrail Lake gave no reason');
    throw new QueryFailedError('cloudtrail-lake', state, reason, id);
  }

  async #cancel(id: string): Promise<void> {
    try {
      await this.#call(() =>
        this.#config.client.send(new CancelQueryCommand({ QueryId: id, ...this.#owner })),
      );
    } catch (error) {
      // The query may have ended meanwhile (InactiveQueryException); the caller is told it was cancelled anyway.
      this.#warnings.push({
        code: 'CLOUDTRAIL_LAKE_CANCEL_FAILED',
        message: `could not cancel query ${id}: ${(error as Error).message}`,
      });
    }
  }

  async #results(id: string, signal: AbortSignal | undefined) {
    const raw: NonNullable<GetQueryResultsResponse['QueryResultRows']> = [];
    let statistics: GetQueryResultsResponse['QueryStatistics'];
    let nextToken: string | undefined;
    do {
      signal?.throwIfAborted();
      const out = await this.#call(
        () =>
          this.#config.client.send(
            new GetQueryResultsCommand({
              QueryId: id,
              MaxQueryResults: this.#config.maxPageRows ?? 1000,
              ...(nextToken && { NextToken: nextToken }),
              ...this.#owner,
            }),
          ),
        signal,
      );
      raw.push(...(out.QueryResultRows ?? []));
      statistics = out.QueryStatistics ?? statistics;
      nextToken = out.NextToken;
    } while (nextToken);
    const total = statistics?.TotalResultsCount;
    if (total !== undefined && total !== raw.length) {
      this.#warnings.push({
        code: 'CLOUDTRAIL_LAKE_ROW_COUNT',
        message: `query ${id}: CloudTrail Lake reported ${total} result rows, ${raw.length} were returned`,
      });
    }
    return { ...lakeRowsToRecords(raw), statistics };
  }

  #call<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return withThrottlingRetry(call, { ...this.#config.retry, signal });
  }
}

function cancelled(id?: string, cancelSent = false): LakeqError {
  const which = id ? `cloudtrail-lake query ${id}` : 'cloudtrail-lake query';
  return new LakeqError('CANCELLED', `${which} was cancelled${cancelSent ? ' (CancelQuery sent)' : ''}`, {
    details: { engineQueryId: id },
  });
}
