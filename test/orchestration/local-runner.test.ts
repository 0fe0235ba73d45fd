import { describe, expect, it } from 'vitest';
import type { AslMachine, Json } from '../../src/orchestration/asl-definition.ts';
import {
  bindTasks,
  type Integrations,
  resourceKey,
  runLocally,
} from '../../src/orchestration/local-runner.ts';

/** A machine with Tasks nested in a Parallel branch inside a Map. */
const nested: AslMachine = {
  StartAt: 'Plan',
  States: {
    Plan: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: {
        FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:f',
        Payload: { action: 'plan' },
      },
      OutputPath: '$.Payload',
      Next: 'EachItem',
    },
    EachItem: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        StartAt: 'Both',
        States: {
          Both: {
            Type: 'Parallel',
            End: true,
            Branches: [
              {
                StartAt: 'Query',
                States: {
                  Query: {
                    Type: 'Task',
                    Resource: 'arn:aws:states:::athena:startQueryExecution.sync',
                    Parameters: { 'QueryString.$': '$.sql' },
                    End: true,
                  },
                },
              },
              { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } },
            ],
          },
        },
      },
      End: true,
    },
  },
};

const integrations: Integrations = {
  'lambda:invoke:plan': async () => ({ Payload: { items: [{ sql: 'a' }, { sql: 'b' }] } }),
  'athena:startQueryExecution.sync': async (input) => ({
    ran: (input as { QueryString: string }).QueryString,
  }),
};

const run = (machine: AslMachine, extra: Partial<Parameters<typeof runLocally>[1]> = {}) =>
  runLocally(machine, {
    input: {},
    integrations,
    executionName: 'test-1',
    stateMachineName: 'test',
    ...extra,
  });

