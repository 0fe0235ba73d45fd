import type { LakeqSettings } from '../config/lakeq-config.ts';
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
): Promise<Engine> {
  switch (name) {
    case 'duckdb': {
      const { openLocalEngine } = await import('../catalog/duckdb/local-engine.ts');
      return openLocalEngine(settings);
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
