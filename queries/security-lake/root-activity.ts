import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { accountId, timeWindow } from '../../src/query/param-types.ts';
import { inWindow } from './security-lake-sql.ts';

export interface RootActivityRow {
  day: string;
  account_id: string;
  /** API call, sign-in or account change. */
  kind: string;
  operation: string | null;
  calls: number;
  failed: number;
  /** Distinct source IPs, sorted, comma-separated. */
  source_ips: string;
}

/** What the root user did, per day, account and operation: sign-ins, API calls and account changes. */
export default defineQuery({
  id: 'security-lake/root-activity',
  version: '1.0.0',
  title: 'Root user activity (Security Lake)',
  description:
    'Calls, sign-ins and account changes made as the root user in [from, to), per UTC day, account and operation, ' +
    'with how many failed and from which IPs (ocsf_api_activity, ocsf_authentication, ocsf_account_change).',
  example: { from: '2026-11-01', to: '2026-11-08' },
  // Security Lake's tables are in Athena (Glue), not in a CloudTrail Lake event data store.
  engines: ['duckdb', 'athena'],
  params: timeWindow({ account: accountId.optional().describe('only this account') }),
  build: ({ from, to, account }) => {
    const part = (view: string, kind: string) => sql`
      select date_format(time, '%Y-%m-%d') as day, account_id, ${kind} as kind, api_operation as operation, status, src_ip
      from ${sql.table(view)}
      where actor_user_type = 'Root' and ${inWindow(from, to, account)}`;
    return sql<RootActivityRow>`
    select day, account_id, kind, operation, count(*) as calls, count_if(status = 'Failure') as failed,
      array_join(array_sort(array_agg(distinct src_ip) filter (where src_ip is not null)), ',') as source_ips
    from (${part('ocsf_api_activity', 'api call')}
      union all ${part('ocsf_authentication', 'sign-in')}
      union all ${part('ocsf_account_change', 'account change')}) r
    group by day, account_id, kind, operation
    order by day, account_id, kind, operation`;
  },
});
