import { type RawBuilder, sql } from 'kysely';
import { parseHiveType, toTrinoType } from '../../src/catalog/hive-types.ts';
import type { IdentityCenterRelation } from '../../src/sources/identity-center/schema.ts';
import { isoTimestamp } from './transform-sql.ts';

const DAY_MS = 86_400_000;

/**
 * The snapshot days whose partition (the day's hour `00`) lies in `[from, to)`, as the first and
 * last `YYYY-MM-DD`; a window without a midnight gives a first day after the last (no rows).
 *
 * @example
 * ```ts
 * snapshotDays(new Date('2026-11-27T00:00Z'), new Date('2026-11-29T05:00Z')) // { first: '2026-11-27', last: '2026-11-29' }
 * snapshotDays(new Date('2026-11-27T05:00Z'), new Date('2026-11-27T06:00Z')) // { first: '2026-11-28', last: '2026-11-27' }
 * ```
 */
export function snapshotDays(from: Date, to: Date): { first: string; last: string } {
  const first = Math.ceil(from.getTime() / DAY_MS) * DAY_MS;
  const last = Math.floor((to.getTime() - 1) / DAY_MS) * DAY_MS;
  return {
    first: new Date(first).toISOString().slice(0, 10),
    last: new Date(last).toISOString().slice(0, 10),
  };
}

/** A collected column as the curated table's type: timestamps parsed, lists as they are, the rest cast. */
function typed(column: IdentityCenterRelation['columns'][number]): RawBuilder<unknown> {
  const ref = sql.ref(column.name);
  if (column.type === 'timestamp') return sql`${isoTimestamp(column.name)} as ${ref}`;
  // DuckDB has no CAST(… AS ARRAY(…)); the raw relation is typed array<string> already.
  if (column.type.startsWith('array<')) return sql`${ref} as ${ref}`;
  return sql`CAST(${ref} AS ${sql.raw(toTrinoType(parseHiveType(column.type)))}) as ${ref}`;
}

/**
 * The load of a daily snapshot table: the collected rows of the snapshot days in `[from, to)`,
 * typed, one row per key and day, with the partition keys `dt` (the snapshot day) and `hour` (`00`).
 */
export function snapshotTransformSql(
  relation: IdentityCenterRelation,
  from: Date,
  to: Date,
): RawBuilder<Record<string, unknown>> {
  const { first, last } = snapshotDays(from, to);
  const keys = relation.key.map((k) => sql.ref(k));
  return sql<Record<string, unknown>>`
    select ${sql.join(relation.columns.map((c) => sql.ref(c.name)))}, dt, hour
    from (
      select *, row_number() over (partition by ${sql.join(keys)}, dt order by account_id, region) as row_copy
      from (
        select ${sql.join(relation.columns.map(typed))}, dt, hour
        from ${sql.table(relation.relation)}
        where dt >= ${first} and dt <= ${last} and hour = '00'
      ) c
      where ${sql.join(
        keys.map((k) => sql`${k} is not null`),
        sql` and `,
      )}
    ) s
    where row_copy = 1`;
}
