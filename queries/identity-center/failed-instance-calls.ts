import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { accountId, timeWindow } from '../../src/query/param-types.ts';
import { dayPartitions } from '../cloudtrail/cloudtrail-sql.ts';
import { accountFilter, INSTANCE_LIFECYCLE, SSO_SOURCE } from './identity-center-sql.ts';

export interface FailedInstanceCallRow {
  day: string;
  account_id: string;
  region: string;
  action: string;
  error_code: string;
  attempts: number;
  /** Distinct principal ARNs, sorted, comma-separated. */
  actors: string;
  /** The latest error message of the group. */
  last_error_message: string | null;
}

/** Failed CreateInstance / DeleteInstance attempts, which instance churn leaves out. */
export default defineQuery({
  id: 'identity-center/failed-instance-calls',
  version: '1.0.0',
  title: 'Failed Identity Center instance calls',
  description:
    'CreateInstance and DeleteInstance calls that failed, per UTC day, account, Region, action and error code, ' +
    'with who tried and the latest error message. The window is [from, to).',
  example: { from: '2026-11-01', to: '2026-11-08' },
  params: timeWindow({ account: accountId.optional().describe('only this account (12 digits)') }),
  build: ({ from, to, account }, context) => sql<FailedInstanceCallRow>`
    select
      date_format(eventTime, '%Y-%m-%d') as day,
      recipientAccountId as account_id,
      awsRegion as region,
      eventName as action,
      errorCode as error_code,
      count(*) as attempts,
      array_join(array_sort(array_agg(distinct userIdentity.arn) filter (where userIdentity.arn is not null)), ',') as actors,
      max_by(errorMessage, eventTime) as last_error_message
    from ${sql.table('cloudtrail_events')}
    where eventSource = ${SSO_SOURCE}
      and eventName in (${sql.join(INSTANCE_LIFECYCLE)})
      and errorCode is not null
      and eventTime >= ${from} and eventTime < ${to}${dayPartitions(from, to, context)}${accountFilter(account)}
    group by date_format(eventTime, '%Y-%m-%d'), recipientAccountId, awsRegion, eventName, errorCode
    order by day, account_id, region, action, error_code`,
});
