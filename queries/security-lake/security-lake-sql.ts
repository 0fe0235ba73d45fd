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

/** The window filter every Security Lake query has: the event time, and the `eventday` partitions Athena prunes by. */
export function inWindow(from: Date, to: Date, account?: string): RawBuilder<unknown> {
  return sql`time >= ${from} and time < ${to} and ${eventDays(from, to)}${accountIs(account)}`;
}

/** The flat columns of `ocsf_findings` the findings queries read. */
export const FINDING_COLUMNS = [
  'time',
  'class_uid',
  'source_version',
  'account_id',
  'region',
  'finding_uid',
  'finding_title',
  'severity',
  'severity_id',
  'product_name',
  'workflow_status',
  'record_state',
  'compliance_status',
  'control_id',
  'resource_type',
  'resource_uid',
  'first_observed',
  'last_observed',
  'modified_time',
  'remediation_url',
] as const;

/** A flat column of `ocsf_findings`. */
export type FindingColumn = (typeof FINDING_COLUMNS)[number];

/**
 * Findings records of the window, each with `newest` = 1 on the latest record of its finding
 * and UTC day (a finding is sent again on every update: the latest is its state that day).
 */
export function findingsByDay(
  from: Date,
  to: Date,
  account: string | undefined,
  columns: readonly FindingColumn[],
): RawBuilder<unknown> {
  // Only the columns the query uses: the window's sort carries every column it is given, and a
  // column not read is a column of each file not scanned.
  const wanted = [
    ...new Set<FindingColumn>(['time', 'finding_uid', 'modified_time', 'source_version', ...columns]),
  ];
  return sql`(
      select ${sql.join(wanted.map((c) => sql.ref(c)))}, date_format(time, '%Y-%m-%d') as day,
        row_number() over (
          partition by finding_uid, date_trunc('day', time)
          order by time desc, modified_time desc, source_version desc
        ) as newest
      from ${sql.table('ocsf_findings')} f
      where ${inWindow(from, to, account)} and finding_uid is not null
    )`;
}

/** The `limit` parameter of the ranking queries; Athena rejects `LIMIT ?`, so it is written into the SQL. */
export const LIMIT_DESCRIPTION = 'most rows to return';