describe('binding Task states to local handlers by Resource', () => {
  it('keys Lambda tasks by their Payload.action and service tasks by their integration', () => {
    const plan = nested.States.Plan;
    expect(plan && resourceKey(plan)).toBe('lambda:invoke:plan');
    expect(
      resourceKey({ Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:glue:batchCreatePartition' }),
    ).toBe('aws-sdk:glue:batchCreatePartition');
    expect(
      resourceKey({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:f' }),
    ).toBeUndefined();
    expect(
      resourceKey({
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { Payload: { 'action.$': '$.a' } },
      }),
    ).toBeUndefined();
  });

  it('binds Tasks inside Map and Parallel, and runs them', async () => {
    expect([...bindTasks(nested, integrations).keys()]).toEqual(['Plan', 'Query']);
    const result = await run(nested);
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual([
      [{ ran: 'a' }, { sql: 'a' }],
      [{ ran: 'b' }, { sql: 'b' }],
    ]);
    expect(result.attempts).toEqual({ Plan: 1, Query: 2 });
  });

  it('refuses to start, naming the state, when a Task (however deep) has no handler', async () => {
    const { 'athena:startQueryExecution.sync': _, ...withoutAthena } = integrations;
    await expect(run(nested, { integrations: withoutAthena })).rejects.toThrow(
      /Task state "EachItem > Both > Query" \(arn:aws:states:::athena:startQueryExecution.sync/,
    );
    // A function ARN would make the library call the real Lambda: refused before anything runs.
    let called = false;
    const direct: AslMachine = {
      StartAt: 'First',
      States: {
        First: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { Payload: { action: 'plan' } },
          Next: 'Call',
        },
        Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:f', End: true },
      },
    };
    const spy: Integrations = {
      'lambda:invoke:plan': async () => {
        called = true;
        return {};
      },
    };
    await expect(run(direct, { integrations: spy })).rejects.toThrow(/Task state "Call"/);
    expect(called).toBe(false);
  });

  it('refuses a machine that uses one state name twice (the library finds handlers by name)', () => {
    const twice = structuredClone(nested) as unknown as { States: Record<string, Record<string, unknown>> };
    const map = twice.States.EachItem as {
      ItemProcessor: { States: Record<string, unknown>; StartAt: string };
    };
    map.ItemProcessor = { StartAt: 'Plan', States: { Plan: { Type: 'Pass', End: true } } };
    expect(() => bindTasks(twice as unknown as AslMachine, integrations)).toThrow(/"Plan" is used twice/);
  });
});

describe('faults and timing', () => {
  const retrying: AslMachine = {
    StartAt: 'Call',
    States: {
      Call: {
        Type: 'Task',
        Resource: 'arn:aws:states:::athena:startQueryExecution.sync',
        Retry: [{ ErrorEquals: ['Athena.TooManyRequestsException'], IntervalSeconds: 30, MaxAttempts: 3 }],
        Next: 'Pause',
      },
      Pause: { Type: 'Wait', Seconds: 3600, End: true },
    },
  };

  it('throws an injected error for the first calls, and shortens retry pauses and waits', async () => {
    const started = Date.now();
    const result = await run(retrying, {
      faults: [{ state: 'Call', error: 'Athena.TooManyRequestsException', cause: 'Rate exceeded', times: 2 }],
    });
    expect(result).toMatchObject({ status: 'SUCCEEDED', attempts: { Call: 3 } });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reports the ASL error and cause of a failed run', async () => {
    const result = await run(retrying, {
      faults: [{ state: 'Call', error: 'States.TaskFailed', cause: 'boom' }],
    });
    expect(result).toMatchObject({
      status: 'FAILED',
      error: { Error: 'States.TaskFailed', Cause: 'boom' },
      attempts: { Call: 1 },
    });
  });

  it('refuses a fault for a state that does not exist', async () => {
    await expect(run(retrying, { faults: [{ state: 'Cal', error: 'X' }] })).rejects.toThrow(
      /no such Task state/,
    );
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const slow: Integrations = {
      'athena:startQueryExecution.sync': () =>
        new Promise<Json>((resolve) => setTimeout(() => resolve({}), 50)),
    };
    const pending = run(retrying, { integrations: slow, waitMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    expect((await pending).status).toBe('ABORTED');
  });
});

describe('a Map iteration that fails', () => {
  /** Each item: a Query (fails for 'bad', slow for 'slow'), then a Register task. */
  const machine: AslMachine = {
    StartAt: 'EachItem',
    States: {
      EachItem: {
        Type: 'Map',
        ItemsPath: '$.items',
        MaxConcurrency: 2,
        ItemProcessor: {
          StartAt: 'Query',
          States: {
            Query: {
              Type: 'Task',
              Resource: 'arn:aws:states:::athena:startQueryExecution.sync',
              Parameters: { 'QueryString.$': '$.sql' },
              ResultPath: '$.query',
              Next: 'Register',
            },
            Register: {
              Type: 'Task',
              Resource: 'arn:aws:states:::aws-sdk:glue:batchCreatePartition',
              Parameters: { 'TableName.$': '$.sql' },
              End: true,
            },
          },
        },
        End: true,
      },
    },
  };

  it('stops its siblings at their next task, and the run returns only when their tasks in flight have finished', async () => {
    const events: string[] = [];
    const result = await run(machine, {
      input: { items: [{ sql: 'bad' }, { sql: 'slow' }] },
      integrations: {
        'athena:startQueryExecution.sync': async (input) => {
          const sql = (input as { QueryString: string }).QueryString;
          if (sql === 'bad') throw Object.assign(new Error('no'), { name: 'States.TaskFailed' });
          await new Promise((resolve) => setTimeout(resolve, 200));
          events.push(`query ${sql} finished`);
          return {};
        },
        'aws-sdk:glue:batchCreatePartition': async (input) => {
          events.push(`registered ${(input as { TableName: string }).TableName}`);
          return { Errors: [] } as Json;
        },
      },
    });
    events.push('returned');
    expect(result.status).toBe('FAILED');
    // The slow sibling's query was in flight: the run waited for it, and did not register after it.
    expect(events).toEqual(['query slow finished', 'returned']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual(['query slow finished', 'returned']);
  });
});

describe('checking the definition', () => {
  // asl-validator refuses a state with a member ASL does not have; the library itself ignores it.
  const odd = {
    StartAt: 'P',
    States: { P: { Type: 'Pass', Result: { ok: 1 }, End: true, Unknown: 1 } },
  } as unknown as AslMachine;
  const run = (validate?: boolean) =>
    runLocally(odd, {
      input: {},
      integrations: {},
      executionName: 'e',
      stateMachineName: 's',
      ...(validate === undefined ? {} : { validate }),
    });

  it('refuses an invalid definition by default, and runs it unchecked when told it was checked', async () => {
    await expect(run()).rejects.toThrow(/definition is invalid/);
    await expect(run(true)).rejects.toThrow(/definition is invalid/);
    expect(await run(false)).toMatchObject({ status: 'SUCCEEDED', output: { ok: 1 } });
  });
});
