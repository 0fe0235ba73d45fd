import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { accountId, timeWindow } from '../../src/query/param-types.ts';
import { dayPartitions } from '../cloudtrail/cloudtrail-sql.ts';
import {
  APPLICATION_LIFECYCLE,
  accountFilter,
  INSTANCE_LIFECYCLE,
  SSO_SOURCE,
} from './identity-center-sql.ts';

export interface InstanceEventRow {
  /** UTC ISO time of the call. */
  event_time: string;
  account_id: string;
  region: string;
  /** CreateInstance, DeleteInstance, CreateApplication or DeleteApplication. */
  action: string;
  instance_arn: string | null;
  application_arn: string | null;
  actor_arn: string | null;
  actor_type: string | null;
  source_ip: string | null;
  user_agent: string | null;
  /** Null when the call succeeded. */
  error_code: string | null;
  error_message: string | null;
  event_id: string;
}

/** Every Identity Center instance and application lifecycle call, successful or not. */
export default defineQuery({
  id: 'identity-center/instance-events',
  version: '1.0.0',
  title: 'Identity Center instance and application calls',
  description:
    'Every CreateInstance, DeleteInstance, CreateApplication and DeleteApplication call in [from, to): time, ' +
    'account, Region, action, instance and application ARNs, who called and from where, and the error if it failed.',
  example: { from: '2026-11-01', to: '2026-11-08' },
  params: timeWindow({ account: accountId.optional().describe('only this account (12 digits)') }),
  build: ({ from, to, account }, context) => sql<InstanceEventRow>`
    select
      eventTime as event_time,
      recipientAccountId as account_id,
      awsRegion as region,
      eventName as action,
      coalesce(element_at(responseElements, 'instanceArn'), element_at(requestParameters, 'instanceArn')) as instance_arn,
      coalesce(element_at(responseElements, 'applicationArn'), element_at(requestParameters, 'applicationArn')) as application_arn,
      userIdentity.arn as actor_arn,
      userIdentity.type as actor_type,
      sourceIPAddress as source_ip,
      userAgent as user_agent,
      errorCode as error_code,
      errorMessage as error_message,
      eventID as event_id
    from ${sql.table('cloudtrail_events')}
    where eventSource = ${SSO_SOURCE}
      and eventName in (${sql.join([...INSTANCE_LIFECYCLE, ...APPLICATION_LIFECYCLE])})
      and eventTime >= ${from} and eventTime < ${to}${dayPartitions(from, to, context)}${accountFilter(account)}
    order by eventTime, eventID`,
});
