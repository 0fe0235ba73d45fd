import { type RawBuilder, sql } from 'kysely';

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
