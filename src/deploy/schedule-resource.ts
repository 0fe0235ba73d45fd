import {
  CreateScheduleCommand,
  type CreateScheduleCommandOutput,
  GetScheduleCommand,
  type GetScheduleCommandOutput,
  UpdateScheduleCommand,
  type UpdateScheduleCommandOutput,
} from '@aws-sdk/client-scheduler';
import type { DeployConfig } from './deploy-config.ts';
import { diffValues } from './diff-values.ts';
import { absentIfNotFound, type Resource } from './resource.ts';

/** The EventBridge Scheduler calls deploy makes; a real `SchedulerClient` fits. */
export interface SchedulerLike {
  send(command: GetScheduleCommand): Promise<GetScheduleCommandOutput>;
  send(command: CreateScheduleCommand): Promise<CreateScheduleCommandOutput>;
  send(command: UpdateScheduleCommand): Promise<UpdateScheduleCommandOutput>;
}

/**
 * The Lambda event: the launcher action and the time the schedule fired (the scheduler fills in
 * the context attribute). The launcher starts the hourly state machine under the hour's name
 * (EventBridge Scheduler cannot name executions), so a second trigger for an hour runs nothing.
 */
export const SCHEDULE_INPUT = JSON.stringify({
  action: 'launchHourly',
  time: '<aws.scheduler.scheduled-time>',
});

/**
 * The schedule that starts the hourly run at minute `schedule.minute` of every hour (UTC), with
 * no flexible window, so an hour's run starts when the hour is complete. Its target is the
 * Lambda's `launchHourly` action (src/orchestration/launcher/launch-hourly.ts).
 *
 * @example
 * ```ts
 * scheduleResource(scheduler, config, 'arn:aws:lambda:eu-west-1:111122223333:function:lakeq-tasks')
 * // CreateSchedule { Name: 'lakeq-hourly', ScheduleExpression: 'cron(5 * * * ? *)', ScheduleExpressionTimezone: 'UTC',
 * //   FlexibleTimeWindow: { Mode: 'OFF' },
 * //   Target: { Arn, RoleArn, Input: '{"action":"launchHourly","time":"<aws.scheduler.scheduled-time>"}' } }
 * ```
 */
export function scheduleResource(
  scheduler: SchedulerLike,
  config: DeployConfig,
  launcherArn: string,
): Resource<GetScheduleCommandOutput> {
  const { name, group, minute, enabled } = config.schedule;
  const desired = {
    Name: name,
    GroupName: group,
    Description: `lakeq: start the hourly load at minute ${minute} of every hour`,
    ScheduleExpression: `cron(${minute} * * * ? *)`,
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' as const },
    State: enabled ? ('ENABLED' as const) : ('DISABLED' as const),
    Target: { Arn: launcherArn, RoleArn: config.roles.scheduler, Input: SCHEDULE_INPUT },
  };
  return {
    kind: 'schedule',
    name: `${group}/${name}`,
    describe: () =>
      absentIfNotFound(() => scheduler.send(new GetScheduleCommand({ Name: name, GroupName: group }))),
    diff: (current) => diffValues(desired, current),
    create: async () => {
      await scheduler.send(new CreateScheduleCommand(desired));
    },
    // UpdateSchedule replaces the whole schedule, so it gets every member.
    update: async () => {
      await scheduler.send(new UpdateScheduleCommand(desired));
    },
  };
}
