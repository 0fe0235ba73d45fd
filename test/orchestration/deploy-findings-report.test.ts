import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { GlueClient } from '@aws-sdk/client-glue';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { QuickSightClient } from '@aws-sdk/client-quicksight';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SFNClient } from '@aws-sdk/client-sfn';
import {
  CreateTopicCommand,
  type CreateTopicInput,
  GetTopicAttributesCommand,
  type GetTopicAttributesInput,
  ListSubscriptionsByTopicCommand,
  type ListSubscriptionsByTopicInput,
  NotFoundException,
  SNSClient,
  SubscribeCommand,
  type SubscribeInput,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TABLES } from '../../src/catalog/tables/index.ts';
import type { LakeqSettings } from '../../src/config/lakeq-config.ts';
import { SPICE_DATASETS } from '../../src/dashboards/datasets.ts';
import { type DeployConfig, resolveDeployConfig } from '../../src/deploy/deploy-config.ts';
import { iamPolicy } from '../../src/deploy/iam-policy.ts';
import { applyDeploy, type DeployInputs, planDeploy } from '../../src/deploy/plan-deploy.ts';
import type { LibraryQuery } from '../../src/query/define-query.ts';
import { loadAllQueries } from '../../src/query/registry.ts';
import { expectValidCommands } from '../support/aws-model-validator.ts';
import {
  ACCOUNT,
  type FakeAws,
  installFakeAws,
  MOCKS,
  mutatingCalls,
  REGION,
  resetCalls,
} from './deploy-fake-aws.ts';

const SETTINGS: Pick<LakeqSettings, 'aws'> = {
  aws: { athena: { workGroup: 'primary', database: 'lakeq', catalog: 'AwsDataCatalog' }, cloudtrailLake: {} },
};
const ENTRY = 'export const handler = async (event: { action: string }) => ({ action: event.action });\n';
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:lakeq-findings-report`;
const MACHINE = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:lakeq-findings-report`;

const sns = mockClient(SNSClient);
let topics: Map<string, { subscriptions: { Endpoint: string; Protocol: string }[] }>;
function installFakeSns(): void {
  topics = new Map();
  const missing = () => new NotFoundException({ message: 'Topic does not exist', $metadata: {} });
  sns.on(GetTopicAttributesCommand).callsFake(async ({ TopicArn }: GetTopicAttributesInput) => {
    if (!topics.has(TopicArn as string)) throw missing();
    return { Attributes: { TopicArn: TopicArn as string } };
  });
  sns.on(CreateTopicCommand).callsFake(async ({ Name }: CreateTopicInput) => {
    const arn = `arn:aws:sns:${REGION}:${ACCOUNT}:${Name}`;
    if (!topics.has(arn)) topics.set(arn, { subscriptions: [] });
    return { TopicArn: arn };
  });
  sns.on(ListSubscriptionsByTopicCommand).callsFake(async ({ TopicArn }: ListSubscriptionsByTopicInput) => {
    const topic = topics.get(TopicArn as string);
    if (!topic) throw missing();
    return {
      Subscriptions: topic.subscriptions.map((s) => ({
        ...s,
        TopicArn,
        SubscriptionArn: 'PendingConfirmation',
      })),
    };
  });
  sns.on(SubscribeCommand).callsFake(async ({ TopicArn, Protocol, Endpoint }: SubscribeInput) => {
    const topic = topics.get(TopicArn as string);
    if (!topic) throw missing();
    topic.subscriptions.push({ Protocol: Protocol as string, Endpoint: Endpoint as string });
    return { SubscriptionArn: 'pending confirmation' };
  });
}

let dir: string;
let aws: FakeAws;
let queries: LibraryQuery[];
const clients = {
  glue: new GlueClient({ region: REGION }),
  athena: new AthenaClient({ region: REGION }),
  sfn: new SFNClient({ region: REGION }),
  lambda: new LambdaClient({ region: REGION }),
  scheduler: new SchedulerClient({ region: REGION }),
  quicksight: new QuickSightClient({ region: REGION }),
  cloudwatch: new CloudWatchClient({ region: REGION }),
  sns: new SNSClient({ region: REGION }),
};
const inputs = (): DeployInputs => ({
  queries,
  tables: TABLES,
  datasets: SPICE_DATASETS,
  sleep: async () => {},
});

