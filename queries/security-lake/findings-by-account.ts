import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { accountId, timeWindow } from '../../src/query/param-types.ts';
import { findingsByDay } from './security-lake-sql.ts';

export interface FindingsByAccountRow {
  account_id: string;
  /** Distinct findings active at their latest record in the window. */
  active_findings: number;
  critical: number;
  high: number;
  findings: number;
}

/** Findings per account, each counted once at its latest state. */
export default defineQuery({
  id: 'security-lake/findings-by-account',
  version: '1.0.0',
  title: 'Findings by account (Security Lake)',
  description:
    'Security Hub findings of [from, to) from ocsf_findings per account, each finding at its latest record in the ' +
    'window: how many are active, how many of those are critical or high, and how many were seen at all.',
  example: { from: '2026-11-01', to: '2026-11-08' },
  // Security Lake's tables are in Athena (Glue), not in a CloudTrail Lake event data store.
  engines: ['duckdb', 'athena'],
  params: timeWindow({ account: accountId.optional().describe('only this account') }),
  build: ({ from, to, account }) => sql<FindingsByAccountRow>`
    select account_id,
      count_if(record_state = 'ACTIVE') as active_findings,
      count_if(record_state = 'ACTIVE' and severity = 'Critical') as critical,
      count_if(record_state = 'ACTIVE' and severity = 'High') as high,
      count(*) as findings
    from (
      select *, row_number() over (partition by finding_uid order by time desc, day desc) as last
      from ${findingsByDay(from, to, account, ['account_id', 'record_state', 'severity'])} d where newest = 1
    ) l
    where last = 1
    group by account_id
    order by active_findings desc, account_id`,
});
