import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery } from '../../src/query/define-query.ts';
import { joined, snapshotDayParam, snapshotOf } from './inventory-sql.ts';

export interface DuplicateUserRow {
  /** `duplicate`: an e-mail in more than one identity store; `no_email`: a user without any, listed apart. */
  kind: string;
  /** Lower-cased (a keyed hash with identityCenter.hashEmails); null for `no_email`. */
  email: string | null;
  /** Identity stores (instances) the e-mail is in. */
  identity_stores: number;
  /** Users with the e-mail (more than identity_stores when one store has it twice). */
  users: number;
  /** Comma-separated, sorted. */
  identity_store_ids: string;
  instance_arns: string;
  account_ids: string;
  user_names: string;
  snapshot_day: string;
}

/**
 * The second table of AWS's blog post on multiple IAM Identity Center instances: the people who
 * exist in more than one instance, matched by e-mail address (any of a user's addresses, compared
 * lower-cased), and apart from them the users without an e-mail address, which no match can find.
 */
export default defineQuery({
  id: 'identity-center/duplicate-users',
  version: '1.0.0',
  title: 'Identity Center users in more than one instance',
  description:
    'E-mail addresses found in more than one identity store of a snapshot (default the latest), with the identity ' +
    "stores, instances, accounts and user names that have them; any of a user's addresses counts, compared " +
    'lower-cased (or as keyed hashes). Users without an e-mail address follow, one row each (kind no_email).',
  example: {},
  engines: ['duckdb', 'athena'],
  params: z.object({ day: snapshotDayParam }).strict(),
  build: ({ day }) => sql<DuplicateUserRow>`
    with snapshot_users as (
      select * from ${sql.table('identity_center_users')} where dt = ${snapshotOf(day)}
    ),
    addresses as (
      select distinct u.identity_store_id, u.instance_arn, u.account_id, coalesce(u.user_name, u.user_id) as user_name,
        u.user_id, e.email, u.dt
      from snapshot_users u
      cross join unnest(u.emails) as e(email)
    )
    select kind, email, identity_stores, users, identity_store_ids, instance_arns, account_ids, user_names, snapshot_day
    from (
      select 'duplicate' as kind, email,
        count(distinct identity_store_id) as identity_stores,
        count(distinct identity_store_id || '/' || user_id) as users,
        ${joined(sql`identity_store_id`)} as identity_store_ids,
        ${joined(sql`instance_arn`)} as instance_arns,
        ${joined(sql`coalesce(account_id, '')`)} as account_ids,
        ${joined(sql`user_name`)} as user_names,
        max(dt) as snapshot_day
      from addresses
      group by email
      having count(distinct identity_store_id) > 1
      union all
      select 'no_email' as kind, cast(null as varchar) as email, 1 as identity_stores, 1 as users,
        identity_store_id as identity_store_ids, instance_arn as instance_arns, coalesce(account_id, '') as account_ids,
        coalesce(user_name, user_id) as user_names, dt as snapshot_day
      from snapshot_users
      where email_count = 0
    ) r
    order by kind, identity_stores desc, email, identity_store_ids, user_names`,
});
