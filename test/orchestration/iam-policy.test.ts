import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { LakeqSettings } from '../../src/config/lakeq-config.ts';
import { DEFAULT_STATE_MACHINES_DIR, resolveDeployConfig } from '../../src/deploy/deploy-config.ts';
import {
  aslTaskResources,
  iamActionsForAslResource,
  iamActionsForSdkCommand,
} from '../../src/deploy/iam-actions.ts';
import {
  ATHENA_QUERY_READ_ACTIONS,
  allowedActions,
  iamPolicy,
  identityCenterMemberRole,
  POLICY_PRINCIPALS,
  type PolicyPrincipal,
  TPCDS_COLUMN_STATISTICS_ACTIONS,
  validatePolicyDocument,
} from '../../src/deploy/iam-policy.ts';
import { substitutePlaceholders } from '../../src/deploy/placeholders.ts';
import { placeholderValues } from '../../src/deploy/state-machine-resources.ts';
import { expectValidRequest } from '../support/aws-model-validator.ts';
import { captureIO } from '../support/capture-io.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const ACCOUNT = '111122223333';
const SETTINGS: Pick<LakeqSettings, 'aws'> = {
  aws: { athena: { workGroup: 'primary', database: 'lakeq', catalog: 'AwsDataCatalog' }, cloudtrailLake: {} },
};
const DEPLOY = {
  accountId: ACCOUNT,
  region: 'eu-west-1',
  data: { bucket: 'lakeq-lake', prefix: 'lakeq' },
  resultsLocation: 's3://lakeq-results/athena/',
  trail: {
    bucket: 'org-trail',
    organizationId: 'o-abcdefghij',
    accounts: [ACCOUNT],
    regions: ['eu-west-1'],
    startDate: '2026-01-01',
  },
  roles: {
    stateMachine: `arn:aws:iam::${ACCOUNT}:role/lakeq-states`,
    lambda: `arn:aws:iam::${ACCOUNT}:role/lakeq-lambda`,
    scheduler: `arn:aws:iam::${ACCOUNT}:role/lakeq-scheduler`,
  },
};
const config = resolveDeployConfig(DEPLOY, SETTINGS, {}, REPO);

// ---------------------------------------------------------------------------------------------
// What the code calls: `new XxxCommand(` in the modules a principal's code reaches, each mapped
// to IAM actions through the client package it is imported from.
// ---------------------------------------------------------------------------------------------

interface SdkCall {
  readonly file: string;
  readonly clientPackage: string;
  readonly command: string;
}

/** Source without comments, so JSDoc examples (`new CreateTableCommand(…)`) do not count as calls. */
function code(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[\s;{}])\/\/.*$/gm, '$1');
}

/** The project's modules `entries` import, statically or lazily, transitively. */
function reachable(entries: readonly string[]): string[] {
  const seen = new Set<string>();
  const queue = entries.filter((e) => existsSync(e));
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = code(file);
    for (const m of text.matchAll(/(?:from\s*|import\s*\(\s*)'(\.{1,2}\/[^']+\.ts)'/g)) {
      const target = path.resolve(path.dirname(file), m[1] as string);
      if (existsSync(target)) queue.push(target);
    }
  }
  return [...seen].sort();
}

