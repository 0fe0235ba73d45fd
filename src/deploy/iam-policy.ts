import { SOURCES } from '../sources/index.ts';
import type { ForeignTables } from '../sources/source-definition.ts';
import { arns, type DeployConfig, sourcesOnAws } from './deploy-config.ts';
import { stateMachineName } from './state-machine-resources.ts';

/**
 * Least-privilege IAM policies for the principals that run lakeq on AWS. The actions each one
 * may call live in `POLICY_GRANTS`, one registry; a test maps every SDK command the code
 * constructs and every Task resource of the ASL files to IAM actions and fails when the
 * principal that makes the call lacks one.
 *
 * - `stateMachine`: the Step Functions execution role (Athena `.sync` loads, Glue partitions,
 *   Lambda tasks, SPICE ingestions, nested executions).
 * - `lambda`: the task function's execution role.
 * - `scheduler`: the EventBridge Scheduler role that invokes the launchers (hourly, findings report).
 * - `analyst`: a person running `lakeq query` on Athena or CloudTrail Lake.
 * - `deployer`: whoever runs `lakeq deploy`.
 */
export const POLICY_PRINCIPALS = ['stateMachine', 'lambda', 'scheduler', 'analyst', 'deployer'] as const;
export type PolicyPrincipal = (typeof POLICY_PRINCIPALS)[number];

/** The names and ARNs policies are scoped to, from the deploy settings. */
export interface PolicyValues {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly database: string;
  readonly catalog: string;
  readonly workGroup: string;
  readonly data: S3Scope;
  readonly results: S3Scope;
  /** Where sources' raw inputs are read in place, by source name (`cloudtrail`: the trail's `AWSLogs/`). */
  readonly raw: Readonly<Record<string, S3Scope>>;
  /** Tables other services keep that sources' views read (Security Lake's), by source name. */
  readonly foreign: Readonly<Record<string, ForeignTables>>;
  readonly lambdaFunction: string;
  readonly stateMachinePrefix: string;
  readonly scheduledStateMachine: string;
  readonly schedule: string;
  readonly dataSourceId: string;
  readonly dataSetPrefix: string;
  readonly roles: DeployConfig['roles'];
  /** The role the Identity Center collector assumes in member accounts (`LAKEQ_IDENTITY_CENTER_MEMBER_ROLE`). */
  readonly identityCenterMemberRole: string;
  /** The findings report: its SNS topic's ARN, its state machine's name, its schedule (`group/name`). */
  readonly findingsReport: {
    readonly topicArn: string;
    readonly stateMachine: string;
    readonly schedule: string;
  };
}

/** The member role's name when `lambda.environment` names none: what `lakeq iam-policy` prints the trust of. */
export const DEFAULT_IDENTITY_CENTER_MEMBER_ROLE = 'lakeq-identity-center-read';

/** A bucket and the key prefix (empty, or ending in `/`) lakeq uses in it. */
export interface S3Scope {
  readonly bucket: string;
  readonly keyPrefix: string;
}

/** An IAM statement's `Condition`. */
export type PolicyCondition = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

/** One statement of the registry: actions, the resources they are scoped to, and a condition. */
export interface Grant {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: (v: PolicyValues) => readonly string[];
  readonly condition?: PolicyCondition | ((v: PolicyValues) => PolicyCondition | undefined);
}

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
  Condition?: PolicyCondition;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

const arn = (v: PolicyValues, service: string, resource: string) =>
  `arn:${v.partition}:${service}:${v.region}:${v.accountId}:${resource}`;
