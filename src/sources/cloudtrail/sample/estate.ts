/**
 * The simulated AWS estate behind the CloudTrail sample: accounts with their principals and resources,
 * caller sessions (who calls, from where, with which client) and the CloudTrail record envelope that every
 * generated event shares. Field shapes follow the real records in test/fixtures/real/cloudtrail/.
 */
import { Random } from '../../sample-random.ts';

export type CloudTrailRecord = Record<string, unknown>;

export type SampleLayout = 'mixed' | 'organization' | 'standalone';

/** Who is calling. Each kind maps to one CloudTrail `userIdentity` shape. */
export type ActorKind =
  | 'iam-user' // IAMUser, long-term keys (CLI/SDK/Terraform) or console
  | 'sso-admin' // AssumedRole AWSReservedSSO_AdministratorAccess_… (Identity Center permission set)
  | 'sso-readonly' // AssumedRole AWSReservedSSO_ReadOnlyAccess_…
  | 'service-role' // AssumedRole of a Lambda function, Glue job or EC2 instance profile
  | 'service-linked' // AssumedRole of a service-linked role, invoked by the service (AWS Config)
  | 'athena-glue' // an analyst's AssumedRole whose Glue/S3 calls Athena makes (invokedBy athena)
  | 'ci-role' // AssumedRole of the CI/CD deploy role (GitHub Actions OIDC)
  | 'saml-role' // AssumedRole of a SAML-federated role
  | 'aws-service' // AWSService (invokedBy), e.g. lambda.amazonaws.com assuming an execution role
  | 'service-event' // AwsServiceEvent without a principal ({accountId, invokedBy})
  | 'root' // Root
  | 'federated' // FederatedUser (GetFederationToken broker)
  | 'saml' // SAMLUser (AssumeRoleWithSAML)
  | 'web-identity' // WebIdentityUser (AssumeRoleWithWebIdentity)
  | 'aws-account' // AWSAccount (cross-account caller)
  | 'ic-user' // IdentityCenterUser (AWS access portal)
  | 'ic-signin'; // Unknown (Identity Center sign-in: CredentialChallenge, …)

export const HUMAN_KINDS: ReadonlySet<ActorKind> = new Set<ActorKind>([
  'iam-user',
  'sso-admin',
  'sso-readonly',
  'root',
  'federated',
  'saml',
  'saml-role',
  'ic-user',
  'ic-signin',
  'athena-glue',
]);

export interface Role {
  name: string;
  id: string;
  arn: string;
}

export interface IamUser {
  userName: string;
  principalId: string;
  accessKeyId: string;
  arn: string;
  console: boolean;
  mfa: boolean;
}

export interface SsoUser {
  userName: string;
  userId: string;
}

export interface ServiceRole {
  role: Role;
  service: 'lambda' | 'glue' | 'ec2' | 'scheduler';
  /** Function name, job name or instance id: used as the role session name. */
  workload: string;
}

export interface RegionalResources {
  kmsKeys: string[];
  instances: string[];
  vpcId: string;
  subnets: string[];
  securityGroups: string[];
  amiId: string;
  assetsBucket: string;
  /** Interface/gateway VPC endpoint that private workloads reach AWS APIs through. */
  vpcEndpointId: string;
}

export interface GlueDatabase {
  name: string;
  tables: string[];
}

export interface SampleAccount {
  index: number;
  id: string;
  alias: string;
  /** The organization whose trail delivers this account's logs, or null for a standalone trail. */
  organizationId: string | null;
  isManagement: boolean;
  homeRegion: string;
  iamUsers: IamUser[];
  federationBroker: IamUser;
  ssoUsers: SsoUser[];
  ssoAdminRole: Role;
  ssoReadOnlyRole: Role;
  serviceRoles: ServiceRole[];
  configRole: Role;
  ciRole: Role;
  samlRoles: Role[];
  crossAccountRoles: Role[];
  partnerAccountId: string;
  partnerRoleId: string;
  githubRepo: string;
  /** Identity store of the organization instance (management account) used by portal events. */
  identityStoreId: string;
  orgInstanceArn: string;
  permissionSets: string[];
  buckets: string[];
  functions: string[];
  glueJobs: string[];
  glueDatabases: GlueDatabase[];
  crawlers: string[];
  secrets: string[];
  ssmParameters: string[];
  dynamoTables: string[];
  stacks: string[];
  workGroups: string[];
  trailArn: string;
  regional: Map<string, RegionalResources>;
}

export interface Estate {
  seed: number;
  regions: string[];
  layout: SampleLayout;
  organizationId: string;
  accounts: SampleAccount[];
}

