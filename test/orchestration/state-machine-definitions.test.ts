import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { listPlaceholders as placeholdersIn, substitutePlaceholders } from '../../src/deploy/placeholders.ts';
import { NON_RETRYABLE_ATHENA_ERRORS } from '../../src/engines/athena/athena-engine.ts';
import {
  type AslMachine,
  type AslState,
  STATE_MACHINE_NAMES,
  stateMachineFile,
  walkStates,
} from '../../src/orchestration/asl-definition.ts';
import { localHandlerContext } from '../../src/orchestration/handlers/handler-context.ts';
import { localIntegrations } from '../../src/orchestration/local-integrations.ts';
import { resourceKey } from '../../src/orchestration/local-runner.ts';
import { LOCAL_PLACEHOLDERS } from '../../src/orchestration/run-state-machine.ts';

/** asl-validator is CommonJS without type declarations. */
const aslValidator = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};

const texts = Object.fromEntries(
  await Promise.all(
    STATE_MACHINE_NAMES.map(async (n) => [n, await readFile(stateMachineFile(n), 'utf8')] as const),
  ),
);
const machines = Object.fromEntries(
  Object.entries(texts).map(([n, t]) => [n, JSON.parse(t) as AslMachine]),
) as Record<(typeof STATE_MACHINE_NAMES)[number], AslMachine>;

/** Errors a Retry may name: each means the call did not run (throttled) or Lambda's service failed. */
const TRANSIENT =
  /^(Lambda\.(ServiceException|AWSLambdaException|SdkClientException|TooManyRequestsException)|[A-Za-z]+\.(TooManyRequestsException|ThrottlingException|InternalServiceException|InternalFailureException|OperationTimeoutException))$/;

/**
 * What is wrong with a machine's Retry blocks: a wildcard (a FAILED Athena query is
 * `States.TaskFailed`, its reason, maybe HIVE_TOO_MANY_OPEN_PARTITIONS, only in the Cause, which
 * Retry cannot read), a non-retryable error, or an error not known to be transient.
 */
function retryProblems(machine: AslMachine): string[] {
  const problems: string[] = [];
  for (const { name, state } of walkStates(machine)) {
    for (const retrier of state.Retry ?? []) {
      for (const error of retrier.ErrorEquals) {
        if (error === 'States.ALL' || error === 'States.TaskFailed')
          problems.push(`${name} retries ${error}`);
        else if (NON_RETRYABLE_ATHENA_ERRORS.some((marker) => error.includes(marker)))
          problems.push(`${name} retries the non-retryable ${error}`);
        else if (!TRANSIENT.test(error)) problems.push(`${name} retries ${error}, not known to be transient`);
      }
      if (retrier.JitterStrategy !== 'FULL' || (retrier.BackoffRate ?? 2) < 1.5 || !retrier.MaxDelaySeconds)
        problems.push(`${name} retries without backoff, jitter and a cap`);
    }
  }
  return problems;
}

