import { randomUUID } from 'node:crypto';
import {
  type ColumnInfo,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
  type StartQueryExecutionInput,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
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
  type QueryStats,
  type QueryTag,
} from '../engine.ts';
import { inlineParameters, tagSql, toTrinoLiteral } from '../trino/trino-literals.ts';
import { ATHENA_CAPABILITIES } from './athena-capabilities.ts';
import { AthenaDialect } from './athena-dialect.ts';
import type { AthenaDialectConfig } from './athena-dialect-config.ts';
import { isNonRetryableAthenaError } from './athena-errors.ts';
import { athenaRowToRecord, isHeaderRow } from './athena-types.ts';

export { isNonRetryableAthenaError, NON_RETRYABLE_ATHENA_ERRORS } from './athena-errors.ts';

/** Athena takes each execution parameter as a literal of at most 1024 characters. */
const MAX_PARAMETER_LENGTH = 1024;
const FINAL_STATES = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
const WRITE_SQL =
  /^(insert|unload|update|delete|merge)\b|^create\s+table\b[\s\S]*?\bas\s*(\(|select\b|with\b)/i;
const WRITE_SUBSTATEMENT = /INSERT|CREATE_TABLE_AS|CTAS|UNLOAD|UPDATE|DELETE|MERGE/i;

/**
 * Opens an engine that runs lakeq's Trino SQL on Amazon Athena.
 *
 * @example
 * ```ts
 * const athena = createAthenaEngine({ client: new AthenaClient({}), workGroup: 'lakeq', database: 'lakeq' });
 * const { rows, stats } = await athena.execute(CompiledQuery.raw('select count(*) as n from cloudtrail_events'));
 * // StartQueryExecution → GetQueryExecution (polled) → GetQueryResults (paged)
 * // rows = [{ n: 1234 }], stats.dataScannedBytes = 203089
 * ```
 */
export function createAthenaEngine(config: AthenaDialectConfig): Engine {
  return new AthenaEngine(config);
}

class AthenaEngine implements Engine {
  readonly name = 'athena' as const;
  readonly capabilities = ATHENA_CAPABILITIES;
  readonly dialect = new AthenaDialect(this);
  readonly tableNames: Readonly<Record<string, string>>;
  readonly #config: AthenaDialectConfig;
  readonly #warnings: EngineWarning[] = [];
  #closed = false;

  constructor(config: AthenaDialectConfig) {
    const pageRows = config.maxPageRows ?? 1000;
    if (!Number.isInteger(pageRows) || pageRows < 1 || pageRows > 1000) {
      throw new LakeqError('BAD_CONFIG', `athena maxPageRows must be 1–1000, got ${pageRows}`, {
        usage: true,
      });
    }
    const age = config.resultReuse?.maxAgeMinutes;
    if (age !== undefined && (!Number.isInteger(age) || age < 0 || age > 10080)) {
      throw new LakeqError('BAD_CONFIG', `athena resultReuse.maxAgeMinutes must be 0–10080, got ${age}`, {
        usage: true,
      });
    }
    this.#config = config;
    this.tableNames = { ...config.tableNames };
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
    if (this.#closed) throw new LakeqError('ENGINE_CLOSED', 'the athena engine is closed');
    const started = performance.now();
    const { signal } = options;
    try {
      if (signal?.aborted) throw signal.reason;
      const write = WRITE_SQL.test(stripLeadingComments(query.sql));
      const execution = await this.#runWithResubmits(this.#startInput(query, options.tag), write, signal);
      const id = execution.QueryExecutionId!;
      const isWrite = write || WRITE_SUBSTATEMENT.test(execution.SubstatementType ?? '');
      const result = await this.#results(id, execution, isWrite, signal);
      const statistics = execution.Statistics;
      const stats: QueryStats = {
        engine: 'athena',
        engineQueryId: id,
        rows: result.rows.length,
        elapsedMs: performance.now() - started,
        dataScannedBytes: statistics?.DataScannedInBytes,
        engineMs: statistics?.EngineExecutionTimeInMillis,
        queueMs: statistics?.QueryQueueTimeInMillis,
        planningMs: statistics?.QueryPlanningTimeInMillis,
        totalMs: statistics?.TotalExecutionTimeInMillis,
        reusedResult: statistics?.ResultReuseInformation?.ReusedPreviousResult,
        rowsAffected: isWrite ? (result.updateCount ?? 0) : undefined,
      };
      return { rows: result.rows as R[], columns: result.columns, stats };
    } catch (error) {
      // Aborts surface as whatever was waiting (a timer, p-retry); the caller sees one CANCELLED error.
      if (signal?.aborted && !(error instanceof LakeqError && error.code === 'CANCELLED')) throw cancelled();
      throw error;
    }
  }

  /** Runs the query; a read that FAILED with an error Athena calls retryable is started again. */
  async #runWithResubmits(input: StartQueryExecutionInput, write: boolean, signal: AbortSignal | undefined) {
    const resubmits = write ? 0 : (this.#config.failedQueryRetries ?? 2);
    for (let attempt = 0; ; attempt++) {
      const execution = await this.#run(input, signal);
      const failure = failureOf(execution);
      if (!failure) return execution;
      const retryable =
        execution.Status?.AthenaError?.Retryable === true && !isNonRetryableAthenaError(failure.message);
      if (!retryable || attempt >= resubmits) throw failure;
      this.#warn('ATHENA_QUERY_RESUBMITTED', `started again after a retryable failure: ${failure.message}`);
    }
  }

  #startInput(query: CompiledQuery, tag: QueryTag | undefined): StartQueryExecutionInput {
    const { workGroup, outputLocation, database, catalog, resultReuse } = this.#config;
    let parameters = query.parameters.map(toTrinoLiteral);
    let sql = query.sql;
    if (parameters.some((literal) => literal.length > MAX_PARAMETER_LENGTH)) {
      // Too long for an execution parameter: put every value into the SQL text instead.
      sql = inlineParameters(query).sql;
      parameters = [];
    }
    return {
      QueryString: tagSql(sql, tag),
      ...(workGroup && { WorkGroup: workGroup }),
      ...(outputLocation && { ResultConfiguration: { OutputLocation: outputLocation } }),
      ...((database || catalog) && {
        QueryExecutionContext: {
          ...(database && { Database: database }),
          ...(catalog && { Catalog: catalog }),
        },
      }),
      ...(parameters.length > 0 && { ExecutionParameters: parameters }),
      ...(resultReuse?.enabled && {
        ResultReuseConfiguration: {
          ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: resultReuse.maxAgeMinutes },
        },
      }),
    };
  }

  /** Starts the query and waits for a final state; aborting stops it on Athena. */
  async #run(input: StartQueryExecutionInput, signal: AbortSignal | undefined): Promise<QueryExecution> {
    // One token per submission: a throttled start retried with it cannot start the query twice.
    const token = randomUUID();
    const { client } = this.#config;
    const started = await this.#call(
      () => client.send(new StartQueryExecutionCommand({ ...input, ClientRequestToken: token })),
      signal,
    );
    const id = started.QueryExecutionId;
    if (!id) throw new LakeqError('ATHENA_BAD_RESPONSE', 'StartQueryExecution returned no QueryExecutionId');
    try {
      const { QueryExecution: execution } = await pollWithBackoff({
        poll: () =>
          this.#call(() => client.send(new GetQueryExecutionCommand({ QueryExecutionId: id })), signal),
        isDone: (out) => FINAL_STATES.has(out.QueryExecution?.Status?.State ?? ''),
        initialMs: this.#config.pollInitialMs,
        maxMs: this.#config.pollMaxMs,
        sleep: this.#config.sleep,
        signal,
      });
      return execution!;
    } catch (error) {
      if (!signal?.aborted) throw error;
      await this.#stop(id);
      throw cancelled(id, true);
    }
  }

  async #stop(id: string): Promise<void> {
    try {
      await this.#call(() =>
        this.#config.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })),
      );
    } catch (error) {
      this.#warn('ATHENA_STOP_FAILED', `could not stop query ${id}: ${(error as Error).message}`);
    }
  }

  async #results(id: string, execution: QueryExecution, isWrite: boolean, signal: AbortSignal | undefined) {
    const rows: Record<string, unknown>[] = [];
    let columns: readonly ColumnInfo[] = [];
    let updateCount: number | undefined;
    let nextToken: string | undefined;
    let page = 0;
    do {
      if (signal?.aborted) throw cancelled(id);
      const out = await this.#call(
        () =>
          this.#config.client.send(
            new GetQueryResultsCommand({
              QueryExecutionId: id,
              MaxResults: this.#config.maxPageRows ?? 1000,
              ...(nextToken && { NextToken: nextToken }),
            }),
          ),
        signal,
      );
      if (page === 0) {
        columns = out.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
        updateCount = out.UpdateCount;
      }
      // INSERT/CTAS/UNLOAD answer with a count, not rows.
      if (isWrite) break;
      let data = out.ResultSet?.Rows ?? [];
      if (page === 0 && data.length > 0) {
        if (isHeaderRow(data[0], columns)) data = data.slice(1);
        else if (execution.StatementType === 'DML') {
          this.#warn(
            'ATHENA_NO_HEADER_ROW',
            `query ${id}: the first result row does not repeat the column names`,
          );
        }
      }
      for (const row of data) rows.push(athenaRowToRecord(row, columns));
      nextToken = out.NextToken;
      page++;
    } while (nextToken);
    return {
      rows,
      updateCount,
      columns: isWrite
        ? []
        : columns.map((c, i) => ({ name: c.Name ?? `_col${i}`, type: c.Type ?? 'varchar' })),
    };
  }

  #call<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return withThrottlingRetry(call, { ...this.#config.retry, signal });
  }

  #warn(code: string, message: string): void {
    this.#warnings.push({ code, message });
  }
}