function sdkCalls(files: readonly string[]): SdkCall[] {
  return files.flatMap((file) => {
    const text = code(file);
    const origin = new Map<string, string>();
    for (const m of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
      for (const part of (m[1] as string).split(',')) {
        const name = part
          .replace(/^\s*type\s+/, '')
          .split(/\s+as\s+/)
          .pop()
          ?.trim();
        if (name) origin.set(name, m[2] as string);
      }
    }
    // `const { XCommand } = await import('@aws-sdk/client-x')`: the SDK loaded lazily.
    for (const m of text.matchAll(/\{([^{}]*)\}\s*=\s*await\s+import\(\s*'([^']+)'\s*\)/g)) {
      for (const part of (m[1] as string).split(',')) {
        const name = part.split(':').pop()?.trim();
        if (name) origin.set(name, m[2] as string);
      }
    }
    // `new sdk.glue.GetJobRunsCommand(`: a module namespace named after its client package.
    return Array.from(text.matchAll(/new\s+(?:[\w.]*?(\w+)\.)?(\w+Command)\s*\(/g), (m) => {
      const command = m[2] as string;
      const namespace = m[1] ? `@aws-sdk/client-${m[1]}` : undefined;
      const clientPackage =
        namespace && text.includes(`'${namespace}'`) ? namespace : m[1] ? undefined : origin.get(command);
      if (!clientPackage)
        throw new Error(`${path.relative(REPO, file)}: cannot tell which SDK client ${command} is from`);
      return { file: path.relative(REPO, file), clientPackage, command };
    });
  });
}

const src = (rel: string) => path.join(REPO, rel);
const filesUnder = (rel: string) =>
  existsSync(src(rel))
    ? readdirSync(src(rel), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.ts'))
        .map((f) => src(path.join(rel, f)))
    : [];

/** The code each principal runs. */
const SOURCES: Readonly<Record<Exclude<PolicyPrincipal, 'stateMachine' | 'scheduler'>, () => string[]>> = {
  deployer: () => reachable([src('src/cli/commands/deploy.ts')]),
  analyst: () =>
    reachable([
      src('src/cli/commands/query.ts'),
      src('src/cli/commands/sql.ts'),
      src('src/cli/commands/tpcds.ts'),
    ]),
  // The task handlers and the Lambda entry: with the AWS context, the Glue collector, the alarms'
  // Athena queries and metrics, and the hourly launcher.
  lambda: () =>
    reachable([src('src/orchestration/lambda-entry.ts'), ...filesUnder('src/orchestration/handlers')]),
};

function missingActions(
  principal: PolicyPrincipal,
  calls: readonly { where: string; actions: readonly string[] }[],
) {
  const allowed = allowedActions(principal);
  return calls.flatMap((c) => c.actions.filter((a) => !allowed.has(a)).map((a) => `${c.where} needs ${a}`));
}

/** The fixture ASL: every integration the state machines are expected to use, so the mapping is exercised. */
const FIXTURE_ASL = {
  StartAt: 'Plan',
  States: {
    Plan: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: 'Direct' },
    Direct: { Type: 'Task', Resource: `\${LambdaFunctionArn}`, Next: 'Loads' },
    Loads: {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'Load',
          States: {
            Load: {
              Type: 'Task',
              Resource: 'arn:aws:states:::athena:startQueryExecution.sync',
              Next: 'Switch',
            },
            Switch: {
              Type: 'Task',
              Resource: 'arn:aws:states:::aws-sdk:glue:batchUpdatePartition',
              End: true,
            },
          },
        },
      ],
      Next: 'Refresh',
    },
    Refresh: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:quicksight:createIngestion', Next: 'Poll' },
    Poll: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:quicksight:describeIngestion', Next: 'Child' },
    Child: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', End: true },
  },
};

function aslDefinitions(): { where: string; definition: unknown }[] {
  const values = placeholderValues(config, ['hourly', 'backfill']);
  const files = existsSync(DEFAULT_STATE_MACHINES_DIR)
    ? readdirSync(DEFAULT_STATE_MACHINES_DIR).filter((f) => f.endsWith('.asl.json'))
    : [];
  return [
    ...files.map((f) => ({
      where: `statemachines/${f}`,
      definition: JSON.parse(
        substitutePlaceholders(readFileSync(path.join(DEFAULT_STATE_MACHINES_DIR, f), 'utf8'), values),
      ) as unknown,
    })),
    {
      where: 'fixture ASL',
      definition: JSON.parse(substitutePlaceholders(JSON.stringify(FIXTURE_ASL), values)),
    },
  ];
}

