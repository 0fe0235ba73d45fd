import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { timeWindow } from '../../src/query/param-types.ts';
import { inWindow, wholeDays } from '../security-lake/security-lake-sql.ts';

/** The load of `security_lake_activity_daily`: the dashboard's signals of the whole days the window touches. */
export default defineQuery({
  id: 'transforms/security-lake-activity-day',
  version: '1.0.0',
  title: 'Load: Security Lake signals per day',
  description:
    'API errors, root user activity, console sign-ins without MFA (ocsf_api_activity, ocsf_authentication, ' +
    'ocsf_account_change) and rejected VPC flows (ocsf_network_activity) of the whole UTC days [from, to) touches, ' +
    'counted per day, account, Region, signal, name and principal, plus dt and hour 00.',
  example: { from: '2026-11-01T00', to: '2026-11-01T01' },
  engines: ['duckdb', 'athena'],
  params: timeWindow({}),
  build: (params) => {
    const { from, to } = wholeDays(params.from, params.to);
    const w = inWindow(from, to);
    const audit = (view: string) => sql`
        select time, account_id, region, 'root_activity' as signal, api_operation as name, actor_user_arn as principal
        from ${sql.table(view)} where actor_user_type = 'Root' and ${w}`;
    return sql<Record<string, unknown>>`
    select account_id, region, signal, name, principal, count(*) as events,
      date_format(date_trunc('day', time), '%Y-%m-%d') as dt, '00' as hour
    from (
      select time, account_id, region, 'api_error' as signal, api_error as name, actor_user_arn as principal
      from ${sql.table('ocsf_api_activity')} where api_error is not null and ${w}
      union all ${audit('ocsf_api_activity')}
      union all ${audit('ocsf_authentication')}
      union all ${audit('ocsf_account_change')}
      union all
      select time, account_id, region, 'console_sign_in_without_mfa' as signal, api_operation as name,
        actor_user_arn as principal
      from ${sql.table('ocsf_authentication')}
      where api_operation = 'ConsoleLogin' and status = 'Success' and is_mfa = false and ${w}
      union all
      select time, account_id, region, 'rejected_flow' as signal, CAST(dst_port AS varchar) as name,
        CAST(NULL AS varchar) as principal
      from ${sql.table('ocsf_network_activity')} where action = 'Denied' and ${w}
    ) s
    group by account_id, region, signal, name, principal, date_trunc('day', time)`;
  },
});
