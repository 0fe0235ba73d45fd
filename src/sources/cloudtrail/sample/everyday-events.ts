/**
 * Everyday CloudTrail management events (everything except the Identity Center instance/application
 * churn): a weighted catalog of API calls over ~20 services, called in sessions by the estate's principals.
 */

import { Random, type Weighted } from '../../sample-random.ts';
import type {
  ActorKind,
  CloudTrailRecord,
  RecordEnvelopeContext,
  RecordParts,
  RegionalResources,
  SampleAccount,
} from './estate.ts';
import {
  browserAgent,
  buildRecord,
  HUMAN_KINDS,
  isoSeconds,
  javaDate,
  notAuthorizedMessage,
  openSession,
  operationOf,
  regionalOf,
} from './estate.ts';

export interface TimedRecord {
  /** eventTime, epoch milliseconds (whole seconds). */
  time: number;
  record: CloudTrailRecord;
}

export interface EventContext extends RecordEnvelopeContext {
  res: RegionalResources;
}

type Body = Omit<RecordParts, 'eventSource' | 'eventName' | 'readOnly'> & {
  /** Resource named in authorization failure messages (not written). */
  arn?: string;
};

interface ErrorChoice {
  code: string;
  message: string;
}

type Scope = 'any' | 'global' | 'home' | 'management-home';

export interface EventTemplate {
  source: string;
  name: string;
  readOnly: boolean;
  weight: number;
  kinds: readonly ActorKind[];
  scope: Scope;
  /** For service-role sessions: which workloads make this call (default: all). */
  workloads?: readonly string[] | undefined;
  cliCommand: string | undefined;
  build: (c: EventContext) => Body;
  error?: ((c: EventContext) => ErrorChoice | null) | undefined;
}

const ADMINS: readonly ActorKind[] = ['iam-user', 'sso-admin', 'saml-role'];
const READERS: readonly ActorKind[] = [...ADMINS, 'sso-readonly', 'federated'];
const AUTOMATION: readonly ActorKind[] = ['service-role', 'ci-role'];
const EVERYONE: readonly ActorKind[] = [...READERS, ...AUTOMATION];
const DEPLOYERS: readonly ActorKind[] = [...ADMINS, 'ci-role'];

const CLI_SERVICE: Record<string, string> = {
  's3.amazonaws.com': 's3api',
  'monitoring.amazonaws.com': 'cloudwatch',
  'sso.amazonaws.com': 'sso-admin',
};

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

interface TemplateOptions {
  scope?: Scope;
  workloads?: readonly string[];
  error?: (c: EventContext) => ErrorChoice | null;
}

function tpl(
  source: string,
  name: string,
  readOnly: boolean,
  weight: number,
  kinds: readonly ActorKind[],
  build: (c: EventContext) => Body = () => ({}),
  options: TemplateOptions = {},
): EventTemplate {
  const cliService = CLI_SERVICE[source] ?? source.replace('.amazonaws.com', '');
  return {
    source,
    name,
    readOnly,
    weight,
    kinds,
    scope: options.scope ?? (source === 'iam.amazonaws.com' ? 'global' : 'any'),
    workloads: options.workloads,
    cliCommand: `${cliService}.${kebab(operationOf(name))}`,
    build,
    error: options.error,
  };
}

/** An error with probability p. */
function sometimes(p: number, code: string, message: string | ((c: EventContext) => string)) {
  return (c: EventContext): ErrorChoice | null =>
    c.rng.chance(p) ? { code, message: typeof message === 'string' ? message : message(c) } : null;
}

// ---------------------------------------------------------------------------------------------------------
// Resource helpers

const arnRegion = (c: EventContext, service: string, rest: string) =>
  `arn:aws:${service}:${c.region}:${c.account.id}:${rest}`;
const kmsKeyId = (c: EventContext) => c.rng.pick(c.res.kmsKeys);
const kmsKeyArn = (c: EventContext, id = kmsKeyId(c)) => arnRegion(c, 'kms', `key/${id}`);
const pickBucket = (c: EventContext) =>
  c.rng.chance(0.15) ? c.res.assetsBucket : c.rng.pick(c.account.buckets);
const functionName = (c: EventContext) =>
  c.session.workload === 'lambda' && c.session.workloadName
    ? c.session.workloadName
    : c.rng.pick(c.account.functions);
const functionArn = (c: EventContext, fn: string) => arnRegion(c, 'lambda', `function:${fn}`);
const jobName = (c: EventContext) =>
  c.session.workload === 'glue' || c.session.workload === 'scheduler'
    ? (c.session.workloadName ?? c.rng.pick(c.account.glueJobs))
    : c.rng.pick(c.account.glueJobs);
const glueTable = (c: EventContext) => {
  const db = c.rng.pick(c.account.glueDatabases);
  return { databaseName: db.name, tableName: c.rng.pick(db.tables) };
};
const secretArn = (c: EventContext) => c.rng.pick(c.account.secrets).replace('{region}', c.region);
const roleArnOf = (c: EventContext) =>
  c.rng.pick([
    c.account.ciRole,
    c.account.ssoAdminRole,
    c.account.configRole,
    ...c.account.crossAccountRoles,
    ...c.account.serviceRoles.map((s) => s.role),
  ]);
const dayPath = (c: EventContext) => isoSeconds(c.time).slice(0, 10).replaceAll('-', '/');
const instanceId = (c: EventContext) =>
  c.session.workload === 'ec2' && c.session.workloadName
    ? c.session.workloadName
    : c.rng.pick(c.res.instances);
const instanceIdOfOrg = (c: EventContext) =>
  c.account.orgInstanceArn.slice(c.account.orgInstanceArn.indexOf('/') + 1);
const permissionSetArn = (c: EventContext) =>
  `arn:aws:sso:::permissionSet/${instanceIdOfOrg(c)}/${c.rng.pick(c.account.permissionSets)}`;
const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';
const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

function s3Body(c: EventContext, bucket: string, params: Record<string, unknown>): Body {
  const arn = `arn:aws:s3:::${bucket}`;
  return {
    requestParameters: { bucketName: bucket, Host: `${bucket}.s3.${c.region}.amazonaws.com`, ...params },
    additionalEventData: {
      SignatureVersion: 'SigV4',
      CipherSuite: 'TLS_AES_128_GCM_SHA256',
      bytesTransferredIn: 0,
      AuthenticationMethod: 'AuthHeader',
      'x-amz-id-2': `${c.rng.alnum(56)}=`,
      bytesTransferredOut: c.rng.int(0, 1800),
    },
    requestID: c.rng.upperHex(16),
    resources: [{ accountId: c.account.id, type: 'AWS::S3::Bucket', ARN: arn }],
    arn,
  };
}

function s3(
  name: string,
  readOnly: boolean,
  weight: number,
  kinds: readonly ActorKind[],
  params: (c: EventContext, bucket: string) => Record<string, unknown> = () => ({}),
  error?: (c: EventContext) => ErrorChoice | null,
): EventTemplate {
  return tpl(
    's3.amazonaws.com',
    name,
    readOnly,
    weight,
    kinds,
    (c) => {
      const bucket = pickBucket(c);
      return s3Body(c, bucket, params(c, bucket));
    },
    error ? { error } : {},
  );
}

function credentials(c: EventContext, seconds = 3600) {
  return {
    accessKeyId: `ASIA${c.rng.upperAlnum(16)}`,
    sessionToken: `IQoJb3JpZ2luX2VjE${c.rng.alnum(96)}`,
    expiration: javaDate(c.time + seconds * 1000),
  };
}

function kmsContext(c: EventContext, via: string | undefined): Record<string, unknown> {
  if (via === 's3.amazonaws.com') {
    return { 'aws:s3:arn': `arn:aws:s3:::${pickBucket(c)}/${dayPath(c)}/part-${c.rng.hex(8)}.parquet` };
  }
  if (via === 'secretsmanager.amazonaws.com')
    return { SecretARN: secretArn(c), SecretVersionId: c.rng.uuid() };
  if (via === 'ssm.amazonaws.com')
    return { PARAMETER_ARN: arnRegion(c, 'ssm', `parameter/app/orders/db-host`) };
  return { 'aws:lambda:FunctionArn': functionArn(c, functionName(c)) };
}

const KMS_VIA = ['s3.amazonaws.com', 'secretsmanager.amazonaws.com', 'ssm.amazonaws.com'];

function kmsCrypto(c: EventContext, extra: Record<string, unknown>): Body {
  const key = kmsKeyArn(c);
  const via = c.session.kind === 'service-role' && c.rng.chance(0.5) ? c.rng.pick(KMS_VIA) : undefined;
  return {
    requestParameters: { ...extra, encryptionContext: kmsContext(c, via), ...(via ? {} : { keyId: key }) },
    resources: [{ accountId: c.account.id, type: 'AWS::KMS::Key', ARN: key }],
    via,
    arn: key,
  };
}

// ---------------------------------------------------------------------------------------------------------
// The catalog

const ec2Describe = (
  name: string,
  weight: number,
  params: Record<string, unknown>,
  extra: ActorKind[] = [],
) =>
  tpl('ec2.amazonaws.com', name, true, weight, [...EVERYONE, 'service-linked', ...extra], () => ({
    requestParameters: params,
  }));

const sso = (
  name: string,
  readOnly: boolean,
  weight: number,
  kinds: readonly ActorKind[],
  build: TemplateBuild,
) => tpl('sso.amazonaws.com', name, readOnly, weight, kinds, build, { scope: 'management-home' });
const identitystore = (name: string, readOnly: boolean, weight: number, build: TemplateBuild) =>
  tpl(
    'identitystore.amazonaws.com',
    name,
    readOnly,
    weight,
    readOnly ? ['sso-admin', 'sso-readonly', 'service-role'] : ['sso-admin', 'service-role'],
    build,
    { scope: 'management-home', workloads: ['lambda'] },
  );