describe.each(STATE_MACHINE_NAMES)('statemachines/%s.asl.json', (name) => {
  const machine = machines[name];
  const text = texts[name] ?? '';

  it('is valid ASL (asl-validator), as deployed and with the local values', () => {
    for (const definition of [machine, JSON.parse(substitutePlaceholders(text, LOCAL_PLACEHOLDERS))]) {
      const { isValid, errorsText } = aslValidator(definition);
      expect(isValid, errorsText('\n')).toBe(true);
    }
  });

  it('has placeholders only for account-specific values, none in a Resource', () => {
    expect(placeholdersIn(text).sort()).toEqual([
      'AthenaWorkGroup',
      'AwsAccountId',
      'GlueDatabase',
      'LambdaFunctionArn',
    ]);
    for (const { state } of walkStates(machine)) expect(state.Resource ?? '').not.toContain('${');
  });

  it('never retries a non-retryable error, nor a wildcard that could hide one', () => {
    expect(retryProblems(machine)).toEqual([]);
  });

  it('catches every failure of collecting, planning, loading and refreshing into the failure record', () => {
    const top = machine.States;
    for (const [stateName, state] of Object.entries(top)) {
      if (state.Type !== 'Task' && state.Type !== 'Map') continue;
      if (stateName === 'RecordFailure') continue;
      // The one exception, by design: an alarm failure after the run is recorded and never fails it.
      if (name === 'hourly' && stateName === 'EvaluateAlarms') {
        expect(state.Catch?.map((c) => [c.ErrorEquals, c.Next, c.ResultPath])).toEqual([
          [['States.ALL'], 'RefreshesOk', '$.alarmsError'],
        ]);
        continue;
      }
      // Nor does a report: it is written by the next run.
      if (stateName === 'WriteReports') {
        expect(state.Catch?.map((c) => [c.ErrorEquals, c.Next, c.ResultPath])).toEqual([
          [['States.ALL'], name === 'hourly' ? 'EvaluateAlarms' : 'RefreshesOk', '$.reportsError'],
        ]);
        continue;
      }
      expect(
        state.Catch?.map((c) => [c.ErrorEquals, c.Next, c.ResultPath]),
        stateName,
      ).toEqual([[['States.ALL'], 'RecordFailure', '$.error']]);
    }
    expect(top.RecordFailure?.Next).toBe('Failed');
    expect(top.Failed).toMatchObject({
      Type: 'Fail',
      ErrorPath: '$.error.Error',
      CausePath: '$.error.Cause',
    });
  });

  it('loads with Athena .sync, then switches partitions in Glue, and refreshes SPICE only after the loads', () => {
    const states = walkStates(machine);
    const unload = states.find((s) => s.name === 'UnloadBatch');
    expect(unload?.state.Resource).toBe('arn:aws:states:::athena:startQueryExecution.sync');
    expect(unload?.path).toEqual(['LoadTables', 'LoadTableBatches']);
    expect(top(machine, 'LoadTables').MaxConcurrency).toBe(1);
    expect(states.find((s) => s.name === 'LoadTableBatches')?.state.MaxConcurrency).toBeGreaterThan(1);
    expect(top(machine, 'LoadTables').Next).toBe('ChooseDatasets');
    expect(top(machine, 'ChooseDatasets').Next).toBe('RefreshDatasets');
    expect(top(machine, 'RefreshDatasets').Next).toBe('RecordRun');
  });

  it('collects the API sources first, keeping the input for the plan', () => {
    expect(machine.StartAt).toBe('CollectSources');
    const collect = top(machine, 'CollectSources');
    expect(collect).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { Payload: { action: 'collectSources' } },
      ResultPath: '$.collected',
      Next: name === 'hourly' ? 'PlanWindow' : 'PlanBackfill',
    });
  });

  it('writes the reports after the run is recorded, keeping the run record as the state', () => {
    expect(top(machine, 'RecordRun').Next).toBe('WriteReports');
    expect(top(machine, 'WriteReports')).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { Payload: { action: 'writeReports' } },
      ResultPath: '$.reports',
      Next: name === 'hourly' ? 'EvaluateAlarms' : 'RefreshesOk',
    });
  });

  it('evaluates alarms only after the hourly run is recorded, and then decides its outcome', () => {
    const record = top(machine, 'WriteReports');
    if (name === 'hourly') {
      expect(record.Next).toBe('EvaluateAlarms');
      expect(top(machine, 'EvaluateAlarms')).toMatchObject({
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { Payload: { action: 'evaluateAlarms' } },
        ResultPath: '$.alarms',
        Next: 'RefreshesOk',
      });
    } else {
      expect(record.Next).toBe('RefreshesOk');
      expect(machine.States.EvaluateAlarms).toBeUndefined();
    }
    expect(top(machine, 'RefreshesOk').Type).toBe('Choice');
  });

  it('has a local handler for every Task resource', () => {
    const integrations = localIntegrations(
      localHandlerContext({ dataDir: '/nonexistent', sources: { cloudtrail: '/nonexistent' } }),
    );
    for (const { name: stateName, state } of walkStates(machine)) {
      if (state.Type !== 'Task') continue;
      const key = resourceKey(state);
      expect(key && integrations[key], `${stateName}: ${key}`).toBeTypeOf('function');
    }
  });

  it('uses no Choice rule aws-local-stepfunctions gets wrong (it never matches IsNull/IsPresent: false)', () => {
    const rules = (rule: Record<string, unknown>): Record<string, unknown>[] => [
      rule,
      ...((rule.And ?? rule.Or ?? []) as Record<string, unknown>[]).flatMap(rules),
      ...(rule.Not ? rules(rule.Not as Record<string, unknown>) : []),
    ];
    for (const { name: stateName, state } of walkStates(machine)) {
      for (const choice of (state.Choices ?? []) as Record<string, unknown>[]) {
        for (const rule of rules(choice)) {
          for (const op of ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp']) {
            expect(rule[op], `${stateName} ${op}`).not.toBe(false);
          }
        }
      }
    }
  });

  it('says how executions are named, so duplicate triggers collapse', () => {
    expect(machine.Comment).toContain('ExecutionAlreadyExists');
  });
});

describe('the Retry check', () => {
  const withRetry = (errors: string[]): AslMachine => {
    const copy = structuredClone(machines.hourly) as { States: Record<string, AslState> };
    const plan = copy.States.PlanWindow as AslState & { Retry: { ErrorEquals: string[] }[] };
    plan.Retry = [{ ...plan.Retry[0], ErrorEquals: errors }];
    return copy as unknown as AslMachine;
  };

  it('fails a machine that retries a non-retryable error or a wildcard', () => {
    expect(retryProblems(withRetry(['Athena.HIVE_TOO_MANY_OPEN_PARTITIONS']))).toEqual([
      'PlanWindow retries the non-retryable Athena.HIVE_TOO_MANY_OPEN_PARTITIONS',
    ]);
    expect(retryProblems(withRetry(['States.TaskFailed']))).toEqual(['PlanWindow retries States.TaskFailed']);
    expect(retryProblems(withRetry(['States.ALL']))).toEqual(['PlanWindow retries States.ALL']);
  });
});

function top(machine: AslMachine, name: string): AslState {
  const state = machine.States[name];
  if (!state) throw new Error(`no state ${name}`);
  return state;
}