const ALIASES = [
  'shared',
  'prod',
  'staging',
  'dev',
  'security',
  'data',
  'sandbox',
  'logging',
  'analytics',
  'ml',
];
const HUMAN_USERS = ['alice.martin', 'bob.nguyen', 'carol.smith', 'platform-admin', 'dmitri.ivanov'];
const MACHINE_USERS = ['terraform-ci', 'backup-agent', 'legacy-etl', 'reporting-bot', 'datadog-integration'];
const SSO_USERS = [
  'maria.garcia@example.com',
  'james.chen@example.com',
  'priya.patel@example.com',
  'lukas.mueller@example.com',
  'fatima.ali@example.com',
  'noah.johnson@example.com',
  'yuki.tanaka@example.com',
  'omar.haddad@example.com',
  'sofia.rossi@example.com',
  'david.kim@example.com',
];
const FUNCTIONS = [
  'orders-api',
  'cloudtrail-partitioner',
  'image-resizer',
  'slack-alerts',
  'nightly-report',
  'user-sync',
  'invoice-generator',
  'ttl-cleanup',
];
const GLUE_JOBS = [
  'cloudtrail-hourly-etl',
  'orders-compaction',
  'tpcds-load',
  'sessions-sessionize',
  'glue-metrics-export',
];
const GLUE_DATABASES: GlueDatabase[] = [
  { name: 'lakeq_raw', tables: ['cloudtrail_logs', 'vpc_flow_logs', 'alb_logs'] },
  { name: 'lakeq_curated', tables: ['identity_center_churn', 'glue_job_runs', 'api_activity_hourly'] },
  { name: 'sales', tables: ['orders', 'customers', 'line_items'] },
];
const SECRETS = ['prod/orders/db', 'slack/webhook', 'github/deploy-key', 'datadog/api-key', 'stripe/api-key'];
const SSM_PARAMETERS = [
  '/app/orders/db-host',
  '/app/orders/feature-flags',
  '/cloudwatch-agent/config',
  '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
];
const DYNAMO_TABLES = ['orders', 'sessions', 'terraform-locks', 'idempotency'];
const STACKS = ['network-baseline', 'data-lake', 'orders-service', 'observability', 'CDKToolkit'];
const REPOS = ['acme/infrastructure', 'acme/orders-service', 'acme/data-platform'];
const PERMISSION_SET_NAMES = ['AdministratorAccess', 'ReadOnlyAccess', 'PowerUserAccess', 'Billing'];

function roleOf(accountId: string, name: string, rng: Random, path = '/'): Role {
  return {
    name,
    id: `AROA${rng.upperAlnum(17)}`,
    arn: `arn:aws:iam::${accountId}:role${path}${name}`,
  };
}

function iamUserOf(accountId: string, userName: string, rng: Random, console: boolean): IamUser {
  return {
    userName,
    principalId: `AIDA${rng.upperAlnum(17)}`,
    accessKeyId: `AKIA${rng.upperAlnum(16)}`,
    arn: `arn:aws:iam::${accountId}:user/${userName}`,
    console,
    mfa: rng.chance(0.7),
  };
}

function uniqueAccountIds(rng: Random, count: number): string[] {
  const ids = new Set<string>();
  while (ids.size < count) ids.add(rng.digits(12));
  return [...ids];
}

export interface EstateOptions {
  seed: number;
  accounts: number;
  regions: string[];
  layout: SampleLayout;
  organizationId?: string | undefined;
}

