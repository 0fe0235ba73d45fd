import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery } from '../../src/query/define-query.ts';
import { snapshotDayParam, snapshotOf } from './inventory-sql.ts';

export interface ApplicationAssignmentRow {
  account_id: string | null;
  instance_arn: string;
  application_arn: string;
  application_name: string | null;
  /** USER or GROUP */
  principal_type: string;
  principal_id: string;
  /** The user's name in its identity store; null for a group or a user the snapshot does not have. */
  user_name: string | null;
  /** The user's primary e-mail (a keyed hash with identityCenter.hashEmails). */
  primary_email: string | null;
  snapshot_day: string;
}

/** The third table of AWS's blog post on multiple Identity Center instances: who is assigned to which application. */
export default defineQuery({
  id: 'identity-center/application-assignments',
  version: '1.0.0',
  title: 'Identity Center application assignments',
  description:
    'Every user and group assigned to an application of an IAM Identity Center instance in a snapshot (default the ' +
    'latest): account, instance, application ARN and name, principal type and id, and for a user its name and ' +
    'primary e-mail.',
  example: {},
  engines: ['duckdb', 'athena'],
  params: z.object({ day: snapshotDayParam }).strict(),
  build: ({ day }) => sql<ApplicationAssignmentRow>`
    select s.account_id, s.instance_arn, s.application_arn, a.name as application_name, s.principal_type,
      s.principal_id, u.user_name, u.primary_email, s.dt as snapshot_day
    from ${sql.table('identity_center_application_assignments')} s
    left join (
      select application_arn, name from ${sql.table('identity_center_applications')} where dt = ${snapshotOf(day)}
    ) a on a.application_arn = s.application_arn
    left join (
      select identity_store_id, user_id, user_name, primary_email
      from ${sql.table('identity_center_users')}
      where dt = ${snapshotOf(day)}
    ) u on s.principal_type = 'USER' and u.identity_store_id = s.identity_store_id and u.user_id = s.principal_id
    where s.dt = ${snapshotOf(day)}
    order by s.account_id, s.instance_arn, a.name, s.application_arn, s.principal_type, u.user_name, s.principal_id`,
});
