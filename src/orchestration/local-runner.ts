import { ExecutionAbortedError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { LakeqError } from '../engines/engine.ts';
import { type AslMachine, type AslState, type Json, walkStates } from './asl-definition.ts';
import { namedError } from './named-error.ts';

/** What a local task handler learns about the call besides its input. */
export interface TaskCall {
  readonly state: string;
  readonly resource: string;
  /** 1 for the first call of the state, 2 for its first retry, ... */
  readonly attempt: number;
}

/**
 * Runs a Task's work locally. It gets the state's effective input (after Parameters) and
 * returns what the AWS integration would return. A thrown error's `name` is the ASL error
 * name Retry and Catch match (`Athena.TooManyRequestsException`), its message the Cause.
 */
export type TaskHandler = (input: Json, call: TaskCall) => Promise<Json>;

/**
 * Local handlers by resource key: `lambda:invoke:<Payload.action>` for the Lambda tasks, the
 * Resource ARN without `arn:aws:states:::` for the others (`athena:startQueryExecution.sync`,
 * `aws-sdk:glue:batchCreatePartition`).
 */
export type Integrations = Readonly<Record<string, TaskHandler>>;

/** A failure to inject: the first `times` calls of `state` throw `error` (default: every call). */
export interface InjectedFault {
  readonly state: string;
  readonly error: string;
  readonly cause?: string;
  readonly times?: number;
}

export interface LocalRunOptions {
  readonly input: Json;
  readonly integrations: Integrations;
  readonly executionName: string;
  readonly stateMachineName: string;
  /** Every Wait state pauses this long instead of its Seconds (default 0). */
  readonly waitMs?: number;
  /** Every retry pauses this long instead of its backoff (default 0). */
  readonly retryMs?: number;
  readonly faults?: readonly InjectedFault[];
  readonly signal?: AbortSignal;
  /**
   * Check the definition with asl-validator before running it (default true). Off for lakeq's own
   * `statemachines/*.asl.json`, which the test suite validates as deployed and with the local
   * values: compiling the validator's schema was 0.11–0.16 s of every run's start.
   */
  readonly validate?: boolean;
}

export interface LocalRunResult {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  readonly output?: Json;
  readonly error?: { readonly Error: string; readonly Cause: string };
  /** Calls of each Task state, retries included. */
  readonly attempts: Readonly<Record<string, number>>;
}

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const SERVICE_PREFIX = 'arn:aws:states:::';

/**
 * The key a Task state's local handler is found by, or undefined when it has none: a Lambda
 * function ARN as Resource, or `lambda:invoke` without a literal `Payload.action`.
 *
 * @example
 * ```ts
 * resourceKey({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { Payload: { action: 'planWindow' } } })
 * // 'lambda:invoke:planWindow'
 * resourceKey({ Type: 'Task', Resource: 'arn:aws:states:::athena:startQueryExecution.sync' })
 * // 'athena:startQueryExecution.sync'
 * ```
 */
export function resourceKey(state: AslState): string | undefined {
  const resource = state.Resource;
  if (!resource) return undefined;
  if (resource === LAMBDA_INVOKE) {
    const payload = state.Parameters?.Payload;
    const action = payload && typeof payload === 'object' && !Array.isArray(payload) ? payload.action : null;
    return typeof action === 'string' ? `lambda:invoke:${action}` : undefined;
  }
  return resource.startsWith(SERVICE_PREFIX) ? resource.slice(SERVICE_PREFIX.length) : undefined;
}

/**
 * Binds every Task state (nested ones included) to its local handler, by name, as
 * aws-local-stepfunctions wants them. Refuses, naming the state, a Task without a handler: the
 * library would otherwise call the real Lambda. State names must be unique in the whole machine,
 * since the library finds overrides by name at any depth.
 *
 * @example
 * ```ts
 * const byState = bindTasks(definition, localIntegrations(context));
 * byState.get('UnloadBatch')?.key // 'athena:startQueryExecution.sync'
 * ```
 */
export function bindTasks(
  machine: AslMachine,
  integrations: Integrations,
): Map<string, { key: string; resource: string; handler: TaskHandler }> {
  const out = new Map<string, { key: string; resource: string; handler: TaskHandler }>();
  const seen = new Set<string>();
  for (const { name, state, path } of walkStates(machine)) {
    const where = [...path, name].join(' > ');
    if (seen.has(name)) {
      throw new LakeqError('DUPLICATE_STATE', `state name "${name}" is used twice (at ${where})`);
    }
    seen.add(name);
    if (state.Type !== 'Task') continue;
    const key = resourceKey(state);
    const handler = key === undefined ? undefined : integrations[key];
    if (key === undefined || !handler) {
      throw new LakeqError(
        'UNBOUND_TASK',
        `Task state "${where}" (${state.Resource ?? 'no Resource'}${key ? `, ${key}` : ''}) has no local handler; ` +
          'the local runner will not start a run that would call AWS',
      );
    }
    out.set(name, { key, resource: state.Resource ?? '', handler });
  }
  return out;
}

/**
 * Runs an ASL definition in process with aws-local-stepfunctions, every Task bound to a local
 * handler by its Resource (see `bindTasks`), Wait states and retry pauses shortened, faults
 * injected where asked. The library does not stop Map siblings after one fails: once the
 * execution has ended their next task is refused (`States.Aborted`), the run returns when the
 * tasks in flight have finished, and handlers must be idempotent. It also never matches a
 * Choice rule `IsNull: false` or `IsPresent: false`, so lakeq's ASL tests the true forms (a
 * test keeps it so).
 *
 * @example
 * ```ts
 * const run = await runLocally(definition, {
 *   input: { time: '2026-11-27T14:05:00Z' }, integrations, executionName: 'hourly-2026-11-27T13', stateMachineName: 'hourly',
 *   faults: [{ state: 'UnloadBatch', error: 'Athena.TooManyRequestsException', times: 2 }],
 * });
 * run.status // 'SUCCEEDED'; run.attempts.UnloadBatch === 3
 * ```
 */
export async function runLocally(machine: AslMachine, options: LocalRunOptions): Promise<LocalRunResult> {
  const bound = bindTasks(machine, options.integrations);
  const states = walkStates(machine);
  for (const fault of options.faults ?? []) {
    if (!bound.has(fault.state)) {
      throw new LakeqError('BAD_FAULT', `cannot inject a fault into "${fault.state}": no such Task state`);
    }
  }
  const attempts: Record<string, number> = {};
  const handlers: Record<string, (input: Json) => Promise<Json>> = {};
  // Tasks still running, and whether the execution has ended: Step Functions stops a Map's other
  // iterations when one fails, the library does not, so a sibling's next task is refused here and
  // the run returns only once its tasks in flight have finished (else a sibling would go on
  // writing, into the next run's catalog, after this run has returned).
  const inflight = new Set<Promise<Json>>();
  let ended = false;
  for (const [name, { resource, handler }] of bound) {
    const faults = (options.faults ?? []).filter((f) => f.state === name);
    handlers[name] = (input) => {
      if (ended)
        return Promise.reject(namedError('States.Aborted', `${name} not run: the execution has ended`));
      const task = (async () => {
        const attempt = (attempts[name] ?? 0) + 1;
        attempts[name] = attempt;
        for (const fault of faults) {
          if (attempt <= (fault.times ?? Number.POSITIVE_INFINITY))
            throw namedError(fault.error, fault.cause ?? '');
        }
        return handler(input, { state: name, resource, attempt });
      })();
      inflight.add(task);
      const done = () => inflight.delete(task);
      task.then(done, done);
      return task;
    };
  }
  const waitTimeOverrides: Record<string, number> = {};
  const retryIntervalOverrides: Record<string, number> = {};
  for (const { name, state } of states) {
    if (state.Type === 'Wait') waitTimeOverrides[name] = options.waitMs ?? 0;
    if (state.Retry) retryIntervalOverrides[name] = options.retryMs ?? 0;
  }
  const stateMachine = new StateMachine(
    machine as unknown as StateMachineDefinition,
    options.validate === false ? { validationOptions: { noValidate: true } } : {},
  );
  const execution = stateMachine.run(options.input, {
    overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides, retryIntervalOverrides },
    context: {
      Execution: {
        Id: `arn:aws:states:local:000000000000:execution:${options.stateMachineName}:${options.executionName}`,
        Name: options.executionName,
      },
      StateMachine: {
        Id: `arn:aws:states:local:000000000000:stateMachine:${options.stateMachineName}`,
        Name: options.stateMachineName,
      },
    },
  });
  const onAbort = () => execution.abort();
  // An abort that came while the run was being set up (claimed, locked) stops it too.
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const output = (await execution.result) as Json;
    return { status: 'SUCCEEDED', output, attempts };
  } catch (error) {
    if (error instanceof ExecutionAbortedError) {
      return { status: 'ABORTED', error: { Error: 'States.Aborted', Cause: 'aborted' }, attempts };
    }
    // ExecutionError carries the ASL error (a Fail state's Error/Cause, or a task's) as its cause.
    const cause =
      (error as Error).cause instanceof Error ? ((error as Error).cause as Error) : (error as Error);
    return { status: 'FAILED', error: { Error: cause.name, Cause: cause.message }, attempts };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    ended = true;
    while (inflight.size > 0) await Promise.allSettled([...inflight]);
  }
}
