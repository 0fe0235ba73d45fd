import type { LocalCatalogSettings } from '../catalog/duckdb/local-engine.ts';
import type { Engine } from '../engines/engine.ts';
import { engineAlarmQueries } from './alarm-queries.ts';
import type { RunAlarmQuery } from './query-alarm-value.ts';

/**
 * Alarm queries on the local engine over the data folder's curated tables. DuckDB is opened
 * at the first query only (an evaluation of health alarms alone never opens it); `close`
 * closes it when it was opened.
 *
 * @example
 * ```ts
 * const local = openLocalAlarmQueries(settings);
 * try {
 *   await evaluateAlarms({ dataDir: settings.dataDir, runQuery: local.runQuery });
 * } finally {
 *   await local.close();
 * }
 * ```
 */
export function openLocalAlarmQueries(
  settings: LocalCatalogSettings,
  options: { signal?: AbortSignal } = {},
): { runQuery: RunAlarmQuery; close(): Promise<void> } {
  let engine: Promise<Engine> | undefined;
  const open = async (): Promise<Engine> => {
    const { openLocalEngine } = await import('../catalog/duckdb/local-engine.ts');
    return openLocalEngine(settings, { raw: false });
  };
  return {
    runQuery: async (queryId, params) => {
      engine ??= open();
      return engineAlarmQueries(await engine, options)(queryId, params);
    },
    close: async () => {
      if (engine) await (await engine).close();
    },
  };
}
