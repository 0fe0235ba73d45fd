import { defineTable } from '../../../catalog/table-definition.ts';

/**
 * `security_lake_activity_daily`: the Security Lake signals the dashboard charts, counted per UTC
 * day, account, Region, signal, name and principal: API errors, root user activity, console
 * sign-ins without MFA, rejected VPC flows. One partition per day, `hour='00'`, reloaded when
 * the day's CloudTrail or VPC Flow Logs files change.
 */
export const securityLakeActivityDaily = defineTable({
  name: 'security_lake_activity_daily',
  description:
    'Security Lake signals per UTC day, account, Region, signal (api_error, root_activity, ' +
    'console_sign_in_without_mfa, rejected_flow), name and principal; dt is the day, hour is always 00.',
  columns: [
    { name: 'account_id', type: 'string', comment: 'the account' },
    { name: 'region', type: 'string', comment: 'the Region' },
    {
      name: 'signal',
      type: 'string',
      comment: 'api_error, root_activity, console_sign_in_without_mfa or rejected_flow',
    },
    { name: 'name', type: 'string', comment: 'the error code, the operation, or the destination port' },
    { name: 'principal', type: 'string', comment: 'the caller’s ARN (NULL for flows)' },
    { name: 'events', type: 'bigint', comment: 'events that day' },
  ],
  location: 'curated/security_lake_activity_daily',
  input: { source: 'security-lake-activity' },
  transform: { queryId: 'transforms/security-lake-activity-day' },
  sortKey: ['signal', 'account_id', 'region', 'name', 'principal'],
});
