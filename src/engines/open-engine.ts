import type { LakeqSettings } from '../config/lakeq-config.ts';
import type { DuckDbSandbox } from './duckdb/duckdb-dialect-config.ts';
import type { Engine, EngineName } from './engine.ts';

/**
 * Opens an engine from settings. Each engine's module (and the AWS SDK or DuckDB behind it)
 * is imported only here, when asked for, so the CLI starts fast.
 *
 * @example
 * ```ts
 * const engine = await openEngine(await loadSettings(), 'duckdb');
 * ```
 */
export async function openEngine(
  settings: LakeqSettings,
  name: EngineName = settings.engine,
  options: { sql?: string; sandbox?: DuckDbSandbox } = {},
): Promise<Engine> {
  switch (name) {
    case 'duckdb': {
      const { openLocalEngine, readsRawViews } = await import('../catalog/duckdb/local-engine.ts');
      // Knowing the SQL, the local engine scans the raw folder only when the query reads it.
      return openLocalEngine(settings, {
        ...(options.sql === undefined ? {} : { raw: readsRawViews(options.sql) }),
        ...(options.sandbox ? { sandbox: options.sandbox } : {}),
      });
    }
    case 'athena': {
      const { openAthenaEngine } = await import('./athena/open-athena-engine.ts');
      return openAthenaEngine(settings);
    }
    case 'cloudtrail-lake': {
      const { openCloudTrailLakeEngine } = await import('./cloudtrail-lake/open-cloudtrail-lake-engine.ts');
      return openCloudTrailLakeEngine(settings);
    }
  }
}