const s3 = (v: PolicyValues, path: string) => `arn:${v.partition}:s3:::${path}`;
const objects = (v: PolicyValues, scope: S3Scope) => s3(v, `${scope.bucket}/${scope.keyPrefix}*`);
const workGroup = (v: PolicyValues) => [arn(v, 'athena', `workgroup/${v.workGroup}`)];
const catalog = (v: PolicyValues) => [
  arn(v, 'glue', 'catalog'),
  arn(v, 'glue', `database/${v.database}`),
  arn(v, 'glue', `table/${v.database}/*`),
];
const dataSets = (v: PolicyValues) => [
  arn(v, 'quicksight', `dataset/${v.dataSetPrefix}*`),
  arn(v, 'quicksight', `dataset/${v.dataSetPrefix}*/ingestion/*`),
];
const lambdaArns = (v: PolicyValues) => {
  const fn = arn(v, 'lambda', `function:${v.lambdaFunction}`);
  return [fn, `${fn}:*`];
};

const ATHENA_RUN = [
  'athena:StartQueryExecution',
  'athena:GetQueryExecution',
  'athena:GetQueryResults',
  'athena:StopQueryExecution',
  'athena:GetWorkGroup',
];
const CATALOG_READ = [
  'glue:GetDatabase',
  'glue:GetDatabases',
  'glue:GetTable',
  'glue:GetTables',
  'glue:GetPartition',
  'glue:GetPartitions',
  'glue:BatchGetPartition',
];
const PARTITION_WRITE = [
  'glue:CreatePartition',
  'glue:BatchCreatePartition',
  'glue:UpdatePartition',
  'glue:BatchUpdatePartition',
  'glue:DeletePartition',
  'glue:BatchDeletePartition',
];
/** What dropping and computing the TPC-DS tables' Glue column statistics takes (the task run ids are not ARNs). */
export const TPCDS_COLUMN_STATISTICS_ACTIONS = [
  'glue:StartColumnStatisticsTaskRun',
  'glue:GetColumnStatisticsForTable',
  'glue:DeleteColumnStatisticsForTable',
];
const BUCKET_READ = ['s3:ListBucket', 's3:GetBucketLocation'];
/** ListBucket limited to the keys under a scope's prefix (none needed for a whole bucket). */
const listPrefixOnly = (scope: S3Scope): PolicyCondition | undefined =>
  scope.keyPrefix === '' ? undefined : { StringLike: { 's3:prefix': [`${scope.keyPrefix}*`] } };
const RESULTS_RW = ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];

/** The sources whose raw inputs are read in place on S3, with the word their statements are named with. */
const RAW_READERS = SOURCES.flatMap((s) => (s.aws?.iamName ? [{ name: s.name, sid: s.aws.iamName }] : []));
const rawScopes = (v: PolicyValues, name?: string): S3Scope[] =>
  Object.entries(v.raw).flatMap(([source, scope]) => (name === undefined || source === name ? [scope] : []));
/** `S3TrailRead`: Athena reads the trail's log files where CloudTrail delivers them. */
const rawReadGrants: Grant[] = RAW_READERS.map((r) => ({
  sid: `S3${r.sid}Read`,
  actions: ['s3:GetObject'],
  resources: (v) => rawScopes(v, r.name).map((scope) => objects(v, scope)),
}));

/**
 * The Glue entries of another service's tables: the catalog and database each was made in, and
 * the deploy Region's, where Athena resolves the views' names (the same database, or a resource
 * link to it).
 */
const foreignCatalog = (v: PolicyValues, foreign: ForeignTables | undefined): string[] =>
  (foreign?.databases ?? []).flatMap((db) =>
    [...new Set([db.region, v.region])].flatMap((region) => {
      const at = (resource: string) => `arn:${v.partition}:glue:${region}:${v.accountId}:${resource}`;
      return [at('catalog'), at(`database/${db.name}`), ...db.tables.map((t) => at(`table/${db.name}/${t}`))];
    }),
  );
const foreignScopes = (v: PolicyValues, name: string): S3Scope[] =>
  (v.foreign[name]?.locations ?? []).map(s3Scope);
/**
 * `GlueSecurityLakeTables`, `S3SecurityLakeTables`, `S3ListSecurityLakeTables`,
 * `KmsSecurityLakeDecrypt`: what an Athena caller reads another service's tables with, when a
 * deploy section configures them (Lake Formation's own grant aside: lake-formation-grants.ts).
 */
