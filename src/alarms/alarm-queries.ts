import type { Engine } from '../engines/engine.ts';
import type { RunAlarmQuery } from './query-alarm-value.ts';

/**
 * Runs alarm queries on an engine (DuckDB locally, Athena on AWS): the library query by id,
 * its parameters validated by its schema.
 *
 * @example
 * ```ts
 * const runQuery = engineAlarmQueries(await openAthenaEngine(settings));
 * await runQuery('glue/failures', { from: '2026-11-27T13:00:00Z', to: '2026-11-27T14:00:00Z' });
 * ```
 */
export function engineAlarmQueries(engine: Engine, options: { signal?: AbortSignal } = {}): RunAlarmQuery {
  return async (queryId, params) => {
    const [{ loadQuery }, { runQuery }] = await Promise.all([
      import('../query/registry.ts'),
      import('../query/run-query.ts'),
    ]);
    const run = await runQuery(engine, await loadQuery(queryId), params, options);
    return run.rows as readonly Record<string, unknown>[];
  };
}