type TemplateBuild = (c: EventContext) => Body;

function orgsError(c: EventContext): ErrorChoice | null {
  if (c.account.organizationId === null) {
    return {
      code: 'AWSOrganizationsNotInUseException',
      message: 'Your account is not a member of an organization.',
    };
  }
  if (!c.account.isManagement) {
    return { code: 'AccessDeniedException', message: "You don't have permissions to access this resource." };
  }
  return null;
}
const orgs = (name: string, weight: number, build: TemplateBuild = () => ({})) =>
  tpl('organizations.amazonaws.com', name, true, weight, [...READERS, 'service-linked'], build, {
    scope: 'global',
    error: orgsError,
  });

const athenaKinds: readonly ActorKind[] = [
  'sso-admin',
  'sso-readonly',
  'saml-role',
  'iam-user',
  'service-role',
];
const QUERIES = [
  "SELECT eventname, count(*) AS calls FROM cloudtrail_logs WHERE timestamp >= '2024/06/01' GROUP BY 1 ORDER BY 2 DESC LIMIT 20",
  'SELECT * FROM orders LIMIT 10',
  'SELECT useridentity.arn, errorcode, count(*) FROM cloudtrail_logs WHERE errorcode IS NOT NULL GROUP BY 1, 2',
  'SELECT job_name, avg(execution_time) FROM glue_job_runs GROUP BY 1',
  'MSCK REPAIR TABLE alb_logs',
  'SHOW PARTITIONS cloudtrail_logs',
];