const foreignReadGrants: Grant[] = RAW_READERS.flatMap((r): Grant[] => [
  {
    sid: `Glue${r.sid}Tables`,
    actions: CATALOG_READ,
    resources: (v) => foreignCatalog(v, v.foreign[r.name]),
  },
  {
    sid: `S3${r.sid}Tables`,
    actions: ['s3:GetObject'],
    resources: (v) => foreignScopes(v, r.name).map((scope) => objects(v, scope)),
  },
  {
    sid: `S3List${r.sid}Tables`,
    actions: ['s3:ListBucket'],
    resources: (v) => foreignScopes(v, r.name).map((scope) => s3(v, scope.bucket)),
    condition: (v) => {
      const prefixes = [...new Set(foreignScopes(v, r.name).map((scope) => scope.keyPrefix))];
      return prefixes.length === 0 || prefixes.includes('')
        ? undefined
        : { StringLike: { 's3:prefix': prefixes.map((p) => `${p}*`) } };
    },
  },
  {
    sid: `Kms${r.sid}Decrypt`,
    actions: ['kms:Decrypt'],
    resources: (v) => [...(v.foreign[r.name]?.kmsKeys ?? [])],
  },
]);

/** Athena runs queries with its caller's permissions: the catalog, the tables' files, the results. */
const athenaQueryGrants = (tables: 'read' | 'write'): Grant[] => [
  { sid: 'AthenaQueries', actions: ATHENA_RUN, resources: workGroup },
  {
    sid: 'AthenaDataCatalog',
    actions: ['athena:GetDataCatalog'],
    resources: (v) => [arn(v, 'athena', `datacatalog/${v.catalog}`)],
  },
  { sid: 'GlueCatalogRead', actions: CATALOG_READ, resources: catalog },
  ...(tables === 'write' ? [{ sid: 'GluePartitions', actions: PARTITION_WRITE, resources: catalog }] : []),
  {
    sid: 'S3Buckets',
    actions: [...BUCKET_READ, 's3:ListBucketMultipartUploads'],
    resources: (v) => [v.data, v.results, ...rawScopes(v)].map((b) => s3(v, b.bucket)),
  },
  { sid: 'S3QueryResults', actions: RESULTS_RW, resources: (v) => [objects(v, v.results)] },
  ...rawReadGrants,
  {
    sid: tables === 'write' ? 'S3LakeReadWrite' : 'S3LakeRead',
    actions: tables === 'write' ? [...RESULTS_RW, 's3:DeleteObject'] : ['s3:GetObject'],
    resources: (v) => [objects(v, v.data)],
  },
  ...foreignReadGrants,
  // Needed only where Lake Formation governs the catalog; it grants nothing by itself.
  { sid: 'LakeFormationDataAccess', actions: ['lakeformation:GetDataAccess'], resources: () => ['*'] },
];

/**
 * What running a read-only Athena query takes beyond the Athena calls themselves: Athena reads
 * the catalog, the tables' files and writes results with its caller's permissions, depending on
 * the query (views, partitions, Lake Formation), so no SDK command names these.
 */
export const ATHENA_QUERY_READ_ACTIONS: ReadonlySet<string> = new Set(
  athenaQueryGrants('read').flatMap((g) => g.actions),
);

const passRole = (sid: string, role: (v: PolicyValues) => string | undefined, service: string): Grant => ({
  sid,
  actions: ['iam:PassRole'],
  resources: (v) => {
    const r = role(v);
    return r ? [r] : [];
  },
  condition: { StringEquals: { 'iam:PassedToService': service } },
});

