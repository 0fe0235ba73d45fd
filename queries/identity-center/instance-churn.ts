import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { accountId, timeWindow } from '../../src/query/param-types.ts';
import { dayPartitions } from '../cloudtrail/cloudtrail-sql.ts';
import { accountFilter, INSTANCE_LIFECYCLE, SSO_SOURCE } from './identity-center-sql.ts';

export interface InstanceChurnRow {
  /** UTC day of the calls, 'YYYY-MM-DD'. */
  day: string;
  account_id: string;
  region: string;
  created: number;
  deleted: number;
  /** created − deleted */
  net: number;
  /** Distinct principal ARNs that made the calls, sorted, comma-separated. */
  actors: string;
}

/**
 * IAM Identity Center instances created and deleted per day, account and Region, from
 * successful `CreateInstance` / `DeleteInstance` calls (failed calls are in
 * `identity-center/failed-instance-calls`).
 */
export default defineQuery({
  id: 'identity-center/instance-churn',
  version: '1.0.0',
  title: 'Identity Center instance churn',
  description:
    'Successful CreateInstance and DeleteInstance calls per UTC day, account and Region: instances created, ' +
    'deleted, the net change, and the principals who made the calls. The window is [from, to).',
  example: { from: '2026-11-01', to: '2026-11-08' },
  params: timeWindow({ account: accountId.optional().describe('only this account (12 digits)') }),
  build: ({ from, to, account }, context) => sql<InstanceChurnRow>`
    select
      date_format(eventTime, '%Y-%m-%d') as day,
      recipientAccountId as account_id,
      awsRegion as region,
      count_if(eventName = 'CreateInstance') as created,
      count_if(eventName = 'DeleteInstance') as deleted,
      count_if(eventName = 'CreateInstance') - count_if(eventName = 'DeleteInstance') as net,
      array_join(array_sort(array_agg(distinct userIdentity.arn) filter (where userIdentity.arn is not null)), ',') as actors
    from ${sql.table('cloudtrail_events')}
    where eventSource = ${SSO_SOURCE}
      and eventName in (${sql.join(INSTANCE_LIFECYCLE)})
      and errorCode is null
      and eventTime >= ${from} and eventTime < ${to}${dayPartitions(from, to, context)}${accountFilter(account)}
    group by date_format(eventTime, '%Y-%m-%d'), recipientAccountId, awsRegion
    order by day, account_id, region`,
});
