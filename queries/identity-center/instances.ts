import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery } from '../../src/query/define-query.ts';
import { snapshotDayParam, snapshotOf } from './inventory-sql.ts';

export interface InstanceRow {
  /** The account whose ListInstances returned the instance. */
  account_id: string | null;
  identity_store_id: string | null;
  instance_arn: string;
  owner_account_id: string | null;
  /** ORGANIZATION or ACCOUNT; null when the organization could not be read. */
  instance_type: string | null;
  status: string | null;
  /** UTC ISO time. */
  created_date: string | null;
  region: string;
  name: string | null;
  /** Users in its identity store. */
  users: number;
  applications: number;
  /** The snapshot day read. */
  snapshot_day: string;
}

/**
 * The first table of AWS's blog post "How to use multiple instances of AWS IAM Identity Center":
 * every instance in the organization's accounts, organization or account instance, from a snapshot.
 */
export default defineQuery({
  id: 'identity-center/instances',
  version: '1.0.0',
  title: 'Identity Center instances (inventory)',
  description:
    'Every IAM Identity Center instance of a snapshot (default the latest): the account it was found in, identity ' +
    'store id, instance ARN, owner account, organization or account instance, status, creation time, Region and ' +
    'name, with how many users and applications it has. Organization instance first, then by account.',
  example: {},
  // The snapshot tables are lakeq's: CloudTrail Lake does not have them.
  engines: ['duckdb', 'athena'],
  params: z.object({ day: snapshotDayParam }).strict(),
  build: ({ day }) => sql<InstanceRow>`
    select i.account_id, i.identity_store_id, i.instance_arn, i.owner_account_id, i.instance_type, i.status,
      i.created_date, i.region, i.name,
      coalesce(u.users, 0) as users,
      coalesce(a.applications, 0) as applications,
      i.dt as snapshot_day
    from ${sql.table('identity_center_instances')} i
    left join (
      select instance_arn, count(*) as users
      from ${sql.table('identity_center_users')}
      where dt = ${snapshotOf(day)}
      group by instance_arn
    ) u on u.instance_arn = i.instance_arn
    left join (
      select instance_arn, count(*) as applications
      from ${sql.table('identity_center_applications')}
      where dt = ${snapshotOf(day)}
      group by instance_arn
    ) a on a.instance_arn = i.instance_arn
    where i.dt = ${snapshotOf(day)}
    order by case when i.instance_type = 'ORGANIZATION' then 0 else 1 end, i.owner_account_id, i.region, i.instance_arn`,
});