/** The registry: what each principal may call, and on what. */
export const POLICY_GRANTS: Readonly<Record<PolicyPrincipal, readonly Grant[]>> = {
  stateMachine: [
    ...athenaQueryGrants('write'),
    { sid: 'LambdaTasks', actions: ['lambda:InvokeFunction'], resources: lambdaArns },
    {
      sid: 'SpiceRefresh',
      actions: [
        'quicksight:CreateIngestion',
        'quicksight:DescribeIngestion',
        'quicksight:ListIngestions',
        'quicksight:CancelIngestion',
      ],
      resources: dataSets,
    },
    {
      sid: 'StartExecutions',
      actions: ['states:StartExecution'],
      resources: (v) => [arn(v, 'states', `stateMachine:${v.stateMachinePrefix}*`)],
    },
    {
      sid: 'NestedExecutions',
      actions: ['states:DescribeExecution', 'states:StopExecution'],
      resources: (v) => [arn(v, 'states', `execution:${v.stateMachinePrefix}*:*`)],
    },
    // `states:startExecution.sync` waits through an EventBridge rule Step Functions manages.
    {
      sid: 'SyncExecutionEvents',
      actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      resources: (v) => [arn(v, 'events', 'rule/StepFunctionsGetEventsForStepFunctionsExecutionRule')],
    },
  ],
  // The code tasks (src/orchestration/aws/aws-handler-context.ts): state in the data prefix,
  // UNLOAD output and old partition prefixes emptied there, the trail listed, the catalog's
  // partitions and the datasets' ingestions read; the Glue collector's reads; the alarms' queries
  // (Athena, read only) and metrics; the hourly launch. Loads, Glue partition writes and SPICE
  // refreshes are the state machine's.
  lambda: [
    // Athena's reads, but S3 as below: the lake's objects and listings held to its prefix.
    ...athenaQueryGrants('read').filter(
      (g) => !['S3LakeRead', 'S3Buckets', ...rawReadGrants.map((r) => r.sid)].includes(g.sid),
    ),
    { sid: 'S3ResultsBucket', actions: BUCKET_READ, resources: (v) => [s3(v, v.results.bucket)] },
    {
      sid: 'Logs',
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: (v) => [arn(v, 'logs', `log-group:/aws/lambda/${v.lambdaFunction}:*`)],
    },
    {
      sid: 'S3LakeState',
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: (v) => [objects(v, v.data)],
    },
    {
      sid: 'S3ListLake',
      actions: ['s3:ListBucket'],
      resources: (v) => [s3(v, v.data.bucket)],
      condition: (v) => listPrefixOnly(v.data),
    },
    // `S3ListTrail`: the Lambda lists the trail's folders (the planner), under its prefix only.
    ...RAW_READERS.map(
      (r): Grant => ({
        sid: `S3List${r.sid}`,
        actions: ['s3:ListBucket'],
        resources: (v) => rawScopes(v, r.name).map((scope) => s3(v, scope.bucket)),
        condition: (v) => {
          const [scope] = rawScopes(v, r.name);
          return scope ? listPrefixOnly(scope) : undefined;
        },
      }),
    ),
    { sid: 'SpiceIngestionsList', actions: ['quicksight:ListIngestions'], resources: dataSets },
    {
      sid: 'GlueJobRunsRead',
      actions: ['glue:GetJobs', 'glue:GetJobRuns'],
      resources: (v) => [arn(v, 'glue', 'job/*')],
    },
    // GetMetricData and PutMetricData take no resource; PutMetricData is held to lakeq's namespace.
    { sid: 'GlueMetricsRead', actions: ['cloudwatch:GetMetricData'], resources: () => ['*'] },
    // The Identity Center inventory (opt-in: LAKEQ_IDENTITY_CENTER_REGIONS): read-only lists and
    // describes of the organization, instances, applications and users, in any account the
    // member role is assumed in; the role itself only by its name.
    // Without resource-level permissions: '*'.
    {
      sid: 'IdentityCenterOrganizationRead',
      actions: ['organizations:ListAccounts', 'sso:ListInstances', 'sts:GetCallerIdentity'],
      resources: () => ['*'],
    },
    {
      sid: 'IdentityCenterInventoryRead',
      actions: [
        'sso:DescribeInstance',
        'sso:ListApplications',
        'sso:ListApplicationAssignments',
        'identitystore:ListUsers',
      ],
      resources: (v) => [
        `arn:${v.partition}:sso:::instance/*`,
        `arn:${v.partition}:sso::*:application/*`,
        `arn:${v.partition}:identitystore::*:identitystore/*`,
        `arn:${v.partition}:identitystore:::user/*`,
      ],
    },
    {
      sid: 'IdentityCenterMemberRole',
      actions: ['sts:AssumeRole'],
      resources: (v) => [`arn:${v.partition}:iam::*:role/${v.identityCenterMemberRole}`],
    },
    // The findings report (findings-report.asl.json): GetFindings from the hub, the report put
    // under its prefix and presigned (the link signs a GetObject), the mail published.
    {
      sid: 'FindingsRead',
      actions: ['securityhub:GetFindings'],
      resources: (v) => [arn(v, 'securityhub', 'hub/default')],
    },
    {
      sid: 'FindingsReportObjects',
      actions: ['s3:PutObject', 's3:GetObject'],
      resources: (v) => [s3(v, `${v.data.bucket}/${v.data.keyPrefix}reports/findings/*`)],
    },
    {
      sid: 'FindingsReportPublish',
      actions: ['sns:Publish'],
      resources: (v) => [v.findingsReport.topicArn],
    },
    {
      sid: 'HealthMetrics',
      actions: ['cloudwatch:PutMetricData'],
      resources: () => ['*'],
      condition: { StringEquals: { 'cloudwatch:namespace': 'lakeq' } },
    },
    {
      sid: 'StartHourly',
      actions: ['states:StartExecution'],
      resources: (v) => [arn(v, 'states', `stateMachine:${v.scheduledStateMachine}`)],
    },
    {
      sid: 'StartFindingsReport',
      actions: ['states:StartExecution'],
      resources: (v) => [arn(v, 'states', `stateMachine:${v.findingsReport.stateMachine}`)],
    },
  ],
  // The schedule invokes the Lambda's launchHourly action, which names the execution after its hour.
  // The schedules invoke the Lambda's launchers, which name the executions after their times.
  scheduler: [{ sid: 'InvokeLauncher', actions: ['lambda:InvokeFunction'], resources: lambdaArns }],
  analyst: [
    ...athenaQueryGrants('read'),
    {
      sid: 'NamedQueries',
      actions: ['athena:ListNamedQueries', 'athena:GetNamedQuery', 'athena:BatchGetNamedQuery'],
      resources: workGroup,
    },
    {
      sid: 'CloudTrailLake',
      actions: [
        'cloudtrail:StartQuery',
        'cloudtrail:DescribeQuery',
        'cloudtrail:GetQueryResults',
        'cloudtrail:CancelQuery',
      ],
      resources: (v) => [arn(v, 'cloudtrail', 'eventdatastore/*')],
    },
    // `lakeq tpcds compare --engine athena`: the TPC-DS tables' column statistics dropped, then
    // computed by Glue with the role `roles.glueStatistics`, which the analyst passes to Glue.
    {
      sid: 'TpcdsColumnStatistics',
      actions: TPCDS_COLUMN_STATISTICS_ACTIONS,
      resources: catalog,
    },
    {
      sid: 'TpcdsColumnStatisticsRuns',
      actions: ['glue:GetColumnStatisticsTaskRun'],
      resources: () => ['*'],
    },
    passRole('PassGlueStatisticsRole', (v) => v.roles.glueStatistics, 'glue.amazonaws.com'),
  ],
  deployer: [
    {
      sid: 'GlueCatalog',
      actions: [
        'glue:GetDatabase',
        'glue:CreateDatabase',
        'glue:UpdateDatabase',
        'glue:GetTable',
        'glue:CreateTable',
        'glue:UpdateTable',
        'glue:GetPartitions',
      ],
      resources: catalog,
    },
    // CREATE OR REPLACE VIEW over another service's tables (the OCSF views): Athena reads their entries.
    ...RAW_READERS.map(
      (r): Grant => ({
        sid: `Glue${r.sid}Tables`,
        actions: ['glue:GetDatabase', 'glue:GetTable'],
        resources: (v) => foreignCatalog(v, v.foreign[r.name]),
      }),
    ),
    {
      sid: 'AthenaWorkGroupAndQueries',
      actions: [
        'athena:GetWorkGroup',
        'athena:CreateWorkGroup',
        'athena:UpdateWorkGroup',
        'athena:ListNamedQueries',
        'athena:BatchGetNamedQuery',
        'athena:CreateNamedQuery',
        'athena:UpdateNamedQuery',
        'athena:DeleteNamedQuery',
        ...ATHENA_RUN.filter((a) => a !== 'athena:GetWorkGroup'),
      ],
      resources: workGroup,
    },
    // CREATE OR REPLACE VIEW runs on Athena, which writes its result files.
    { sid: 'S3ResultsBucket', actions: BUCKET_READ, resources: (v) => [s3(v, v.results.bucket)] },
    {
      sid: 'S3QueryResults',
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
      resources: (v) => [objects(v, v.results)],
    },
    {
      sid: 'Alarms',
      actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:PutMetricAlarm'],
      resources: (v) => [arn(v, 'cloudwatch', 'alarm:lakeq-*')],
    },
    {
      sid: 'StateMachines',
      actions: ['states:DescribeStateMachine', 'states:CreateStateMachine', 'states:UpdateStateMachine'],
      resources: (v) => [arn(v, 'states', `stateMachine:${v.stateMachinePrefix}*`)],
    },
    {
      sid: 'LambdaFunction',
      actions: [
        'lambda:GetFunction',
        'lambda:GetFunctionConfiguration',
        'lambda:CreateFunction',
        'lambda:UpdateFunctionCode',
        'lambda:UpdateFunctionConfiguration',
      ],
      resources: (v) => [arn(v, 'lambda', `function:${v.lambdaFunction}`)],
    },
    {
      sid: 'Schedule',
      actions: ['scheduler:GetSchedule', 'scheduler:CreateSchedule', 'scheduler:UpdateSchedule'],
      resources: (v) => [
        arn(v, 'scheduler', `schedule/${v.schedule}`),
        arn(v, 'scheduler', `schedule/${v.findingsReport.schedule}`),
      ],
    },
    {
      sid: 'FindingsReportTopic',
      actions: ['sns:GetTopicAttributes', 'sns:CreateTopic', 'sns:ListSubscriptionsByTopic', 'sns:Subscribe'],
      resources: (v) => [v.findingsReport.topicArn],
    },
    {
      sid: 'QuickSightDataSource',
      actions: [
        'quicksight:DescribeDataSource',
        'quicksight:DescribeDataSourcePermissions',
        'quicksight:CreateDataSource',
        'quicksight:UpdateDataSource',
        'quicksight:UpdateDataSourcePermissions',
        'quicksight:PassDataSource',
      ],
      resources: (v) => [arn(v, 'quicksight', `datasource/${v.dataSourceId}`)],
    },
    {
      sid: 'QuickSightDataSets',
      actions: [
        'quicksight:DescribeDataSet',
        'quicksight:DescribeDataSetPermissions',
        'quicksight:CreateDataSet',
        'quicksight:UpdateDataSet',
        'quicksight:UpdateDataSetPermissions',
      ],
      resources: (v) => [arn(v, 'quicksight', `dataset/${v.dataSetPrefix}*`)],
    },
    passRole('PassStateMachineRole', (v) => v.roles.stateMachine, 'states.amazonaws.com'),
    passRole('PassLambdaRole', (v) => v.roles.lambda, 'lambda.amazonaws.com'),
    passRole('PassSchedulerRole', (v) => v.roles.scheduler, 'scheduler.amazonaws.com'),
    passRole('PassQuickSightAthenaRole', (v) => v.roles.quicksightAthena, 'quicksight.amazonaws.com'),
  ],
};

