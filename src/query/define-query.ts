import type { CompiledQuery, Kysely, RawBuilder } from 'kysely';
import type { z } from 'zod';
import type { EngineCapabilities, EngineName } from '../engines/engine.ts';
import type { Database } from './database.ts';

/** What a query's `build` gets besides its parameters. */
export interface QueryBuildContext {
  /** A Kysely instance that compiles to the target engine's SQL (it cannot execute). */
  readonly db: Kysely<Database>;
  readonly engine: EngineName;
  readonly capabilities: EngineCapabilities;
}

/** Anything that compiles to SQL with row type `R`: a Kysely builder or a `sql<R>` template. */
export type Buildable<R> = { compile(): CompiledQuery<R> } | RawBuilder<R>;

/** The parts of a library query, as written in `queries/<domain>/<name>.ts`. */
export interface QuerySpec<P extends z.ZodType, R> {
  /** The path under queries/, such as `identity-center/instance-churn`. */
  readonly id: string;
  /** Semver; the major version changes when the query changes meaning. */
  readonly version: string;
  readonly title: string;
  readonly description: string;
  /** Parameters as a zod object schema: CLI parsing, validation and docs come from it. */
  readonly params: P;
  /** Example parameters (as on the command line), used by `lakeq query show` and the docs. */
  readonly example?: Readonly<Record<string, string>>;
  /** Engines the query can run on (default: all). */
  readonly engines?: readonly EngineName[];
  readonly build: (params: z.output<P>, context: QueryBuildContext) => Buildable<R>;
}

/** A library query: its spec plus the row type, kept for `tsc`. */
export interface LibraryQuery<P extends z.ZodType = z.ZodType, R = Record<string, unknown>>
  extends QuerySpec<P, R> {
  /** Type-only marker of the row type; never set at run time. */
  readonly __row?: R;
}

/** The row type of a library query. */
export type RowOf<Q> = Q extends LibraryQuery<z.ZodType, infer R> ? R : never;

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\/[a-z0-9]+(?:-[a-z0-9]+)*)+$/;
const SEMVER = /^\d+\.\d+\.\d+$/;

/**
 * Defines a named, versioned, typed query of the library.
 *
 * @example
 * ```ts
 * export default defineQuery({
 *   id: 'cloudtrail/events-by-source',
 *   version: '1.0.0',
 *   title: 'Events by source',
 *   description: 'CloudTrail events per event source in a time window.',
 *   params: z.object({ from: isoTime, to: isoTime }),
 *   build: ({ from, to }, { db }) =>
 *     db.selectFrom('cloudtrail_events')
 *       .select(['eventSource as event_source', (eb) => eb.fn.countAll<number>().as('events')])
 *       .where('eventTime', '>=', from).where('eventTime', '<', to)
 *       .groupBy('eventSource'),
 * });
 * // select "eventSource" as "event_source", count(*) as "events" from "cloudtrail_events"
 * // where "eventTime" >= ? and "eventTime" < ? group by "eventSource"
 * ```
 */
export function defineQuery<P extends z.ZodType, R>(spec: QuerySpec<P, R>): LibraryQuery<P, R> {
  if (!ID.test(spec.id))
    throw new Error(`query id "${spec.id}" must be a lower-case path like "domain/name"`);
  if (!SEMVER.test(spec.version))
    throw new Error(`query ${spec.id}: version "${spec.version}" is not semver`);
  return Object.freeze({ ...spec });
}
