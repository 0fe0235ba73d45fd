import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { timeWindow } from '../../src/query/param-types.ts';
import { securityFindingsDaily } from '../../src/sources/security-lake/tables/security-findings-daily.ts';
import { eventDays, FINDING_COLUMNS, wholeDays } from '../security-lake/security-lake-sql.ts';

/**
 * The load of `security_findings_daily`: for each UTC day the window touches, the latest record
 * of each finding (by time, then the newer source version), with the day's record count.
 */
export default defineQuery({
  id: 'transforms/security-findings-day',
  version: '1.0.0',
  title: 'Load: latest Security Hub finding state per day',
  description:
    'Security Lake findings (ocsf_findings, either source version) of the whole UTC days [from, to) touches: one ' +
    'row per finding uid and day with its latest state and the number of records that day, plus dt (the day) and hour 00.',
  example: { from: '2026-11-01T00', to: '2026-11-01T01' },
  engines: ['duckdb', 'athena'],
  params: timeWindow({}),
  build: (params) => {
    const { from, to } = wholeDays(params.from, params.to);
    return sql<Record<string, unknown>>`
    select ${sql.join(securityFindingsDaily.columns.map((c) => sql.ref(c.name)))},
      date_format(day, '%Y-%m-%d') as dt, '00' as hour
    from (
      select ${sql.join(FINDING_COLUMNS.map((c) => sql.ref(c)))}, date_trunc('day', time) as day, time as updated_at,
        count(*) over (partition by finding_uid, date_trunc('day', time)) as updates,
        row_number() over (
          partition by finding_uid, date_trunc('day', time)
          order by time desc, modified_time desc, source_version desc
        ) as newest
      from ${sql.table('ocsf_findings')} f
      where time >= ${from} and time < ${to} and ${eventDays(from, to)} and finding_uid is not null
    ) l
    where newest = 1`;
  },
});
