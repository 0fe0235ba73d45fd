import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery } from '../../src/query/define-query.ts';
import { snapshotDayParam, snapshotOf } from './inventory-sql.ts';

export interface AccountInstanceOutsideAllowlistRow {
  owner_account_id: string;
  instance_arn: string;
  identity_store_id: string | null;
  region: string;
  name: string | null;
  status: string | null;
  /** UTC ISO time. */
  created_date: string | null;
  users: number;
  snapshot_day: string;
}

/** Account ids, comma-separated on the command line: `111122223333,444455556666`. */
const accountList = z
  .union([z.string(), z.array(z.string())])
  .transform((value, ctx) => {
    const ids = (Array.isArray(value) ? value : value.split(','))
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const bad = ids.find((id) => !/^\d{12}$/.test(id));
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `"${bad}" is not an AWS account id (12 digits)` });
      return z.NEVER;
    }
    return [...new Set(ids)].sort();
  })
  .describe(
    'account ids allowed to have an account instance, comma-separated (none: every account instance is listed)',
  );

/**
 * Account instances of IAM Identity Center in accounts that are not allowed to have one: what the
 * blog post's service control policy (deny sso:CreateInstance outside an allowlist) prevents, found
 * after the fact in a snapshot.
 */
export default defineQuery({
  id: 'identity-center/account-instances-outside-allowlist',
  version: '1.0.0',
  title: 'Identity Center account instances outside the allowlist',
  description:
    'The account instances (not the organization instance) of a snapshot (default the latest) whose owner account ' +
    'is not in the allowed list, with Region, name, status, creation time and how many users they have.',
  example: { allowed: '111122223333,444455556666' },
  engines: ['duckdb', 'athena'],
  params: z.object({ allowed: accountList.default([]), day: snapshotDayParam }).strict(),
  build: ({ allowed, day }) => sql<AccountInstanceOutsideAllowlistRow>`
    select i.owner_account_id, i.instance_arn, i.identity_store_id, i.region, i.name, i.status, i.created_date,
      coalesce(u.users, 0) as users, i.dt as snapshot_day
    from ${sql.table('identity_center_instances')} i
    left join (
      select instance_arn, count(*) as users
      from ${sql.table('identity_center_users')}
      where dt = ${snapshotOf(day)}
      group by instance_arn
    ) u on u.instance_arn = i.instance_arn
    where i.dt = ${snapshotOf(day)}
      and i.instance_type = 'ACCOUNT'${
        allowed.length > 0 ? sql`\n      and i.owner_account_id not in (${sql.join(allowed)})` : sql``
      }
    order by i.owner_account_id, i.region, i.instance_arn`,
});