/** Builds the accounts, principals and resources; a pure function of the options. */
export function buildEstate(options: EstateOptions): Estate {
  const root = new Random(options.seed, 'estate');
  const organizationId = options.organizationId ?? `o-${root.lowerAlnum(10)}`;
  const ids = uniqueAccountIds(root, options.accounts);
  const inOrg = (index: number): boolean =>
    options.layout === 'organization' || (options.layout === 'mixed' && index > 0);
  const managementIndex = ids.findIndex((_, i) => inOrg(i));
  const managementId = managementIndex >= 0 ? (ids[managementIndex] as string) : null;
  const accounts = ids.map((id, index) => {
    const rng = new Random(options.seed, 'account', index);
    const aliasBase = ALIASES[index % ALIASES.length] as string;
    const alias = `acme-${aliasBase}${index >= ALIASES.length ? `-${Math.floor(index / ALIASES.length)}` : ''}`;
    const homeRegion = options.regions[0] ?? 'us-east-1';
    const humans = rng.sample(HUMAN_USERS, rng.int(2, 3)).map((n) => iamUserOf(id, n, rng, true));
    const machines = rng.sample(MACHINE_USERS, rng.int(2, 3)).map((n) => iamUserOf(id, n, rng, false));
    const ssoPath = `/aws-reserved/sso.amazonaws.com/${homeRegion}/`;
    const functions = rng.sample(FUNCTIONS, rng.int(3, 6));
    const glueJobs = rng.sample(GLUE_JOBS, rng.int(2, 4));
    const regional = new Map<string, RegionalResources>();
    for (const region of options.regions) {
      const r = new Random(options.seed, 'regional', index, region);
      regional.set(region, {
        kmsKeys: Array.from({ length: r.int(2, 4) }, () => r.uuid()),
        instances: Array.from({ length: r.int(2, 6) }, () => `i-0${r.hex(16)}`),
        vpcId: `vpc-0${r.hex(16)}`,
        subnets: Array.from({ length: 3 }, () => `subnet-0${r.hex(16)}`),
        securityGroups: Array.from({ length: r.int(2, 4) }, () => `sg-0${r.hex(16)}`),
        amiId: `ami-0${r.hex(16)}`,
        assetsBucket: `cdk-hnb659fds-assets-${id}-${region}`,
        vpcEndpointId: `vpce-0${r.hex(16)}`,
      });
    }
    const glueRole = roleOf(id, 'GlueJobRole', rng, '/service-role/');
    const serviceRoles: ServiceRole[] = [
      ...functions.map((fn) => ({
        role: roleOf(id, `${fn}-role-${rng.lowerAlnum(8)}`, rng, '/service-role/'),
        service: 'lambda' as const,
        workload: fn,
      })),
      ...glueJobs.map((job) => ({
        role: glueRole,
        service: 'glue' as const,
        workload: job,
      })),
      { role: roleOf(id, 'ec2-app-instance-role', rng), service: 'ec2', workload: `i-0${rng.hex(16)}` },
      {
        role: roleOf(id, 'scheduler-glue-starter', rng),
        service: 'scheduler',
        workload: glueJobs[0] as string,
      },
    ];
    const ssoUsers = rng
      .sample(SSO_USERS, rng.int(5, 8))
      .map((userName) => ({ userName, userId: rng.uuid() }));
    const account: SampleAccount = {
      index,
      id,
      alias,
      organizationId: inOrg(index) ? organizationId : null,
      isManagement: id === managementId,
      homeRegion,
      iamUsers: [...humans, ...machines],
      federationBroker: iamUserOf(id, 'federation-broker', rng, false),
      ssoUsers,
      ssoAdminRole: roleOf(id, `AWSReservedSSO_AdministratorAccess_${rng.hex(16)}`, rng, ssoPath),
      ssoReadOnlyRole: roleOf(id, `AWSReservedSSO_ReadOnlyAccess_${rng.hex(16)}`, rng, ssoPath),
      serviceRoles,
      configRole: roleOf(id, 'AWSServiceRoleForConfig', rng, '/aws-service-role/config.amazonaws.com/'),
      ciRole: roleOf(id, 'github-actions-deploy', rng),
      samlRoles: [roleOf(id, 'ADFS-Engineering', rng), roleOf(id, 'ADFS-ReadOnly', rng)],
      crossAccountRoles: [roleOf(id, 'OrganizationAccountAccessRole', rng), roleOf(id, 'SecurityAudit', rng)],
      partnerAccountId: rng.digits(12),
      partnerRoleId: `AROA${rng.upperAlnum(17)}`,
      githubRepo: rng.pick(REPOS),
      identityStoreId: `d-${rng.hex(10)}`,
      orgInstanceArn: `arn:aws:sso:::instance/ssoins-${rng.hex(16)}`,
      permissionSets: PERMISSION_SET_NAMES.map(() => `ps-${rng.hex(16)}`),
      buckets: [
        `${alias}-data-lake-${id}`,
        `${alias}-athena-results-${id}`,
        `aws-cloudtrail-logs-${id}-${rng.hex(8)}`,
        `${alias}-artifacts`,
      ],
      functions,
      glueJobs,
      glueDatabases: rng.sample(GLUE_DATABASES, 2),
      crawlers: ['cloudtrail-crawler', 'sales-crawler'],
      secrets: rng
        .sample(SECRETS, rng.int(2, 4))
        .map((name) => `arn:aws:secretsmanager:{region}:${id}:secret:${name}-${rng.alnum(6)}`),
      ssmParameters: SSM_PARAMETERS,
      dynamoTables: rng.sample(DYNAMO_TABLES, rng.int(2, 4)),
      stacks: rng.sample(STACKS, rng.int(2, 4)),
      workGroups: ['primary', 'analytics'],
      trailArn: `arn:aws:cloudtrail:us-east-1:${inOrg(index) && managementId ? managementId : id}:trail/${
        inOrg(index) ? 'org-trail' : 'management-events'
      }`,
      regional,
    };
    return account;
  });
  return { seed: options.seed, regions: options.regions, layout: options.layout, organizationId, accounts };
}

