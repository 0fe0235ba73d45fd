import { type CollectedRelation, rawColumnType } from '../collected-relation.ts';

/**
 * The collected IAM Identity Center inventory: a daily snapshot the collector writes under a root
 * folder (locally `<dataDir>/raw/identity-center`, on AWS `s3://bucket/prefix/raw/identity-center/`),
 * one NDJSON file per relation and UTC day, in the folder of that day's first hour:
 * `instances/dt=YYYY-MM-DD/hour=00/instances.json`, `users/…/users.json`,
 * `applications/…/applications.json`, `application-assignments/…/application-assignments.json`.
 *
 * A snapshot is daily, but its files sit in the day's `hour=00` folder so that the planner, the
 * ledger, the partition writes and the Athena partition switch treat a day like any hour: the
 * snapshot tables are `dt`/`hour` partitioned with `hour='00'` only (see tables/). A later
 * collection on the same day replaces the day's files, only when their bytes change.
 */

declare module '../../catalog/table-definition.ts' {
  /** The raw source names Identity Center's tables read: the collector's daily snapshot files. */
  interface RawSourceNames {
    'identity-center-instances': true;
    'identity-center-users': true;
    'identity-center-applications': true;
    'identity-center-application-assignments': true;
  }
}

/** The raw sources the Identity Center tables read: the collector's daily snapshot files. */
export type IdentityCenterCollectedSource =
  | 'identity-center-instances'
  | 'identity-center-users'
  | 'identity-center-applications'
  | 'identity-center-application-assignments';

/** A collected Identity Center relation: one kind of daily snapshot. */
export type IdentityCenterRelation = CollectedRelation<IdentityCenterCollectedSource>;

/** `instance_type` of an organization instance (owned by the organization's management account). */
export const ORGANIZATION_INSTANCE = 'ORGANIZATION';
/** `instance_type` of an account instance (owned by any other account). */
export const ACCOUNT_INSTANCE = 'ACCOUNT';

const where = [
  { name: 'account_id', type: 'string', comment: 'the account whose ListInstances returned the instance' },
  { name: 'region', type: 'string', comment: 'the Region of the instance' },
] as const;

export const IDENTITY_CENTER_INSTANCES: IdentityCenterRelation = {
  source: 'identity-center-instances',
  relation: 'identity_center_instances_collected',
  folder: 'instances',
  fileName: 'instances.json',
  key: ['instance_arn'],
  columns: [
    ...where,
    { name: 'instance_arn', type: 'string', comment: 'arn:aws:sso:::instance/ssoins-…' },
    { name: 'identity_store_id', type: 'string', comment: 'the identity store of the instance (d-…)' },
    { name: 'owner_account_id', type: 'string', comment: 'the account that owns the instance' },
    {
      name: 'instance_type',
      type: 'string',
      comment:
        'ORGANIZATION (owned by the management account) or ACCOUNT; null when the organization is unknown',
    },
    { name: 'organization_id', type: 'string', comment: 'the organization of the accounts listed (o-…)' },
    { name: 'name', type: 'string', comment: 'the instance name' },
    {
      name: 'status',
      type: 'string',
      comment: 'ACTIVE, CREATE_IN_PROGRESS, CREATE_FAILED or DELETE_IN_PROGRESS',
    },
    { name: 'status_reason', type: 'string', comment: 'why the instance is in its status' },
    { name: 'created_date', type: 'timestamp', comment: 'when the instance was created, UTC' },
    { name: 'primary_region', type: 'string', comment: 'the primary Region of a multi-Region instance' },
    {
      name: 'permission_sets_enabled',
      type: 'boolean',
      comment: 'DescribeInstance: whether permission sets can be used (organization instances)',
    },
    {
      name: 'encryption_key_type',
      type: 'string',
      comment: 'DescribeInstance: AWS_OWNED_KMS_KEY or CUSTOMER_MANAGED_KEY',
    },
  ],
};

const ofInstance = [
  { name: 'instance_arn', type: 'string', comment: 'the Identity Center instance' },
  { name: 'identity_store_id', type: 'string', comment: 'its identity store (d-…)' },
  { name: 'account_id', type: 'string', comment: 'the account the instance was listed from' },
  { name: 'region', type: 'string', comment: 'the Region of the instance' },
] as const;

