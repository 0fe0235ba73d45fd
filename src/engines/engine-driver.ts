import type { CompiledQuery, DatabaseConnection, Driver, QueryResult, TransactionSettings } from 'kysely';
import { type Engine, LakeqError } from './engine.ts';

/**
 * A Kysely driver that sends every query through an lakeq `Engine`, so Kysely-built queries
 * get the engine's parameter handling, tagging, retries and result conversion. The engines
 * run analytical statements one at a time; transactions are not offered.
 */
export class EngineDriver implements Driver {
  readonly #engine: Pick<Engine, 'execute' | 'name'>;
  constructor(engine: Pick<Engine, 'execute' | 'name'>) {
    this.#engine = engine;
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new EngineConnection(this.#engine);
  }
  async beginTransaction(_c: DatabaseConnection, _s: TransactionSettings): Promise<void> {
    throw new LakeqError('NOT_SUPPORTED', `${this.#engine.name} queries run without transactions`);
  }
  async commitTransaction(): Promise<void> {
    throw new LakeqError('NOT_SUPPORTED', `${this.#engine.name} queries run without transactions`);
  }
  async rollbackTransaction(): Promise<void> {
    throw new LakeqError('NOT_SUPPORTED', `${this.#engine.name} queries run without transactions`);
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

class EngineConnection implements DatabaseConnection {
  readonly #engine: Pick<Engine, 'execute'>;
  constructor(engine: Pick<Engine, 'execute'>) {
    this.#engine = engine;
  }
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.#engine.execute<R>(query);
    const affected = result.stats.rowsAffected;
    return affected === undefined
      ? { rows: result.rows }
      : { rows: result.rows, numAffectedRows: BigInt(affected) };
  }
  // biome-ignore lint/correctness/useYield: streaming is not offered; the engines page results themselves.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new LakeqError(
      'NOT_SUPPORTED',
      'streaming queries through Kysely is not supported; use engine.execute',
    );
  }
}