export function regionalOf(account: SampleAccount, region: string): RegionalResources {
  const r = account.regional.get(region);
  if (!r) throw new Error(`no resources for ${account.id} in ${region}`);
  return r;
}

// ---------------------------------------------------------------------------------------------------------
// Time formats seen in CloudTrail records

/** 'YYYY-MM-DDTHH:MM:SSZ' (the format of eventTime). */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 'Jun 2, 2024, 10:37:12 PM' (STS credential expiration, IAM createDate). */
export function javaDate(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h12}:${mm}:${ss} ${h < 12 ? 'AM' : 'PM'}`;
}

// ---------------------------------------------------------------------------------------------------------
// Sessions: one caller, one address, one client, several calls

export interface Session {
  kind: ActorKind;
  userIdentity: Record<string, unknown>;
  /** ARN used in "User: … is not authorized" messages. */
  principalArn: string;
  sourceIPAddress: string;
  /** Client; for the AWS CLI the command suffix is added per call. */
  userAgent: string;
  cli: boolean;
  console: boolean;
  /** Whether calls carry tlsDetails (not for calls made by AWS services). */
  tls: boolean;
  /** Role without write permissions: write calls mostly fail with AccessDenied. */
  readOnlyOnly: boolean;
  /** For service roles: what runs with the role. */
  workload?: ServiceRole['service'];
  /** For service roles: the function, job or instance. */
  workloadName?: string;
  /** Private address of a workload in a VPC: calls to services with a VPC endpoint come from it. */
  privateIp?: string;
}

const BROWSERS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:126.0) Gecko/20100101 Firefox/126.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
];

function cliAgent(rng: Random): string {
  const os = rng.pick([
    'os/macos#23.4.0 md/arch#arm64',
    'os/linux#6.5.0-1018-aws md/arch#x86_64',
    'os/windows#10',
  ]);
  return `aws-cli/2.15.${rng.int(10, 60)} md/awscrt#0.19.19 ua/2.0 ${os} lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off`;
}

function sdkAgent(rng: Random, service: ServiceRole['service'] | 'ci'): string {
  if (service === 'lambda' && rng.chance(0.5)) {
    return 'aws-sdk-js/3.556.0 ua/2.0 os/linux#5.10.214-225.855.amzn2.x86_64 lang/js md/nodejs#20.12.2 exec-env/AWS_Lambda_nodejs20.x';
  }
  if (service === 'lambda') {
    return 'Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#5.10.214-225.855.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.84';
  }
  if (service === 'glue') {
    return 'aws-sdk-java/1.12.697 Linux/5.10.215-203.850.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+8-LTS java/17.0.10 scala/2.12.15 vendor/Amazon.com_Inc. exec-env/AWS_Glue';
  }
  if (service === 'ec2') return 'aws-sdk-go/1.44.299 (go1.21.9; linux; amd64) amazon-ssm-agent/3.3.418.0';
  if (service === 'scheduler') return 'AWS Internal';
  return rng.pick([
    'APN/1.0 HashiCorp/1.0 Terraform/1.8.2 (+https://www.terraform.io) terraform-provider-aws/5.47.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.1 ua/2.0 os/linux lang/go#1.22.2 md/GOOS#linux md/GOARCH#amd64 api/sts#1.28.6',
    'aws-cdk/2.140.0 aws-sdk-js/2.1600.0 Node.js/v20.12.2 os/linux',
  ]);
}

const AWS_IP_PREFIXES = ['3.120', '3.236', '18.196', '52.94', '54.240', '34.228'];
const GITHUB_IP_PREFIXES = ['20.102', '4.227', '52.238', '172.183'];

export interface SessionContext {
  rng: Random;
  account: SampleAccount;
  region: string;
  /** Session start, epoch ms. */
  time: number;
}

function sessionContext(
  issuer: Record<string, unknown>,
  time: number,
  rng: Random,
  mfa: boolean,
  extra?: Record<string, unknown>,
  fresh = false,
): Record<string, unknown> {
  // Console sessions start with the sign-in; programmatic credentials were issued a while before.
  const created = fresh ? time : time - rng.int(0, 50 * 60) * 1000;
  return {
    sessionIssuer: issuer,
    webIdFederationData: {},
    attributes: { creationDate: isoSeconds(created), mfaAuthenticated: mfa ? 'true' : 'false' },
    ...extra,
  };
}

function assumedRole(
  account: SampleAccount,
  role: Role,
  sessionName: string,
  ctx: SessionContext,
  extra?: Record<string, unknown>,
  fresh = false,
): Record<string, unknown> {
  const identity: Record<string, unknown> = {
    type: 'AssumedRole',
    principalId: `${role.id}:${sessionName}`,
    arn: `arn:aws:sts::${account.id}:assumed-role/${role.name}/${sessionName}`,
    accountId: account.id,
    accessKeyId: `ASIA${ctx.rng.upperAlnum(16)}`,
    sessionContext: sessionContext(
      { type: 'Role', principalId: role.id, arn: role.arn, accountId: account.id, userName: role.name },
      ctx.time,
      ctx.rng,
      false,
      extra,
      fresh,
    ),
  };
  return identity;
}

