/**
 * One AWS resource deploy manages: how to read it, how it should be, how to make it so.
 * `C` is what the Describe/Get call returns; `undefined` from `describe` means it does not exist.
 */
export interface Resource<C = unknown> {
  /** Such as `glue-table`, `state-machine`. */
  readonly kind: string;
  /** Such as `lakeq.cloudtrail_logs`, `lakeq-hourly`. */
  readonly name: string;
  describe(): Promise<C | undefined>;
  /** What differs, one line each; `[]` when the resource is as it should be. */
  diff(current: C): string[];
  create(): Promise<void>;
  /** Sends only the calls needed for what `diff` found. */
  update(current: C): Promise<void>;
}

/** Waits between status polls; tests pass an instant one. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export type DeployAction = 'create' | 'update' | 'no-op';

/** One line of the plan, and the calls that carry it out. */
export interface DeployChange {
  readonly kind: string;
  readonly name: string;
  readonly action: DeployAction;
  /** For an update: what differs (`path: current → desired`). */
  readonly diff: readonly string[];
  /** Sends the create or update calls; does nothing for a no-op. */
  readonly apply: () => Promise<void>;
}

/**
 * Reads a resource and decides what to do with it.
 *
 * @example
 * ```ts
 * const change = await planResource(glueDatabaseResource(glue, config));
 * change.action // 'create' when GetDatabase said EntityNotFoundException
 * ```
 */
export async function planResource<C>(resource: Resource<C>): Promise<DeployChange> {
  const current = await resource.describe();
  const base = { kind: resource.kind, name: resource.name };
  if (current === undefined) return { ...base, action: 'create', diff: [], apply: () => resource.create() };
  const diff = resource.diff(current);
  if (diff.length === 0) return { ...base, action: 'no-op', diff, apply: async () => {} };
  return { ...base, action: 'update', diff, apply: () => resource.update(current) };
}

/**
 * True for the error a Describe/Get call throws when the resource does not exist. Each service
 * names it differently; Athena has no such error and says it in an InvalidRequestException.
 */
export function isNotFound(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (
    name === 'EntityNotFoundException' || // Glue
    name === 'ResourceNotFoundException' || // Lambda, Scheduler, QuickSight
    name === 'StateMachineDoesNotExist' // Step Functions
  )
    return true;
  return (
    name === 'InvalidRequestException' &&
    typeof message === 'string' &&
    /not found|does not exist/i.test(message)
  );
}

/** Runs a Describe/Get call; a not-found error becomes `undefined`, anything else is thrown. */
export async function absentIfNotFound<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** A JSON copy, typed as the SDK's mutable input shape (lakeq's own shapes are readonly). */
export function sdkInput<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
