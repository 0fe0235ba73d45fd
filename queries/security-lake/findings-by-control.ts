import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { accountId, timeWindow } from '../../src/query/param-types.ts';
import { findingsByDay } from './security-lake-sql.ts';

export interface FindingsByControlRow {
  control_id: string;
  title: string | null;
  severity: string | null;
  /** Resources failing the control at their latest record in the window. */
  failed: number;
  passed: number;
  accounts: number;
}

/** Security Hub controls by how many resources fail them, at each finding's latest state. */
export default defineQuery({
  id: 'security-lake/findings-by-control',
  version: '1.0.0',
  title: 'Findings by control (Security Lake)',
  description:
    'Security Hub control findings of [from, to) from ocsf_findings per control id, each finding at its latest ' +
    'record in the window: how many fail and pass, and in how many accounts; most failures first.',
  example: { from: '2026-11-01', to: '2026-11-08' },
  // Security Lake's tables are in Athena (Glue), not in a CloudTrail Lake event data store.
  engines: ['duckdb', 'athena'],
  params: timeWindow({ account: accountId.optional().describe('only this account') }),
  build: ({ from, to, account }) => sql<FindingsByControlRow>`
    select control_id, max(finding_title) as title, max(severity) as severity,
      count_if(compliance_status = 'FAILED' and record_state = 'ACTIVE') as failed,
      count_if(compliance_status = 'PASSED' or record_state = 'ARCHIVED') as passed,
      count(distinct account_id) as accounts
    from (
      select *, row_number() over (partition by finding_uid order by time desc, day desc) as last
      from ${findingsByDay(from, to, account, ['control_id', 'finding_title', 'severity', 'compliance_status', 'record_state', 'account_id'])} d where newest = 1 and control_id is not null
    ) l
    where last = 1
    group by control_id
    order by failed desc, control_id`,
});