/** The QueryFailedError for a FAILED or CANCELLED execution; undefined when it SUCCEEDED. */
function failureOf(execution: QueryExecution): QueryFailedError | undefined {
  const status = execution.Status;
  const state = status?.State ?? 'UNKNOWN';
  if (state === 'SUCCEEDED') return undefined;
  const athenaError = status?.AthenaError;
  let reason = status?.StateChangeReason ?? athenaError?.ErrorMessage ?? 'Athena gave no reason';
  if (athenaError?.ErrorMessage && !reason.includes(athenaError.ErrorMessage))
    reason += `: ${athenaError.ErrorMessage}`;
  if (athenaError?.ErrorType !== undefined) {
    reason += ` (Athena error type ${athenaError.ErrorType}, category ${athenaError.ErrorCategory ?? '?'})`;
  }
  return new QueryFailedError('athena', state, reason, execution.QueryExecutionId, athenaError);
}

function cancelled(id?: string, stopSent = false): LakeqError {
  const which = id ? `athena query ${id}` : 'athena query';
  return new LakeqError(
    'CANCELLED',
    `${which} was cancelled${stopSent ? ' (StopQueryExecution sent)' : ''}`,
    {
      details: { engineQueryId: id },
    },
  );
}

function stripLeadingComments(sql: string): string {
  return sql.replace(/^(\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/|\()*/, '');
}
