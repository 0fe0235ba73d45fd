/**
 * Security Hub findings for the Security Lake sample: control findings (Security Hub's
 * Foundational Best Practices), GuardDuty detections and Inspector vulnerabilities, per account
 * and Region, each sent again on every update, as Security Hub does: when it is first seen, once
 * a day while it lasts (the same state, `last_seen_time` moving on), when its workflow changes
 * to NOTIFIED, and when it is resolved (RESOLVED, compliance PASSED, record ARCHIVED). The plan
 * is a pure function of the seed, the accounts and the window.
 */
import { Random } from '../../sample-random.ts';
import type { Placed } from './ocsf-from-cloudtrail.ts';

type Json = Record<string, unknown>;

export type FindingKind = 'control' | 'detection' | 'vulnerability';

interface Template {
  readonly kind: FindingKind;
  readonly id: string;
  readonly title: string;
  readonly severity: 'Low' | 'Medium' | 'High' | 'Critical';
  readonly resourceType: string;
}

const TEMPLATES: readonly Template[] = [
  {
    kind: 'control',
    id: 'EC2.19',
    title: 'Security groups should not allow unrestricted access to ports with high risk',
    severity: 'Critical',
    resourceType: 'AwsEc2SecurityGroup',
  },
  {
    kind: 'control',
    id: 'S3.1',
    title: 'S3 general purpose buckets should have block public access settings enabled',
    severity: 'Medium',
    resourceType: 'AwsAccount',
  },
  {
    kind: 'control',
    id: 'S3.8',
    title: 'S3 general purpose buckets should block public access',
    severity: 'High',
    resourceType: 'AwsS3Bucket',
  },
  {
    kind: 'control',
    id: 'IAM.6',
    title: 'Hardware MFA should be enabled for the root user',
    severity: 'Critical',
    resourceType: 'AwsAccount',
  },
  {
    kind: 'control',
    id: 'IAM.1',
    title: 'IAM policies should not allow full "*" administrative privileges',
    severity: 'High',
    resourceType: 'AwsIamPolicy',
  },
  {
    kind: 'control',
    id: 'CloudTrail.1',
    title: 'CloudTrail should be enabled and configured with at least one multi-Region trail',
    severity: 'High',
    resourceType: 'AwsAccount',
  },
  {
    kind: 'control',
    id: 'EC2.2',
    title: 'VPC default security groups should not allow inbound or outbound traffic',
    severity: 'High',
    resourceType: 'AwsEc2SecurityGroup',
  },
  {
    kind: 'control',
    id: 'KMS.4',
    title: 'AWS KMS key rotation should be enabled',
    severity: 'Medium',
    resourceType: 'AwsKmsKey',
  },
  {
    kind: 'control',
    id: 'Lambda.1',
    title: 'Lambda function policies should prohibit public access',
    severity: 'Critical',
    resourceType: 'AwsLambdaFunction',
  },
  {
    kind: 'control',
    id: 'EC2.8',
    title: 'EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)',
    severity: 'High',
    resourceType: 'AwsEc2Instance',
  },
  {
    kind: 'control',
    id: 'SSM.1',
    title: 'EC2 instances should be managed by AWS Systems Manager',
    severity: 'Medium',
    resourceType: 'AwsEc2Instance',
  },
  {
    kind: 'control',
    id: 'Config.1',
    title: 'AWS Config should be enabled and use the service-linked role for resource recording',
    severity: 'Medium',
    resourceType: 'AwsAccount',
  },
  {
    kind: 'detection',
    id: 'Recon:EC2/PortProbeUnprotectedPort',
    title: 'Unprotected port on EC2 instance is being probed',
    severity: 'Low',
    resourceType: 'AwsEc2Instance',
  },
  {
    kind: 'detection',
    id: 'UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B',
    title: 'Unusual console login seen from a new location',
    severity: 'Medium',
    resourceType: 'AwsIamUser',
  },
  {
    kind: 'detection',
    id: 'CryptoCurrency:EC2/BitcoinTool.B!DNS',
    title: 'EC2 instance is querying a domain name associated with Bitcoin activity',
    severity: 'High',
    resourceType: 'AwsEc2Instance',
  },
  {
    kind: 'vulnerability',
    id: 'CVE-2024-3094',
    title: 'CVE-2024-3094 - xz-utils',
    severity: 'Critical',
    resourceType: 'AwsEc2Instance',
  },
  {
    kind: 'vulnerability',
    id: 'CVE-2023-44487',
    title: 'CVE-2023-44487 - nghttp2',
    severity: 'High',
    resourceType: 'AwsEcrContainerImage',
  },
];