/** Every action a principal is allowed, for the test that checks the code's calls against them. */
export function allowedActions(principal: PolicyPrincipal): Set<string> {
  return new Set(POLICY_GRANTS[principal].flatMap((g) => g.actions));
}

const s3Scope = (uri: string): S3Scope => {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new Error(`"${uri}" is not an s3:// URI`);
  const key = (match[2] ?? '').replace(/^\/+/, '');
  return { bucket: match[1] as string, keyPrefix: key && !key.endsWith('/') ? `${key}/` : key };
};

/** The scope values of the policies, from the deploy settings. */
export function policyValues(config: DeployConfig): PolicyValues {
  const raw = Object.fromEntries(
    sourcesOnAws(config).flatMap(({ source, aws }) =>
      aws.readScope === undefined ? [] : [[source.name, s3Scope(aws.readScope)]],
    ),
  );
  const foreign = Object.fromEntries(
    sourcesOnAws(config).flatMap(({ source, aws }) =>
      aws.foreignTables === undefined ? [] : [[source.name, aws.foreignTables]],
    ),
  );
  return {
    partition: config.partition,
    region: config.region,
    accountId: config.accountId,
    database: config.database,
    catalog: config.catalog,
    workGroup: config.workGroup,
    data: s3Scope(`s3://${config.data.bucket}/${config.data.prefix}`),
    results: s3Scope(config.resultsLocation),
    raw,
    foreign,
    lambdaFunction: config.lambda.functionName,
    stateMachinePrefix: config.stateMachines.namePrefix,
    scheduledStateMachine: stateMachineName(config, config.schedule.stateMachine),
    schedule: `${config.schedule.group}/${config.schedule.name}`,
    dataSourceId: config.quicksight.dataSourceId,
    dataSetPrefix: 'lakeq-',
    roles: config.roles,
    identityCenterMemberRole:
      config.lambda.environment.LAKEQ_IDENTITY_CENTER_MEMBER_ROLE ?? DEFAULT_IDENTITY_CENTER_MEMBER_ROLE,
    findingsReport: {
      topicArn: arns.findingsReportTopic(config),
      stateMachine: stateMachineName(config, 'findings-report'),
      schedule: `${config.schedule.group}/${config.findingsReport.scheduleName}`,
    },
  };
}

