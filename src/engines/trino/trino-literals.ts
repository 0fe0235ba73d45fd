import { CompiledQuery } from 'kysely';
import { LakeqError, type QueryTag } from '../engine.ts';

/**
 * Formats a JS value as a typed Trino literal. Dates become `TIMESTAMP '…'` (UTC, millisecond
 * precision) because Athena compares a timestamp column with a string literal as an error,
 * where DuckDB would silently cast.
 *
 * @example
 * ```ts
 * toTrinoLiteral(new Date('2026-11-01T00:00:00Z')) // "TIMESTAMP '2026-11-01 00:00:00.000'"
 * toTrinoLiteral("O'Brien")                         // "'O''Brien'"
 * ```
 */
export function toTrinoLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new LakeqError('BAD_PARAMETER', 'invalid Date parameter');
    return `TIMESTAMP '${value.toISOString().replace('T', ' ').replace('Z', '')}'`;
  }
  switch (typeof value) {
    case 'string':
      return `'${value.replace(/'/g, "''")}'`;
    case 'number':
      if (!Number.isFinite(value))
        throw new LakeqError('BAD_PARAMETER', `non-finite number parameter: ${value}`);
      return Number.isInteger(value) ? String(value) : `DOUBLE '${value}'`;
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    default:
      if (Array.isArray(value)) return `ARRAY[${value.map(toTrinoLiteral).join(', ')}]`;
      throw new LakeqError('BAD_PARAMETER', `cannot pass a parameter of type ${typeof value} to SQL`);
  }
}

/**
 * Replaces each `?` placeholder outside string literals, quoted identifiers and comments
 * with its value as a Trino literal, for engines that take no parameters.
 */
export function inlineParameters(query: CompiledQuery): CompiledQuery {
  if (query.parameters.length === 0) return query;
  const { sql } = query;
  let out = '';
  let next = 0;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      const end = closingQuote(sql, i, ch);
      out += sql.slice(i, end + 1);
      i = end;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (ch === '?') {
      if (next >= query.parameters.length) {
        throw new LakeqError(
          'BAD_PARAMETER',
          `the SQL has more placeholders than the ${query.parameters.length} parameters given`,
        );
      }
      out += toTrinoLiteral(query.parameters[next++]);
    } else {
      out += ch;
    }
  }
  if (next !== query.parameters.length) {
    throw new LakeqError(
      'BAD_PARAMETER',
      `${query.parameters.length} parameters given for ${next} placeholders`,
    );
  }
  return CompiledQuery.raw(out, []);
}

function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i;
    } else i++;
  }
  return sql.length - 1;
}

/**
 * Prefixes a statement with a comment naming the library query that issued it, so it can be
 * found in the engine's history. DDL that rejects leading comments is left alone.
 *
 * @example
 * ```ts
 * tagSql('select 1', { queryId: 'cloudtrail/events-by-source', version: '1.0.0' })
 * // "-- lakeq:cloudtrail/events-by-source@1.0.0\nselect 1"
 * ```
 */
export function tagSql(sql: string, tag: QueryTag | undefined): string {
  if (!tag) return sql;
  if (/^\s*(create|drop|alter|msck|show|describe|desc)\b/i.test(sql)) return sql;
  // A line comment ends at a line break; nothing else in it can escape into the SQL.
  const safe = (s: string) => s.replace(/[\r\n]/g, ' ');
  return `-- lakeq:${safe(tag.queryId)}@${safe(tag.version)}\n${sql}`;
}
