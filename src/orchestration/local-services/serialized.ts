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
}
