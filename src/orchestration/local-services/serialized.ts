const chains = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` after every earlier call with the same key has settled. Local tasks that share a
 * data folder (DuckDB loads, the local catalog file) run one at a time, whatever the Map
 * concurrency: the ASL's MaxConcurrency is for Athena, where each batch runs apart.
 *
 * @example
 * ```ts
 * await serialized(`load:${dataDir}`, () => executeLocalPlan(plan, options));
 * ```
 */
export function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = chains.get(key) ?? Promise.resolve();
  const next = previous.then(fn, fn);
  const settled = next.then(
    () => undefined,
    () => undefined,
  );
  chains.set(key, settled);
  void settled.then(() => {
    if (chains.get(key) === settled) chains.delete(key);
  });
  return next;
}

/**
 * Resolves once every call made so far with `key` has settled: a run waits for its local loads
 * before it lets go of the data folder.
 *
 * @example
 * ```ts
 * await allSettled(`load:${dataDir}`);
 * ```
 */
export async function allSettled(key: string): Promise<void> {
  await chains.get(key);
  await Promise.all([...(slots.get(key)?.inflight ?? [])].map((p) => p.catch(() => undefined)));
}

interface Slots {
  running: number;
  readonly waiting: (() => void)[];
  readonly inflight: Set<Promise<unknown>>;
}
const slots = new Map<string, Slots>();

/**
 * Like `serialized`, with up to `limit` calls of the same key at once: local loads of one data
 * folder write different partitions, each through its own DuckDB instance, so `lakeq backfill
 * --concurrency N` can run N batches together.
 *
 * @example
 * ```ts
 * await limited(`load:${dataDir}`, 2, () => executeLocalPlan(plan, options));
 * ```
 */
export function limited<T>(key: string, limit: number, fn: () => Promise<T>): Promise<T> {
  const state = slots.get(key) ?? { running: 0, waiting: [], inflight: new Set<Promise<unknown>>() };
  slots.set(key, state);
  const run = async (): Promise<T> => {
    if (state.running >= Math.max(1, limit))
      await new Promise<void>((resolve) => state.waiting.push(resolve));
    state.running++;
    try {
      return await fn();
    } finally {
      state.running--;
      state.waiting.shift()?.();
    }
  };
  const promise = run();
  state.inflight.add(promise);
  void promise.then(
    () => state.inflight.delete(promise),
    () => state.inflight.delete(promise),
  );
  return promise;
}