function config(extra: Record<string, unknown> = {}): DeployConfig {
  return resolveDeployConfig(
    {
      accountId: ACCOUNT,
      region: REGION,
      data: { bucket: 'lakeq-lake', prefix: 'lakeq' },
      trail: { bucket: 'org-trail', accounts: [ACCOUNT], regions: [REGION], startDate: '2026-01-01' },
      roles: {
        stateMachine: `arn:aws:iam::${ACCOUNT}:role/lakeq-states`,
        lambda: `arn:aws:iam::${ACCOUNT}:role/lakeq-lambda`,
        scheduler: `arn:aws:iam::${ACCOUNT}:role/lakeq-scheduler`,
      },
      lambda: { entry: 'entry.ts' },
      ...extra,
    },
    SETTINGS,
    {},
    dir,
  );
}

beforeAll(async () => {
  queries = await loadAllQueries();
});
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-deploy-findings-'));
  await writeFile(path.join(dir, 'entry.ts'), ENTRY);
  for (const mock of Object.values(MOCKS)) mock.reset();
  sns.reset();
  aws = installFakeAws();
  installFakeSns();
});
afterEach(async () => {
  for (const [service, mock] of Object.entries({ ...MOCKS, sns }))
    expectValidCommands(
      service,
      mock.calls().map((c) => c.args[0]),
    );
  await rm(dir, { recursive: true, force: true });
});
afterAll(() => sns.restore());

