import { createHash } from 'node:crypto';

/** A value as the hash sees it: numbers to 9 significant digits (sums of doubles differ in the last bits with the join order). */
function normal(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number(value.toPrecision(9));
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normal);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normal(v)]));
  return value;
}

/**
 * The SHA-256 of a result's rows, order-independent (rows sorted by their JSON) and with numbers
 * rounded to 9 significant digits: two plans of one query must give the same hash.
 *
 * @example
 * ```ts
 * resultHash([{ a: 1, b: 0.1 + 0.2 }]) === resultHash([{ a: 1, b: 0.3 }]) // true
 * ```
 */
export function resultHash(rows: readonly Readonly<Record<string, unknown>>[]): string {
  const lines = rows.map((r) => JSON.stringify(Object.values(normal(r) as Record<string, unknown>))).sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(`${line}\n`);
  return hash.digest('hex');
}
