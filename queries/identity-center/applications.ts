import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery } from '../../src/query/define-query.ts';
import { snapshotDayParam, snapshotOf } from './inventory-sql.ts';

export interface ApplicationRow {
  instance_arn: string;
  /** ORGANIZATION or ACCOUNT. */
  instance_type: string | null;
  account_id: string | null;
  region: string;
  application_arn: string;
  name: string | null;
  status: string | null;
  application_provider_arn: string | null;
  visibility: string | null;
  /** UTC ISO time. */
  created_date: string | null;
  assigned_users: number;
  assigned_groups: number;
  snapshot_day: string;
}

/** The applications of every Identity Center instance, with how many users and groups are assigned. */
export default defineQuery({
  id: 'identity-center/applications',
  version: '1.0.0',
  title: 'Identity Center applications',
  description:
    'The applications of every IAM Identity Center instance of a snapshot (default the latest): instance, its type, ' +
    'account, Region, application ARN, name, status, provider, portal visibility, creation time, and the users and ' +
    'groups assigned to it.',
  example: {},
  engines: ['duckdb', 'athena'],
  params: z.object({ day: snapshotDayParam }).strict(),
  build: ({ day }) => sql<ApplicationRow>`
    select a.instance_arn, i.instance_type, a.account_id, a.region, a.application_arn, a.name, a.status,
      a.application_provider_arn, a.visibility, a.created_date,
      coalesce(s.users, 0) as assigned_users,
      coalesce(s.groups, 0) as assigned_groups,
      a.dt as snapshot_day
    from ${sql.table('identity_center_applications')} a
    left join (
      select instance_arn, instance_type from ${sql.table('identity_center_instances')} where dt = ${snapshotOf(day)}
    ) i on i.instance_arn = a.instance_arn
    left join (
      select application_arn,
        count_if(principal_type = 'USER') as users,
        count_if(principal_type = 'GROUP') as groups
      from ${sql.table('identity_center_application_assignments')}
      where dt = ${snapshotOf(day)}
      group by application_arn
    ) s on s.application_arn = a.application_arn
    where a.dt = ${snapshotOf(day)}
    order by a.account_id, a.instance_arn, a.name, a.application_arn`,
});