function humanClient(
  rng: Random,
  consoleShare: number,
): { console: boolean; cli: boolean; userAgent: string; ip: string } {
  const ip = rng.ipv4();
  if (rng.chance(consoleShare)) {
    return { console: true, cli: false, userAgent: rng.pick(['AWS Internal', 'console.amazonaws.com']), ip };
  }
  return { console: false, cli: true, userAgent: cliAgent(rng), ip };
}

/** Opens a session for an actor kind: a fixed identity, address and client for several calls. */
export function openSession(kind: ActorKind, ctx: SessionContext): Session {
  const { rng, account } = ctx;
  switch (kind) {
    case 'iam-user': {
      const user = rng.pick(account.iamUsers);
      const client = user.console ? humanClient(rng, 0.45) : null;
      const consoleSession = client?.console ?? false;
      const identity: Record<string, unknown> = {
        type: 'IAMUser',
        principalId: user.principalId,
        arn: user.arn,
        accountId: account.id,
        accessKeyId: consoleSession ? `ASIA${rng.upperAlnum(16)}` : user.accessKeyId,
        userName: user.userName,
      };
      if (consoleSession) {
        identity.sessionContext = sessionContext({}, ctx.time, rng, user.mfa, undefined, true);
      }
      const machine = !user.console;
      return {
        kind,
        userIdentity: identity,
        principalArn: user.arn,
        sourceIPAddress: client?.ip ?? rng.ipv4(machine ? AWS_IP_PREFIXES : undefined),
        userAgent: client?.userAgent ?? (machine ? sdkAgent(rng, 'ci') : cliAgent(rng)),
        cli: client?.cli ?? false,
        console: consoleSession,
        tls: true,
        readOnlyOnly: false,
      };
    }
    case 'sso-admin':
    case 'sso-readonly':
    case 'athena-glue': {
      const role = kind === 'sso-admin' ? account.ssoAdminRole : account.ssoReadOnlyRole;
      const user = rng.pick(account.ssoUsers);
      const client = kind === 'athena-glue' ? null : humanClient(rng, 0.5);
      const identity = assumedRole(account, role, user.userName, ctx, undefined, client?.console ?? false);
      const arn = identity.arn as string;
      if (!client) {
        identity.invokedBy = 'athena.amazonaws.com';
        return {
          kind,
          userIdentity: identity,
          principalArn: arn,
          sourceIPAddress: 'athena.amazonaws.com',
          userAgent: 'athena.amazonaws.com',
          cli: false,
          console: false,
          tls: false,
          readOnlyOnly: true,
        };
      }
      return {
        kind,
        userIdentity: identity,
        principalArn: arn,
        sourceIPAddress: client.ip,
        userAgent: client.userAgent,
        cli: client.cli,
        console: client.console,
        tls: true,
        readOnlyOnly: kind === 'sso-readonly',
      };
    }
    case 'service-role': {
      const sr = rng.pick(account.serviceRoles);
      let sessionName = sr.workload;
      let extra: Record<string, unknown> | undefined;
      if (sr.service === 'glue') sessionName = 'GlueJobRunnerSession';
      if (sr.service === 'ec2') extra = { ec2RoleDelivery: '2.0' };
      if (sr.service === 'scheduler') sessionName = rng.hex(32);
      const identity = assumedRole(account, sr.role, sessionName, ctx, extra);
      return {
        kind,
        userIdentity: identity,
        principalArn: identity.arn as string,
        sourceIPAddress: rng.ipv4(AWS_IP_PREFIXES),
        userAgent: sdkAgent(rng, sr.service),
        cli: false,
        console: false,
        tls: sr.service !== 'scheduler',
        readOnlyOnly: false,
        workload: sr.service,
        workloadName: sr.workload,
        ...((sr.service === 'ec2' || sr.service === 'lambda') && rng.chance(0.4)
          ? { privateIp: `10.0.${rng.int(0, 255)}.${rng.int(1, 254)}` }
          : {}),
      };
    }
    case 'service-linked': {
      const identity = assumedRole(account, account.configRole, 'AWSConfig-Describe', ctx);
      identity.invokedBy = 'config.amazonaws.com';
      return {
        kind,
        userIdentity: identity,
        principalArn: identity.arn as string,
        sourceIPAddress: 'config.amazonaws.com',
        userAgent: 'config.amazonaws.com',
        cli: false,
        console: false,
        tls: false,
        readOnlyOnly: true,
      };
    }
    case 'ci-role':
    case 'saml-role': {
      const role = kind === 'ci-role' ? account.ciRole : rng.pick(account.samlRoles);
      const sessionName =
        kind === 'ci-role' ? `GitHubActions-${rng.digits(10)}` : rng.pick(account.ssoUsers).userName;
      const identity = assumedRole(account, role, sessionName, ctx);
      const client =
        kind === 'ci-role'
          ? { ip: rng.ipv4(GITHUB_IP_PREFIXES), userAgent: sdkAgent(rng, 'ci'), cli: false }
          : { ip: rng.ipv4(), userAgent: cliAgent(rng), cli: true };
      return {
        kind,
        userIdentity: identity,
        principalArn: identity.arn as string,
        sourceIPAddress: client.ip,
        userAgent: client.userAgent,
        cli: client.cli,
        console: false,
        tls: true,
        readOnlyOnly: role.name.endsWith('ReadOnly'),
      };
    }
    case 'aws-service': {
      const service = rng.pick([
        'lambda.amazonaws.com',
        'lambda.amazonaws.com',
        'glue.amazonaws.com',
        'ec2.amazonaws.com',
        'scheduler.amazonaws.com',
      ]);
      return {
        kind,
        userIdentity: { type: 'AWSService', invokedBy: service },
        principalArn: service,
        sourceIPAddress: service,
        userAgent: service,
        cli: false,
        console: false,
        tls: false,
        readOnlyOnly: false,
      };
    }
    case 'service-event':
      return {
        kind,
        userIdentity: { accountId: account.id, invokedBy: 'AWS Internal' },
        principalArn: 'AWS Internal',
        sourceIPAddress: 'AWS Internal',
        userAgent: 'AWS Internal',
        cli: false,
        console: false,
        tls: false,
        readOnlyOnly: false,
      };
    case 'root': {
      const arn = `arn:aws:iam::${account.id}:root`;
      return {
        kind,
        userIdentity: {
          type: 'Root',
          principalId: account.id,
          arn,
          accountId: account.id,
          accessKeyId: `ASIA${rng.upperAlnum(16)}`,
          sessionContext: sessionContext({}, ctx.time, rng, true, undefined, true),
        },
        principalArn: arn,
        sourceIPAddress: rng.ipv4(),
        userAgent: 'AWS Internal',
        cli: false,
        console: true,
        tls: true,
        readOnlyOnly: false,
      };
    }
    case 'federated': {
      const name = rng.pick(['partner-portal', 'support-tool', 'ops-dashboard']);
      const broker = account.federationBroker;
      const arn = `arn:aws:sts::${account.id}:federated-user/${name}`;
      return {
        kind,
        userIdentity: {
          type: 'FederatedUser',
          principalId: `${account.id}:${name}`,
          arn,
          accountId: account.id,
          accessKeyId: `ASIA${rng.upperAlnum(16)}`,
          sessionContext: sessionContext(
            {
              type: 'IAMUser',
              principalId: broker.principalId,
              arn: broker.arn,
              accountId: account.id,
              userName: broker.userName,
            },
            ctx.time,
            rng,
            false,
          ),
        },
        principalArn: arn,
        sourceIPAddress: rng.ipv4(AWS_IP_PREFIXES),
        userAgent:
          'aws-sdk-java/1.12.261 Linux/4.14.343-261.564.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/11.0.23+9-LTS',
        cli: false,
        console: false,
        tls: true,
        readOnlyOnly: true,
      };
    }
    case 'saml': {
      const user = rng.pick(account.ssoUsers).userName;
      const provider = `${rng.alnum(27)}=`;
      return {
        kind,
        userIdentity: {
          type: 'SAMLUser',
          principalId: `${provider}:${user}`,
          userName: user,
          identityProvider: provider,
        },
        principalArn: user,
        sourceIPAddress: rng.ipv4(),
        userAgent: cliAgent(rng),
        cli: true,
        console: false,
        tls: true,
        readOnlyOnly: false,
      };
    }
    case 'web-identity': {
      const subject = `repo:${account.githubRepo}:ref:refs/heads/main`;
      const provider = `arn:aws:iam::${account.id}:oidc-provider/token.actions.githubusercontent.com`;
      return {
        kind,
        userIdentity: {
          type: 'WebIdentityUser',
          principalId: `${provider}:sts.amazonaws.com:${subject}`,
          userName: subject,
          identityProvider: provider,
        },
        principalArn: subject,
        sourceIPAddress: rng.ipv4(GITHUB_IP_PREFIXES),
        userAgent: sdkAgent(rng, 'ci'),
        cli: false,
        console: false,
        tls: true,
        readOnlyOnly: false,
      };
    }
    case 'aws-account': {
      const session = rng.pick(['security-scanner', 'backup-copy', `i-0${rng.hex(16)}`]);
      return {
        kind,
        userIdentity: {
          type: 'AWSAccount',
          principalId: `${account.partnerRoleId}:${session}`,
          accountId: account.partnerAccountId,
        },
        principalArn: `arn:aws:sts::${account.partnerAccountId}:assumed-role/cross-account/${session}`,
        sourceIPAddress: rng.ipv4(AWS_IP_PREFIXES),
        userAgent: 'aws-sdk-go-v2/1.26.1 ua/2.0 os/linux lang/go#1.22.2 md/GOOS#linux md/GOARCH#amd64',
        cli: false,
        console: false,
        tls: true,
        readOnlyOnly: true,
      };
    }
    case 'ic-user': {
      const user = rng.pick(account.ssoUsers);
      return {
        kind,
        userIdentity: {
          type: 'IdentityCenterUser',
          accountId: account.id,
          onBehalfOf: {
            userId: user.userId,
            identityStoreArn: `arn:aws:identitystore::${account.id}:identitystore/${account.identityStoreId}`,
          },
          credentialId: rng.uuid(),
        },
        principalArn: user.userName,
        sourceIPAddress: rng.ipv4(),
        userAgent: rng.pick(BROWSERS),
        cli: false,
        console: false,
        tls: true,
        readOnlyOnly: false,
      };
    }
    case 'ic-signin': {
      const user = rng.pick(account.ssoUsers);
      return {
        kind,
        userIdentity: {
          type: 'Unknown',
          principalId: account.id,
          arn: '',
          accountId: account.id,
          accessKeyId: '',
          userName: user.userName,
        },
        principalArn: user.userName,
        sourceIPAddress: rng.ipv4(),
        userAgent: rng.pick(BROWSERS),
        cli: false,
        console: false,
        tls: true,
        readOnlyOnly: false,
      };
    }
  }
}

