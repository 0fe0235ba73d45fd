import { GetTableCommand, type Table } from '@aws-sdk/client-glue';
import { CompiledQuery } from 'kysely';
import type { Engine } from '../engines/engine.ts';
import type { GlueLike } from './glue-resources.ts';
import { absentIfNotFound, type Resource } from './resource.ts';

const PRESTO_VIEW = /^\/\* Presto View: ([A-Za-z0-9+/=]+) \*\/$/;
const CREATE_VIEW = /^\s*CREATE\s+OR\s+REPLACE\s+VIEW\s+\S+\s+AS\s+/i;

/**
 * The SQL of an Athena view as the Glue catalog stores it: `ViewOriginalText` is
 * `/* Presto View: <base64 JSON> *\/` whose `originalSql` is the view's query.
 *
 * @example
 * ```ts
 * athenaViewSql({ TableType: 'VIRTUAL_VIEW', ViewOriginalText: '/* Presto View: eyJvcmlnaW5hbFNxbCI6IlNFTEVDVCAxIn0= *\/' })
 * // 'SELECT 1'
 * ```
 */
export function athenaViewSql(table: Pick<Table, 'TableType' | 'ViewOriginalText'>): string | undefined {
  const match = PRESTO_VIEW.exec(table.ViewOriginalText?.trim() ?? '');
  if (table.TableType !== 'VIRTUAL_VIEW' || !match) return undefined;
  try {
    const view = JSON.parse(Buffer.from(match[1] as string, 'base64').toString('utf8')) as {
      originalSql?: unknown;
    };
    return typeof view.originalSql === 'string' ? view.originalSql : undefined;
  } catch {
    return undefined;
  }
}

const normalize = (sql: string) => sql.replace(/\s+/g, ' ').trim();

/**
 * An Athena view, read from the Glue catalog and written with `CREATE OR REPLACE VIEW` on Athena
 * (a view's catalog entry is Athena's own format, so Athena writes it). Used for
 * `cloudtrail_events_raw`, which the curated load reads.
 *
 * @example
 * ```ts
 * athenaViewResource(glue, athenaEngine, 'lakeq', 'cloudtrail_events_raw', cloudTrailEventsRawViewSql())
 * // view missing or its SQL changed → StartQueryExecution 'CREATE OR REPLACE VIEW cloudtrail_events_raw AS SELECT …'
 * ```
 */
export function athenaViewResource(
  glue: GlueLike,
  athena: Pick<Engine, 'execute'>,
  database: string,
  name: string,
  createSql: string,
): Resource<Table> {
  if (!CREATE_VIEW.test(createSql)) throw new Error(`view ${name}: expected CREATE OR REPLACE VIEW … AS …`);
  const query = createSql.replace(CREATE_VIEW, '');
  const run = async () => {
    await athena.execute(CompiledQuery.raw(createSql));
  };
  return {
    kind: 'athena-view',
    name: `${database}.${name}`,
    describe: async () =>
      (await absentIfNotFound(() => glue.send(new GetTableCommand({ DatabaseName: database, Name: name }))))
        ?.Table,
    diff: (current) => {
      const sql = athenaViewSql(current);
      if (sql === undefined)
        return [`TableType: ${JSON.stringify(current.TableType)} → "VIRTUAL_VIEW" (an Athena view)`];
      if (normalize(sql) === normalize(query)) return [];
      return [
        `view SQL: ${normalize(sql).length} → ${normalize(query).length} characters, first difference at ${firstDifference(normalize(sql), normalize(query))}`,
      ];
    },
    create: run,
    update: run,
  };
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `"…${b.slice(Math.max(0, i - 20), i + 40)}…"`;
}
