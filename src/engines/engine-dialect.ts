import type { DatabaseIntrospector, Dialect, DialectAdapter, Driver, Kysely, QueryCompiler } from 'kysely';
import type { Engine } from './engine.ts';
import { AnalyticsAdapter } from './engine-adapter.ts';
import { EngineDriver } from './engine-driver.ts';
import { InformationSchemaIntrospector } from './engine-introspector.ts';
import { TrinoQueryCompiler } from './trino/trino-query-compiler.ts';

/**
 * What every lakeq dialect shares: Trino SQL from one compiler, the analytics adapter, and a
 * driver that sends each query through the engine. An engine's dialect is a subclass that
 * overrides what differs (CloudTrail Lake: no information_schema).
 */
export class EngineDialect implements Dialect {
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
