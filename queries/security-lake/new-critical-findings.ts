import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery } from '../../src/query/define-query.ts';
import { accountId, timeWindow } from '../../src/query/param-types.ts';
import { findingsByDay } from './security-lake-sql.ts';

export interface NewCriticalFindingRow {
  first_observed: string;
  account_id: string;
  region: string;
  severity: string;
  product_name: string | null;
  finding_title: string | null;
  resource_type: string | null;
  resource_uid: string | null;
  /** Its state at its latest record in the window. */
  workflow_status: string | null;
  record_state: string | null;
  finding_uid: string;
}

/** Critical (and, by default, high) findings first observed in the window, at their latest state. */
export default defineQuery({
  id: 'security-lake/new-critical-findings',
  version: '1.0.0',
  title: 'New critical and high findings (Security Lake)',
  description:
    'Findings first observed in [from, to) with severity Critical (and High unless severity=critical), from ' +
    'ocsf_findings, one row per finding with its latest state in the window; newest first.',
  example: { from: '2026-11-01', to: '2026-11-08' },
  // Security Lake's tables are in Athena (Glue), not in a CloudTrail Lake event data store.
  engines: ['duckdb', 'athena'],
  params: timeWindow({
    account: accountId.optional().describe('only this account'),
    severity: z
      .enum(['critical', 'high'])
      .default('high')
      .describe('the lowest severity: critical or high (default)'),
  }),
  build: ({ from, to, account, severity }) => sql<NewCriticalFindingRow>`
    select first_observed, account_id, region, severity, product_name, finding_title, resource_type, resource_uid,
      workflow_status, record_state, finding_uid
    from (
      select *, row_number() over (partition by finding_uid order by time desc, day desc) as last
      from ${findingsByDay(from, to, account, ['first_observed', 'account_id', 'region', 'severity', 'product_name', 'finding_title', 'resource_type', 'resource_uid', 'workflow_status', 'record_state'])} d where newest = 1
    ) l
    where last = 1 and first_observed >= ${from} and first_observed < ${to}
      and severity in (${severity === 'critical' ? sql`'Critical'` : sql`'Critical', 'High'`})
    order by first_observed desc, finding_uid`,
});
