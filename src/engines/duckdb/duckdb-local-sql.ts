import type { CompiledQuery } from 'kysely';
import { tokenize } from '../trino/trino-lexer.ts';
import { inlineParameters } from '../trino/trino-literals.ts';
import { rewriteTrinoForDuckDb } from './duckdb-trino-rewrite.ts';

/** A statement for DuckDB with the parameters it binds. */
export interface LocalStatement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/** More readings than this of ambiguous UNNESTs are not tried (2^3 = 8 binds at most). */
const MAX_AMBIGUOUS = 3;

/**
 * The DuckDB statements to try, in order, for a Trino query: one, or one per reading of the UNNESTs whose
 * argument may be a map or an array of rows (DuckDB's binder tells which reading fits). This is the one
 * place local SQL goes through on its way to DuckDB, so `lakeq sql`, named queries, loads, dashboard
 * datasets and alarms all get the same rewrite.
 *
 * @example
 * ```ts
 * localSqlCandidates(CompiledQuery.raw('select typeof(1)'))
 * // [{ sql: 'select _lakeq_typeof(1)', parameters: [] }]
 * ```
 */
export function localSqlCandidates(query: CompiledQuery): LocalStatement[] {
  let source: LocalStatement = { sql: query.sql, parameters: query.parameters };
  let first = rewriteTrinoForDuckDb(source.sql);
  if (!first.parsed) return [source];
  if (source.parameters.length > 0 && placeholders(first.sql) !== source.parameters.length) {
    // A rewrite repeated an argument that holds a `?`: bind the values as literals instead.
    source = { sql: inlineParameters(query).sql, parameters: [] };
    first = rewriteTrinoForDuckDb(source.sql);
  }
  const out: LocalStatement[] = [{ sql: first.sql, parameters: source.parameters }];
  const n = Math.min(first.ambiguousUnnests, MAX_AMBIGUOUS);
  for (let mask = 1; mask < 2 ** n; mask++) {
    const unnestAsRows = Array.from({ length: n }, (_, i) => (mask & (1 << i)) !== 0);
    out.push({ sql: rewriteTrinoForDuckDb(source.sql, { unnestAsRows }).sql, parameters: source.parameters });
  }
  return out;
}

function placeholders(sql: string): number {
  try {
    return tokenize(sql).filter((t) => t.kind === 'param').length;
  } catch {
    return -1;
  }
}