/** The browser user agent of a console session's sign-in (the API calls then say 'AWS Internal'). */
export function browserAgent(rng: Random): string {
  return rng.pick(BROWSERS);
}

// ---------------------------------------------------------------------------------------------------------
// The record envelope

const EVENT_VERSIONS: Record<string, string> = {
  's3.amazonaws.com': '1.10',
  'ec2.amazonaws.com': '1.09',
  'sts.amazonaws.com': '1.08',
  'iam.amazonaws.com': '1.08',
  'signin.amazonaws.com': '1.08',
  'kms.amazonaws.com': '1.08',
  'lambda.amazonaws.com': '1.08',
  'glue.amazonaws.com': '1.08',
  'athena.amazonaws.com': '1.09',
  'cloudtrail.amazonaws.com': '1.09',
  'sso.amazonaws.com': '1.11',
  'identitystore.amazonaws.com': '1.11',
  'organizations.amazonaws.com': '1.10',
  'logs.amazonaws.com': '1.08',
  'monitoring.amazonaws.com': '1.09',
  'secretsmanager.amazonaws.com': '1.08',
  'ssm.amazonaws.com': '1.08',
  'dynamodb.amazonaws.com': '1.10',
  'cloudformation.amazonaws.com': '1.08',
  'ecr.amazonaws.com': '1.08',
};

