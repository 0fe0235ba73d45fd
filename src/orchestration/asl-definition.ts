import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** A JSON value, as state machines pass them between states. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The state machines in `statemachines/`, deployable as they are. */
export const STATE_MACHINE_NAMES = ['hourly', 'backfill'] as const;
export type StateMachineName = (typeof STATE_MACHINE_NAMES)[number];

export const STATEMACHINES_DIR = fileURLToPath(new URL('../../statemachines/', import.meta.url));

export interface AslRetrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: 'FULL' | 'NONE';
}

export interface AslCatcher {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
  readonly ResultPath?: string | null;
}

/** The fields of a state lakeq reads; the rest pass through untouched. */
export interface AslState {
  readonly Type: string;
  readonly Resource?: string;
  readonly Parameters?: { readonly [key: string]: Json };
  readonly Retry?: readonly AslRetrier[];
  readonly Catch?: readonly AslCatcher[];
  readonly ItemProcessor?: AslMachine;
  readonly Iterator?: AslMachine;
  readonly Branches?: readonly AslMachine[];
  readonly [key: string]: unknown;
}

export interface AslMachine {
  readonly StartAt: string;
  readonly States: { readonly [name: string]: AslState };
  readonly Comment?: string;
  readonly TimeoutSeconds?: number;
}

/** A state and where it sits: `path` names the Map/Parallel states around it, outermost first. */
export interface StateRef {
  readonly name: string;
  readonly state: AslState;
  readonly path: readonly string[];
}

/** The file of a state machine: `statemachines/<name>.asl.json`. */
export function stateMachineFile(name: StateMachineName): string {
  return `${STATEMACHINES_DIR}${name}.asl.json`;
}

/** The ASL text of a state machine as deployed, placeholders (`${LambdaFunctionArn}`) included. */
export function readDefinitionText(name: StateMachineName): Promise<string> {
  return readFile(stateMachineFile(name), 'utf8');
}

/**
 * Every state of a machine, depth first, the states inside Map (ItemProcessor/Iterator) and
 * Parallel (Branches) included.
 *
 * @example
 * ```ts
 * walkStates(definition).filter((s) => s.state.Type === 'Task').map((s) => s.name)
 * // ['PlanWindow', 'PrepareBatch', 'UnloadBatch', ...]
 * ```
 */
export function walkStates(machine: AslMachine, path: readonly string[] = []): StateRef[] {
  const out: StateRef[] = [];
  for (const [name, state] of Object.entries(machine.States)) {
    out.push({ name, state, path });
    const inner = [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])];
    for (const m of inner) if (m) out.push(...walkStates(m, [...path, name]));
  }
  return out;
}
