import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { timeWindow } from '../../src/query/param-types.ts';
import { dayPartitions } from '../cloudtrail/cloudtrail-sql.ts';
import { INSTANCE_LIFECYCLE, SSO_SOURCE } from './identity-center-sql.ts';
import { snapshotDayParam, snapshotOf } from './inventory-sql.ts';

export interface InventoryVsChurnRow {
  /**
   * `in_trail_not_in_snapshot`: created or deleted in the trail's window, absent from the snapshot;
   * `in_snapshot_not_created_in_trail`: in the snapshot, with no CreateInstance in the window.
   */
  finding: string;
  instance_arn: string;
  account_id: string | null;
  region: string | null;
  /** The trail's successful CreateInstance, UTC ISO time (null when the window has none). */
  created_in_trail: string | null;
  /** The trail's successful DeleteInstance (null when the window has none). */
  deleted_in_trail: string | null;
  /** Who created it, in the trail. */
  created_by: string | null;
  /** CreatedDate of the snapshot's instance. */
  snapshot_created_date: string | null;
  /** ORGANIZATION or ACCOUNT, from the snapshot. */
  instance_type: string | null;
  /** Why, in words: deleted in the trail; not deleted (missing from the inventory); created before the window… */
  note: string;
  snapshot_day: string;
}

/**
 * The churn that CloudTrail saw beside the inventory that the APIs answered: what neither shows
 * alone. An instance created and deleted between two snapshots is only in the trail; an instance
 * created before the trail's window (or where the trail does not look) is only in the snapshot.
 */
export default defineQuery({
  id: 'identity-center/inventory-vs-churn',
  version: '1.0.0',
  title: 'Identity Center inventory against CloudTrail churn',
  description:
    'Instances created or deleted by successful CreateInstance / DeleteInstance calls in [from, to) that are absent ' +
    'from a snapshot (default the latest), and instances of the snapshot with no CreateInstance in [from, to), ' +
    'each with what the trail and the snapshot say and a note on why.',
  example: { from: '2026-11-01', to: '2026-11-08' },
  engines: ['duckdb', 'athena'],
  params: timeWindow({ day: snapshotDayParam }),
  build: ({ from, to, day }, context) => sql<InventoryVsChurnRow>`
    with trail as (
      select instance_arn,
        min(recipientAccountId) as account_id,
        min(awsRegion) as region,
        min(case when eventName = 'CreateInstance' then eventTime end) as created_in_trail,
        max(case when eventName = 'DeleteInstance' then eventTime end) as deleted_in_trail,
        max(case when eventName = 'CreateInstance' then actor_arn end) as created_by
      from (
        select eventName, eventTime, recipientAccountId, awsRegion, userIdentity.arn as actor_arn,
          case when eventName = 'CreateInstance' then element_at(responseElements, 'instanceArn')
            else element_at(requestParameters, 'instanceArn') end as instance_arn
        from ${sql.table('cloudtrail_events')}
        where eventSource = ${SSO_SOURCE}
          and eventName in (${sql.join(INSTANCE_LIFECYCLE)})
          and errorCode is null
          and eventTime >= ${from} and eventTime < ${to}${dayPartitions(from, to, context)}
      ) e
      where instance_arn is not null
      group by instance_arn
    ),
    snapshot as (
      select * from ${sql.table('identity_center_instances')} where dt = ${snapshotOf(day)}
    )
    select finding, instance_arn, account_id, region, created_in_trail, deleted_in_trail, created_by,
      snapshot_created_date, instance_type, note, snapshot_day
    from (
      select 'in_trail_not_in_snapshot' as finding, t.instance_arn, t.account_id, t.region,
        t.created_in_trail, t.deleted_in_trail, t.created_by,
        cast(null as timestamp) as snapshot_created_date, cast(null as varchar) as instance_type,
        case when t.deleted_in_trail is not null then 'deleted in the trail'
          else 'not deleted in the trail, yet not in the inventory' end as note,
        (select max(dt) from snapshot) as snapshot_day
      from trail t
      left join snapshot s on s.instance_arn = t.instance_arn
      where s.instance_arn is null
      union all
      select 'in_snapshot_not_created_in_trail' as finding, s.instance_arn, s.owner_account_id as account_id, s.region,
        cast(null as timestamp) as created_in_trail, t.deleted_in_trail, cast(null as varchar) as created_by,
        s.created_date as snapshot_created_date, s.instance_type,
        case when s.created_date < ${from} then 'created before the window'
          when s.created_date >= ${to} then 'created after the window'
          else 'created in the window, but the trail has no CreateInstance' end as note,
        s.dt as snapshot_day
      from snapshot s
      left join trail t on t.instance_arn = s.instance_arn
      where t.created_in_trail is null
    ) r
    order by finding, account_id, instance_arn`,
});
