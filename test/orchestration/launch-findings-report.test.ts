import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { awsHandlerContext } from '../../src/orchestration/aws/aws-handler-context.ts';
import { dispatchAction } from '../../src/orchestration/handlers/index.ts';
import {
  findingsReportExecutionName,
  launchFindingsReport,
} from '../../src/orchestration/launcher/launch-findings-report.ts';
import { expectValidCommands } from '../support/aws-model-validator.ts';

const stateMachineArn = 'arn:aws:states:eu-west-1:111122223333:stateMachine:lakeq-findings-report';
const sfnMock = mockClient(SFNClient);
afterAll(() => sfnMock.restore());

/** Step Functions that remembers execution names, as AWS does for 90 days. */
function fakeStepFunctions() {
  const started = new Map<string, string>();
  sfnMock.on(StartExecutionCommand).callsFake((input: { name: string; input: string }) => {
    if (started.has(input.name))
      throw new ExecutionAlreadyExists({
        message: `Execution Already Exists: '${input.name}'`,
        $metadata: {},
      });
    started.set(input.name, input.input);
    return {
      executionArn: `${stateMachineArn.replace('stateMachine', 'execution')}:${input.name}`,
      startDate: new Date(),
    };
  });
  return started;
}

describe('launchFindingsReport (the weekly schedule’s target on AWS)', () => {
  beforeEach(() => sfnMock.reset());
  const client = new SFNClient({ region: 'eu-west-1' });
  const deps = { startExecution: (i: object) => client.send(new StartExecutionCommand(i as never)) };

  it('starts the report under the scheduled minute’s name; a second delivery starts nothing', async () => {
    const started = fakeStepFunctions();
    const first = await launchFindingsReport(
      { time: '2026-11-30T08:00:02Z', stateMachineArn, severity: ['CRITICAL', 'HIGH'] },
      deps,
    );
    expect(first).toEqual({
      executionName: 'findings-report-2026-11-30T0800',
      executionArn: `${stateMachineArn.replace('stateMachine', 'execution')}:findings-report-2026-11-30T0800`,
      duplicate: false,
    });
    expect(JSON.parse(started.get('findings-report-2026-11-30T0800') ?? '')).toEqual({
      time: '2026-11-30T08:00:02.000Z',
      severity: ['CRITICAL', 'HIGH'],
    });
    expect(await launchFindingsReport({ time: '2026-11-30T08:00:40Z', stateMachineArn }, deps)).toEqual({
      executionName: 'findings-report-2026-11-30T0800',
      duplicate: true,
    });
    expect(
      expectValidCommands(
        'sfn',
        sfnMock.calls().map((c) => c.args[0]),
      ),
    ).toBe(2);
    expect(findingsReportExecutionName(new Date('2026-12-07T08:00:00Z'))).toBe(
      'findings-report-2026-12-07T0800',
    );
  });

  it('refuses an event without a state machine ARN or a time, starting nothing', async () => {
    fakeStepFunctions();
    await expect(
      launchFindingsReport({ time: '2026-11-30T08:00:00Z', stateMachineArn: 'lakeq' }, deps),
    ).rejects.toThrow(/"stateMachineArn" must be a state machine ARN/);
    await expect(launchFindingsReport({ time: 'monday', stateMachineArn }, deps)).rejects.toThrow(/"time"/);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  it('is a Lambda action of the AWS context', async () => {
    fakeStepFunctions();
    const context = awsHandlerContext({
      target: { bucket: 'lakeq-lake', prefix: 'lakeq', database: 'lakeq', workGroup: 'lakeq' },
      roots: {},
      accountId: '111122223333',
    });
    const result = await dispatchAction(
      { action: 'launchFindingsReport', time: '2026-11-30T08:00:00Z', stateMachineArn },
      context,
    );
    expect(result).toMatchObject({ executionName: 'findings-report-2026-11-30T0800', duplicate: false });
  });
});