export const IDENTITY_CENTER_USERS: IdentityCenterRelation = {
  source: 'identity-center-users',
  relation: 'identity_center_users_collected',
  folder: 'users',
  fileName: 'users.json',
  key: ['identity_store_id', 'user_id'],
  columns: [
    ...ofInstance,
    { name: 'user_id', type: 'string', comment: 'the user id in the identity store' },
    { name: 'user_name', type: 'string', comment: 'the user name (unique in its identity store)' },
    { name: 'display_name', type: 'string', comment: 'the display name' },
    { name: 'user_status', type: 'string', comment: 'ENABLED or DISABLED' },
    {
      name: 'emails',
      type: 'array<string>',
      comment:
        'the e-mail addresses, trimmed and lower-cased, primary first, each once; keyed hashes when identityCenter.hashEmails',
    },
    {
      name: 'primary_email',
      type: 'string',
      comment: 'the primary (else the first) of emails; null without one',
    },
    { name: 'email_count', type: 'int', comment: 'how many e-mail addresses (0: none)' },
    { name: 'emails_hashed', type: 'boolean', comment: 'true when emails hold keyed hashes, not addresses' },
    { name: 'created_at', type: 'timestamp', comment: 'when the user was created, UTC' },
    { name: 'updated_at', type: 'timestamp', comment: 'when the user was last updated, UTC' },
  ],
};

export const IDENTITY_CENTER_APPLICATIONS: IdentityCenterRelation = {
  source: 'identity-center-applications',
  relation: 'identity_center_applications_collected',
  folder: 'applications',
  fileName: 'applications.json',
  key: ['application_arn'],
  columns: [
    ...ofInstance,
    { name: 'application_arn', type: 'string', comment: 'arn:aws:sso::<account>:application/ssoins-…/apl-…' },
    { name: 'application_account', type: 'string', comment: 'the account the application is in' },
    { name: 'name', type: 'string', comment: 'the application name' },
    { name: 'description', type: 'string', comment: 'its description' },
    { name: 'status', type: 'string', comment: 'ENABLED or DISABLED' },
    { name: 'application_provider_arn', type: 'string', comment: 'arn:aws:sso::aws:applicationProvider/…' },
    { name: 'visibility', type: 'string', comment: 'portal visibility: ENABLED or DISABLED' },
    { name: 'sign_in_origin', type: 'string', comment: 'IDENTITY_CENTER or APPLICATION' },
    { name: 'created_date', type: 'timestamp', comment: 'when the application was created, UTC' },
    { name: 'created_from', type: 'string', comment: 'the Region it was created from' },
  ],
};

export const IDENTITY_CENTER_APPLICATION_ASSIGNMENTS: IdentityCenterRelation = {
  source: 'identity-center-application-assignments',
  relation: 'identity_center_application_assignments_collected',
  folder: 'application-assignments',
  fileName: 'application-assignments.json',
  key: ['application_arn', 'principal_type', 'principal_id'],
  columns: [
    ...ofInstance,
    { name: 'application_arn', type: 'string', comment: 'the application' },
    { name: 'principal_type', type: 'string', comment: 'USER or GROUP' },
    { name: 'principal_id', type: 'string', comment: 'the user or group id in the identity store' },
  ],
};

export const IDENTITY_CENTER_RELATIONS: readonly IdentityCenterRelation[] = [
  IDENTITY_CENTER_INSTANCES,
  IDENTITY_CENTER_USERS,
  IDENTITY_CENTER_APPLICATIONS,
  IDENTITY_CENTER_APPLICATION_ASSIGNMENTS,
];

/**
 * The collected relation a raw source name stands for.
 *
 * @example
 * ```ts
 * identityCenterRelation('identity-center-users').relation // 'identity_center_users_collected'
 * ```
 */
export function identityCenterRelation(source: IdentityCenterCollectedSource): IdentityCenterRelation {
  const found = IDENTITY_CENTER_RELATIONS.find((r) => r.source === source);
  if (!found) throw new Error(`unknown Identity Center source "${source}"`);
  return found;
}

/** Whether a raw source name is one of the collected Identity Center sources. */
export function isIdentityCenterSource(source: string): source is IdentityCenterCollectedSource {
  return IDENTITY_CENTER_RELATIONS.some((r) => r.source === source);
}

export { rawColumnType };

/**
 * The UTC day of a snapshot taken at `t`, `YYYY-MM-DD`.
 *
 * @example
 * ```ts
 * snapshotDay(new Date('2026-11-27T13:05:00Z')) // '2026-11-27'
 * ```
 */
export function snapshotDay(t: Date): string {
  return t.toISOString().slice(0, 10);
}

/**
 * The store key of a relation's file for the snapshot of `day`: in the folder of the day's first hour.
 *
 * @example
 * ```ts
 * snapshotKey(IDENTITY_CENTER_USERS, '2026-11-27') // 'users/dt=2026-11-27/hour=00/users.json'
 * ```
 */
export function snapshotKey(relation: IdentityCenterRelation, day: string): string {
  return `${relation.folder}/dt=${day}/hour=00/${relation.fileName}`;
}
