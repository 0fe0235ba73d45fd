import { type FindingRow, severityFromNormalized } from './findings-row.ts';

/**
 * The part of an AWS Security Finding Format (ASFF) finding the report reads, as GetFindings
 * returns it (and as the SDK types it, times as strings).
 */
export interface AsffFinding {
  readonly Id?: string | undefined;
  readonly ProductArn?: string | undefined;
  readonly ProductName?: string | undefined;
  readonly CompanyName?: string | undefined;
  readonly Region?: string | undefined;
  readonly AwsAccountId?: string | undefined;
  readonly Title?: string | undefined;
  readonly FirstObservedAt?: string | undefined;
  readonly LastObservedAt?: string | undefined;
  readonly CreatedAt?: string | undefined;
  readonly UpdatedAt?: string | undefined;
  readonly Severity?:
    | { readonly Label?: string | undefined; readonly Normalized?: number | undefined }
    | undefined;
  readonly Remediation?: { readonly Recommendation?: { readonly Url?: string | undefined } | undefined };
  readonly ProductFields?: Readonly<Record<string, string>> | undefined;
  readonly Resources?: readonly { readonly Type?: string | undefined; readonly Id?: string | undefined }[];
  readonly Compliance?: {
    readonly Status?: string | undefined;
    readonly SecurityControlId?: string | undefined;
  };
  readonly Workflow?: { readonly Status?: string | undefined } | undefined;
  readonly WorkflowState?: string | undefined;
  readonly RecordState?: string | undefined;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** An ASFF time as ISO 8601 UTC; a text that is not a time is kept as it is. */
const time = (v: unknown): string | null => {
  const s = str(v);
  if (s === null) return null;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? s : new Date(ms).toISOString();
};

/** `arn:aws:securityhub:eu-west-1::product/aws/guardduty` → `guardduty`. */
const productOfArn = (arn: string | undefined) => /:product\/[^/]+\/([^/]+)$/.exec(arn ?? '')?.[1] ?? null;
/** The Region in a finding's or a product's ARN. */
const regionOfArn = (arn: string | undefined) =>
  /^arn:[\w-]+:[\w-]+:([a-z0-9-]+):/.exec(arn ?? '')?.[1] ?? null;

/**
 * The report row of an ASFF finding. Where ASFF has a field in two places the newer one wins:
 * `Workflow.Status` over the deprecated `WorkflowState`, `Compliance.SecurityControlId` (the
 * consolidated control id) over `ProductFields.ControlId`, the finding's `Region` over the
 * Region in its ARN; the severity's label over its normalized score. The first resource is the
 * finding's resource, as the console shows it.
 *
 * @example
 * ```ts
 * findingRowFromAsff({ Id: 'arn:aws:securityhub:eu-west-1:123456789012:subscription/…', AwsAccountId: '123456789012',
 *   Title: 'EC2.8 …', Severity: { Label: 'HIGH' }, RecordState: 'ACTIVE', Workflow: { Status: 'NEW' } })
 * // { account_id: '123456789012', region: 'eu-west-1', severity: 'HIGH', workflow_status: 'NEW', … }
 * ```
 */
export function findingRowFromAsff(f: AsffFinding): FindingRow {
  const fields = f.ProductFields ?? {};
  const resource = f.Resources?.[0];
  const label = str(f.Severity?.Label)?.toUpperCase() ?? null;
  const normalized = f.Severity?.Normalized;
  return {
    account_id: str(f.AwsAccountId),
    region: str(f.Region) ?? regionOfArn(f.Id) ?? regionOfArn(f.ProductArn),
    product_name:
      str(f.ProductName) ?? str(fields['aws/securityhub/ProductName']) ?? productOfArn(f.ProductArn),
    title: str(f.Title),
    severity: label ?? (typeof normalized === 'number' ? severityFromNormalized(normalized) : null),
    workflow_status: str(f.Workflow?.Status) ?? str(f.WorkflowState),
    record_state: str(f.RecordState),
    compliance_status: str(f.Compliance?.Status),
    control_id: str(f.Compliance?.SecurityControlId) ?? str(fields.ControlId) ?? str(fields.RuleId) ?? null,
    resource_type: str(resource?.Type),
    resource_id: str(resource?.Id),
    first_observed: time(f.FirstObservedAt) ?? time(f.CreatedAt),
    last_observed: time(f.LastObservedAt) ?? time(f.UpdatedAt),
    remediation_url: str(f.Remediation?.Recommendation?.Url) ?? str(fields.RecommendationUrl),
    finding_id: str(f.Id),
  };
}

/**
 * Keeps the latest state of each finding by `UpdatedAt`: a finding is re-sent on every update,
 * so captures and pages can hold it more than once. On a tie an ARCHIVED record wins over an
 * ACTIVE one (archiving ends a finding; one made active again gets a new `UpdatedAt`), else the
 * one seen later.
 *
 * @example
 * ```ts
 * latestFindings([{ Id: 'a', UpdatedAt: '2026-11-01T00:00:00Z', RecordState: 'ACTIVE' },
 *                 { Id: 'a', UpdatedAt: '2026-11-02T00:00:00Z', RecordState: 'ARCHIVED' }])
 * // [{ Id: 'a', UpdatedAt: '2026-11-02T00:00:00Z', RecordState: 'ARCHIVED' }]
 * ```
 */
export function latestFindings<F extends AsffFinding>(findings: Iterable<F>): F[] {
  const byId = new Map<string, F>();
  const anonymous: F[] = [];
  const updated = (f: F) => Date.parse(f.UpdatedAt ?? '') || 0;
  for (const f of findings) {
    if (!f.Id) {
      anonymous.push(f);
      continue;
    }
    const seen = byId.get(f.Id);
    const newer =
      !seen ||
      updated(f) > updated(seen) ||
      (updated(f) === updated(seen) && !(seen.RecordState === 'ARCHIVED' && f.RecordState !== 'ARCHIVED'));
    if (newer) byId.set(f.Id, f);
  }
  return [...byId.values(), ...anonymous];
}
