import {
  CreateScheduleCommand,
  type CreateScheduleCommandOutput,
  GetScheduleCommand,
  type GetScheduleCommandOutput,
  UpdateScheduleCommand,
  type UpdateScheduleCommandOutput,
} from '@aws-sdk/client-scheduler';
import {
  CreateTopicCommand,
  type CreateTopicCommandOutput,
  GetTopicAttributesCommand,
  type GetTopicAttributesCommandOutput,
  ListSubscriptionsByTopicCommand,
  type ListSubscriptionsByTopicCommandOutput,
  SubscribeCommand,
  type SubscribeCommandOutput,
} from '@aws-sdk/client-sns';
import { arns, type DeployConfig } from './deploy-config.ts';
import { diffValues } from './diff-values.ts';
import { absentIfNotFound, type Resource } from './resource.ts';

/** The SNS calls deploy makes for the findings report; a real `SNSClient` fits. */
export interface SnsDeployLike {
  send(command: GetTopicAttributesCommand): Promise<GetTopicAttributesCommandOutput>;
  send(command: CreateTopicCommand): Promise<CreateTopicCommandOutput>;
  send(command: ListSubscriptionsByTopicCommand): Promise<ListSubscriptionsByTopicCommandOutput>;
  send(command: SubscribeCommand): Promise<SubscribeCommandOutput>;
}

/** The Scheduler calls of the report's schedule; a real `SchedulerClient` fits. */
export interface FindingsSchedulerLike {
  send(command: GetScheduleCommand): Promise<GetScheduleCommandOutput>;
  send(command: CreateScheduleCommand): Promise<CreateScheduleCommandOutput>;
  send(command: UpdateScheduleCommand): Promise<UpdateScheduleCommandOutput>;
}

/** SNS answers NotFound for a topic that is not there. */
async function absentIfNoTopic<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await absentIfNotFound(call);
  } catch (error) {
    if ((error as { name?: unknown }).name === 'NotFoundException') return undefined;
    throw error;
  }
}

/**
 * The report's SNS topic (`lakeq-findings-report`). CreateTopic is idempotent for a name, so
 * an existing topic is left as it is.
 *
 * @example
 * ```ts
 * findingsReportTopicResource(sns, config) // GetTopicAttributes, then CreateTopic { Name: 'lakeq-findings-report' } when absent
 * ```
 */
export function findingsReportTopicResource(
  sns: SnsDeployLike,
  config: DeployConfig,
): Resource<GetTopicAttributesCommandOutput> {
  const TopicArn = arns.findingsReportTopic(config);
  return {
    kind: 'sns-topic',
    name: config.findingsReport.topicName,
    describe: () => absentIfNoTopic(() => sns.send(new GetTopicAttributesCommand({ TopicArn }))),
    diff: () => [],
    create: async () => {
      await sns.send(
        new CreateTopicCommand({
          Name: config.findingsReport.topicName,
          Attributes: { DisplayName: 'lakeq findings report' },
        }),
      );
    },
    update: async () => {},
  };
}

/** The e-mail endpoints subscribed to a topic (confirmed or pending), page by page. */
async function subscribedEmails(sns: SnsDeployLike, TopicArn: string): Promise<string[] | undefined> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await absentIfNoTopic(() =>
      sns.send(new ListSubscriptionsByTopicCommand({ TopicArn, ...(token ? { NextToken: token } : {}) })),
    );
    if (!page) return undefined;
    for (const s of page.Subscriptions ?? [])
      if (s.Protocol === 'email' && s.Endpoint) out.push(s.Endpoint.toLowerCase());
    token = page.NextToken || undefined;
  } while (token);
  return out;
}

/**
 * The topic's e-mail subscriptions, one per `findingsReport.emails` address: a missing one is
 * subscribed (SNS mails the address a confirmation link); one subscribed outside the deploy
 * file is left alone and named in the plan.
 *
 * @example
 * ```ts
 * findingsReportSubscriptionsResource(sns, config) // Subscribe { TopicArn, Protocol: 'email', Endpoint: 'secops@example.com' }
 * ```
 */
export function findingsReportSubscriptionsResource(
  sns: SnsDeployLike,
  config: DeployConfig,
): Resource<readonly string[]> {
  const TopicArn = arns.findingsReportTopic(config);
  const wanted = [...new Set(config.findingsReport.emails.map((e) => e.toLowerCase()))];
  const subscribe = async (have: readonly string[]) => {
    for (const Endpoint of wanted.filter((e) => !have.includes(e)))
      await sns.send(
        new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint, ReturnSubscriptionArn: true }),
      );
  };
  return {
    kind: 'sns-subscriptions',
    name: `${config.findingsReport.topicName} (email)`,
    describe: () => subscribedEmails(sns, TopicArn),
    diff: (have) => [
      ...wanted
        .filter((e) => !have.includes(e))
        .map((e) => `email ${e}: subscribe (SNS mails a confirmation)`),
      ...have
        .filter((e) => !wanted.includes(e))
        .map((e) => `email ${e}: subscribed outside lakeq.deploy.json, left as it is`),
    ],
    create: () => subscribe([]),
    update: (have) => subscribe(have),
  };
}

/**
 * The schedule of the findings report (default Mondays 08:00 UTC, as AWS's post). It invokes
 * the Lambda's `launchFindingsReport` action, which starts the report's state machine under the
 * scheduled minute's name: EventBridge Scheduler delivers at least once, and a second delivery
 * gets ExecutionAlreadyExists instead of a second mail.
 *
 * @example
 * ```ts
 * findingsReportScheduleResource(scheduler, config, 'arn:aws:lambda:eu-west-1:111122223333:function:lakeq-tasks',
 *   'arn:aws:states:eu-west-1:111122223333:stateMachine:lakeq-findings-report')
 * // CreateSchedule { Name: 'lakeq-findings-report', ScheduleExpression: 'cron(0 8 ? * MON *)', Target: { Arn: <Lambda>, RoleArn, Input } }
 * ```
 */
export function findingsReportScheduleResource(
  scheduler: FindingsSchedulerLike,
  config: DeployConfig,
  launcherArn: string,
  stateMachineArn: string,
): Resource<GetScheduleCommandOutput> {
  const { schedule, timezone, enabled, severities, scheduleName } = config.findingsReport;
  const group = config.schedule.group;
  const desired = {
    Name: scheduleName,
    GroupName: group,
    Description: 'lakeq: the Security Hub findings report, mailed as a presigned link',
    ScheduleExpression: schedule,
    ScheduleExpressionTimezone: timezone,
    FlexibleTimeWindow: { Mode: 'OFF' as const },
    State: enabled ? ('ENABLED' as const) : ('DISABLED' as const),
    Target: {
      Arn: launcherArn,
      RoleArn: config.roles.scheduler,
      Input: JSON.stringify({
        action: 'launchFindingsReport',
        time: '<aws.scheduler.scheduled-time>',
        stateMachineArn,
        ...(severities.length > 0 ? { severity: severities } : {}),
      }),
    },
  };
  return {
    kind: 'schedule',
    name: `${group}/${scheduleName}`,
    describe: () =>
      absentIfNotFound(() =>
        scheduler.send(new GetScheduleCommand({ Name: scheduleName, GroupName: group })),
      ),
    diff: (current) => diffValues(desired, current),
    create: async () => {
      await scheduler.send(new CreateScheduleCommand(desired));
    },
    update: async () => {
      await scheduler.send(new UpdateScheduleCommand(desired));
    },
  };
}
