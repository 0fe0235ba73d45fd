import {
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBResultReader,
  type DuckDBType,
  ResultReturnType,
  StatementType,
} from '@duckdb/node-api';
import type { CompiledQuery } from 'kysely';
import {
  type Engine,
  type EngineResult,
  type EngineWarning,
  type ExecuteOptions,
  LakeqError,
  QueryFailedError,
  type ResultColumn,
} from '../engine.ts';
import { tagSql } from '../trino/trino-literals.ts';
import { TrinoNotSupportedError } from '../trino/trino-not-supported.ts';
import { DUCKDB_CAPABILITIES } from './duckdb-capabilities.ts';
import { DuckDbDialect } from './duckdb-dialect.ts';
import type { DuckDbEngineConfig, DuckDbRun, DuckDbSandbox } from './duckdb-dialect-config.ts';
import { localSqlCandidates } from './duckdb-local-sql.ts';
import { installTrinoCompat } from './duckdb-trino-compat.ts';
import { type PlainValue, plainValueConverter, toDuckDbParameter, trinoTypeName } from './duckdb-types.ts';

/** Repairs (such as excluding a bad file) allowed for one query before its error is final. */
const MAX_RECOVERIES = 50;

/**
 * The embedded engine: DuckDB in process, speaking enough Trino for the library's queries.
 *
 * @example
 * ```ts
 * const engine = await createDuckDbEngine({});
 * const { rows } = await engine.execute(CompiledQuery.raw('select 5 / 2 as half'));
 * // rows = [{ half: 2 }]   (Trino integer division)
 * ```
 */
export async function createDuckDbEngine(config: DuckDbEngineConfig = {}): Promise<DuckDbEngine> {
  if (config.threadsFor && config.sandbox)
    throw new LakeqError('BAD_CONFIG', 'a sandboxed DuckDB engine cannot change its threads (threadsFor)');
  const options: Record<string, string> = {};
  if (config.threads !== undefined) options.threads = String(config.threads);
  const instance = await DuckDBInstance.create(config.path ?? ':memory:', options);
  const engine = new DuckDbEngine(instance, config);
  await engine.setup();
  if (config.sandbox) await engine.reconfigure((run) => lockDown(run, config.sandbox as DuckDbSandbox));
  return engine;
}

/**
 * DuckDB's own sandbox: file access only under the allowed folders (so a SELECT cannot read
 * /etc/shadow nor an ATTACH or COPY reach outside), no extensions from the network, and the
 * configuration locked so a statement cannot undo it.
 */
async function lockDown(run: DuckDbRun, sandbox: DuckDbSandbox): Promise<void> {
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const dirs = sandbox.allowedDirectories.map((d) => quote(d.endsWith('/') ? d : `${d}/`));
  await run(`SET allowed_directories = [${dirs.join(', ')}]`);
  await run('SET enable_external_access = false');
  await run('SET autoinstall_known_extensions = false');
  await run('SET autoload_known_extensions = false');
  await run('SET allow_community_extensions = false');
  await run('SET lock_configuration = true');
}

/** The statements `lakeq sql` runs without `--unsafe`: queries, and EXPLAIN of a query. */
const READ_ONLY = new Set<StatementType>([StatementType.SELECT]);

