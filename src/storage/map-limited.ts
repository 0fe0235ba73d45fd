/**
 * `fn` over `items` with at most `limit` calls in flight; the results keep the items' order, and
 * the first failure fails the whole map (the calls already started still finish).
 *
 * @example
 * ```ts
 * const texts = await mapLimited(keys, 16, (key) => store.get(key));
 * ```
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