/**
 * The policy document of one principal, scoped to the deployed resources.
 *
 * @example
 * ```ts
 * iamPolicy('scheduler', config)
 * // { Version: '2012-10-17', Statement: [{ Sid: 'StartHourly', Effect: 'Allow', Action: ['states:StartExecution'],
 * //   Resource: ['arn:aws:states:eu-west-1:111122223333:stateMachine:lakeq-hourly'] }] }
 * ```
 */
export function iamPolicy(principal: PolicyPrincipal, config: DeployConfig): PolicyDocument {
  const values = policyValues(config);
  const Statement: PolicyStatement[] = [];
  for (const grant of POLICY_GRANTS[principal]) {
    const resources = [...new Set(grant.resources(values))];
    if (resources.length === 0) continue;
    const condition = typeof grant.condition === 'function' ? grant.condition(values) : grant.condition;
    Statement.push({
      Sid: grant.sid,
      Effect: 'Allow',
      Action: [...new Set(grant.actions)].sort(),
      Resource: resources,
      ...(condition ? { Condition: condition } : {}),
    });
  }
  return { Version: '2012-10-17', Statement };
}

/**
 * The role the Identity Center collector assumes in each member account, for a StackSet (or any
 * other way of making it in every account): its name, a trust policy that lets only lakeq's
 * Lambda role assume it, and its read-only permissions (the instances, applications, assignments
 * and users of that account's instances).
 *
 * @example
 * ```ts
 * const member = identityCenterMemberRole(config);
 * member.roleName // 'lakeq-identity-center-read'
 * member.trustPolicy.Statement[0].Principal // { AWS: 'arn:aws:iam::111122223333:role/lakeq-lambda' }
 * ```
 */
