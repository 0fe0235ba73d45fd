import type { CompiledQuery, Dialect } from 'kysely';

/** The engines lakeq can run a query on. `duckdb` is the embedded default. */
export const ENGINE_NAMES = ['duckdb', 'athena', 'cloudtrail-lake'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/**
 * What an engine can and cannot do. Shared code asks these flags instead of testing the
 * engine's name (the way Kysely's adapters expose `supportsReturning`).
 */
export interface EngineCapabilities {
  /** Most partitions one INSERT/CTAS may write (Athena: 100). `Infinity` when unbounded. */
  readonly maxPartitionsPerWrite: number;
  /** Positional `?` parameters are sent to the engine; when false they are inlined as literals. */
  readonly supportsParameters: boolean;
  /** `INSERT OVERWRITE`-style replacement of a partition in one statement. */
  readonly supportsInsertOverwrite: boolean;
  /** The engine can write tables (CTAS/INSERT/COPY); CloudTrail Lake is read-only. */
  readonly supportsWrites: boolean;
  /** The engine can run `EXPLAIN <query>`. */
  readonly supportsExplain: boolean;
  /**
   * `cloudtrail_events` is lakeq's hour-partitioned table (with `dt`, `hour`), so queries add
   * a filter on `dt` that lets the engine skip partitions; a CloudTrail Lake store has none.
   */
  readonly hourPartitionedTables: boolean;
  /** The curated tables are read from the local data folder, so a table never loaded there is known. */
  readonly readsDataFolder: boolean;
}

/** One column of a result, with the engine's own type name. */
export interface ResultColumn {
  readonly name: string;
  readonly type: string;
}

/** What a query cost, as the engine reports it. Optional fields are absent where the engine does not say. */
export interface QueryStats {
  readonly engine: EngineName;
  /** The engine's id for the execution (Athena QueryExecutionId, CloudTrail Lake QueryId). */
  readonly engineQueryId?: string;
  readonly rows: number;
  /** Wall time measured by lakeq, from submit to the last row. */
  readonly elapsedMs: number;
  readonly dataScannedBytes?: number;
  readonly engineMs?: number;
  readonly queueMs?: number;
  /** Athena QueryPlanningTimeInMillis. */
  readonly planningMs?: number;
  /** Athena TotalExecutionTimeInMillis: the engine's own total, without lakeq's polling. */
  readonly totalMs?: number;
  /** Rows written by INSERT/CTAS/COPY (Athena UpdateCount). */
  readonly rowsAffected?: number;
  /** True when Athena answered from its result reuse cache. */
  readonly reusedResult?: boolean;
}

/** Names the library query that issued a statement; engines put it into a SQL comment tag. */
export interface QueryTag {
  readonly queryId: string;
  readonly version: string;
}

export interface ExecuteOptions {
  readonly tag?: QueryTag;
  /** Aborting stops the query on the engine (Athena StopQueryExecution, Lake CancelQuery). */
  readonly signal?: AbortSignal;
  /**
   * Called with the SQL the local engine is about to run: Trino SQL rewritten for DuckDB (`lakeq sql
   * --show-local-sql` prints it). Called again for each further reading it tries.
   */
  readonly onLocalSql?: (sql: string) => void;
}

/** Rows are plain JSON-safe values: numbers, strings, booleans, null, arrays and objects. */
export interface EngineResult<R = Record<string, unknown>> {
  readonly rows: R[];
  readonly columns: readonly ResultColumn[];
  readonly stats: QueryStats;
}

/** A problem that did not stop the query, such as a skipped malformed source file. */
export interface EngineWarning {
  readonly code: string;
  readonly message: string;
  /** The file or object the warning is about, when there is one. */
  readonly path?: string;
}

/**
 * An engine runs SQL and reports what it cost. Each engine is also a Kysely `Dialect`, so
 * queries built with Kysely compile to the engine's SQL.
 *
 * @example
 * ```ts
 * const engine = await openEngine({ engine: 'duckdb', dataDir: './lakeq-data' });
 * const { rows, stats } = await engine.execute(CompiledQuery.raw('select 1 as one'));
 * // rows = [{ one: 1 }], stats.engine = 'duckdb'
 * await engine.close();
 * ```
 */
export interface Engine {
  readonly name: EngineName;
  readonly capabilities: EngineCapabilities;
  readonly dialect: Dialect;
  /**
   * Physical names of the logical tables the queries refer to
   * (CloudTrail Lake: `cloudtrail_events` → the event data store id).
   */
  readonly tableNames: Readonly<Record<string, string>>;
  execute<R = Record<string, unknown>>(
    query: CompiledQuery,
    options?: ExecuteOptions,
  ): Promise<EngineResult<R>>;
  /** Warnings gathered since the engine was opened (skipped files and the like). */
  warnings(): readonly EngineWarning[];
  close(): Promise<void>;
}

/** Errors carry a stable code and a message written for the user (exit code 1 unless `usage`). */
export class LakeqError extends Error {
  readonly code: string;
  readonly usage: boolean;
  readonly details?: unknown;
  constructor(
    code: string,
    message: string,
    options: { usage?: boolean; cause?: unknown; details?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LakeqError';
    this.code = code;
    this.usage = options.usage ?? false;
    this.details = options.details;
  }
}

/** A query the engine ran and rejected or that ended in a FAILED/CANCELLED state. */
export class QueryFailedError extends LakeqError {
  readonly engine: EngineName;
  readonly engineQueryId?: string;
  readonly state: string;
  constructor(engine: EngineName, state: string, reason: string, engineQueryId?: string, cause?: unknown) {
    super(
      'QUERY_FAILED',
      `${engine} query ${engineQueryId ?? ''} ${state.toLowerCase()}: ${reason}`.replace(/ {2,}/g, ' '),
      { cause },
    );
    this.engine = engine;
    this.state = state;
    if (engineQueryId !== undefined) this.engineQueryId = engineQueryId;
  }
}