const SEVERITY_ID = { Informational: 1, Low: 2, Medium: 3, High: 4, Critical: 5 } as const;
const DAY = 86_400_000;
const STANDARD = 'aws-foundational-security-best-practices/v/1.0.0';

/** One finding's life: when it starts, is notified and is resolved (epoch ms; null when not in the window). */
export interface PlannedFinding {
  readonly uid: string;
  readonly template: Template;
  readonly accountId: string;
  readonly region: string;
  readonly resourceUid: string;
  readonly firstSeen: number;
  readonly notifiedAt: number | null;
  readonly resolvedAt: number | null;
}

/** One update of a finding: the state Security Hub sends at `time`. */
export interface FindingUpdate {
  readonly finding: PlannedFinding;
  readonly time: number;
  readonly workflow: 'New' | 'In Progress' | 'Resolved';
  readonly recordState: 'ACTIVE' | 'ARCHIVED';
  readonly compliance: 'FAILED' | 'PASSED' | null;
  readonly activity: 1 | 2 | 3;
}

/**
 * The findings of the window: per account and Region, a few findings open since before it and new
 * ones arising during it; some are notified, some resolved.
 */
export function planFindings(
  seed: number,
  accounts: readonly string[],
  regions: readonly string[],
  from: number,
  to: number,
): PlannedFinding[] {
  const out: PlannedFinding[] = [];
  for (const accountId of accounts) {
    for (const region of regions) {
      const rng = new Random(seed, 'security-lake-findings', accountId, region);
      const count = rng.int(4, 9) + Math.round((to - from) / (4 * DAY));
      for (let i = 0; i < count; i++) {
        const template = rng.pick(TEMPLATES);
        const old = rng.chance(0.4);
        const firstSeen = old ? from - rng.int(1, 40) * 3_600_000 * 6 : rng.int(from, to - 60_000);
        const span = rng.int(6, 24 * 20) * 3_600_000;
        const notifiedAt = rng.chance(0.5) ? firstSeen + Math.floor(span / 3) : null;
        const resolvedAt = rng.chance(0.45) ? firstSeen + span : null;
        const resourceUid = resourceOf(template, accountId, region, rng);
        out.push({
          uid: findingUid(template, accountId, region, rng),
          template,
          accountId,
          region,
          resourceUid,
          firstSeen: Math.floor(firstSeen / 1000) * 1000,
          notifiedAt: notifiedAt === null ? null : Math.floor(notifiedAt / 1000) * 1000,
          resolvedAt: resolvedAt === null ? null : Math.floor(resolvedAt / 1000) * 1000,
        });
      }
    }
  }
  return out;
}

function findingUid(t: Template, account: string, region: string, rng: Random): string {
  if (t.kind === 'control')
    return `arn:aws:securityhub:${region}:${account}:subscription/${STANDARD}/${t.id}/finding/${rng.uuid()}`;
  if (t.kind === 'detection')
    return `arn:aws:guardduty:${region}:${account}:detector/${rng.hex(32)}/finding/${rng.hex(32)}`;
  return `arn:aws:inspector2:${region}:${account}:finding/${rng.hex(32)}`;
}