describe('deploying the findings report (statemachines/findings-report.asl.json)', () => {
  it('creates its state machine, the SNS topic, the e-mail subscriptions and the weekly schedule; again, nothing', async () => {
    const c = config({ findingsReport: { emails: ['SecOps@example.com', 'ciso@example.com'] } });
    const plan = await planDeploy(clients, c, inputs());
    const lines = plan.changes.map((ch) => `${ch.action} ${ch.kind} ${ch.name}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        'create state-machine lakeq-findings-report',
        'create sns-topic lakeq-findings-report',
        'create sns-subscriptions lakeq-findings-report (email)',
        'create schedule default/lakeq-findings-report',
      ]),
    );
    const kinds = plan.changes.map((ch) => ch.kind);
    expect(kinds.indexOf('state-machine')).toBeLessThan(kinds.indexOf('sns-topic'));
    expect(kinds.indexOf('sns-topic')).toBeLessThan(kinds.indexOf('sns-subscriptions'));
    await applyDeploy(plan);

    // The state machine names the topic; the schedule invokes its launcher Mondays at 08:00 UTC.
    const machine = aws.stateMachines.get(MACHINE);
    expect(
      JSON.parse(machine?.definition ?? '{}').States.NotifyFindingsReport.Parameters.Payload.topicArn,
    ).toBe(TOPIC);
    expect(aws.schedules.get('default/lakeq-findings-report')).toMatchObject({
      ScheduleExpression: 'cron(0 8 ? * MON *)',
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
      Target: {
        Arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:lakeq-tasks`,
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/lakeq-scheduler`,
      },
    });
    expect(JSON.parse(aws.schedules.get('default/lakeq-findings-report')?.Target?.Input ?? '')).toEqual({
      action: 'launchFindingsReport',
      time: '<aws.scheduler.scheduled-time>',
      stateMachineArn: MACHINE,
    });
    expect(topics.get(TOPIC)?.subscriptions).toEqual([
      { Protocol: 'email', Endpoint: 'secops@example.com' },
      { Protocol: 'email', Endpoint: 'ciso@example.com' },
    ]);

    resetCalls();
    sns.resetHistory();
    const again = await planDeploy(clients, c, inputs());
    expect(again.changes.filter((ch) => ch.action !== 'no-op').map((ch) => `${ch.kind} ${ch.name}`)).toEqual(
      [],
    );
    await applyDeploy(again);
    expect(mutatingCalls()).toEqual([]);
    expect(sns.commandCalls(SubscribeCommand)).toHaveLength(0);
  });

  it('a configured schedule and severities update the schedule; a new address is subscribed, others left', async () => {
    await applyDeploy(
      await planDeploy(clients, config({ findingsReport: { emails: ['a@example.com'] } }), inputs()),
    );
    topics.get(TOPIC)?.subscriptions.push({ Protocol: 'email', Endpoint: 'manual@example.com' });
    resetCalls();
    sns.resetHistory();
    const c = config({
      findingsReport: {
        emails: ['a@example.com', 'b@example.com'],
        schedule: 'cron(30 6 ? * FRI *)',
        timezone: 'Europe/Paris',
        severities: ['CRITICAL', 'HIGH'],
      },
    });
    const plan = await planDeploy(clients, c, inputs());
    const changed = plan.changes.filter((ch) => ch.action !== 'no-op');
    expect(changed.map((ch) => `${ch.action} ${ch.kind} ${ch.name}`)).toEqual([
      'update sns-subscriptions lakeq-findings-report (email)',
      'update schedule default/lakeq-findings-report',
    ]);
    expect(changed[0]?.diff).toEqual([
      'email b@example.com: subscribe (SNS mails a confirmation)',
      'email manual@example.com: subscribed outside lakeq.deploy.json, left as it is',
    ]);
    await applyDeploy(plan);
    expect(sns.commandCalls(SubscribeCommand).map((call) => call.args[0].input.Endpoint)).toEqual([
      'b@example.com',
    ]);
    const schedule = aws.schedules.get('default/lakeq-findings-report');
    expect(schedule).toMatchObject({
      ScheduleExpression: 'cron(30 6 ? * FRI *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
    });
    expect(JSON.parse(schedule?.Target?.Input ?? '')).toEqual({
      action: 'launchFindingsReport',
      time: '<aws.scheduler.scheduled-time>',
      stateMachineArn: MACHINE,
      severity: ['CRITICAL', 'HIGH'],
    });
  });

  it('refuses a bad schedule or address in the deploy file, naming it', () => {
    expect(() => config({ findingsReport: { schedule: 'every monday' } })).toThrow(
      /findingsReport\.schedule: must be an EventBridge Scheduler cron/,
    );
    expect(() => config({ findingsReport: { emails: ['not-an-address'] } })).toThrow(
      /findingsReport\.emails\.0: must be an e-mail address/,
    );
  });

  it('the policies: the Lambda reads findings from the hub, writes and signs under reports/findings/, publishes to the topic', () => {
    const c = config();
    const lambda = iamPolicy('lambda', c).Statement;
    const by = (sid: string) => lambda.find((s) => s.Sid === sid);
    expect(by('FindingsRead')).toMatchObject({
      Action: ['securityhub:GetFindings'],
      Resource: [`arn:aws:securityhub:${REGION}:${ACCOUNT}:hub/default`],
    });
    expect(by('FindingsReportObjects')).toMatchObject({
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: ['arn:aws:s3:::lakeq-lake/lakeq/reports/findings/*'],
    });
    expect(by('FindingsReportPublish')).toMatchObject({ Action: ['sns:Publish'], Resource: [TOPIC] });
    // The launcher the schedule invokes may start the report's state machine only.
    expect(by('StartFindingsReport')).toMatchObject({
      Action: ['states:StartExecution'],
      Resource: [MACHINE],
    });
    expect(iamPolicy('scheduler', c).Statement.map((s) => s.Sid)).toEqual(['InvokeLauncher']);
    const deployer = iamPolicy('deployer', c).Statement;
    expect(deployer.find((s) => s.Sid === 'FindingsReportTopic')?.Resource).toEqual([TOPIC]);
    expect(deployer.find((s) => s.Sid === 'Schedule')?.Resource).toContain(
      `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/default/lakeq-findings-report`,
    );
  });
});
