import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { accountId, timeWindow } from '../../src/query/param-types.ts';
import { INSTANCE_LIFECYCLE, SSO_SOURCE } from '../identity-center/identity-center-sql.ts';
import type { InstanceChurnRow } from '../identity-center/instance-churn.ts';
import { inWindow } from './security-lake-sql.ts';

/**
 * IAM Identity Center instance churn from Security Lake's CloudTrail management events (either
 * source version): the columns and meaning of `identity-center/instance-churn`, which reads
 * CloudTrail itself, so the two answer the same for the same events.
 */
export default defineQuery({
  id: 'security-lake/identity-center-instance-churn',
  version: '1.0.0',
  title: 'Identity Center instance churn (Security Lake)',
  description:
    'Successful CreateInstance and DeleteInstance calls per UTC day, account and Region from ocsf_api_activity: ' +
    'instances created, deleted, the net change, and the principals who made the calls; the columns of ' +
    'identity-center/instance-churn. The window is [from, to).',
  example: { from: '2026-11-01', to: '2026-11-08' },
  // Security Lake's tables are in Athena (Glue), not in a CloudTrail Lake event data store.
  engines: ['duckdb', 'athena'],
  params: timeWindow({ account: accountId.optional().describe('only this account (12 digits)') }),
  build: ({ from, to, account }) => sql<InstanceChurnRow>`
    select
      date_format(time, '%Y-%m-%d') as day,
      account_id,
      region,
      count_if(api_operation = 'CreateInstance') as created,
      count_if(api_operation = 'DeleteInstance') as deleted,
      count_if(api_operation = 'CreateInstance') - count_if(api_operation = 'DeleteInstance') as net,
      array_join(array_sort(array_agg(distinct actor_user_arn) filter (where actor_user_arn is not null)), ',') as actors
    from ${sql.table('ocsf_api_activity')}
    where api_service = ${SSO_SOURCE}
      and api_operation in (${sql.join(INSTANCE_LIFECYCLE)})
      and api_error is null
      and ${inWindow(from, to, account)}
    group by date_format(time, '%Y-%m-%d'), account_id, region
    order by day, account_id, region`,
});