function resourceOf(t: Template, account: string, region: string, rng: Random): string {
  switch (t.resourceType) {
    case 'AwsEc2SecurityGroup':
      return `arn:aws:ec2:${region}:${account}:security-group/sg-${rng.hex(17)}`;
    case 'AwsEc2Instance':
      return `arn:aws:ec2:${region}:${account}:instance/i-${rng.hex(17)}`;
    case 'AwsS3Bucket':
      return `arn:aws:s3:::lakeq-sample-${account}-${rng.lowerAlnum(6)}`;
    case 'AwsIamPolicy':
      return `arn:aws:iam::${account}:policy/sample-admin-${rng.lowerAlnum(5)}`;
    case 'AwsIamUser':
      return `arn:aws:iam::${account}:user/sample-user-${rng.lowerAlnum(4)}`;
    case 'AwsKmsKey':
      return `arn:aws:kms:${region}:${account}:key/${rng.uuid()}`;
    case 'AwsLambdaFunction':
      return `arn:aws:lambda:${region}:${account}:function:sample-${rng.lowerAlnum(6)}`;
    case 'AwsEcrContainerImage':
      return `arn:aws:ecr:${region}:${account}:repository/sample/sha256:${rng.hex(64)}`;
    default:
      return `AWS::::Account:${account}`;
  }
}

/** Every record Security Hub sends of the findings within `[from, to)`, by time. */
export function findingUpdates(
  findings: readonly PlannedFinding[],
  from: number,
  to: number,
): FindingUpdate[] {
  const out: FindingUpdate[] = [];
  for (const f of findings) {
    const control = f.template.kind === 'control';
    const push = (time: number, activity: 1 | 2 | 3) => {
      if (time < from || time >= to) return;
      const resolved = f.resolvedAt !== null && time >= f.resolvedAt;
      const notified = f.notifiedAt !== null && time >= f.notifiedAt;
      out.push({
        finding: f,
        time,
        workflow: resolved ? 'Resolved' : notified ? 'In Progress' : 'New',
        recordState: resolved ? 'ARCHIVED' : 'ACTIVE',
        compliance: control ? (resolved ? 'PASSED' : 'FAILED') : null,
        activity,
      });
    };
    push(f.firstSeen, 1);
    const end = f.resolvedAt ?? to;
    for (let t = f.firstSeen + DAY; t < end; t += DAY) push(t, 2);
    if (f.notifiedAt !== null && f.notifiedAt < end) push(f.notifiedAt, 2);
    if (f.resolvedAt !== null) push(f.resolvedAt, 3);
  }
  return out.sort((a, b) => a.time - b.time || (a.finding.uid < b.finding.uid ? -1 : 1));
}

const PRODUCTS = {
  control: { name: 'Security Hub', uid: (r: string) => `arn:aws:securityhub:${r}::product/aws/securityhub` },
  detection: { name: 'GuardDuty', uid: (r: string) => `arn:aws:securityhub:${r}::product/aws/guardduty` },
  vulnerability: { name: 'Inspector', uid: (r: string) => `arn:aws:securityhub:${r}::product/aws/inspector` },
};

const remediationUrl = (t: Template) =>
  t.kind === 'control'
    ? `https://docs.aws.amazon.com/console/securityhub/${t.id}/remediation`
    : t.kind === 'detection'
      ? 'https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_remediate.html'
      : `https://nvd.nist.gov/vuln/detail/${t.id}`;

const WORKFLOW = { New: 'NEW', 'In Progress': 'NOTIFIED', Resolved: 'RESOLVED' } as const;
const ACTIVITY = { 1: 'Create', 2: 'Update', 3: 'Close' } as const;

/**
 * An update as Security Lake writes it: Security Finding 2001 in version 1; Compliance 2003,
 * Detection 2004 or Vulnerability 2002 in version 2.
 */
