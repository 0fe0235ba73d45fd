import type { LakeqSettings } from '../config/lakeq-config.ts';
import type { CompileTarget } from '../query/compile-query.ts';
import { DUCKDB_CAPABILITIES } from './duckdb/duckdb-capabilities.ts';
import { DuckDbDialect } from './duckdb/duckdb-dialect.ts';
import { type EngineName, LakeqError } from './engine.ts';

const cannotRun = (name: EngineName) => ({
  name,
  execute: async (): Promise<never> => {
    throw new LakeqError('NOT_CONNECTED', `this ${name} target only compiles queries`);
  },
});

/**
 * An engine's dialect, capabilities and table names without connecting to it: enough to
 * show the SQL a query compiles to (`lakeq query show --engine athena` needs no AWS account).
 */
export function compileTarget(name: EngineName, settings: LakeqSettings): CompileTarget {
  switch (name) {
    case 'duckdb':
      return { name, capabilities: DUCKDB_CAPABILITIES, dialect: new DuckDbDialect(cannotRun(name)), tableNames: {} };
    default:
      throw new LakeqError('NOT_SUPPORTED', `compiling for ${name} is not available yet (settings ${settings.dataDir})`);
  }
}
