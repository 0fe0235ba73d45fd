import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { launchHourly } from '../../src/orchestration/launcher/launch-hourly.ts';
import { expectValidRequest } from '../support/aws-model-validator.ts';

const stateMachineArn = 'arn:aws:states:eu-west-1:111122223333:stateMachine:lakeq-hourly';
const sfnMock = mockClient(SFNClient);

/** A fake Step Functions that remembers names for its lifetime, as AWS does for 90 days. */
function fakeStepFunctions() {
  const started = new Map<string, string>();
  sfnMock.on(StartExecutionCommand).callsFake((input: { name: string; input: string }) => {
    expectValidRequest('sfn', 'StartExecution', input);
    const previous = started.get(input.name);
    if (previous !== undefined) {
      throw new ExecutionAlreadyExists({
        message: `Execution Already Exists: '${input.name}'`,
        $metadata: {},
      });
    }
    started.set(input.name, input.input);
    return {
      executionArn: `${stateMachineArn.replace('stateMachine', 'execution')}:${input.name}`,
      startDate: new Date(),
    };
  });
  return started;
}

describe('launchHourly (the schedule target on AWS)', () => {
  const client = new SFNClient({ region: 'eu-west-1' });
  const deps = {
    stateMachineArn,
    startExecution: (i: object) => client.send(new StartExecutionCommand(i as never)),
  };
  beforeEach(() => sfnMock.reset());

  it('starts the finished hour under its name, with an input made from the hour alone', async () => {
    const started = fakeStepFunctions();
    const result = await launchHourly({ time: '2026-11-27T14:05:03Z' }, deps);
    expect(result).toEqual({
      executionName: 'hourly-2026-11-27T13',
      executionArn: 'arn:aws:states:eu-west-1:111122223333:execution:lakeq-hourly:hourly-2026-11-27T13',
      duplicate: false,
    });
    expect(JSON.parse(started.get('hourly-2026-11-27T13') ?? '{}')).toEqual({
      time: '2026-11-27T14:00:00.000Z',
    });
  });

  it('reports a second trigger for the same hour as a duplicate and starts nothing', async () => {
    const started = fakeStepFunctions();
    await launchHourly({ time: '2026-11-27T14:05:00Z' }, deps);
    const again = await launchHourly({ time: '2026-11-27T14:59:59Z' }, deps);
    expect(again).toEqual({ executionName: 'hourly-2026-11-27T13', duplicate: true });
    const next = await launchHourly({ time: '2026-11-27T15:05:00Z' }, deps);
    expect(next.duplicate).toBe(false);
    expect([...started.keys()]).toEqual(['hourly-2026-11-27T13', 'hourly-2026-11-27T14']);
  });

  it('retries a throttled StartExecution and passes the lookback through', async () => {
    let calls = 0;
    sfnMock.on(StartExecutionCommand).callsFake((input: { name: string; input: string }) => {
      calls += 1;
      if (calls < 3) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      expect(JSON.parse(input.input)).toEqual({ time: '2026-11-27T14:00:00.000Z', lookbackHours: 5 });
      return { executionArn: 'arn:x', startDate: new Date() };
    });
    const result = await launchHourly(
      { time: '2026-11-27T14:05:00Z', lookbackHours: 5 },
      {
        ...deps,
        startExecution: (i) => client.send(new StartExecutionCommand(i)),
      },
    );
    expect(result.duplicate).toBe(false);
    expect(calls).toBe(3);
  });

  it('refuses a time it cannot read, naming the field', async () => {
    fakeStepFunctions();
    await expect(launchHourly({ time: 'yesterday' }, deps)).rejects.toThrow(/"time"/);
    expect(sfnMock.calls()).toHaveLength(0);
  });
});