export const EVERYDAY_TEMPLATES: readonly EventTemplate[] = [
  // --- S3 (bucket-level management events)
  tpl('s3.amazonaws.com', 'ListBuckets', true, 5, [...EVERYONE, 'service-linked'], (c) => ({
    requestParameters: { Host: `s3.${c.region}.amazonaws.com` },
    additionalEventData: {
      SignatureVersion: 'SigV4',
      CipherSuite: 'TLS_AES_128_GCM_SHA256',
      bytesTransferredIn: 0,
      AuthenticationMethod: 'AuthHeader',
      'x-amz-id-2': `${c.rng.alnum(56)}=`,
      bytesTransferredOut: c.rng.int(400, 9000),
    },
    requestID: c.rng.upperHex(16),
  })),
  s3('GetBucketLocation', true, 4, [...EVERYONE, 'service-linked', 'athena-glue', 'aws-account'], () => ({
    location: '',
  })),
  s3(
    'GetBucketPolicy',
    true,
    2.5,
    [...READERS, 'ci-role', 'service-linked'],
    () => ({ policy: '' }),
    sometimes(0.35, 'NoSuchBucketPolicy', 'The bucket policy does not exist'),
  ),
  s3('GetBucketAcl', true, 2.5, [...READERS, 'service-linked', 'aws-account'], () => ({ acl: '' })),
  s3('GetBucketVersioning', true, 1.5, [...READERS, 'ci-role', 'service-linked'], () => ({ versioning: '' })),
  s3(
    'GetBucketEncryption',
    true,
    1.5,
    [...READERS, 'service-linked'],
    () => ({ encryption: '' }),
    sometimes(
      0.05,
      'ServerSideEncryptionConfigurationNotFoundError',
      'The server side encryption configuration was not found',
    ),
  ),
  s3('GetBucketPublicAccessBlock', true, 1.2, [...READERS, 'service-linked'], () => ({
    publicAccessBlock: '',
  })),
  s3(
    'GetBucketTagging',
    true,
    1.2,
    [...READERS, 'ci-role', 'service-linked'],
    () => ({ tagging: '' }),
    sometimes(0.3, 'NoSuchTagSet', 'The TagSet does not exist'),
  ),
  s3(
    'GetBucketLifecycle',
    true,
    0.8,
    [...READERS, 'service-linked'],
    () => ({ lifecycle: '' }),
    sometimes(0.4, 'NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist'),
  ),
  s3('PutBucketPolicy', false, 0.15, DEPLOYERS, (_c, bucket) => ({
    policy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    },
  })),
  s3('PutBucketTagging', false, 0.15, DEPLOYERS, (c) => ({
    tagging: '',
    Tagging: {
      xmlns: XMLNS,
      TagSet: { Tag: [{ Key: 'team', Value: c.rng.pick(['data', 'platform', 'orders']) }] },
    },
  })),
  tpl('s3.amazonaws.com', 'CreateBucket', false, 0.05, DEPLOYERS, (c) => {
    const bucket = `${c.account.alias}-scratch-${c.rng.hex(8)}`;
    const config =
      c.region === 'us-east-1'
        ? {}
        : { CreateBucketConfiguration: { LocationConstraint: c.region, xmlns: XMLNS } };
    return s3Body(c, bucket, config);
  }),
  s3(
    'DeleteBucket',
    false,
    0.03,
    ADMINS,
    () => ({}),
    sometimes(0.3, 'BucketNotEmpty', 'The bucket you tried to delete is not empty'),
  ),

  // --- EC2
  ec2Describe('DescribeInstances', 6, { instancesSet: {}, filterSet: {} }, ['aws-account']),
  tpl('ec2.amazonaws.com', 'DescribeSecurityGroups', true, 2.5, [...EVERYONE, 'service-linked'], (c) => ({
    requestParameters: {
      securityGroupSet: {},
      securityGroupIdSet: {},
      filterSet: { items: [{ name: 'vpc-id', valueSet: { items: [{ value: c.res.vpcId }] } }] },
    },
  })),
  ec2Describe('DescribeVpcs', 1.5, { vpcSet: {}, filterSet: {} }),
  ec2Describe('DescribeSubnets', 1.5, { subnetSet: {}, filterSet: {} }),
  ec2Describe('DescribeVolumes', 1.2, { volumeSet: {}, filterSet: {} }),
  ec2Describe('DescribeRegions', 1, { regionSet: {}, allRegions: false }),
  ec2Describe('DescribeNetworkInterfaces', 1, { networkInterfaceIdSet: {}, filterSet: {} }),
  ec2Describe('DescribeImages', 0.8, {
    executableBySet: {},
    imagesSet: {},
    ownersSet: { items: [{ owner: 'self' }] },
    filterSet: {},
  }),
  tpl('ec2.amazonaws.com', 'DescribeInstanceStatus', true, 1, [...READERS, 'service-role'], (c) => ({
    requestParameters: {
      instancesSet: { items: [{ instanceId: instanceId(c) }] },
      filterSet: {},
      includeAllInstances: false,
    },
  })),
  tpl('ec2.amazonaws.com', 'RunInstances', false, 0.1, DEPLOYERS, (c) => {
    const id = `i-0${c.rng.hex(16)}`;
    const type = c.rng.pick(['t3.micro', 'm6i.large', 'c7g.xlarge']);
    return {
      requestParameters: {
        instancesSet: { items: [{ imageId: c.res.amiId, minCount: 1, maxCount: 1 }] },
        instanceType: type,
        blockDeviceMapping: {},
        monitoring: { enabled: false },
        disableApiTermination: false,
        disableApiStop: false,
        clientToken: c.rng.uuid(),
        subnetId: c.rng.pick(c.res.subnets),
      },
      responseElements: {
        requestId: c.rng.uuid(),
        reservationId: `r-0${c.rng.hex(16)}`,
        ownerId: c.account.id,
        groupSet: {},
        instancesSet: {
          items: [
            {
              instanceId: id,
              imageId: c.res.amiId,
              currentInstanceBootMode: 'legacy-bios',
              instanceState: { code: 0, name: 'pending' },
              privateDnsName: `ip-10-0-${c.rng.int(0, 255)}-${c.rng.int(1, 254)}.ec2.internal`,
              amiLaunchIndex: 0,
              productCodes: {},
              instanceType: type,
              launchTime: c.time,
              placement: { availabilityZone: `${c.region}a`, tenancy: 'default' },
              monitoring: { state: 'disabled' },
              subnetId: c.rng.pick(c.res.subnets),
              vpcId: c.res.vpcId,
              stateReason: { code: 'pending', message: 'pending' },
              architecture: 'x86_64',
              rootDeviceType: 'ebs',
              rootDeviceName: '/dev/xvda',
              virtualizationType: 'hvm',
            },
          ],
        },
      },
      resources: undefined,
      arn: arnRegion(c, 'ec2', 'instance/*'),
    };
  }),
  ...(['StartInstances', 'StopInstances'] as const).map((name) =>
    tpl(
      'ec2.amazonaws.com',
      name,
      false,
      0.15,
      DEPLOYERS,
      (c) => {
        const id = instanceId(c);
        const [from, to] =
          name === 'StartInstances'
            ? [
                { code: 80, name: 'stopped' },
                { code: 0, name: 'pending' },
              ]
            : [
                { code: 16, name: 'running' },
                { code: 64, name: 'stopping' },
              ];
        return {
          requestParameters: {
            instancesSet: { items: [{ instanceId: id }] },
            ...(name === 'StopInstances' ? { force: false } : {}),
          },
          responseElements: {
            requestId: c.rng.uuid(),
            instancesSet: { items: [{ instanceId: id, currentState: to, previousState: from }] },
          },
          arn: arnRegion(c, 'ec2', `instance/${id}`),
        };
      },
      {
        error: sometimes(
          0.08,
          'Client.IncorrectInstanceState',
          (c) =>
            `The instance '${instanceId(c)}' is not in a state from which it can be ${name === 'StartInstances' ? 'started' : 'stopped'}.`,
        ),
      },
    ),
  ),
  tpl('ec2.amazonaws.com', 'CreateTags', false, 0.3, DEPLOYERS, (c) => ({
    requestParameters: {
      resourcesSet: { items: [{ resourceId: instanceId(c) }] },
      tagSet: { items: [{ key: 'Owner', value: c.rng.pick(['platform', 'data', 'orders']) }] },
    },
    responseElements: { requestId: c.rng.uuid(), _return: true },
  })),
  tpl('ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', false, 0.05, DEPLOYERS, (c) => {
    const groupId = c.rng.pick(c.res.securityGroups);
    return {
      requestParameters: {
        groupId,
        ipPermissions: {
          items: [
            {
              ipProtocol: 'tcp',
              fromPort: 443,
              toPort: 443,
              groups: {},
              ipRanges: { items: [{ cidrIp: '10.0.0.0/16' }] },
              ipv6Ranges: {},
              prefixListIds: {},
            },
          ],
        },
      },
      responseElements: {
        requestId: c.rng.uuid(),
        _return: true,
        securityGroupRuleSet: {
          items: [
            {
              groupOwnerId: c.account.id,
              groupId,
              securityGroupRuleId: `sgr-0${c.rng.hex(16)}`,
              isEgress: false,
              ipProtocol: 'tcp',
              fromPort: 443,
              toPort: 443,
              cidrIpv4: '10.0.0.0/16',
            },
          ],
        },
      },
    };
  }),

  // --- IAM (global: logged in us-east-1)
  tpl(
    'iam.amazonaws.com',
    'GetRole',
    true,
    2,
    [...EVERYONE, 'service-linked'],
    (c) => {
      const role = roleArnOf(c);
      return { requestParameters: { roleName: role.name }, arn: role.arn };
    },
    { error: sometimes(0.04, 'NoSuchEntityException', 'The role with name deploy-legacy cannot be found.') },
  ),
  tpl('iam.amazonaws.com', 'ListRoles', true, 1, [...READERS, 'ci-role', 'service-linked']),
  tpl(
    'iam.amazonaws.com',
    'ListAttachedRolePolicies',
    true,
    1,
    [...READERS, 'ci-role', 'service-linked'],
    (c) => ({
      requestParameters: { roleName: roleArnOf(c).name },
    }),
  ),
  tpl('iam.amazonaws.com', 'ListRolePolicies', true, 0.6, [...READERS, 'ci-role', 'service-linked'], (c) => ({
    requestParameters: { roleName: roleArnOf(c).name },
  })),
  tpl('iam.amazonaws.com', 'GetPolicyVersion', true, 0.6, [...READERS, 'service-linked'], (c) => ({
    requestParameters: {
      policyArn: c.rng.pick([
        'arn:aws:iam::aws:policy/ReadOnlyAccess',
        `arn:aws:iam::${c.account.id}:policy/data-lake-read`,
        `arn:aws:iam::${c.account.id}:policy/deploy-boundary`,
      ]),
      versionId: `v${c.rng.int(1, 6)}`,
    },
  })),
  tpl('iam.amazonaws.com', 'ListPolicies', true, 0.4, READERS, () => ({
    requestParameters: { scope: 'Local', onlyAttached: false },
  })),
  tpl('iam.amazonaws.com', 'GetUser', true, 0.6, [...READERS, 'service-linked'], (c) => ({
    requestParameters: { userName: c.rng.pick(c.account.iamUsers).userName },
  })),
  tpl('iam.amazonaws.com', 'ListUsers', true, 0.5, [...READERS, 'service-linked']),
  tpl('iam.amazonaws.com', 'ListAccessKeys', true, 0.5, [...READERS, 'service-linked'], (c) => ({
    requestParameters: { userName: c.rng.pick(c.account.iamUsers).userName },
  })),
  tpl('iam.amazonaws.com', 'ListMFADevices', true, 0.3, READERS, (c) => ({
    requestParameters: { userName: c.rng.pick(c.account.iamUsers).userName },
  })),
  tpl('iam.amazonaws.com', 'GetAccountSummary', true, 0.3, [...READERS, 'root']),
  tpl(
    'iam.amazonaws.com',
    'GetAccountPasswordPolicy',
    true,
    0.3,
    [...READERS, 'service-linked', 'root'],
    () => ({}),
    {
      error: sometimes(
        0.3,
        'NoSuchEntityException',
        'The Password Policy with domain name <account> cannot be found.',
      ),
    },
  ),
  tpl('iam.amazonaws.com', 'CreateRole', false, 0.05, DEPLOYERS, (c) => {
    const roleName = `${c.rng.pick(['etl', 'reporting', 'ingest', 'orders'])}-${c.rng.lowerAlnum(6)}-role`;
    const roleId = `AROA${c.rng.upperAlnum(17)}`;
    const doc =
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}';
    return {
      requestParameters: { roleName, path: '/', assumeRolePolicyDocument: doc },
      responseElements: {
        role: {
          path: '/',
          roleName,
          roleId,
          arn: `arn:aws:iam::${c.account.id}:role/${roleName}`,
          createDate: javaDate(c.time),
          assumeRolePolicyDocument: encodeURIComponent(doc),
        },
      },
    };
  }),
  tpl('iam.amazonaws.com', 'AttachRolePolicy', false, 0.05, DEPLOYERS, (c) => ({
    requestParameters: {
      roleName: roleArnOf(c).name,
      policyArn: c.rng.pick([
        'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        `arn:aws:iam::${c.account.id}:policy/data-lake-read`,
      ]),
    },
  })),
  tpl('iam.amazonaws.com', 'PutRolePolicy', false, 0.05, DEPLOYERS, (c) => ({
    requestParameters: {
      roleName: roleArnOf(c).name,
      policyName: 'inline-s3-access',
      policyDocument:
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"*"}]}',
    },
  })),
  tpl('iam.amazonaws.com', 'TagRole', false, 0.05, DEPLOYERS, (c) => ({
    requestParameters: {
      roleName: roleArnOf(c).name,
      tags: [{ key: 'CostCenter', value: String(c.rng.int(1000, 9999)) }],
    },
  })),
  tpl('iam.amazonaws.com', 'CreateAccessKey', false, 0.015, [...ADMINS, 'root'], (c) => {
    const user = c.rng.pick(c.account.iamUsers);
    return {
      requestParameters: { userName: user.userName },
      responseElements: {
        accessKey: {
          accessKeyId: `AKIA${c.rng.upperAlnum(16)}`,
          status: 'Active',
          userName: user.userName,
          createDate: javaDate(c.time),
        },
      },
    };
  }),
  tpl(
    'iam.amazonaws.com',
    'DeleteRole',
    false,
    0.02,
    DEPLOYERS,
    (c) => ({ requestParameters: { roleName: roleArnOf(c).name } }),
    {
      error: sometimes(
        0.3,
        'DeleteConflictException',
        'Cannot delete entity, must detach all policies first.',
      ),
    },
  ),
  tpl('iam.amazonaws.com', 'CreatePolicyVersion', false, 0.03, DEPLOYERS, (c) => ({
    requestParameters: {
      policyArn: `arn:aws:iam::${c.account.id}:policy/data-lake-read`,
      policyDocument:
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"}]}',
      setAsDefault: true,
    },
    responseElements: {
      policyVersion: {
        versionId: `v${c.rng.int(2, 5)}`,
        isDefaultVersion: true,
        createDate: javaDate(c.time),
      },
    },
  })),

  // --- STS
  tpl('sts.amazonaws.com', 'GetCallerIdentity', true, 3, [...EVERYONE, 'aws-account']),
  tpl(
    'sts.amazonaws.com',
    'AssumeRole',
    true,
    3,
    ['aws-service', 'service-role', 'sso-admin', 'ci-role', 'aws-account', 'iam-user'],
    (c) => {
      const { account, session, rng } = c;
      let role = rng.pick(account.crossAccountRoles);
      let sessionName = rng.pick(['audit', 'deploy', `botocore-session-${rng.digits(10)}`]);
      if (session.kind === 'aws-service') {
        const invokedBy = session.principalArn;
        const service = invokedBy.startsWith('lambda')
          ? 'lambda'
          : invokedBy.startsWith('glue')
            ? 'glue'
            : invokedBy.startsWith('ec2')
              ? 'ec2'
              : 'scheduler';
        const sr = rng.pick(account.serviceRoles.filter((s) => s.service === service));
        role = sr.role;
        sessionName = service === 'glue' ? 'GlueJobRunnerSession' : sr.workload;
        if (service === 'scheduler') sessionName = rng.hex(32);
      }
      return {
        requestParameters: {
          roleArn: role.arn,
          roleSessionName: sessionName,
          ...(session.kind === 'aws-service' ? {} : { durationSeconds: 3600 }),
        },
        responseElements: {
          credentials: credentials(c),
          assumedRoleUser: {
            assumedRoleId: `${role.id}:${sessionName}`,
            arn: `arn:aws:sts::${account.id}:assumed-role/${role.name}/${sessionName}`,
          },
        },
        resources: [{ accountId: account.id, type: 'AWS::IAM::Role', ARN: role.arn }],
        sharedEventID: session.kind === 'aws-service' || session.kind === 'aws-account',
        arn: role.arn,
      };
    },
  ),
  tpl('sts.amazonaws.com', 'GetSessionToken', true, 0.2, ['iam-user'], (c) => ({
    requestParameters: { durationSeconds: 43200 },
    responseElements: { credentials: credentials(c, 43200) },
  })),

  // --- KMS
  tpl(
    'kms.amazonaws.com',
    'Decrypt',
    true,
    8,
    ['service-role', 'aws-account', 'sso-admin', 'sso-readonly', 'ci-role', 'iam-user'],
    (c) => kmsCrypto(c, { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }),
  ),
  tpl(
    'kms.amazonaws.com',
    'GenerateDataKey',
    true,
    4,
    ['service-role', 'sso-admin', 'ci-role', 'iam-user'],
    (c) => kmsCrypto(c, { keySpec: 'AES_256' }),
  ),
  tpl('kms.amazonaws.com', 'Encrypt', true, 0.8, ['service-role', 'ci-role', 'iam-user'], (c) =>
    kmsCrypto(c, { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }),
  ),
  tpl(
    'kms.amazonaws.com',
    'DescribeKey',
    true,
    1.2,
    [...READERS, 'ci-role', 'service-linked', 'service-role'],
    (c) => {
      const key = kmsKeyArn(c);
      return {
        requestParameters: { keyId: key },
        resources: [{ accountId: c.account.id, type: 'AWS::KMS::Key', ARN: key }],
        arn: key,
      };
    },
  ),
  tpl('kms.amazonaws.com', 'ListAliases', true, 0.6, [...READERS, 'service-linked']),
  tpl('kms.amazonaws.com', 'ListKeys', true, 0.4, [...READERS, 'service-linked']),
  tpl('kms.amazonaws.com', 'GetKeyRotationStatus', true, 0.4, [...READERS, 'service-linked'], (c) => {
    const key = kmsKeyArn(c);
    return {
      requestParameters: { keyId: key },
      resources: [{ accountId: c.account.id, type: 'AWS::KMS::Key', ARN: key }],
    };
  }),
  tpl('kms.amazonaws.com', 'GetKeyPolicy', true, 0.4, [...READERS, 'service-linked'], (c) => {
    const key = kmsKeyArn(c);
    return {
      requestParameters: { keyId: key, policyName: 'default' },
      resources: [{ accountId: c.account.id, type: 'AWS::KMS::Key', ARN: key }],
    };
  }),
  tpl('kms.amazonaws.com', 'CreateKey', false, 0.02, DEPLOYERS, (c) => {
    const keyId = c.rng.uuid();
    return {
      requestParameters: {
        keySpec: 'SYMMETRIC_DEFAULT',
        keyUsage: 'ENCRYPT_DECRYPT',
        description: 'data lake key',
        origin: 'AWS_KMS',
        multiRegion: false,
        bypassPolicyLockoutSafetyCheck: false,
      },
      responseElements: {
        keyMetadata: {
          aWSAccountId: c.account.id,
          keyId,
          arn: kmsKeyArn(c, keyId),
          creationDate: javaDate(c.time),
          enabled: true,
          description: 'data lake key',
          keyUsage: 'ENCRYPT_DECRYPT',
          keyState: 'Enabled',
          origin: 'AWS_KMS',
          keyManager: 'CUSTOMER',
          customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
          keySpec: 'SYMMETRIC_DEFAULT',
          encryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
          multiRegion: false,
        },
      },
      resources: [{ accountId: c.account.id, type: 'AWS::KMS::Key', ARN: kmsKeyArn(c, keyId) }],
    };
  }),
  tpl('kms.amazonaws.com', 'ScheduleKeyDeletion', false, 0.005, ADMINS, (c) => {
    const key = kmsKeyArn(c);
    return {
      requestParameters: { keyId: key, pendingWindowInDays: 30 },
      responseElements: {
        keyId: key,
        deletionDate: javaDate(c.time + 30 * 86_400_000),
        keyState: 'PendingDeletion',
        pendingWindowInDays: 30,
      },
      resources: [{ accountId: c.account.id, type: 'AWS::KMS::Key', ARN: key }],
      arn: key,
    };
  }),
  tpl('kms.amazonaws.com', 'RotateKey', false, 1, ['service-event'], (c) => {
    const keyId = kmsKeyId(c);
    return {
      eventType: 'AwsServiceEvent',
      requestID: null,
      resources: [{ accountId: c.account.id, type: 'AWS::KMS::Key', ARN: kmsKeyArn(c, keyId) }],
      serviceEventDetails: { keyId },
    };
  }),

  // --- Lambda
  tpl('lambda.amazonaws.com', 'ListFunctions20150331', true, 1.2, [...READERS, 'ci-role', 'service-linked']),
  tpl(
    'lambda.amazonaws.com',
    'GetFunction20150331v2',
    true,
    1,
    [...READERS, 'ci-role'],
    (c) => {
      const fn = functionName(c);
      return { requestParameters: { functionName: fn }, arn: functionArn(c, fn) };
    },
    {
      error: sometimes(
        0.03,
        'ResourceNotFoundException',
        (c) => `Function not found: ${functionArn(c, 'orders-api-v1')}`,
      ),
    },
  ),
  tpl(
    'lambda.amazonaws.com',
    'GetFunctionConfiguration20150331v2',
    true,
    0.8,
    [...READERS, 'ci-role', 'service-linked'],
    (c) => {
      const fn = functionName(c);
      return { requestParameters: { functionName: fn }, arn: functionArn(c, fn) };
    },
  ),
  tpl(
    'lambda.amazonaws.com',
    'GetPolicy20150331v2',
    true,
    0.4,
    [...READERS, 'service-linked'],
    (c) => ({ requestParameters: { functionName: functionName(c) } }),
    { error: sometimes(0.35, 'ResourceNotFoundException', 'The resource you requested does not exist.') },
  ),
  tpl('lambda.amazonaws.com', 'ListEventSourceMappings20150331', true, 0.3, [...READERS, 'ci-role'], (c) => ({
    requestParameters: { functionName: functionName(c) },
  })),
  tpl('lambda.amazonaws.com', 'GetAccountSettings20160819', true, 0.3, READERS),
  tpl('lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', false, 0.2, DEPLOYERS, (c) => {
    const fn = functionName(c);
    const role = c.account.serviceRoles.find((s) => s.workload === fn)?.role.arn ?? c.account.ciRole.arn;
    return {
      requestParameters: { functionName: fn, publish: false, dryRun: false },
      responseElements: {
        functionName: fn,
        functionArn: functionArn(c, fn),
        runtime: 'nodejs20.x',
        role,
        handler: 'index.handler',
        codeSize: c.rng.int(2_000, 9_000_000),
        description: '',
        timeout: 30,
        memorySize: 512,
        lastModified: `${isoSeconds(c.time).slice(0, 19)}.000+0000`,
        codeSha256: `${c.rng.alnum(43)}=`,
        version: '$LATEST',
        tracingConfig: { mode: 'PassThrough' },
        revisionId: c.rng.uuid(),
        state: 'Active',
        lastUpdateStatus: 'InProgress',
        lastUpdateStatusReason: 'The function is being created.',
        lastUpdateStatusReasonCode: 'Creating',
        packageType: 'Zip',
        architectures: ['arm64'],
        ephemeralStorage: { size: 512 },
      },
      arn: functionArn(c, fn),
    };
  }),
  tpl('lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', false, 0.1, DEPLOYERS, (c) => {
    const fn = functionName(c);
    return {
      requestParameters: { functionName: fn, timeout: c.rng.pick([30, 60, 300]), environment: {} },
      responseElements: {
        functionName: fn,
        functionArn: functionArn(c, fn),
        runtime: 'python3.12',
        lastModified: `${isoSeconds(c.time).slice(0, 19)}.000+0000`,
        version: '$LATEST',
        revisionId: c.rng.uuid(),
        state: 'Active',
        lastUpdateStatus: 'InProgress',
      },
      arn: functionArn(c, fn),
    };
  }),
  tpl('lambda.amazonaws.com', 'AddPermission20150331v2', false, 0.03, DEPLOYERS, (c) => {
    const fn = functionName(c);
    const statementId = `events-${c.rng.hex(8)}`;
    const sourceArn = arnRegion(c, 'events', `rule/${fn}-schedule`);
    return {
      requestParameters: {
        functionName: fn,
        statementId,
        action: 'lambda:InvokeFunction',
        principal: 'events.amazonaws.com',
        sourceArn,
      },
      responseElements: {
        statement: JSON.stringify({
          Sid: statementId,
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'lambda:InvokeFunction',
          Resource: functionArn(c, fn),
          Condition: { ArnLike: { 'AWS:SourceArn': sourceArn } },
        }),
      },
    };
  }),

  // --- Glue
  tpl(
    'glue.amazonaws.com',
    'GetTable',
    true,
    4,
    ['athena-glue', 'service-role', ...READERS],
    (c) => {
      const t = glueTable(c);
      return { requestParameters: { databaseName: t.databaseName, name: t.tableName } };
    },
    { error: sometimes(0.03, 'EntityNotFoundException', 'Table events_v2 not found.') },
  ),
  tpl('glue.amazonaws.com', 'GetTables', true, 1, ['athena-glue', ...READERS], (c) => ({
    requestParameters: { databaseName: glueTable(c).databaseName },
  })),
  tpl('glue.amazonaws.com', 'GetDatabase', true, 1.5, ['athena-glue', 'service-role', ...READERS], (c) => ({
    requestParameters: { name: glueTable(c).databaseName },
  })),
  tpl('glue.amazonaws.com', 'GetDatabases', true, 0.8, ['athena-glue', ...READERS]),
  tpl('glue.amazonaws.com', 'GetPartitions', true, 2, ['athena-glue', 'service-role'], (c) => {
    const t = glueTable(c);
    return {
      requestParameters: {
        databaseName: t.databaseName,
        tableName: t.tableName,
        expression: `dt = '${isoSeconds(c.time).slice(0, 10)}'`,
        excludeColumnSchema: true,
      },
    };
  }),
  tpl('glue.amazonaws.com', 'GetPartition', true, 0.8, ['athena-glue', 'service-role'], (c) => {
    const t = glueTable(c);
    return {
      requestParameters: {
        databaseName: t.databaseName,
        tableName: t.tableName,
        partitionValues: [isoSeconds(c.time).slice(0, 10), isoSeconds(c.time).slice(11, 13)],
      },
    };
  }),
  tpl(
    'glue.amazonaws.com',
    'BatchCreatePartition',
    false,
    0.5,
    ['service-role'],
    (c) => {
      const t = glueTable(c);
      const dt = isoSeconds(c.time).slice(0, 10);
      const hour = isoSeconds(c.time).slice(11, 13);
      return {
        requestParameters: {
          catalogId: c.account.id,
          databaseName: t.databaseName,
          tableName: t.tableName,
          partitionInputList: [
            {
              values: [dt, hour],
              storageDescriptor: {
                location: `s3://${c.account.buckets[0]}/${t.tableName}/dt=${dt}/hour=${hour}/`,
                inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
                outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
              },
            },
          ],
        },
        responseElements: { errors: [] },
      };
    },
    { workloads: ['lambda', 'glue'] },
  ),
  tpl(
    'glue.amazonaws.com',
    'StartJobRun',
    false,
    0.6,
    ['service-role', 'ci-role', ...ADMINS],
    (c) => ({
      requestParameters: { jobName: jobName(c) },
      responseElements: { jobRunId: `jr_${c.rng.hex(64)}` },
    }),
    {
      workloads: ['scheduler', 'lambda'],
      error: sometimes(
        0.04,
        'ConcurrentRunsExceededException',
        (c) => `Concurrent runs exceeded for ${jobName(c)}`,
      ),
    },
  ),
  tpl(
    'glue.amazonaws.com',
    'GetJobRun',
    true,
    1,
    ['service-role', ...READERS],
    (c) => ({
      requestParameters: { jobName: jobName(c), runId: `jr_${c.rng.hex(64)}`, predecessorsIncluded: false },
    }),
    { workloads: ['scheduler', 'lambda'] },
  ),
  tpl(
    'glue.amazonaws.com',
    'GetJobRuns',
    true,
    0.8,
    ['service-role', ...READERS],
    (c) => ({ requestParameters: { jobName: jobName(c), maxResults: 200 } }),
    { workloads: ['lambda'] },
  ),
  tpl('glue.amazonaws.com', 'GetJob', true, 0.5, [...READERS, 'ci-role'], (c) => ({
    requestParameters: { jobName: jobName(c) },
  })),
  tpl('glue.amazonaws.com', 'GetJobs', true, 0.3, READERS),
  tpl(
    'glue.amazonaws.com',
    'StartCrawler',
    false,
    0.15,
    ['service-role', ...ADMINS],
    (c) => ({ requestParameters: { name: c.rng.pick(c.account.crawlers) } }),
    {
      workloads: ['scheduler', 'lambda'],
      error: sometimes(
        0.1,
        'CrawlerRunningException',
        'Crawler with name cloudtrail-crawler has already started',
      ),
    },
  ),
  tpl('glue.amazonaws.com', 'GetCrawler', true, 0.3, READERS, (c) => ({
    requestParameters: { name: c.rng.pick(c.account.crawlers) },
  })),
  tpl('glue.amazonaws.com', 'UpdateTable', false, 0.05, DEPLOYERS, (c) => {
    const t = glueTable(c);
    return {
      requestParameters: {
        databaseName: t.databaseName,
        tableInput: {
          name: t.tableName,
          tableType: 'EXTERNAL_TABLE',
          storageDescriptor: { location: `s3://${c.account.buckets[0]}/${t.tableName}/` },
        },
        skipArchive: true,
      },
    };
  }),

  // --- Athena
  tpl(
    'athena.amazonaws.com',
    'StartQueryExecution',
    false,
    1.5,
    athenaKinds.filter((k) => k !== 'sso-readonly'),
    (c) => ({
      requestParameters: {
        queryString: c.rng.pick(QUERIES),
        clientRequestToken: c.rng.uuid(),
        queryExecutionContext: { database: glueTable(c).databaseName, catalog: 'awsdatacatalog' },
        workGroup: c.rng.pick(c.account.workGroups),
        resultConfiguration: { outputLocation: `s3://${c.account.buckets[1]}/` },
      },
      responseElements: { queryExecutionId: c.rng.uuid() },
    }),
    {
      workloads: ['lambda'],
      error: sometimes(0.02, 'InvalidRequestException', 'WorkGroup analytics is disabled.'),
    },
  ),
  tpl(
    'athena.amazonaws.com',
    'GetQueryExecution',
    true,
    3,
    athenaKinds,
    (c) => ({
      requestParameters: { queryExecutionId: c.rng.uuid() },
    }),
    { workloads: ['lambda'] },
  ),
  tpl(
    'athena.amazonaws.com',
    'GetQueryResults',
    true,
    1.5,
    athenaKinds,
    (c) => ({
      requestParameters: { queryExecutionId: c.rng.uuid(), maxResults: 1000 },
    }),
    { workloads: ['lambda'] },
  ),
  tpl('athena.amazonaws.com', 'ListWorkGroups', true, 0.3, READERS, () => ({
    requestParameters: { maxResults: 50 },
  })),
  tpl(
    'athena.amazonaws.com',
    'GetWorkGroup',
    true,
    0.6,
    athenaKinds,
    (c) => ({
      requestParameters: { workGroup: c.rng.pick(c.account.workGroups) },
    }),
    { workloads: ['lambda'] },
  ),
  tpl('athena.amazonaws.com', 'ListQueryExecutions', true, 0.3, READERS, (c) => ({
    requestParameters: { workGroup: c.rng.pick(c.account.workGroups) },
  })),
  tpl('athena.amazonaws.com', 'GetTableMetadata', true, 0.4, READERS, (c) => {
    const t = glueTable(c);
    return {
      requestParameters: {
        catalogName: 'AwsDataCatalog',
        databaseName: t.databaseName,
        tableName: t.tableName,
      },
    };
  }),

  // --- CloudTrail
  tpl('cloudtrail.amazonaws.com', 'DescribeTrails', true, 1, [...READERS, 'service-linked'], () => ({
    requestParameters: { trailNameList: [], includeShadowTrails: false },
  })),
  tpl('cloudtrail.amazonaws.com', 'GetTrailStatus', true, 0.8, [...READERS, 'service-linked'], (c) => ({
    requestParameters: { name: c.account.trailArn },
  })),
  tpl('cloudtrail.amazonaws.com', 'LookupEvents', true, 0.6, READERS, (c) => ({
    requestParameters: {
      maxResults: 50,
      lookupAttributes: [
        { attributeKey: 'EventName', attributeValue: c.rng.pick(['ConsoleLogin', 'CreateUser']) },
      ],
      startTime: javaDate(c.time - 86_400_000),
      endTime: javaDate(c.time),
    },
  })),
  tpl('cloudtrail.amazonaws.com', 'GetEventSelectors', true, 0.5, [...READERS, 'service-linked'], (c) => ({
    requestParameters: { trailName: c.account.trailArn },
  })),
  tpl('cloudtrail.amazonaws.com', 'ListTrails', true, 0.3, READERS),
  tpl(
    'cloudtrail.amazonaws.com',
    'GetInsightSelectors',
    true,
    0.2,
    READERS,
    (c) => ({ requestParameters: { trailName: c.account.trailArn } }),
    {
      error: sometimes(
        0.5,
        'InsightNotEnabledException',
        (c) => `Trail ${c.account.trailArn} does not have Insights enabled.`,
      ),
    },
  ),

  // --- Identity Center: the AWS access portal and the admin API of the organization instance
  sso('ListAccounts', true, 2, ['ic-user'], () => ({})),
  sso('ListAccountRoles', true, 1.5, ['ic-user'], (c) => ({
    requestParameters: { accountId: c.account.id },
  })),
  sso('GetRoleCredentials', true, 2, ['ic-user'], (c) => ({
    requestParameters: {
      accountId: c.account.id,
      roleName: c.rng.pick(['AdministratorAccess', 'ReadOnlyAccess']),
    },
  })),
  sso('ListApplications', true, 1, ['ic-user'], () => ({})),
  sso('CreateToken', false, 0.5, ['ic-user'], (c) => ({
    requestParameters: {
      clientId: c.rng.alnum(22),
      clientSecret: HIDDEN,
      grantType: 'urn:ietf:params:oauth:grant-type:device_code',
      deviceCode: c.rng.alnum(30),
    },
    responseElements: {
      accessToken: HIDDEN,
      tokenType: 'Bearer',
      expiresIn: 28800,
      refreshToken: HIDDEN,
      idToken: HIDDEN,
    },
    resources: [{ accountId: c.account.id, type: 'IdentityStoreId', ARN: c.account.identityStoreId }],
  })),
  sso('ListPermissionSets', true, 0.8, ['sso-admin', 'sso-readonly'], (c) => ({
    requestParameters: { instanceArn: c.account.orgInstanceArn },
  })),
  sso('DescribePermissionSet', true, 0.6, ['sso-admin', 'sso-readonly'], (c) => ({
    requestParameters: { instanceArn: c.account.orgInstanceArn, permissionSetArn: permissionSetArn(c) },
  })),
  sso('ListAccountAssignments', true, 0.6, ['sso-admin', 'sso-readonly'], (c) => ({
    requestParameters: {
      instanceArn: c.account.orgInstanceArn,
      accountId: c.account.id,
      permissionSetArn: permissionSetArn(c),
    },
  })),
  sso('CreateAccountAssignment', false, 0.08, ['sso-admin'], (c) => {
    const ps = permissionSetArn(c);
    const principalId = c.rng.pick(c.account.ssoUsers).userId;
    return {
      requestParameters: {
        instanceArn: c.account.orgInstanceArn,
        targetId: c.account.id,
        targetType: 'AWS_ACCOUNT',
        permissionSetArn: ps,
        principalType: 'USER',
        principalId,
      },
      responseElements: {
        accountAssignmentCreationStatus: {
          status: 'IN_PROGRESS',
          requestId: c.rng.uuid(),
          targetId: c.account.id,
          targetType: 'AWS_ACCOUNT',
          permissionSetArn: ps,
          principalType: 'USER',
          principalId,
        },
      },
    };
  }),
  tpl(
    'sso.amazonaws.com',
    'ListInstances',
    true,
    0.4,
    ['sso-admin', 'sso-readonly', 'service-linked'],
    () => ({}),
    {
      scope: 'home',
    },
  ),
  identitystore('ListUsers', true, 1, (c) => ({
    requestParameters: { identityStoreId: c.account.identityStoreId },
  })),
  identitystore('DescribeUser', true, 0.8, (c) => ({
    requestParameters: {
      identityStoreId: c.account.identityStoreId,
      userId: c.rng.pick(c.account.ssoUsers).userId,
    },
  })),
  identitystore('ListGroups', true, 0.6, (c) => ({
    requestParameters: { identityStoreId: c.account.identityStoreId },
  })),
  identitystore('ListGroupMemberships', true, 0.4, (c) => ({
    requestParameters: { identityStoreId: c.account.identityStoreId, groupId: c.rng.uuid() },
  })),
  identitystore('CreateUser', false, 0.05, (c) => ({
    requestParameters: {
      identityStoreId: c.account.identityStoreId,
      userName: HIDDEN,
      name: HIDDEN,
      displayName: HIDDEN,
      emails: HIDDEN,
    },
    responseElements: { identityStoreId: c.account.identityStoreId, userId: c.rng.uuid() },
  })),
  identitystore('CreateGroupMembership', false, 0.05, (c) => ({
    requestParameters: {
      identityStoreId: c.account.identityStoreId,
      groupId: c.rng.uuid(),
      memberId: { userId: c.rng.pick(c.account.ssoUsers).userId },
    },
    responseElements: { identityStoreId: c.account.identityStoreId, membershipId: c.rng.uuid() },
  })),

  // --- Organizations (global)
  orgs('DescribeOrganization', 1.5),
  orgs('ListAccounts', 0.6),
  orgs('DescribeAccount', 0.4, (c) => ({ requestParameters: { accountId: c.account.id } })),
  orgs('ListRoots', 0.3),
  orgs('ListPolicies', 0.3, () => ({ requestParameters: { filter: 'SERVICE_CONTROL_POLICY' } })),
  orgs('ListDelegatedAdministrators', 0.2, () => ({
    requestParameters: { servicePrincipal: 'sso.amazonaws.com' },
  })),

  // --- CloudWatch Logs
  tpl(
    'logs.amazonaws.com',
    'CreateLogStream',
    false,
    5,
    ['service-role'],
    (c) => {
      const glue = c.session.workload === 'glue';
      return {
        requestParameters: {
          logGroupName: glue ? '/aws-glue/jobs/output' : `/aws/lambda/${functionName(c)}`,
          logStreamName: glue ? `jr_${c.rng.hex(64)}` : `${dayPath(c)}/[$LATEST]${c.rng.hex(32)}`,
        },
      };
    },
    {
      workloads: ['lambda', 'glue'],
      error: sometimes(0.04, 'ResourceAlreadyExistsException', 'The specified log stream already exists'),
    },
  ),
  tpl(
    'logs.amazonaws.com',
    'CreateLogGroup',
    false,
    0.4,
    ['service-role'],
    (c) => ({ requestParameters: { logGroupName: `/aws/lambda/${functionName(c)}` } }),
    {
      workloads: ['lambda'],
      error: sometimes(0.6, 'ResourceAlreadyExistsException', 'The specified log group already exists'),
    },
  ),
  tpl(
    'logs.amazonaws.com',
    'DescribeLogGroups',
    true,
    1.2,
    [...READERS, 'ci-role', 'service-linked'],
    () => ({
      requestParameters: { logGroupNamePrefix: '/aws/lambda/' },
    }),
  ),
  tpl('logs.amazonaws.com', 'DescribeLogStreams', true, 0.6, READERS, (c) => ({
    requestParameters: {
      logGroupName: `/aws/lambda/${functionName(c)}`,
      orderBy: 'LastEventTime',
      descending: true,
      limit: 50,
    },
  })),
  tpl('logs.amazonaws.com', 'FilterLogEvents', true, 0.4, READERS, (c) => ({
    requestParameters: {
      logGroupName: `/aws/lambda/${functionName(c)}`,
      startTime: c.time - 3_600_000,
      endTime: c.time,
      filterPattern: 'ERROR',
    },
  })),
  tpl('logs.amazonaws.com', 'StartQuery', true, 0.3, READERS, (c) => ({
    requestParameters: {
      logGroupNames: [`/aws/lambda/${functionName(c)}`],
      startTime: Math.floor(c.time / 1000) - 3600,
      endTime: Math.floor(c.time / 1000),
      queryString:
        'fields @timestamp, @message | filter @message like /ERROR/ | sort @timestamp desc | limit 20',
    },
    responseElements: { queryId: c.rng.uuid() },
  })),
  tpl('logs.amazonaws.com', 'PutRetentionPolicy', false, 0.05, DEPLOYERS, (c) => ({
    requestParameters: { logGroupName: `/aws/lambda/${functionName(c)}`, retentionInDays: 30 },
  })),

  // --- CloudWatch
  tpl(
    'monitoring.amazonaws.com',
    'DescribeAlarms',
    true,
    1.5,
    [...READERS, 'ci-role', 'service-linked'],
    () => ({
      requestParameters: { maxRecords: 100 },
    }),
  ),
  tpl('monitoring.amazonaws.com', 'GetMetricData', true, 1.2, [...READERS, 'service-role'], (c) => ({
    requestParameters: {
      metricDataQueries: [
        {
          id: 'm1',
          metricStat: {
            metric: {
              namespace: 'Glue',
              metricName: 'glue.driver.aggregate.elapsedTime',
              dimensions: [
                { name: 'JobName', value: jobName(c) },
                { name: 'JobRunId', value: 'ALL' },
                { name: 'Type', value: 'count' },
              ],
            },
            period: 60,
            stat: 'Sum',
          },
          returnData: true,
        },
      ],
      startTime: javaDate(c.time - 3_600_000),
      endTime: javaDate(c.time),
    },
  })),
  tpl('monitoring.amazonaws.com', 'ListMetrics', true, 0.5, READERS, () => ({
    requestParameters: { namespace: 'Glue' },
  })),
  tpl('monitoring.amazonaws.com', 'PutMetricAlarm', false, 0.05, DEPLOYERS, (c) => ({
    requestParameters: {
      alarmName: `${functionName(c)}-errors`,
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      dimensions: [{ name: 'FunctionName', value: functionName(c) }],
    },
  })),

  // --- Secrets Manager
  tpl(
    'secretsmanager.amazonaws.com',
    'GetSecretValue',
    true,
    2.5,
    ['service-role', 'ci-role', 'sso-admin'],
    (c) => ({ requestParameters: { secretId: secretArn(c) } }),
    {
      error: sometimes(0.01, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret."),
    },
  ),
  tpl(
    'secretsmanager.amazonaws.com',
    'DescribeSecret',
    true,
    0.8,
    [...READERS, 'ci-role', 'service-linked'],
    (c) => ({
      requestParameters: { secretId: secretArn(c) },
    }),
  ),
  tpl('secretsmanager.amazonaws.com', 'ListSecrets', true, 0.4, READERS),
  tpl('secretsmanager.amazonaws.com', 'PutSecretValue', false, 0.03, DEPLOYERS, (c) => {
    const arn = secretArn(c);
    return {
      requestParameters: { secretId: arn, clientRequestToken: c.rng.uuid(), secretString: HIDDEN },
      responseElements: {
        aRN: arn,
        name: arn.slice(arn.indexOf(':secret:') + 8, -7),
        versionId: c.rng.uuid(),
        versionStages: ['AWSCURRENT'],
      },
    };
  }),

  // --- Systems Manager
  tpl(
    'ssm.amazonaws.com',
    'UpdateInstanceInformation',
    false,
    3,
    ['service-role'],
    (c) => {
      const ip = `10.0.${c.rng.int(0, 255)}.${c.rng.int(1, 254)}`;
      return {
        requestParameters: {
          instanceId: instanceId(c),
          agentVersion: '3.3.418.0',
          agentStatus: 'Active',
          platformType: 'Linux',
          platformName: 'Amazon Linux',
          platformVersion: '2023',
          iPAddress: ip,
          computerName: `ip-${ip.replaceAll('.', '-')}.ec2.internal`,
          agentName: 'amazon-ssm-agent',
          availabilityZone: `${c.region}a`,
        },
      };
    },
    { workloads: ['ec2'] },
  ),
  tpl(
    'ssm.amazonaws.com',
    'ListInstanceAssociations',
    true,
    1,
    ['service-role'],
    (c) => ({ requestParameters: { instanceId: instanceId(c), maxResults: 20 } }),
    { workloads: ['ec2'] },
  ),
  tpl(
    'ssm.amazonaws.com',
    'GetParameter',
    true,
    1.5,
    ['service-role', 'ci-role', ...READERS],
    (c) => ({ requestParameters: { name: c.rng.pick(c.account.ssmParameters), withDecryption: true } }),
    { error: sometimes(0.03, 'ParameterNotFound', '') },
  ),
  tpl('ssm.amazonaws.com', 'GetParameters', true, 0.8, ['service-role', 'ci-role'], (c) => ({
    requestParameters: { names: c.rng.sample(c.account.ssmParameters, 2), withDecryption: false },
  })),
  tpl('ssm.amazonaws.com', 'DescribeInstanceInformation', true, 0.4, [...READERS, 'service-linked'], () => ({
    requestParameters: { maxResults: 50 },
  })),

  // --- DynamoDB (control plane)
  tpl(
    'dynamodb.amazonaws.com',
    'DescribeTable',
    true,
    1.5,
    ['service-role', 'ci-role', 'service-linked', ...READERS],
    (c) => ({ requestParameters: { tableName: c.rng.pick(c.account.dynamoTables) } }),
    {
      error: sometimes(
        0.02,
        'ResourceNotFoundException',
        'Requested resource not found: Table: orders_v2 not found',
      ),
    },
  ),
  tpl('dynamodb.amazonaws.com', 'ListTables', true, 0.6, [...READERS, 'service-linked']),
  tpl(
    'dynamodb.amazonaws.com',
    'DescribeContinuousBackups',
    true,
    0.3,
    [...READERS, 'service-linked'],
    (c) => ({
      requestParameters: { tableName: c.rng.pick(c.account.dynamoTables) },
    }),
  ),
  tpl('dynamodb.amazonaws.com', 'DescribeTimeToLive', true, 0.3, [...READERS, 'ci-role'], (c) => ({
    requestParameters: { tableName: c.rng.pick(c.account.dynamoTables) },
  })),
  tpl('dynamodb.amazonaws.com', 'UpdateTimeToLive', false, 0.02, DEPLOYERS, (c) => ({
    requestParameters: {
      tableName: c.rng.pick(c.account.dynamoTables),
      timeToLiveSpecification: { enabled: true, attributeName: 'expiresAt' },
    },
    responseElements: { timeToLiveSpecification: { enabled: true, attributeName: 'expiresAt' } },
  })),

  // --- CloudFormation
  tpl(
    'cloudformation.amazonaws.com',
    'DescribeStacks',
    true,
    1.5,
    ['ci-role', ...READERS],
    (c) => ({ requestParameters: { stackName: c.rng.pick(c.account.stacks) } }),
    { error: sometimes(0.05, 'ValidationError', 'Stack with id orders-service-v2 does not exist') },
  ),
  tpl('cloudformation.amazonaws.com', 'DescribeStackEvents', true, 1, ['ci-role', ...READERS], (c) => ({
    requestParameters: { stackName: c.rng.pick(c.account.stacks) },
  })),
  tpl('cloudformation.amazonaws.com', 'ListStacks', true, 0.3, READERS, () => ({
    requestParameters: {
      stackStatusFilter: ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE'],
    },
  })),
  tpl('cloudformation.amazonaws.com', 'GetTemplate', true, 0.3, ['ci-role', ...READERS], (c) => ({
    requestParameters: { stackName: c.rng.pick(c.account.stacks), templateStage: 'Original' },
  })),
  tpl('cloudformation.amazonaws.com', 'CreateChangeSet', false, 0.15, DEPLOYERS, (c) => {
    const stack = c.rng.pick(c.account.stacks);
    const stackId = arnRegion(c, 'cloudformation', `stack/${stack}/${c.rng.uuid()}`);
    return {
      requestParameters: {
        stackName: stack,
        templateURL: `https://s3.${c.region}.amazonaws.com/${c.res.assetsBucket}/${c.rng.hex(64)}.json`,
        parameters: [],
        capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
        changeSetName: 'cdk-deploy-change-set',
        changeSetType: 'UPDATE',
      },
      responseElements: {
        id: arnRegion(c, 'cloudformation', `changeSet/cdk-deploy-change-set/${c.rng.uuid()}`),
        stackId,
      },
    };
  }),
  tpl('cloudformation.amazonaws.com', 'ExecuteChangeSet', false, 0.1, DEPLOYERS, (c) => ({
    requestParameters: {
      changeSetName: arnRegion(c, 'cloudformation', `changeSet/cdk-deploy-change-set/${c.rng.uuid()}`),
      stackName: c.rng.pick(c.account.stacks),
    },
  })),

  // --- ECR
  tpl('ecr.amazonaws.com', 'GetAuthorizationToken', true, 1.2, ['ci-role', 'service-role'], () => ({}), {
    workloads: ['ec2', 'lambda'],
  }),
  tpl('ecr.amazonaws.com', 'DescribeRepositories', true, 0.4, [...READERS, 'ci-role']),
];