/** `a COPY statement`, for a person (DuckDB files INSTALL under LOAD). */
function statementName(type: StatementType): string {
  if (type === StatementType.LOAD) return 'an INSTALL or LOAD statement';
  const name = StatementType[type] ?? 'writing';
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name} statement`;
}

/** Refuses a statement that could change anything, before it runs. */
async function assertReadOnly(con: DuckDBConnection, sql: string): Promise<void> {
  const extracted = await con.extractStatements(sql);
  if (extracted.count > 1) {
    throw new LakeqError(
      'READ_ONLY',
      `lakeq sql runs one statement at a time (this text has ${extracted.count}); --unsafe runs several`,
      { usage: true },
    );
  }
  if (extracted.count === 1) {
    // DuckDB's parser serializes only SELECT statements: one that it serializes is read-only, and
    // is not bound for this check (binding the raw views' thousands of files costs ~0.5 s).
    const parsed = await con.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR) AS tree', [sql]);
    const tree = JSON.parse(String(parsed.getRowObjects()[0]?.tree ?? '{}')) as { error?: boolean };
    if (tree.error === false) return;
    const prepared = await extracted.prepare(0);
    const type = prepared.statementType;
    prepared.destroySync();
    if (READ_ONLY.has(type)) return;
    if (type === StatementType.EXPLAIN) {
      // EXPLAIN ANALYZE runs its statement: the statement explained must be read-only too.
      const inner = /^\s*explain\s+(?:analyze\s+)?([\s\S]*)$/i.exec(sql.replace(/^\s*(--[^\n]*\n\s*)*/, ''));
      if (inner?.[1]) return assertReadOnly(con, inner[1]);
    }
    throw new LakeqError(
      'READ_ONLY',
      `lakeq sql runs read-only statements (SELECT, WITH, EXPLAIN, DESCRIBE, SHOW); this is ${statementName(type)}: run it with --unsafe if you mean it`,
      { usage: true },
    );
  }
}

export class DuckDbEngine implements Engine {
  readonly name = 'duckdb' as const;
  readonly capabilities = DUCKDB_CAPABILITIES;
  readonly dialect: DuckDbDialect;
  readonly tableNames: Readonly<Record<string, string>>;
  readonly #instance: DuckDBInstance;
  readonly #config: DuckDbEngineConfig;
  readonly #idle: DuckDBConnection[] = [];
  readonly #all: DuckDBConnection[] = [];
  readonly #waiting: ((con: DuckDBConnection) => void)[] = [];
  readonly #warnings: EngineWarning[] = [];
  /** The `sessionSql` each connection ran last. */
  readonly #session = new WeakMap<DuckDBConnection, string>();
  /** The instance's `threads` as lakeq last set it (`threadsFor`). */
  #threads: number | undefined;
  #closed = false;

  constructor(instance: DuckDBInstance, config: DuckDbEngineConfig) {
    this.#instance = instance;
    this.#config = config;
    this.#threads = config.threads;
    this.tableNames = config.tableNames ?? {};
    this.dialect = new DuckDbDialect(this);
  }

  /** @internal runs the catalog's setup on a connection of the pool. */
  async setup(): Promise<void> {
    const setup = this.#config.setup;
    if (setup) await this.reconfigure(setup);
  }

  /**
   * Runs catalog statements (views over other files, say) on a connection of the pool, with
   * the engine's warning sink. Views are shared by every connection of the database.
   */
  async reconfigure<T>(fn: (run: DuckDbRun, warn: (w: EngineWarning) => void) => Promise<T>): Promise<T> {
    return this.#withConnection((con) => fn(this.#runner(con), (w) => this.#warnings.push(w)));
  }

  /** A statement runner on `con` that fits the threads first (`threadsFor`). */
  #runner(con: DuckDBConnection): DuckDbRun {
    const run = runner(con);
    if (this.#config.threadsFor === undefined) return run;
    const fitted = async (sql: string) => {
      await this.#fitThreads(con);
      await run(sql);
    };
    return Object.assign(fitted, {
      rows: async (sql: string) => {
        await this.#fitThreads(con);
        return run.rows(sql);
      },
    });
  }

  async #fitThreads(con: DuckDBConnection): Promise<void> {
    const want = this.#config.threadsFor?.();
    if (want === undefined || want === this.#threads) return;
    await con.run(`SET threads = ${Math.max(1, Math.floor(want))}`);
    this.#threads = want;
  }

  /** Forgets the warnings gathered so far (a load reads them per batch). */
  clearWarnings(): void {
    this.#warnings.length = 0;
  }

  warnings(): readonly EngineWarning[] {
    return this.#warnings;
  }

  /** Records a warning (used by the catalog when it skips a source file). */
  warn(warning: EngineWarning): void {
    this.#warnings.push(warning);
  }

  /**
   * Runs a statement. Its text is Trino SQL (the library's one dialect): it is rewritten for DuckDB first
   * (see duckdb-trino-rewrite.ts); DuckDB's own syntax, which the Trino parser rejects, runs as written.
   */
  async execute<R = Record<string, unknown>>(
    query: CompiledQuery,
    options: ExecuteOptions = {},
  ): Promise<EngineResult<R>> {
    const started = performance.now();
    const candidates = localSqlCandidates(query);
    let firstError: unknown;
    for (const [index, candidate] of candidates.entries()) {
      const sql = tagSql(candidate.sql, options.tag);
      options.onLocalSql?.(candidate.sql);
      const params = candidate.parameters.map(toDuckDbParameter);
      try {
        return await this.#run<R>(sql, params, options, started);
      } catch (error) {
        // Another reading of an ambiguous UNNEST (map or array of rows) may bind where this one did not.
        const retry = index + 1 < candidates.length && isBinderError(error);
        if (!retry) throw firstError === undefined ? error : firstError;
        firstError ??= error;
      }
    }
    throw firstError;
  }

  async #run<R>(
    sql: string,
    params: ReturnType<typeof toDuckDbParameter>[],
    options: ExecuteOptions,
    started: number,
  ): Promise<EngineResult<R>> {
    for (let attempt = 0; ; attempt++) {
      try {
        const readOnly = this.#config.sandbox !== undefined;
        const session = this.#config.sessionSql?.(sql);
        const reader = await this.#withConnection(async (con) => {
          if (session !== undefined && this.#session.get(con) !== session) {
            await con.run(session);
            this.#session.set(con, session);
          }
          await this.#fitThreads(con);
          return runWithSignal(con, sql, params, options.signal, readOnly);
        });
        return toResult<R>(reader, performance.now() - started);
      } catch (error) {
        if (options.signal?.aborted)
          throw new LakeqError('CANCELLED', 'the query was cancelled', { cause: error });
        if (error instanceof LakeqError && error.code === 'READ_ONLY') throw error;
        const recovered =
          attempt < MAX_RECOVERIES &&
          this.#config.recover !== undefined &&
          (await this.#withConnection((con) =>
            this.#config.recover!(error, this.#runner(con), (w) => this.#warnings.push(w)),
          ));
        if (!recovered) throw localError(error);
      }
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const con of this.#all) con.closeSync();
    this.#instance.closeSync();
  }

  async #withConnection<T>(fn: (con: DuckDBConnection) => Promise<T>): Promise<T> {
    const con = await this.#acquire();
    try {
      return await fn(con);
    } finally {
      this.#release(con);
    }
  }

  async #acquire(): Promise<DuckDBConnection> {
    if (this.#closed) throw new LakeqError('ENGINE_CLOSED', 'the DuckDB engine is closed');
    const idle = this.#idle.pop();
    if (idle) return idle;
    if (this.#all.length < (this.#config.maxConnections ?? 4)) {
      const con = await this.#instance.connect();
      try {
        await installTrinoCompat(runner(con));
      } catch (error) {
        con.closeSync();
        throw error;
      }
      this.#all.push(con);
      return con;
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(con: DuckDBConnection): void {
    const next = this.#waiting.shift();
    if (next) next(con);
    else this.#idle.push(con);
  }
}

function runner(con: DuckDBConnection): DuckDbRun {
  const run = async (sql: string) => {
    await con.run(sql);
  };
  return Object.assign(run, {
    rows: async (sql: string) => (await con.runAndReadAll(sql)).getRowObjects() as Record<string, unknown>[],
  });
}

async function runWithSignal(
  con: DuckDBConnection,
  sql: string,
  params: ReturnType<typeof toDuckDbParameter>[],
  signal: AbortSignal | undefined,
  readOnly = false,
): Promise<DuckDBResultReader> {
  if (signal?.aborted) throw new LakeqError('CANCELLED', 'the query was cancelled before it started');
  if (readOnly) await assertReadOnly(con, sql);
  const onAbort = () => con.interrupt();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await con.runAndReadAll(sql, params.length > 0 ? params : undefined);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

function toResult<R>(reader: DuckDBResultReader, elapsedMs: number): EngineResult<R> {
  const names = reader.deduplicatedColumnNames();
  const types = reader.columnTypes();
  const columns: ResultColumn[] = names.map((name, i) => ({
    name,
    type: trinoTypeName(types[i] as DuckDBType),
  }));
  const rows = reader.convertRowObjects<PlainValue>(plainValueConverter) as R[];
  const isQuery = reader.returnType === ResultReturnType.QUERY_RESULT;
  const changed = isQuery ? undefined : reader.rowsChanged;
  return {
    rows,
    columns,
    stats: {
      engine: 'duckdb',
      rows: rows.length,
      elapsedMs,
      ...(changed === undefined ? {} : { rowsAffected: changed }),
    },
  };
}

/** DuckDB's error, or lakeq's when a Trino construct is what DuckDB could not take. */
function localError(error: unknown): LakeqError {
  const message = errorMessage(error);
  if (/TRY can not be used in combination with a volatile function/.test(message)) {
    return new TrinoNotSupportedError(
      'try() around a function that can fail in lakeq’s emulation',
      'the emulated function raises its error with a volatile DuckDB function, which TRY rejects',
    );
  }
  return new QueryFailedError('duckdb', 'FAILED', message, undefined, error);
}

function isBinderError(error: unknown): boolean {
  return /Binder Error/.test(errorMessage(error));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
