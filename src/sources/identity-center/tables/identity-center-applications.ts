import { defineTable } from '../../../catalog/table-definition.ts';
import { IDENTITY_CENTER_APPLICATIONS } from '../schema.ts';

/**
 * `identity_center_applications`: the applications of every instance, one row per application ARN. One daily snapshot per `dt`, in the partition `hour='00'` of
 * its day (see ../schema.ts): a day's reload replaces that partition, as an hour's does.
 */
export const identityCenterApplications = defineTable({
  name: 'identity_center_applications',
  description:
    'IAM Identity Center applications (sso-admin ListApplications) of every instance read, one row per application, a daily snapshot: dt is the UTC day of the collection, hour is always 00.',
  columns: IDENTITY_CENTER_APPLICATIONS.columns,
  location: 'curated/identity_center_applications',
  input: { source: IDENTITY_CENTER_APPLICATIONS.source },
  transform: { queryId: 'transforms/identity-center-applications-day' },
  sortKey: ['instance_arn', 'application_arn'],
});
