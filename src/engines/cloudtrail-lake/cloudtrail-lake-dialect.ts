import type { DatabaseIntrospector, SchemaMetadata, TableMetadata } from 'kysely';
import { LakeqError } from '../engine.ts';
import { EngineDialect } from '../engine-dialect.ts';

/**
 * The Kysely dialect of CloudTrail Lake: Trino SQL (SELECT only), with every query sent through
 * the CloudTrail Lake engine (parameters inlined, comment tag, polling, paging, throttling retries).
 *
 * @example
 * ```ts
 * const lake = createCloudTrailLakeEngine(config);
 * const db = new Kysely<Database>({ dialect: lake.dialect });
 * await db.selectFrom('cloudtrail_events').select('eventName').where('eventSource', '=', 'sso.amazonaws.com').execute();
 * // StartQuery: select "eventName" from "cloudtrail_events" where "eventSource" = 'sso.amazonaws.com'
 * // (table names are mapped to the event data store id by the query layer, from lake.tableNames)
 * ```
 */
export class CloudTrailLakeDialect extends EngineDialect {
  override createIntrospector(): DatabaseIntrospector {
    return new CloudTrailLakeIntrospector();
  }
}

/** CloudTrail Lake has no information_schema: its one table is the event data store, with CloudTrail's fixed schema. */
class CloudTrailLakeIntrospector implements DatabaseIntrospector {
  async getSchemas(): Promise<SchemaMetadata[]> {
    throw notSupported();
  }
  async getTables(): Promise<TableMetadata[]> {
    throw notSupported();
  }
}

function notSupported(): LakeqError {
  return new LakeqError(
    'NOT_SUPPORTED',
    'CloudTrail Lake cannot list its tables; the event data store is the table',
  );
}
