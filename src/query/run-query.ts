import type { z } from 'zod';
import type { Engine, EngineResult } from '../engines/engine.ts';
import { compileQuery } from './compile-query.ts';
import type { LibraryQuery } from './define-query.ts';

/** A query's result with what produced it: the query id and version go into every result. */
export interface QueryRun<R> extends EngineResult<R> {
  readonly query: { readonly id: string; readonly version: string };
  readonly params: Record<string, unknown>;
  readonly sql: string;
}

/**
 * Validates parameters, compiles the query for the engine and runs it, tagged with the
 * query's id and version.
 *
 * @example
 * ```ts
 * const run = await runQuery(engine, churn, { from: '2026-11-01', to: '2026-11-08' });
 * run.rows[0] // { day: '2026-11-01', account_id: '111122223333', region: 'us-east-1', created: 1, ... }
 * ```
 */
export async function runQuery<P extends z.ZodType, R>(
  engine: Engine,
  query: LibraryQuery<P, R>,
  rawParams: unknown,
  options: { signal?: AbortSignal } = {},
): Promise<QueryRun<R>> {
  const { compiled, params } = compileQuery(query, rawParams, engine);
  const result = await engine.execute<R>(compiled, {
    tag: { queryId: query.id, version: query.version },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { ...result, query: { id: query.id, version: query.version }, params, sql: compiled.sql };
}
