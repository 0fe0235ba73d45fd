import { defineTable } from '../../../catalog/table-definition.ts';

/**
 * `security_findings_daily`: the latest state of each Security Hub finding per UTC day, from
 * Security Lake's findings of either source version. Security Hub sends a finding again on every
 * update, so counting raw records inflates; this table has one row per finding and day. One
 * partition per day, `hour='00'`, reloaded when the day's Security Lake files change.
 */
export const securityFindingsDaily = defineTable({
  name: 'security_findings_daily',
  description:
    'The latest state of each Security Hub finding per UTC day (Security Lake, source version 1 or 2): one row ' +
    'per finding uid and day; dt is the day, hour is always 00.',
  columns: [
    { name: 'finding_uid', type: 'string', comment: 'the finding id (ARN)' },
    { name: 'account_id', type: 'string', comment: 'the account' },
    { name: 'region', type: 'string', comment: 'the Region' },
    {
      name: 'source_version',
      type: 'string',
      comment: "Security Lake source version of the latest record: '1.0' or '2.0'",
    },
    { name: 'class_uid', type: 'int', comment: 'OCSF class of the latest record' },
    { name: 'product_name', type: 'string', comment: 'the product that found it' },
    { name: 'finding_title', type: 'string', comment: 'its title' },
    { name: 'severity', type: 'string', comment: 'Informational, Low, Medium, High, Critical' },
    { name: 'severity_id', type: 'int', comment: 'OCSF severity id' },
    { name: 'workflow_status', type: 'string', comment: 'NEW, NOTIFIED, SUPPRESSED or RESOLVED' },
    { name: 'record_state', type: 'string', comment: 'ACTIVE or ARCHIVED' },
    { name: 'compliance_status', type: 'string', comment: 'PASSED, FAILED, …' },
    { name: 'control_id', type: 'string', comment: 'the security control' },
    { name: 'resource_type', type: 'string', comment: 'the first resource’s type' },
    { name: 'resource_uid', type: 'string', comment: 'the first resource’s id' },
    { name: 'first_observed', type: 'timestamp', comment: 'first observed, UTC' },
    { name: 'last_observed', type: 'timestamp', comment: 'last observed, UTC' },
    { name: 'remediation_url', type: 'string', comment: 'where the fix is described' },
    { name: 'updated_at', type: 'timestamp', comment: 'time of the latest record of the day' },
    { name: 'updates', type: 'bigint', comment: 'records of the finding that day' },
  ],
  location: 'curated/security_findings_daily',
  input: { source: 'security-lake-findings' },
  transform: { queryId: 'transforms/security-findings-day' },
  sortKey: ['finding_uid'],
});
