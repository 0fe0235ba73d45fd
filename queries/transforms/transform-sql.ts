import { type RawBuilder, sql } from 'kysely';
import { parseHiveType, toTrinoType } from '../../src/catalog/hive-types.ts';
import type { TableColumn } from '../../src/catalog/table-definition.ts';

/** `dt` and `hour` of a timestamp column, the last two columns of every transform. */
export function partitionColumns(timeColumn: string): RawBuilder<unknown> {
  const t = sql.ref(timeColumn);
  return sql`date_format(${t}, '%Y-%m-%d') as dt, date_format(${t}, '%H') as hour`;
}

/**
 * Days after an event its log file may still be delivered into a later day's folder. The
 * filter on `sourceDay` lets Athena read only the trail's folders of those days (partition
 * projection); locally it keeps the same meaning.
 */
export const LATEST_DELIVERY_DAYS = 1;

/** The trail folder day ('yyyy/MM/dd') of `t` plus `days`. */
export function sourceDay(t: Date, days: number): string {
  return new Date(t.getTime() + days * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '/');
}

/**
 * The collector's ISO 8601 text (`2026-11-27T13:05:00Z`) as a UTC `timestamp`, the same on
 * Athena (Trino) and DuckDB (whose compat macro gives a UTC timestamp already).
 */
export function isoTimestamp(column: string): RawBuilder<unknown> {
  return sql`CAST(from_iso8601_timestamp(${sql.ref(column)}) AT TIME ZONE 'UTC' AS timestamp)`;
}

/**
 * `dt >= first and dt <= last` over the folders of a collected relation for `[from, to)`: the
 * partition projection lets Athena list only those days' folders.
 */
export function collectedDays(from: Date, to: Date): RawBuilder<unknown> {
  const first = from.toISOString().slice(0, 10);
  const last = new Date(to.getTime() - 1).toISOString().slice(0, 10);
  return sql`dt >= ${first} and dt <= ${last}`;
}

/**
 * The collected columns as the curated table's types: timestamps parsed from their text, the
 * other columns cast to their Hive type's SQL name.
 */
export function typedColumns(columns: readonly TableColumn[]): RawBuilder<unknown> {
  return sql.join(
    columns.map((c) =>
      c.type === 'timestamp'
        ? sql`${isoTimestamp(c.name)} as ${sql.ref(c.name)}`
        : sql`CAST(${sql.ref(c.name)} AS ${sql.raw(toTrinoType(parseHiveType(c.type)))}) as ${sql.ref(c.name)}`,
    ),
  );
}