// ---------------------------------------------------------------------------------------------------------
// Errors

const THROTTLE: Record<string, ErrorChoice> = {
  'ec2.amazonaws.com': { code: 'Client.RequestLimitExceeded', message: 'Request limit exceeded.' },
  's3.amazonaws.com': { code: 'SlowDown', message: 'Please reduce your request rate.' },
  'iam.amazonaws.com': { code: 'Throttling', message: 'Rate exceeded' },
  'sts.amazonaws.com': { code: 'Throttling', message: 'Rate exceeded' },
  'cloudformation.amazonaws.com': { code: 'Throttling', message: 'Rate exceeded' },
};
const DEFAULT_THROTTLE: ErrorChoice = { code: 'ThrottlingException', message: 'Rate exceeded' };

const ACCESS_DENIED_CODE: Record<string, string> = {
  's3.amazonaws.com': 'AccessDenied',
  'ec2.amazonaws.com': 'Client.UnauthorizedOperation',
  'iam.amazonaws.com': 'AccessDenied',
  'sts.amazonaws.com': 'AccessDenied',
  'lambda.amazonaws.com': 'AccessDenied',
  'cloudtrail.amazonaws.com': 'AccessDenied',
  'monitoring.amazonaws.com': 'AccessDenied',
  'cloudformation.amazonaws.com': 'AccessDenied',
};

