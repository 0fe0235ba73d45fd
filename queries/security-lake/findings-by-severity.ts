import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { accountId, timeWindow } from '../../src/query/param-types.ts';
import { findingsByDay } from './security-lake-sql.ts';

export interface FindingsBySeverityRow {
  day: string;
  severity_id: number;
  severity: string;
  /** Findings whose latest record of the day is ACTIVE. */
  active_findings: number;
  /** Distinct findings with a record that day. */
  findings: number;
  /** Records that day (each update of a finding is a record: what raw counts show). */
  records: number;
}

/** Findings per UTC day and severity, counted once each (their latest state of the day). */
export default defineQuery({
  id: 'security-lake/findings-by-severity',
  version: '1.0.0',
  title: 'Findings by severity (Security Lake)',
  description:
    'Security Hub findings from ocsf_findings (source version 1, 2 or both) per UTC day of [from, to) and severity: ' +
    'the findings active at their latest record of the day, all findings updated that day, and the raw records.',
  example: { from: '2026-11-01', to: '2026-11-08' },
  // Security Lake's tables are in Athena (Glue), not in a CloudTrail Lake event data store.
  engines: ['duckdb', 'athena'],
  params: timeWindow({ account: accountId.optional().describe('only this account') }),
  build: ({ from, to, account }) => sql<FindingsBySeverityRow>`
    select day, severity_id, severity,
      count_if(newest = 1 and record_state = 'ACTIVE') as active_findings,
      count_if(newest = 1) as findings,
      count(*) as records
    from ${findingsByDay(from, to, account, ['severity_id', 'severity', 'record_state'])} l
    group by day, severity_id, severity
    order by day, severity_id desc`,
});
