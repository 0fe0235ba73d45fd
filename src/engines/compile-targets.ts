import type { LakeqSettings } from '../config/lakeq-config.ts';
import type { CompileTarget } from '../query/compile-query.ts';
import { ATHENA_CAPABILITIES } from './athena/athena-capabilities.ts';
import { AthenaDialect } from './athena/athena-dialect.ts';
import { CLOUDTRAIL_LAKE_CAPABILITIES } from './cloudtrail-lake/cloudtrail-lake-capabilities.ts';
import { CloudTrailLakeDialect } from './cloudtrail-lake/cloudtrail-lake-dialect.ts';
import { eventDataStoreId } from './cloudtrail-lake/cloudtrail-lake-types.ts';
import { DUCKDB_CAPABILITIES } from './duckdb/duckdb-capabilities.ts';
import { DuckDbDialect } from './duckdb/duckdb-dialect.ts';
import { type EngineName, LakeqError } from './engine.ts';

/** Shown in place of the event data store id when none is configured. */
export const EVENT_DATA_STORE_PLACEHOLDER = 'EVENT_DATA_STORE_ID';

const cannotRun = (name: EngineName) => ({
  name,
  execute: async (): Promise<never> => {
    throw new LakeqError('NOT_CONNECTED', `this ${name} target only compiles queries`);
  },
});

/**
 * An engine's dialect, capabilities and table names without connecting to it: enough to
 * show the SQL a query compiles to (`lakeq query show --engine athena` needs no AWS account,
 * and loads no AWS SDK).
 */
export function compileTarget(name: EngineName, settings: Pick<LakeqSettings, 'aws'>): CompileTarget {
  switch (name) {
    case 'duckdb':
      return {
        name,
        capabilities: DUCKDB_CAPABILITIES,
        dialect: new DuckDbDialect(cannotRun(name)),
        tableNames: {},
      };
    case 'athena':
      return {
        name,
        capabilities: ATHENA_CAPABILITIES,
        dialect: new AthenaDialect(cannotRun(name)),
        tableNames: {},
      };
    case 'cloudtrail-lake': {
      const store = settings.aws.cloudtrailLake.eventDataStore;
      const id = store ? eventDataStoreId(store) : EVENT_DATA_STORE_PLACEHOLDER;
      return {
        name,
        capabilities: CLOUDTRAIL_LAKE_CAPABILITIES,
        dialect: new CloudTrailLakeDialect(cannotRun(name)),
        tableNames: { cloudtrail_events: id },
      };
    }
  }
}
