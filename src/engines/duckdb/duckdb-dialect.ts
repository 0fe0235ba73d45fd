import type { DatabaseIntrospector, Dialect, DialectAdapter, Driver, Kysely, QueryCompiler } from 'kysely';
import type { Engine } from '../engine.ts';
import { AnalyticsAdapter } from '../engine-adapter.ts';
import { EngineDriver } from '../engine-driver.ts';
import { InformationSchemaIntrospector } from '../engine-introspector.ts';
import { TrinoQueryCompiler } from '../trino/trino-query-compiler.ts';

/**
 * The Kysely dialect of the embedded engine. The SQL it compiles is Trino's (the library's
 * one dialect); DuckDB runs it with the compatibility macros installed on every connection.
 */
export class DuckDbDialect implements Dialect {
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