describe('IAM policies cover every call the code and the state machines make', () => {
  for (const principal of ['deployer', 'analyst', 'lambda'] as const) {
    it(`${principal}: every SDK command its code constructs is allowed`, () => {
      const calls = sdkCalls(SOURCES[principal]());
      expect(calls.length).toBeGreaterThan(0);
      const needed = calls.map((c) => ({
        where: `${c.file} (${c.command})`,
        actions: iamActionsForSdkCommand(c.clientPackage, c.command),
      }));
      expect(missingActions(principal, needed)).toEqual([]);
    });
  }

  it('lambda: the scan sees the AWS context calls, and every action granted besides logs is one they need', () => {
    const calls = sdkCalls(SOURCES.lambda());
    expect(new Set(calls.map((c) => c.command))).toEqual(
      new Set([
        'GetObjectCommand',
        'PutObjectCommand',
        'ListObjectsV2Command',
        'DeleteObjectsCommand',
        'GetPartitionsCommand',
        'ListIngestionsCommand',
        // The Glue collector.
        'GetJobsCommand',
        'GetJobRunsCommand',
        'GetMetricDataCommand',
        // The Identity Center collector (opt-in).
        'ListAccountsCommand',
        'ListInstancesCommand',
        'DescribeInstanceCommand',
        'ListApplicationsCommand',
        'ListApplicationAssignmentsCommand',
        'ListUsersCommand',
        'GetCallerIdentityCommand',
        'AssumeRoleCommand',
        // The alarms after an hourly run: query alarms on Athena, values and health to CloudWatch.
        'StartQueryExecutionCommand',
        'GetQueryExecutionCommand',
        'GetQueryResultsCommand',
        'StopQueryExecutionCommand',
        'PutMetricDataCommand',
        // The launcher.
        'StartExecutionCommand',
        // The findings report: GetFindings, the CSV put and presigned (GetObject), the mail.
        'GetFindingsCommand',
        'PublishCommand',
      ]),
    );
    const used = new Set(calls.flatMap((c) => iamActionsForSdkCommand(c.clientPackage, c.command)));
    // Athena reads the catalog and files with the caller's permissions: granted as to any Athena caller.
    const unused = [...allowedActions('lambda')].filter(
      (a) => !used.has(a) && !a.startsWith('logs:') && !ATHENA_QUERY_READ_ACTIONS.has(a),
    );
    expect(unused).toEqual([]);
    const listing = iamPolicy('lambda', config).Statement.filter((s) => s.Action.includes('s3:ListBucket'));
    expect(listing.map((s) => [s.Resource, s.Condition])).toEqual([
      [['arn:aws:s3:::lakeq-results'], undefined],
      [['arn:aws:s3:::lakeq-lake'], { StringLike: { 's3:prefix': ['lakeq/*'] } }],
      [['arn:aws:s3:::org-trail'], { StringLike: { 's3:prefix': ['AWSLogs/*'] } }],
    ]);
  });

  it('deployer: every action it is granted is one deploy uses (least privilege)', () => {
    const used = new Set(
      sdkCalls(SOURCES.deployer()).flatMap((c) => iamActionsForSdkCommand(c.clientPackage, c.command)),
    );
    const unused = [...allowedActions('deployer')].filter((a) => !used.has(a));
    // Including what Athena does with the deployer's permissions while it runs the view's DDL.
    expect(unused).toEqual([]);
  });

  it('stateMachine: every Task resource of statemachines/*.asl.json (and the fixture) is allowed', () => {
    const needed = aslDefinitions().flatMap(({ where, definition }) =>
      aslTaskResources(definition).map((resource) => ({
        where: `${where} (${resource})`,
        actions: iamActionsForAslResource(resource),
      })),
    );
    expect(needed.length).toBeGreaterThan(6);
    expect(missingActions('stateMachine', needed)).toEqual([]);
  });

  it('scheduler: may invoke the launcher and nothing else', () => {
    const doc = iamPolicy('scheduler', config);
    expect(doc.Statement).toEqual([
      {
        Sid: 'InvokeLauncher',
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: [
          `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:lakeq-tasks`,
          `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:lakeq-tasks:*`,
        ],
      },
    ]);
    // The launcher (the Lambda) starts the hourly state machine under the hour's name.
    const launcher = iamPolicy('lambda', config).Statement.find((s) => s.Sid === 'StartHourly');
    expect(launcher?.Resource).toEqual([`arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:lakeq-hourly`]);
  });

  it('the scan sees what it should: a command in a comment does not count, a missing action is caught', () => {
    const deployerCalls = sdkCalls(SOURCES.deployer()).map((c) => c.command);
    expect(deployerCalls).toEqual(
      expect.arrayContaining(['CreateStateMachineCommand', 'StartQueryExecutionCommand']),
    );
    // glue-table-input.ts shows `new CreateTableCommand(` in its JSDoc only.
    expect(sdkCalls([src('src/catalog/athena/glue-table-input.ts')])).toEqual([]);
    expect(
      missingActions('analyst', [
        {
          where: 'x',
          actions: iamActionsForSdkCommand('@aws-sdk/client-glue', 'BatchUpdatePartitionCommand'),
        },
      ]),
    ).toEqual(['x needs glue:BatchUpdatePartition']);
    expect(() => iamActionsForAslResource('arn:aws:states:::ecs:runTask.sync')).toThrow(/no IAM mapping/);
  });
});