const GLOBAL_HOSTS: Record<string, string> = {
  'iam.amazonaws.com': 'iam.amazonaws.com',
  'organizations.amazonaws.com': 'organizations.us-east-1.amazonaws.com',
  'cloudfront.amazonaws.com': 'cloudfront.amazonaws.com',
};

export function serviceHost(eventSource: string, region: string): string {
  const global = GLOBAL_HOSTS[eventSource];
  if (global) return global;
  if (eventSource === 'signin.amazonaws.com') return `${region}.signin.aws.amazon.com`;
  if (eventSource === 'sso.amazonaws.com') return `sso.${region}.amazonaws.com`;
  if (eventSource === 'identitystore.amazonaws.com') return `identitystore.${region}.amazonaws.com`;
  if (eventSource === 's3.amazonaws.com') return `s3.${region}.amazonaws.com`;
  return `${eventSource.replace('.amazonaws.com', '')}.${region}.amazonaws.com`;
}

export interface RecordParts {
  eventSource: string;
  eventName: string;
  eventType?: 'AwsApiCall' | 'AwsServiceEvent' | 'AwsConsoleSignIn';
  readOnly: boolean;
  requestParameters?: unknown;
  responseElements?: unknown;
  additionalEventData?: Record<string, unknown>;
  serviceEventDetails?: Record<string, unknown>;
  resources?: Record<string, unknown>[];
  apiVersion?: string;
  sharedEventID?: boolean;
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
  /** Request id override (S3 uses 16 upper-case hex characters); null leaves the field out. */
  requestID?: string | null;
  /** Event id override (planned events carry theirs). */
  eventID?: string;
  /** Another service made the call on the session's behalf: sourceIPAddress/userAgent become its name. */
  via?: string | undefined;
  /** CLI command suffix (`md/command#s3api.list-buckets`). */
  cliCommand?: string | undefined;
  /** User agent override (console sign-in events carry the browser's). */
  userAgent?: string | undefined;
  /** The call came through this VPC endpoint (sourceIPAddress becomes the session's private address). */
  vpcEndpointId?: string | undefined;
}

