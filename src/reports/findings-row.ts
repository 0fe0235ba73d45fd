/**
 * One row of the findings report (AWS's blog post "Download AWS Security Hub CSV report", done
 * as part of lakeq): the same columns whatever the source (the Security Hub API, captured
 * GetFindings responses, Security Lake's `ocsf_findings` view).
 */

/** The report's columns, in order. */
export const FINDING_COLUMNS = [
  'account_id',
  'region',
  'product_name',
  'title',
  'severity',
  'workflow_status',
  'record_state',
  'compliance_status',
  'control_id',
  'resource_type',
  'resource_id',
  'first_observed',
  'last_observed',
  'remediation_url',
  'finding_id',
] as const;

export type FindingColumn = (typeof FINDING_COLUMNS)[number];

/**
 * A finding as the report shows it; times are ISO 8601 strings (UTC), absent values null.
 *
 * @example
 * ```ts
 * const row: FindingRow = { account_id: '123456789012', region: 'eu-west-1', product_name: 'Security Hub',
 *   title: 'EC2.8 EC2 instances should use IMDSv2', severity: 'HIGH', workflow_status: 'NEW', record_state: 'ACTIVE',
 *   compliance_status: 'FAILED', control_id: 'EC2.8', resource_type: 'AwsEc2Instance', resource_id: 'arn:aws:ec2:…',
 *   first_observed: '2021-02-04T07:57:13.662Z', last_observed: '2022-03-13T18:33:41.172Z',
 *   remediation_url: 'https://docs.aws.amazon.com/console/securityhub/EC2.8/remediation', finding_id: 'arn:aws:securityhub:…' };
 * ```
 */
export type FindingRow = { [K in FindingColumn]: string | null };

/** Security Hub's severity labels, most severe first. */
export const SEVERITY_LABELS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const;
export type SeverityLabel = (typeof SEVERITY_LABELS)[number];

/**
 * The label of a normalized severity (0–100), as Security Hub documents the ranges.
 *
 * @example
 * ```ts
 * severityFromNormalized(70) // 'HIGH'
 * ```
 */
export function severityFromNormalized(n: number): SeverityLabel {
  if (n >= 90) return 'CRITICAL';
  if (n >= 70) return 'HIGH';
  if (n >= 40) return 'MEDIUM';
  if (n >= 1) return 'LOW';
  return 'INFORMATIONAL';
}

/** The report's order: most severe first, then most recently observed, then by account, Region, title, id. */
export function compareFindingRows(a: FindingRow, b: FindingRow): number {
  const rank = (r: FindingRow) => {
    const i = SEVERITY_LABELS.indexOf((r.severity ?? '') as SeverityLabel);
    return i < 0 ? SEVERITY_LABELS.length : i;
  };
  const text = (x: string | null, y: string | null) => (x ?? '').localeCompare(y ?? '', 'en');
  return (
    rank(a) - rank(b) ||
    text(b.last_observed, a.last_observed) ||
    text(a.account_id, b.account_id) ||
    text(a.region, b.region) ||
    text(a.title, b.title) ||
    text(a.finding_id, b.finding_id)
  );
}
