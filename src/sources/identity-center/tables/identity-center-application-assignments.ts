import { defineTable } from '../../../catalog/table-definition.ts';
import { IDENTITY_CENTER_APPLICATION_ASSIGNMENTS } from '../schema.ts';

/**
 * `identity_center_application_assignments`: who is assigned to each application, one row per application and principal. One daily snapshot per `dt`, in the partition `hour='00'` of
 * its day (see ../schema.ts): a day's reload replaces that partition, as an hour's does.
 */
export const identityCenterApplicationAssignments = defineTable({
  name: 'identity_center_application_assignments',
  description:
    'IAM Identity Center application assignments (sso-admin ListApplicationAssignments), one row per application and user or group, a daily snapshot: dt is the UTC day of the collection, hour is always 00.',
  columns: IDENTITY_CENTER_APPLICATION_ASSIGNMENTS.columns,
  location: 'curated/identity_center_application_assignments',
  input: { source: IDENTITY_CENTER_APPLICATION_ASSIGNMENTS.source },
  transform: { queryId: 'transforms/identity-center-application-assignments-day' },
  sortKey: ['application_arn', 'principal_type', 'principal_id'],
});
