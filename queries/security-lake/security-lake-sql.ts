import { type RawBuilder, sql } from 'kysely';

const DAY_MS = 86_400_000;

/** The Security Lake `eventday` partitions ('YYYYMMDD') of `[from, to)`, so Athena reads only those days' folders. */
export function eventDays(from: Date, to: Date): RawBuilder<unknown> {
  const day = (t: Date) => t.toISOString().slice(0, 10).replace(/-/g, '');
  return sql`event_day >= ${day(from)} and event_day <= ${day(new Date(to.getTime() - 1))}`;
}

/** The whole UTC days that `[from, to)` touches: `[from's day, the day after to − 1 ms)`. */
export function wholeDays(from: Date, to: Date): { readonly from: Date; readonly to: Date } {
  const start = Math.floor(from.getTime() / DAY_MS) * DAY_MS;
  const end = Math.floor((to.getTime() - 1) / DAY_MS) * DAY_MS + DAY_MS;
  return { from: new Date(start), to: new Date(end) };
}

/** `and account_id = ?` when an account is given. */
export function accountIs(account: string | undefined): RawBuilder<unknown> {
  return account === undefined ? sql`` : sql` and account_id = ${account}`;
}