export function identityCenterMemberRole(config: DeployConfig): {
  roleName: string;
  trustPolicy: {
    Version: '2012-10-17';
    Statement: { Sid: string; Effect: 'Allow'; Principal: { AWS: string }; Action: string[] }[];
  };
  policy: PolicyDocument;
} {
  const v = policyValues(config);
  return {
    roleName: v.identityCenterMemberRole,
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'LakeqLambda',
          Effect: 'Allow',
          Principal: { AWS: v.roles.lambda },
          Action: ['sts:AssumeRole'],
        },
      ],
    },
    policy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'IdentityCenterInstancesList',
          Effect: 'Allow',
          Action: ['sso:ListInstances'],
          Resource: ['*'],
        },
        {
          Sid: 'IdentityCenterInventoryRead',
          Effect: 'Allow',
          Action: [
            'identitystore:ListUsers',
            'sso:DescribeInstance',
            'sso:ListApplicationAssignments',
            'sso:ListApplications',
          ],
          Resource: [
            `arn:${v.partition}:sso:::instance/*`,
            `arn:${v.partition}:sso::*:application/*`,
            `arn:${v.partition}:identitystore::*:identitystore/*`,
            `arn:${v.partition}:identitystore:::user/*`,
          ],
        },
      ],
    },
  };
}

