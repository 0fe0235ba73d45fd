import { EngineDialect } from '../engine-dialect.ts';

/**
 * The Kysely dialect of Amazon Athena: Trino SQL, with every query sent through the Athena
 * engine (execution parameters, comment tag, polling, paging, throttling retries).
 *
 * @example
 * ```ts
 * const db = new Kysely<Database>({ dialect: createAthenaEngine(config).dialect });
 * await db.selectFrom('cloudtrail_events').select('eventName').where('awsRegion', '=', 'us-east-1').execute();
 * // StartQueryExecution: select "eventName" from "cloudtrail_events" where "awsRegion" = ?
 * //                      with ExecutionParameters ["'us-east-1'"]
 * ```
 */
export class AthenaDialect extends EngineDialect {}
