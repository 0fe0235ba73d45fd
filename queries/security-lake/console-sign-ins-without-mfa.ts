import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { accountId, timeWindow } from '../../src/query/param-types.ts';
import { inWindow } from './security-lake-sql.ts';

export interface ConsoleSignInWithoutMfaRow {
  account_id: string;
  user_arn: string | null;
  user_type: string | null;
  sign_ins: number;
  first_seen: string;
  last_seen: string;
  /** Distinct source IPs, sorted, comma-separated. */
  source_ips: string;
}

/** Successful console sign-ins without MFA, per account and user. */
export default defineQuery({
  id: 'security-lake/console-sign-ins-without-mfa',
  version: '1.0.0',
  title: 'Console sign-ins without MFA (Security Lake)',
  description:
    'Successful ConsoleLogin events of [from, to) that used no MFA (ocsf_authentication, either source version), ' +
    'per account and user, with when and from where.',
  example: { from: '2026-11-01', to: '2026-11-08' },
  // Security Lake's tables are in Athena (Glue), not in a CloudTrail Lake event data store.
  engines: ['duckdb', 'athena'],
  params: timeWindow({ account: accountId.optional().describe('only this account') }),
  build: ({ from, to, account }) => sql<ConsoleSignInWithoutMfaRow>`
    select account_id, actor_user_arn as user_arn, actor_user_type as user_type, count(*) as sign_ins,
      min(time) as first_seen, max(time) as last_seen,
      array_join(array_sort(array_agg(distinct src_ip) filter (where src_ip is not null)), ',') as source_ips
    from ${sql.table('ocsf_authentication')}
    where api_operation = 'ConsoleLogin' and status = 'Success' and is_mfa = false and ${inWindow(from, to, account)}
    group by account_id, actor_user_arn, actor_user_type
    order by sign_ins desc, account_id, user_arn`,
});
