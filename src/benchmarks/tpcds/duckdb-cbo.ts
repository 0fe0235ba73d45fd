import { CompiledQuery } from 'kysely';
import type { DuckDbEngine } from '../../engines/duckdb/duckdb-engine.ts';
import { compileQuery } from '../../query/compile-query.ts';
import type { LibraryQuery } from '../../query/define-query.ts';
import type { CboBackend, CboMode } from './cbo-compare.ts';
import { duckDbJoinOrder } from './join-order.ts';

/**
 * The DuckDB optimizers that, disabled, make it join in the written order, as Athena does without
 * column statistics: `join_order` (the cost-based join enumeration; the filter pushdown still
 * turns `from a, b where a.k = b.k` into a hash join, so nothing becomes a cross product) and
 * `build_side_probe_side` (which would still swap a join's sides by cardinality). Every other
 * optimizer stays on in both modes.
 */
export const DUCKDB_WRITTEN_ORDER_OPTIMIZERS = ['join_order', 'build_side_probe_side'] as const;

/**
 * The DuckDB side of `lakeq tpcds compare`: `cbo-off` is `SET disabled_optimizers = 'join_order,
 * build_side_probe_side'`, `cbo-on` DuckDB's defaults.
 *
 * @example
 * ```ts
 * const backend = duckDbCboBackend(await openLocalEngine({ sources: { tpcds: './lakeq-data/raw/tpcds' } }));
 * await compareCbo(backend, { queries, runs: 3 });
 * ```
 */
export function duckDbCboBackend(engine: DuckDbEngine): CboBackend {
  const compiled = (query: LibraryQuery) => compileQuery(query, {}, engine).compiled;
  return {
    engine: 'duckdb',
    setMode: async (mode: CboMode) => {
      const disabled = mode === 'cbo-off' ? DUCKDB_WRITTEN_ORDER_OPTIMIZERS.join(',') : '';
      await engine.reconfigure((run) => run(`SET GLOBAL disabled_optimizers = '${disabled}'`));
    },
    run: async (query) => {
      const started = performance.now();
      const result = await engine.execute(compiled(query), {
        tag: { queryId: query.id, version: query.version },
      });
      return { rows: result.rows as Record<string, unknown>[], totalMs: performance.now() - started };
    },
    joinOrder: async (query) => {
      const { rows } = await engine.execute(
        CompiledQuery.raw(`EXPLAIN (FORMAT json) ${compiled(query).sql}`),
      );
      const plan = (rows as { explain_key: string; explain_value: string }[]).find(
        (r) => r.explain_key === 'physical_plan',
      );
      return plan ? duckDbJoinOrder(plan.explain_value) : [];
    },
  };
}
