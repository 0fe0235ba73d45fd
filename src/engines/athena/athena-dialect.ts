import type { DatabaseIntrospector, Dialect, DialectAdapter, Driver, Kysely, QueryCompiler } from 'kysely';
import type { Engine } from '../engine.ts';
import { AnalyticsAdapter } from '../engine-adapter.ts';
import { EngineDriver } from '../engine-driver.ts';
import { InformationSchemaIntrospector } from '../engine-introspector.ts';
import { TrinoQueryCompiler } from '../trino/trino-query-compiler.ts';

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
export class AthenaDialect implements Dialect {
  readonly #engine: Pick<Engine, 'execute' | 'name'>;
  constructor(engine: Pick<Engine, 'execute' | 'name'>) {
    this.#engine = engine;
  }
  createDriver(): Driver {
    return new EngineDriver(this.#engine);
  }
  createQueryCompiler(): QueryCompiler {
    return new TrinoQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new AnalyticsAdapter();
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new InformationSchemaIntrospector(db);
  }
}
