import { type RawBuilder, sql } from 'kysely';
import { z } from 'zod';

/**
 * What the inventory queries share: the snapshot they read. The snapshot tables hold one
 * snapshot per day (`dt`, partition `hour='00'`); a query reads one day's, by default the latest
 * day of `identity_center_instances` (the collector writes its file with every snapshot).
 */

/** The `day` parameter: a snapshot day, `YYYY-MM-DD`; absent means the latest snapshot. */
export const snapshotDayParam = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a snapshot day is YYYY-MM-DD')
  .optional()
  .describe('the snapshot day (YYYY-MM-DD, UTC); default the latest snapshot');

/**
 * The day a query reads: the given one, or the latest snapshot's (a subquery, so the query needs
 * no round trip; the day's rows are then one partition of each table).
 *
 * @example
 * ```ts
 * sql`select * from identity_center_users where dt = ${snapshotOf(undefined)}`
 * // … where dt = (select max(dt) from "identity_center_instances")
 * ```
 */
export function snapshotOf(day: string | undefined): RawBuilder<unknown> {
  return day === undefined
    ? sql`(select max(dt) from ${sql.table('identity_center_instances')})`
    : sql`${day}`;
}

/** `array_join(array_sort(array_agg(distinct x)), ',')`: the distinct values of a group, sorted, comma-separated. */
export function joined(expr: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`array_join(array_sort(array_agg(distinct ${expr})), ',')`;
}