export function ocsfFinding(u: FindingUpdate, version: 1 | 2): Placed {
  const { finding: f, time } = u;
  const t = f.template;
  const product = PRODUCTS[t.kind];
  const severityId = SEVERITY_ID[t.severity];
  const unmapped: Record<string, string> = {
    RecordState: u.recordState,
    WorkflowState: WORKFLOW[u.workflow],
  };
  if (t.kind === 'control') {
    unmapped['ProductFields.ControlId'] = t.id;
    unmapped['ProductFields.StandardsArn'] = `arn:aws:securityhub:::standards/${STANDARD}`;
  }
  const resources = [{ type: t.resourceType, uid: f.resourceUid, cloud_partition: 'aws', region: f.region }];
  const types =
    t.kind === 'control'
      ? [
          'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices',
        ]
      : t.kind === 'detection'
        ? [`TTPs/${t.id.split(':')[0]}`]
        : ['Software and Configuration Checks/Vulnerabilities/CVE'];
  const desc = `${t.title} (${t.id}).`;
  if (version === 1) {
    const record: Json = {
      metadata: {
        product: {
          version: '2018-10-08',
          name: product.name,
          vendor_name: 'AWS',
          uid: product.uid(f.region),
          feature: { name: product.name, uid: t.id },
        },
        profiles: ['cloud'],
        version: '1.0.0-rc.2',
      },
      time,
      cloud: { account_uid: f.accountId, region: f.region, provider: 'AWS' },
      resources,
      finding: {
        uid: f.uid,
        title: t.title,
        desc,
        created_time: f.firstSeen,
        modified_time: time,
        first_seen_time: f.firstSeen,
        last_seen_time: time,
        types,
        remediation: { desc: `See ${remediationUrl(t)}`, kb_articles: [remediationUrl(t)] },
      },
      compliance:
        u.compliance === null
          ? null
          : { status: u.compliance, requirements: [`AWS Foundational Security Best Practices ${t.id}`] },
      class_name: 'Security Finding',
      class_uid: 2001,
      category_name: 'Findings',
      category_uid: 2,
      severity_id: severityId,
      severity: t.severity,
      activity_id: u.activity,
      activity_name: ACTIVITY[u.activity],
      type_uid: 200100 + u.activity,
      type_name: `Security Finding: ${ACTIVITY[u.activity]}`,
      state_id: u.workflow === 'New' ? 1 : u.workflow === 'In Progress' ? 2 : 4,
      state: u.workflow,
      unmapped,
    };
    return { time, accountId: f.accountId, region: f.region, record };
  }
  const classUid = t.kind === 'control' ? 2003 : t.kind === 'detection' ? 2004 : 2002;
  const className = { 2002: 'Vulnerability Finding', 2003: 'Compliance Finding', 2004: 'Detection Finding' }[
    classUid
  ];
  const record: Json = {
    metadata: {
      product: {
        version: '2018-10-08',
        name: product.name,
        vendor_name: 'AWS',
        uid: product.uid(f.region),
        feature: { name: product.name, uid: t.id },
      },
      profiles: ['cloud', 'datetime'],
      version: '1.1.0',
    },
    time,
    time_dt: new Date(time).toISOString(),
    cloud: { account: { uid: f.accountId }, region: f.region, provider: 'AWS' },
    resources: resources.map((r) => ({ ...r, owner: { account: { uid: f.accountId } } })),
    finding_info: {
      uid: f.uid,
      title: t.title,
      desc,
      types,
      created_time: f.firstSeen,
      modified_time: time,
      first_seen_time: f.firstSeen,
      last_seen_time: time,
      product_uid: product.uid(f.region),
    },
    compliance:
      t.kind === 'control'
        ? {
            control: t.id,
            status: u.compliance,
            standards: [`standards/${STANDARD}`],
            requirements: [`AWS Foundational Security Best Practices ${t.id}`],
          }
        : null,
    remediation: { desc: `See ${remediationUrl(t)}`, references: [remediationUrl(t)] },
    vulnerabilities:
      t.kind === 'vulnerability'
        ? [{ title: t.title, severity: t.severity, vendor_name: 'Amazon Inspector', cve: { uid: t.id } }]
        : null,
    class_name: className,
    class_uid: classUid,
    category_name: 'Findings',
    category_uid: 2,
    severity_id: severityId,
    severity: t.severity,
    activity_id: u.activity,
    activity_name: ACTIVITY[u.activity],
    type_uid: classUid * 100 + u.activity,
    type_name: `${className}: ${ACTIVITY[u.activity]}`,
    status: u.workflow,
    status_id: u.workflow === 'New' ? 1 : u.workflow === 'In Progress' ? 2 : 4,
    unmapped,
  };
  return { time, accountId: f.accountId, region: f.region, record };
}
