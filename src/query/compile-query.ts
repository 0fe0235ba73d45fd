import { type CompiledQuery, type Dialect, DummyDriver, Kysely } from 'kysely';
import type { z } from 'zod';
import { type EngineCapabilities, type EngineName, LakeqError } from '../engines/engine.ts';
import { inlineParameters } from '../engines/trino/trino-literals.ts';
import type { Database } from './database.ts';
import type { Buildable, LibraryQuery } from './define-query.ts';
import { parseParams } from './parse-params.ts';
import { TableNamesPlugin } from './table-names-plugin.ts';

/** What compiling needs to know of an engine; an open `Engine` is one. */
export interface CompileTarget {
  readonly name: EngineName;
  readonly capabilities: EngineCapabilities;
  readonly dialect: Pick<Dialect, 'createQueryCompiler' | 'createAdapter' | 'createIntrospector'>;
  readonly tableNames: Readonly<Record<string, string>>;
}

export interface CompiledLibraryQuery<R> {
  readonly compiled: CompiledQuery<R>;
  /** The validated parameters (after zod's parsing and defaults). */
  readonly params: Record<string, unknown>;
}

/**
 * Validates raw parameters with the query's schema and compiles the query for an engine:
 * the engine's table names are applied, and parameters are inlined as typed literals where
 * the engine takes none.
 *
 * @example
 * ```ts
 * const { compiled } = compileQuery(churn, { from: '2026-11-01', to: '2026-11-02' }, engine);
 * compiled.sql        // select ... from "cloudtrail_events" where "eventTime" >= ? ...
 * compiled.parameters // [2026-11-01T00:00:00.000Z, 2026-11-02T00:00:00.000Z]
 * ```
 */
export function compileQuery<P extends z.ZodType, R>(
  query: LibraryQuery<P, R>,
  rawParams: unknown,
  target: CompileTarget,
): CompiledLibraryQuery<R> {
  if (query.engines && !query.engines.includes(target.name)) {
    throw new LakeqError(
      'ENGINE_NOT_SUPPORTED',
      `query ${query.id} does not run on ${target.name} (it runs on ${query.engines.join(', ')})`,
      { usage: true },
    );
  }
  const params = parseParams(query, rawParams);
  const db = compilerFor(target);
  const built: Buildable<R> = query.build(params as z.output<P>, {
    db,
    engine: target.name,
    capabilities: target.capabilities,
  });
  let compiled = 'isRawBuilder' in built ? built.compile(db) : built.compile();
  if (!target.capabilities.supportsParameters) compiled = inlineParameters(compiled) as CompiledQuery<R>;
  return { compiled, params: params as Record<string, unknown> };
}

function compilerFor(target: CompileTarget): Kysely<Database> {
  return new Kysely<Database>({
    dialect: {
      createAdapter: () => target.dialect.createAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => target.dialect.createIntrospector(db),
      createQueryCompiler: () => target.dialect.createQueryCompiler(),
    },
    plugins: [new TableNamesPlugin(target.tableNames)],
  });
}
