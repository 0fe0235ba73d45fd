import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { timeWindow } from '../../src/query/param-types.ts';
import { dayPartitions } from '../cloudtrail/cloudtrail-sql.ts';
import { INSTANCE_LIFECYCLE, SSO_SOURCE } from '../identity-center/identity-center-sql.ts';
import { partitionColumns } from './transform-sql.ts';

/** The load of `identity_center_instance_churn_hourly` from the curated `cloudtrail_events`. */
export default defineQuery({
  id: 'transforms/identity-center-instance-churn-hour',
  version: '1.0.0',
  title: 'Load: Identity Center instance churn per hour',
  description:
    'Successful CreateInstance and DeleteInstance calls of [from, to) per hour, account and Region, from the ' +
    'curated cloudtrail_events table, with the partition keys dt and hour.',
  example: { from: '2026-11-01T00', to: '2026-11-01T01' },
  // A load writes tables: CloudTrail Lake only reads.
  engines: ['duckdb', 'athena'],
  params: timeWindow({}),
  build: ({ from, to }, context) => sql<Record<string, unknown>>`
    select
      recipientAccountId as account_id,
      awsRegion as region,
      count_if(eventName = 'CreateInstance') as created,
      count_if(eventName = 'DeleteInstance') as deleted,
      count_if(eventName = 'CreateInstance') - count_if(eventName = 'DeleteInstance') as net,
      array_join(array_sort(array_agg(distinct userIdentity.arn) filter (where userIdentity.arn is not null)), ',') as actors,
      ${partitionColumns('hour_start')}
    from (
      select *, date_trunc('hour', eventTime) as hour_start
      from ${sql.table('cloudtrail_events')}
      where eventSource = ${SSO_SOURCE}
        and eventName in (${sql.join(INSTANCE_LIFECYCLE)})
        and errorCode is null
        and eventTime >= ${from} and eventTime < ${to}${dayPartitions(from, to, context)}
    ) e
    group by recipientAccountId, awsRegion, hour_start`,
});
