import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { timeWindow } from '../../src/query/param-types.ts';
import { dayPartitions } from '../cloudtrail/cloudtrail-sql.ts';
import { INSTANCE_LIFECYCLE, SSO_SOURCE } from './identity-center-sql.ts';

export interface InstanceCreatedOrDeletedRow {
  user_arn: string | null;
  event_name: string;
  account_id: string;
  event_time: string;
}

/**
 * The CloudTrail Lake query of AWS's blog post "How to use multiple instances of AWS IAM
 * Identity Center": who created or deleted an instance, in which account.
 */
export default defineQuery({
  id: 'identity-center/instances-created-and-deleted',
  version: '1.0.0',
  title: 'Identity Center instances created and deleted (blog query)',
  description:
    'The user ARN, event name and account of every CreateInstance and DeleteInstance call in [from, to), as in ' +
    'the CloudTrail Lake query of the AWS blog post on multiple IAM Identity Center instances.',
  example: { from: '2026-11-01', to: '2026-11-08' },
  params: timeWindow({}),
  build: ({ from, to }, context) => sql<InstanceCreatedOrDeletedRow>`
    select
      userIdentity.arn as user_arn,
      eventName as event_name,
      recipientAccountId as account_id,
      eventTime as event_time
    from ${sql.table('cloudtrail_events')}
    where eventSource = ${SSO_SOURCE}
      and eventName in (${sql.join(INSTANCE_LIFECYCLE)})
      and eventTime >= ${from} and eventTime < ${to}${dayPartitions(from, to, context)}
    order by eventTime, eventID`,
});