/** Inline policies of a role may total 10,240 characters, whitespace excluded. */
export const MAX_INLINE_POLICY_CHARS = 10_240;

/**
 * What is wrong with a policy document's structure; `[]` when IAM would take it.
 *
 * @example
 * ```ts
 * validatePolicyDocument({ Version: '2012-10-17', Statement: [] }) // ['Statement: empty']
 * ```
 */
export function validatePolicyDocument(doc: unknown): string[] {
  const problems: string[] = [];
  const d = doc as Partial<PolicyDocument> | null;
  if (d?.Version !== '2012-10-17')
    problems.push(`Version: ${JSON.stringify(d?.Version)}, expected "2012-10-17"`);
  if (!Array.isArray(d?.Statement)) return [...problems, 'Statement: not a list'];
  if (d.Statement.length === 0) problems.push('Statement: empty');
  const sids = new Set<string>();
  d.Statement.forEach((s, i) => {
    const at = `Statement[${i}]${s?.Sid ? ` (${s.Sid})` : ''}`;
    if (s.Sid !== undefined && !/^[A-Za-z0-9]+$/.test(s.Sid))
      problems.push(`${at}: Sid must be alphanumeric`);
    if (s.Sid && sids.has(s.Sid)) problems.push(`${at}: duplicate Sid`);
    sids.add(s.Sid);
    if (s.Effect !== 'Allow' && (s.Effect as string) !== 'Deny')
      problems.push(`${at}: Effect must be Allow or Deny`);
    if (!Array.isArray(s.Action) || s.Action.length === 0) problems.push(`${at}: no Action`);
    for (const a of s.Action ?? [])
      if (!/^[a-z0-9-]+:[A-Za-z0-9*]+$/.test(a)) problems.push(`${at}: "${a}" is not service:Action`);
    if (!Array.isArray(s.Resource) || s.Resource.length === 0) problems.push(`${at}: no Resource`);
    for (const r of s.Resource ?? []) {
      // An account may be `*`: any account (a role of that name in every member account).
      if (r !== '*' && !/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}|\*)?:.+$/.test(r))
        problems.push(`${at}: "${r}" is not an ARN`);
      if (r.includes('${')) problems.push(`${at}: "${r}" has an unresolved placeholder`);
    }
  });
  const size = JSON.stringify(doc).replace(/\s/g, '').length;
  if (size > MAX_INLINE_POLICY_CHARS)
    problems.push(`${size} characters, above IAM's ${MAX_INLINE_POLICY_CHARS}`);
  return problems;
}