export function accessDenied(
  c: RecordEnvelopeContext,
  source: string,
  name: string,
  resource = '*',
): ErrorChoice {
  const code = ACCESS_DENIED_CODE[source] ?? 'AccessDeniedException';
  if (source === 's3.amazonaws.com') return { code, message: 'Access Denied' };
  if (source === 'organizations.amazonaws.com') {
    return { code, message: "You don't have permissions to access this resource." };
  }
  const message = notAuthorizedMessage(c.session, source, name, resource);
  if (source === 'ec2.amazonaws.com') {
    return {
      code,
      message: `You are not authorized to perform this operation. ${message}. Encoded authorization failure message: ${c.rng.alnum(
        180,
      )}`,
    };
  }
  return { code, message };
}

const DENIED_SHARE: Partial<Record<ActorKind, number>> = {
  'iam-user': 0.03,
  'sso-admin': 0.01,
  'sso-readonly': 0.02,
  'saml-role': 0.02,
  federated: 0.05,
  'aws-account': 0.06,
  'ci-role': 0.01,
  'service-role': 0.004,
};

function decideError(
  c: EventContext,
  t: EventTemplate,
  body: Body,
  forceDenied: boolean,
): ErrorChoice | null {
  if (forceDenied) return accessDenied(c, t.source, t.name, body.arn);
  const specific = t.error?.(c);
  if (specific) return specific;
  if (c.rng.chance(DENIED_SHARE[c.session.kind] ?? 0)) return accessDenied(c, t.source, t.name, body.arn);
  const throttle = c.session.kind === 'service-role' || c.session.kind === 'service-linked' ? 0.012 : 0.003;
  if (t.readOnly && c.rng.chance(throttle)) return THROTTLE[t.source] ?? DEFAULT_THROTTLE;
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Sessions within an hour

interface SessionKindSpec {
  kind: ActorKind;
  weight: number;
  size: [number, number];
  /** Seconds between calls. */
  gap: [number, number];
  scope?: Scope;
}

const SESSION_KINDS: readonly SessionKindSpec[] = [
  { kind: 'service-role', weight: 30, size: [2, 12], gap: [0, 4] },
  { kind: 'service-linked', weight: 5, size: [3, 15], gap: [0, 2] },
  { kind: 'aws-service', weight: 14, size: [1, 2], gap: [0, 3] },
  { kind: 'athena-glue', weight: 4, size: [3, 12], gap: [0, 2] },
  { kind: 'sso-admin', weight: 7, size: [2, 18], gap: [2, 40] },
  { kind: 'sso-readonly', weight: 7, size: [2, 18], gap: [2, 40] },
  { kind: 'iam-user', weight: 7, size: [1, 12], gap: [1, 30] },
  { kind: 'ci-role', weight: 5, size: [3, 20], gap: [0, 6] },
  { kind: 'saml-role', weight: 1.2, size: [2, 8], gap: [2, 40] },
  { kind: 'federated', weight: 1.2, size: [1, 6], gap: [1, 20] },
  { kind: 'aws-account', weight: 2, size: [1, 4], gap: [0, 5] },
  { kind: 'root', weight: 0.2, size: [1, 5], gap: [5, 60] },
  { kind: 'ic-signin', weight: 1.2, size: [3, 8], gap: [1, 20], scope: 'management-home' },
  { kind: 'ic-user', weight: 1.2, size: [1, 6], gap: [2, 30], scope: 'management-home' },
  { kind: 'service-event', weight: 0.1, size: [1, 1], gap: [0, 0] },
];

/** Human activity by UTC hour (office hours in Europe and the Americas); averages 1 over a day. */
export function humanActivity(hour: number): number {
  const raw = hour >= 7 && hour <= 18 ? 1.6 : hour === 6 || hour === 19 || hour === 20 ? 0.9 : 0.3;
  return raw / 1.025;
}

interface CellFlags {
  usEast1: boolean;
  home: boolean;
  managementHome: boolean;
}

function inScope(scope: Scope, flags: CellFlags): boolean {
  switch (scope) {
    case 'any':
      return true;
    case 'global':
      return flags.usEast1;
    case 'home':
      return flags.home;
    case 'management-home':
      return flags.managementHome;
  }
}

const templateCache = new Map<string, Weighted<EventTemplate>[]>();

function templatesFor(kind: ActorKind, workload: string | undefined, flags: CellFlags, writesOnly = false) {
  const key = `${kind}|${workload ?? ''}|${flags.usEast1}|${flags.home}|${flags.managementHome}|${writesOnly}`;
  let list = templateCache.get(key);
  if (!list) {
    list = EVERYDAY_TEMPLATES.filter(
      (t) =>
        t.kinds.includes(kind) &&
        inScope(t.scope, flags) &&
        (!writesOnly || !t.readOnly) &&
        (kind !== 'service-role' ||
          !t.workloads ||
          (workload !== undefined && t.workloads.includes(workload))),
    ).map((t) => ({ value: t, weight: t.weight }));
    templateCache.set(key, list);
  }
  return list;
}

const VPC_ENDPOINT_SOURCES = new Set([
  's3.amazonaws.com',
  'kms.amazonaws.com',
  'secretsmanager.amazonaws.com',
  'sts.amazonaws.com',
  'ssm.amazonaws.com',
  'logs.amazonaws.com',
  'dynamodb.amazonaws.com',
]);

function makeEvent(c: EventContext, t: EventTemplate, forceDenied = false): CloudTrailRecord {
  const body = t.build(c);
  const error = decideError(c, t, body, forceDenied);
  const { arn: _arn, ...parts } = body;
  return buildRecord(c, {
    ...parts,
    vpcEndpointId:
      c.session.privateIp && !parts.via && VPC_ENDPOINT_SOURCES.has(t.source)
        ? c.res.vpcEndpointId
        : undefined,
    eventSource: t.source,
    eventName: t.name,
    readOnly: t.readOnly,
    cliCommand: t.cliCommand,
    errorCode: error?.code,
    errorMessage: error?.message,
  });
}

function consoleLogin(c: EventContext, failed: boolean): CloudTrailRecord {
  const identity = c.session.userIdentity;
  const assumed = identity.type === 'AssumedRole';
  const mfa =
    (identity.sessionContext as { attributes?: { mfaAuthenticated?: string } } | undefined)?.attributes
      ?.mfaAuthenticated === 'true';
  return buildRecord(c, {
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    eventType: 'AwsConsoleSignIn',
    readOnly: false,
    responseElements: { ConsoleLogin: failed ? 'Failure' : 'Success' },
    errorMessage: failed ? 'Failed authentication' : undefined,
    additionalEventData: assumed
      ? { MobileVersion: 'No', MFAUsed: 'No' }
      : {
          LoginTo: `https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_${c.region}_${c.rng.hex(16)}`,
          MobileVersion: 'No',
          MFAUsed: mfa ? 'Yes' : 'No',
        },
    userAgent: browserAgent(c.rng),
  });
}

const SIGNIN_STEPS = ['CredentialChallenge', 'CredentialVerification', 'UserAuthentication'] as const;

function identityCenterSignIn(c: EventContext, step: (typeof SIGNIN_STEPS)[number], workflow: string) {
  return buildRecord(c, {
    eventSource: 'signin.amazonaws.com',
    eventName: step,
    eventType: 'AwsServiceEvent',
    readOnly: false,
    additionalEventData: {
      AuthWorkflowID: workflow,
      ...(step === 'UserAuthentication'
        ? { LoginTo: `https://${c.account.identityStoreId}.awsapps.com/start/` }
        : {}),
      CredentialType: 'PASSWORD',
    },
    serviceEventDetails: { [step]: 'Success' },
  });
}

function federationPrelude(
  c: EventContext,
  kind: 'saml' | 'web-identity',
  role: { arn: string; id: string; name: string },
) {
  const { rng, account } = c;
  const sessionName =
    kind === 'saml' ? String(c.session.userIdentity.userName) : `GitHubActions-${rng.digits(10)}`;
  const assumedRoleUser = {
    assumedRoleId: `${role.id}:${sessionName}`,
    arn: `arn:aws:sts::${account.id}:assumed-role/${role.name}/${sessionName}`,
  };
  if (kind === 'saml') {
    const provider = `arn:aws:iam::${account.id}:saml-provider/ADFS`;
    return buildRecord(c, {
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRoleWithSAML',
      readOnly: true,
      cliCommand: 'sts.assume-role-with-saml',
      requestParameters: {
        sAMLAssertionID: `_${rng.hex(32)}`,
        roleSessionName: sessionName,
        principalTags: { Department: 'Engineering' },
        roleArn: role.arn,
        principalArn: provider,
        durationSeconds: 3600,
      },
      responseElements: {
        credentials: credentials(c),
        assumedRoleUser,
        packedPolicySize: 1,
        subject: sessionName,
        subjectType: 'persistent',
        issuer: 'https://adfs.example.com/adfs/services/trust',
        audience: 'https://signin.aws.amazon.com/saml',
        nameQualifier: String(c.session.userIdentity.identityProvider),
      },
      resources: [
        { accountId: account.id, type: 'AWS::IAM::Role', ARN: role.arn },
        { accountId: account.id, type: 'AWS::IAM::SAMLProvider', ARN: provider },
      ],
    });
  }
  return buildRecord(c, {
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRoleWithWebIdentity',
    readOnly: true,
    requestParameters: { roleArn: role.arn, roleSessionName: sessionName, durationSeconds: 3600 },
    responseElements: {
      credentials: credentials(c),
      subjectFromWebIdentityToken: String(c.session.userIdentity.userName),
      assumedRoleUser,
      provider: String(c.session.userIdentity.identityProvider),
      audience: 'sts.amazonaws.com',
    },
    resources: [{ accountId: account.id, type: 'AWS::IAM::Role', ARN: role.arn }],
  });
}

export interface HourEventsInput {
  seed: number;
  account: SampleAccount;
  region: string;
  /** Start of the hour, epoch ms. */
  hourStart: number;
  /** Average events per hour for this account and region. */
  eventsPerHour: number;
}

/** The everyday events of one account, region and hour, sorted by eventTime. */
export function generateEverydayEvents(input: HourEventsInput): TimedRecord[] {
  const { account, region, hourStart } = input;
  const rng = new Random(input.seed, 'everyday', account.index, region, hourStart);
  const hour = new Date(hourStart).getUTCHours();
  const activity = humanActivity(hour);
  const target = Math.max(
    0,
    Math.round(input.eventsPerHour * (0.55 + 0.45 * activity) * rng.float(0.85, 1.15)),
  );
  const flags: CellFlags = {
    usEast1: region === 'us-east-1',
    home: region === account.homeRegion,
    managementHome: account.isManagement && region === account.homeRegion,
  };
  const kinds = SESSION_KINDS.filter((k) => inScope(k.scope ?? 'any', flags)).map((k) => ({
    value: k,
    weight: k.weight * (HUMAN_KINDS.has(k.kind) ? activity : 1),
  }));
  const res = regionalOf(account, region);
  const out: TimedRecord[] = [];
  let sessions = 0;
  while (out.length < target && kinds.length > 0 && sessions++ < target * 4 + 100) {
    const spec = rng.weighted(kinds);
    let second = rng.int(0, 3599);
    const size = Math.min(rng.int(spec.size[0], spec.size[1]), target - out.length);
    const ctx: EventContext = {
      rng,
      account,
      region,
      res,
      time: hourStart + second * 1000,
      session: openSession(spec.kind, { rng, account, region, time: hourStart + second * 1000 }),
    };
    const emit = (record: CloudTrailRecord) => {
      out.push({ time: ctx.time, record });
      second += rng.int(spec.gap[0], spec.gap[1]);
      ctx.time = hourStart + second * 1000;
    };
    let remaining = size;
    // Session openers: console sign-in, federation, Identity Center sign-in.
    if (
      ctx.session.console &&
      (spec.kind === 'iam-user' || spec.kind === 'root' || spec.kind.startsWith('sso-'))
    ) {
      const failed = (spec.kind === 'iam-user' || spec.kind === 'root') && rng.chance(0.05);
      emit(consoleLogin(ctx, failed));
      remaining--;
      if (failed) continue;
    } else if (spec.kind === 'saml-role' || (spec.kind === 'ci-role' && rng.chance(0.6))) {
      const followup = ctx.session;
      const prelude = spec.kind === 'saml-role' ? 'saml' : 'web-identity';
      const roleName = (followup.userIdentity.sessionContext as { sessionIssuer: { userName: string } })
        .sessionIssuer.userName;
      const role = [account.ciRole, ...account.samlRoles].find((r) => r.name === roleName) ?? account.ciRole;
      ctx.session = openSession(prelude, { rng, account, region, time: ctx.time });
      emit(federationPrelude(ctx, prelude, role));
      remaining--;
      ctx.session = {
        ...followup,
        sourceIPAddress: ctx.session.sourceIPAddress,
        userAgent: ctx.session.userAgent,
      };
    } else if (spec.kind === 'ic-signin') {
      const workflow = rng.uuid();
      for (const step of SIGNIN_STEPS) {
        if (remaining <= 0 || second > 3599) break;
        emit(identityCenterSignIn(ctx, step, workflow));
        remaining--;
      }
      const ip = ctx.session.sourceIPAddress;
      const agent = ctx.session.userAgent;
      ctx.session = {
        ...openSession('ic-user', { rng, account, region, time: ctx.time }),
        sourceIPAddress: ip,
        userAgent: agent,
      };
    }
    const workload = ctx.session.workload;
    const choices = templatesFor(ctx.session.kind, workload, flags);
    if (choices.length === 0) continue;
    while (remaining > 0 && second <= 3599) {
      if (ctx.session.readOnlyOnly && ctx.session.kind === 'sso-readonly' && rng.chance(0.04)) {
        const writes = templatesFor('sso-admin', undefined, flags, true);
        if (writes.length > 0) {
          emit(makeEvent(ctx, rng.weighted(writes), true));
          remaining--;
          continue;
        }
      }
      emit(makeEvent(ctx, rng.weighted(choices)));
      remaining--;
    }
  }
  out.sort((a, b) => a.time - b.time);
  return out;
}
