import { defineTable } from '../../../catalog/table-definition.ts';
import { IDENTITY_CENTER_INSTANCES } from '../schema.ts';

/**
 * `identity_center_instances`: the IAM Identity Center instances of every account and Region read, one row per instance ARN. One daily snapshot per `dt`, in the partition `hour='00'` of
 * its day (see ../schema.ts): a day's reload replaces that partition, as an hour's does.
 */
export const identityCenterInstances = defineTable({
  name: 'identity_center_instances',
  description:
    'IAM Identity Center instances (sso-admin ListInstances and DescribeInstance) in every account and Region read, one row per instance, a daily snapshot: dt is the UTC day of the collection, hour is always 00.',
  columns: IDENTITY_CENTER_INSTANCES.columns,
  location: 'curated/identity_center_instances',
  input: { source: IDENTITY_CENTER_INSTANCES.source },
  transform: { queryId: 'transforms/identity-center-instances-day' },
  sortKey: ['instance_arn'],
});
