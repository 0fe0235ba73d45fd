import { type RawBuilder, sql } from 'kysely';

/** `dt` and `hour` of a timestamp column, the last two columns of every transform. */
export function partitionColumns(timeColumn: string): RawBuilder<unknown> {
  const t = sql.ref(timeColumn);
  return sql`date_format(${t}, '%Y-%m-%d') as dt, date_format(${t}, '%H') as hour`;
}
