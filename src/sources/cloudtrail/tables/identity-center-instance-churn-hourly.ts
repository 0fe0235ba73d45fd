import { defineTable } from '../../../catalog/table-definition.ts';

/** Identity Center instance churn per hour, account and Region: the dashboards' source. */
export const identityCenterInstanceChurnHourly = defineTable({
  name: 'identity_center_instance_churn_hourly',
  description:
    'Successful IAM Identity Center CreateInstance and DeleteInstance calls per UTC hour, account and Region, ' +
    'with the principals who made them; hour-partitioned by event time.',
  columns: [
    { name: 'account_id', type: 'string', comment: 'the account the calls were recorded in' },
    { name: 'region', type: 'string', comment: 'the Region of the calls' },
    { name: 'created', type: 'bigint', comment: 'successful CreateInstance calls' },
    { name: 'deleted', type: 'bigint', comment: 'successful DeleteInstance calls' },
    { name: 'net', type: 'bigint', comment: 'created minus deleted' },
    { name: 'actors', type: 'string', comment: 'distinct principal ARNs, sorted, comma-separated' },
  ],
  location: 'curated/identity_center_instance_churn_hourly',
  input: { table: 'cloudtrail_events' },
  transform: { queryId: 'transforms/identity-center-instance-churn-hour' },
  sortKey: ['account_id', 'region'],
});
