import { compileTarget } from '../engines/compile-targets.ts';
import { LakeqError } from '../engines/engine.ts';
import { inlineParameters } from '../engines/trino/trino-literals.ts';
import { compileQuery } from '../query/compile-query.ts';
import type { LibraryQuery } from '../query/define-query.ts';
import type { NamedQueryDefinition } from './athena-resources.ts';
import type { DeployConfig } from './deploy-config.ts';

/** Athena's NamedQuery.Description limit. */
const MAX_DESCRIPTION = 1024;

/** The named query's name for a library query: its id under a `lakeq/` prefix, so lakeq's are easy to find. */
export const namedQueryName = (queryId: string) => `lakeq/${queryId}`;

/**
 * A named query for every library query that runs on Athena: compiled for Athena with its
 * `example` parameters inlined as typed literals, so it runs as it is in the Athena console.
 * The version and the example parameters are in the description and in a first SQL comment.
 *
 * @example
 * ```ts
 * namedQueryDefinitions(await loadAllQueries(), config)
 * // [{ Name: 'lakeq/identity-center/instance-churn', Database: 'lakeq',
 * //    Description: 'v1.0.0 · Identity Center instance churn: … Example: from=2026-11-01, to=2026-11-08',
 * //    QueryString: "-- lakeq identity-center/instance-churn v1.0.0 …\nselect … where \"eventTime\" >= TIMESTAMP '2026-11-01 00:00:00.000' …" }, …]
 * ```
 */
export function namedQueryDefinitions(
  queries: readonly LibraryQuery[],
  config: Pick<DeployConfig, 'database' | 'catalog' | 'workGroup'>,
): NamedQueryDefinition[] {
  const target = compileTarget('athena', {
    aws: {
      athena: { workGroup: config.workGroup, database: config.database, catalog: config.catalog },
      cloudtrailLake: {},
    },
  });
  return queries
    .filter((q) => !q.engines || q.engines.includes('athena'))
    .map((q) => {
      const example = q.example ?? {};
      let sql: string;
      try {
        sql = inlineParameters(compileQuery(q, example, target).compiled).sql;
      } catch (error) {
        throw new LakeqError(
          'NAMED_QUERY_UNCOMPILABLE',
          `query ${q.id} does not compile for Athena with its example parameters: ${(error as Error).message}`,
          { cause: error },
        );
      }
      const params = Object.entries(example)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      const description = `v${q.version} · ${q.title}: ${q.description}${params ? ` Example: ${params}` : ''}`;
      return {
        Name: namedQueryName(q.id),
        Description:
          description.length > MAX_DESCRIPTION
            ? `${description.slice(0, MAX_DESCRIPTION - 1)}…`
            : description,
        Database: config.database,
        QueryString: `-- lakeq ${q.id} v${q.version}${params ? `; example parameters inlined: ${params}` : ''}\n${sql}`,
      };
    });
}