describe('SDK commands and ASL resources map to IAM actions', () => {
  it('maps command names, the exceptions and the implied actions', () => {
    expect(iamActionsForSdkCommand('@aws-sdk/client-athena', 'StartQueryExecutionCommand')).toEqual(
      expect.arrayContaining([
        'athena:StartQueryExecution',
        'glue:GetTable',
        's3:PutObject',
        's3:GetBucketLocation',
      ]),
    );
    expect(iamActionsForSdkCommand('@aws-sdk/client-sfn', 'DescribeStateMachineCommand')).toEqual([
      'states:DescribeStateMachine',
    ]);
    expect(iamActionsForSdkCommand('@aws-sdk/client-lambda', 'InvokeCommand')).toEqual([
      'lambda:InvokeFunction',
    ]);
    expect(iamActionsForSdkCommand('@aws-sdk/client-s3', 'ListObjectsV2Command')).toEqual(['s3:ListBucket']);
    expect(iamActionsForSdkCommand('@aws-sdk/client-lambda', 'CreateFunctionCommand')).toEqual([
      'lambda:CreateFunction',
      'iam:PassRole',
    ]);
  });

  it('maps Task resources, .sync included', () => {
    expect(iamActionsForAslResource('arn:aws:states:::athena:startQueryExecution.sync')).toEqual(
      expect.arrayContaining([
        'athena:StartQueryExecution',
        'athena:GetQueryExecution',
        'athena:StopQueryExecution',
        'glue:GetPartitions',
      ]),
    );
    expect(iamActionsForAslResource('arn:aws:states:::athena:startQueryExecution')).not.toContain(
      'athena:GetQueryExecution',
    );
    expect(iamActionsForAslResource('arn:aws:states:::aws-sdk:sfn:describeExecution')).toEqual([
      'states:DescribeExecution',
    ]);
    expect(iamActionsForAslResource('arn:aws:states:::lambda:invoke.waitForTaskToken')).toEqual([
      'lambda:InvokeFunction',
    ]);
    expect(iamActionsForAslResource('arn:aws:states:::states:startExecution.sync:2')).toEqual(
      expect.arrayContaining(['states:StartExecution', 'states:DescribeExecution', 'events:PutRule']),
    );
    expect(aslTaskResources(FIXTURE_ASL)).toHaveLength(7);
  });
});