export interface RecordEnvelopeContext {
  rng: Random;
  account: SampleAccount;
  region: string;
  session: Session;
  time: number;
}

const TLS_CHOICES = [
  { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256' },
  { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256' },
  { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_256_GCM_SHA384' },
  { tlsVersion: 'TLSv1.2', cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256' },
];

/** Builds one record in the field order CloudTrail writes. */
export function buildRecord(ctx: RecordEnvelopeContext, parts: RecordParts): CloudTrailRecord {
  const { rng, session } = ctx;
  const eventType = parts.eventType ?? 'AwsApiCall';
  let userIdentity = session.userIdentity;
  let sourceIPAddress = session.sourceIPAddress;
  let userAgent = session.userAgent;
  let tls = session.tls;
  if (parts.via) {
    userIdentity = { ...userIdentity, invokedBy: parts.via };
    sourceIPAddress = parts.via;
    userAgent = parts.via;
    tls = false;
  } else if (session.cli && parts.cliCommand) {
    userAgent = `${userAgent} md/command#${parts.cliCommand}`;
  }
  if (parts.userAgent) userAgent = parts.userAgent;
  if (parts.vpcEndpointId && session.privateIp) sourceIPAddress = session.privateIp;
  const record: CloudTrailRecord = {
    eventVersion: EVENT_VERSIONS[parts.eventSource] ?? '1.08',
    userIdentity,
    eventTime: isoSeconds(ctx.time),
    eventSource: parts.eventSource,
    eventName: parts.eventName,
    awsRegion: ctx.region,
    sourceIPAddress,
    userAgent,
  };
  if (parts.errorCode !== undefined) record.errorCode = parts.errorCode;
  if (parts.errorMessage !== undefined) record.errorMessage = parts.errorMessage;
  record.requestParameters = parts.requestParameters ?? null;
  record.responseElements = parts.errorCode !== undefined ? null : (parts.responseElements ?? null);
  if (parts.additionalEventData) record.additionalEventData = parts.additionalEventData;
  if (parts.requestID !== null) record.requestID = parts.requestID ?? rng.uuid();
  record.eventID = parts.eventID ?? rng.uuid();
  record.readOnly = parts.readOnly;
  if (parts.resources) record.resources = parts.resources;
  record.eventType = eventType;
  if (parts.apiVersion) record.apiVersion = parts.apiVersion;
  record.managementEvent = true;
  record.recipientAccountId = ctx.account.id;
  if (parts.sharedEventID) record.sharedEventID = rng.uuid();
  if (parts.vpcEndpointId && session.privateIp) {
    record.vpcEndpointId = parts.vpcEndpointId;
    record.vpcEndpointAccountId = ctx.account.id;
  }
  if (parts.serviceEventDetails) record.serviceEventDetails = parts.serviceEventDetails;
  record.eventCategory = 'Management';
  if (tls && eventType !== 'AwsServiceEvent') {
    const choice = rng.pick(TLS_CHOICES);
    record.tlsDetails = {
      tlsVersion: choice.tlsVersion,
      cipherSuite: choice.cipherSuite,
      clientProvidedHostHeader: serviceHost(parts.eventSource, ctx.region),
    };
  }
  if (session.console && !parts.via && eventType === 'AwsApiCall')
    record.sessionCredentialFromConsole = 'true';
  return record;
}

/** The IAM action prefix of an event source (`monitoring.amazonaws.com` → `cloudwatch`). */
export function actionPrefix(eventSource: string): string {
  const name = eventSource.replace('.amazonaws.com', '');
  return name === 'monitoring' ? 'cloudwatch' : name;
}

/** The API operation behind an event name (`GetFunction20150331v2` → `GetFunction`). */
export function operationOf(eventName: string): string {
  return eventName.replace(/\d{8}(v\d)?$/, '');
}

/** "User: arn is not authorized to perform: svc:Action on resource: … because no identity-based policy …" */
export function notAuthorizedMessage(
  session: Session,
  eventSource: string,
  eventName: string,
  resource: string,
) {
  const action = `${actionPrefix(eventSource)}:${operationOf(eventName)}`;
  return `User: ${session.principalArn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
}
