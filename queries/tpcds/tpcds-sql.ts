import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery, type LibraryQuery } from '../../src/query/define-query.ts';

/** What a TPC-DS query module gives: its number, a title and the business question it answers, and the benchmark's text. */
export interface TpcdsQuerySpec {
  readonly number: number;
  readonly title: string;
  readonly question: string;
  /** The query as pbench renders it in the Presto dialect (queries-presto/query_NN.sql), without its final `;`. */
  readonly text: string;
}

/** `tpcds/q07` for 7. */
export const tpcdsQueryId = (n: number) => `tpcds/q${String(n).padStart(2, '0')}`;

/**
 * A TPC-DS benchmark query as a library query: no parameters (the benchmark's substitutions
 * are in its text), runs on DuckDB (through lakeq's Trino rewrite) and on Athena as written.
 * The text is the TPC-DS query in the Presto dialect from prestodb/pbench (Apache-2.0,
 * queries/tpcds/LICENSE-pbench.txt), kept as it is.
 *
 * @example
 * ```ts
 * export default tpcdsQuery({ number: 82, title: 'Items in stock and sold in stores', question: 'Which items …?', text: `select …` });
 * ```
 */
export function tpcdsQuery(
  spec: TpcdsQuerySpec,
): LibraryQuery<z.ZodObject<Record<string, never>>, Record<string, unknown>> {
  return defineQuery({
    id: tpcdsQueryId(spec.number),
    version: '1.0.0',
    title: `TPC-DS Q${spec.number}: ${spec.title}`,
    description: `${spec.question} (TPC-DS query ${spec.number}, the benchmark's text in the Presto dialect from prestodb/pbench, Apache-2.0.)`,
    example: {},
    engines: ['duckdb', 'athena'],
    params: z.object({}),
    build: () => sql<Record<string, unknown>>`${sql.raw(spec.text)}`,
  });
}