describe('the policy documents', () => {
  for (const principal of POLICY_PRINCIPALS) {
    it(`${principal}: Version 2012-10-17, statements with Effect/Action/Resource, scoped ARNs, accepted by IAM PutRolePolicy`, () => {
      const doc = iamPolicy(principal, config);
      expect(validatePolicyDocument(doc)).toEqual([]);
      expect(doc.Version).toBe('2012-10-17');
      for (const s of doc.Statement) {
        expect(s.Effect).toBe('Allow');
        // Only actions without resource-level permissions take '*': Lake Formation's data access,
        // CloudWatch's GetMetricData and PutMetricData (held to lakeq's namespace by a condition).
        const unscoped = [
          'lakeformation:GetDataAccess',
          'cloudwatch:GetMetricData',
          'cloudwatch:PutMetricData',
          // The Identity Center collector's listing of the organization and of the Region's instances.
          'organizations:ListAccounts',
          'sso:ListInstances',
          'sts:GetCallerIdentity',
          // A column statistics task run is named by its id alone, not by a table (lakeq tpcds compare).
          'glue:GetColumnStatisticsTaskRun',
        ];
        if (!s.Action.every((a) => unscoped.includes(a))) expect(s.Resource).not.toContain('*');
        if (s.Action.includes('cloudwatch:PutMetricData')) {
          expect(s.Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': 'lakeq' } });
        }
      }
      expectValidRequest('iam', 'PutRolePolicy', {
        RoleName: `lakeq-${principal}`,
        PolicyName: 'lakeq',
        PolicyDocument: JSON.stringify(doc),
      });
    });
  }

  it('scopes resources to the deployed names', () => {
    const sm = iamPolicy('stateMachine', config);
    const resources = sm.Statement.flatMap((s) => s.Resource);
    expect(resources).toEqual(
      expect.arrayContaining([
        `arn:aws:athena:eu-west-1:${ACCOUNT}:workgroup/lakeq`,
        `arn:aws:glue:eu-west-1:${ACCOUNT}:table/lakeq/*`,
        'arn:aws:s3:::lakeq-lake/lakeq/*',
        'arn:aws:s3:::lakeq-results/athena/*',
        'arn:aws:s3:::org-trail/AWSLogs/*',
        `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:lakeq-tasks`,
        `arn:aws:quicksight:eu-west-1:${ACCOUNT}:dataset/lakeq-*`,
      ]),
    );
    const deployer = iamPolicy('deployer', config);
    const pass = deployer.Statement.filter((s) => s.Action.includes('iam:PassRole'));
    expect(pass.map((s) => [s.Resource, s.Condition])).toEqual([
      [[DEPLOY.roles.stateMachine], { StringEquals: { 'iam:PassedToService': 'states.amazonaws.com' } }],
      [[DEPLOY.roles.lambda], { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } }],
      [[DEPLOY.roles.scheduler], { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } }],
    ]);
    const analyst = iamPolicy('analyst', config).Statement.flatMap((s) => s.Action);
    expect(analyst).not.toContain('s3:PutObject'.replace('Put', 'Delete'));
    // Besides Athena's own, the one catalog write an analyst has: the TPC-DS tables' column statistics, which `lakeq tpcds compare --engine athena` drops and computes.
    expect(
      analyst.filter(
        (a) =>
          /Create|Update|Delete/.test(a) &&
          !a.startsWith('athena:') &&
          !TPCDS_COLUMN_STATISTICS_ACTIONS.includes(a),
      ),
    ).toEqual([]);
  });

  it('validatePolicyDocument finds structural problems', () => {
    expect(validatePolicyDocument({ Version: '2008-10-17', Statement: [] })).toEqual([
      'Version: "2008-10-17", expected "2012-10-17"',
      'Statement: empty',
    ]);
    expect(
      validatePolicyDocument({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'A', Effect: 'Allow', Action: ['glue GetTable'], Resource: [`arn:aws:glue:\${Region}:1:x`] },
        ],
      }),
    ).toEqual([
      'Statement[0] (A): "glue GetTable" is not service:Action',
      `Statement[0] (A): "arn:aws:glue:\${Region}:1:x" is not an ARN`,
      `Statement[0] (A): "arn:aws:glue:\${Region}:1:x" has an unresolved placeholder`,
    ]);
  });

  it('lakeq iam-policy prints the documents as JSON', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const dir = await mkdtemp(path.join(tmpdir(), 'lakeq-iam-'));
    const file = path.join(dir, 'lakeq.deploy.json');
    await writeFile(file, JSON.stringify(DEPLOY));
    try {
      const io = captureIO();
      expect(await main(['iam-policy', '--deploy-config', file], io)).toBe(0);
      const all = JSON.parse(io.stdout()) as Record<string, unknown>;
      expect(Object.keys(all)).toEqual([...POLICY_PRINCIPALS]);
      const one = captureIO();
      expect(await main(['iam-policy', '--principal', 'lambda', '--deploy-config', file], one)).toBe(0);
      expect(JSON.parse(one.stdout())).toEqual(all.lambda);
      const bad = captureIO();
      expect(await main(['iam-policy', '--principal', 'root', '--deploy-config', file], bad)).toBe(2);
      expect(bad.stderr()).toContain('--principal must be one of');
      const member = captureIO();
      expect(
        await main(['iam-policy', '--identity-center-member-role', '--deploy-config', file], member),
      ).toBe(0);
      expect(JSON.parse(member.stdout())).toEqual(identityCenterMemberRole(config));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the Identity Center member role', () => {
  it('is assumed by the Lambda role only, reads what the collector reads in a member account, and IAM takes it', () => {
    const member = identityCenterMemberRole(config);
    expect(member.roleName).toBe('lakeq-identity-center-read');
    expect(member.trustPolicy.Statement).toEqual([
      {
        Sid: 'LakeqLambda',
        Effect: 'Allow',
        Principal: { AWS: DEPLOY.roles.lambda },
        Action: ['sts:AssumeRole'],
      },
    ]);
    expect(validatePolicyDocument(member.policy)).toEqual([]);
    // The member account's calls of the collector: its instances, their users and applications.
    const memberCalls = [
      'ListInstancesCommand',
      'DescribeInstanceCommand',
      'ListApplicationsCommand',
      'ListApplicationAssignmentsCommand',
    ].map((c) => iamActionsForSdkCommand('@aws-sdk/client-sso-admin', c));
    const granted = new Set(member.policy.Statement.flatMap((s) => s.Action));
    for (const actions of [
      ...memberCalls,
      iamActionsForSdkCommand('@aws-sdk/client-identitystore', 'ListUsersCommand'),
    ])
      for (const a of actions) expect(granted).toContain(a);
    // The Lambda may assume exactly that role name, in any account.
    const assume = iamPolicy('lambda', config).Statement.find((s) => s.Sid === 'IdentityCenterMemberRole');
    expect(assume?.Resource).toEqual(['arn:aws:iam::*:role/lakeq-identity-center-read']);
    expectValidRequest('iam', 'CreateRole', {
      RoleName: member.roleName,
      AssumeRolePolicyDocument: JSON.stringify(member.trustPolicy),
    });
    expectValidRequest('iam', 'PutRolePolicy', {
      RoleName: member.roleName,
      PolicyName: 'lakeq-identity-center-read',
      PolicyDocument: JSON.stringify(member.policy),
    });
    const named = resolveDeployConfig(
      { ...DEPLOY, lambda: { environment: { LAKEQ_IDENTITY_CENTER_MEMBER_ROLE: 'OrgInventoryRead' } } },
      SETTINGS,
      {},
      REPO,
    );
    expect(identityCenterMemberRole(named).roleName).toBe('OrgInventoryRead');
  });
});
