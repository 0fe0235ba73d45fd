import { floorHour, HOUR_MS } from '../ingest/hours.ts';
import type { AlarmReduce, QueryAlarm } from './alarm-definition.ts';

/**
 * Runs a library query and returns its rows: locally the DuckDB engine, on AWS Athena. Injected
 * so the evaluation is the same everywhere (and tests use the real local engine).
 */
export type RunAlarmQuery = (
  queryId: string,
  params: Readonly<Record<string, unknown>>,
) => Promise<readonly Record<string, unknown>[]>;

/**
 * A query alarm's parameters at an evaluation time: its fixed params plus the window
 * `[end − hours, end)` as ISO times, where `end` is the start of the hour holding `at` (the
 * last finished hour's end, so a window never covers a part-loaded hour).
 *
 * @example
 * ```ts
 * queryAlarmParams(gluedailyCost, new Date('2026-11-27T14:05:00Z'))
 * // { from: '2026-11-26T14:00:00.000Z', to: '2026-11-27T14:00:00.000Z' }
 * ```
 */
export function queryAlarmParams(alarm: QueryAlarm, at: Date): Record<string, string | number | boolean> {
  const params: Record<string, string | number | boolean> = { ...alarm.query.params };
  const { window } = alarm.query;
  if (window) {
    const end = floorHour(at).getTime();
    params[window.fromParam] = new Date(end - window.hours * HOUR_MS).toISOString();
    params[window.toParam] = new Date(end).toISOString();
  }
  return params;
}

/** A cell as a number: numbers, numeric strings (decimals, big integers), or null. */
function numberOf(value: unknown, column: string, queryId: string): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || (typeof value === 'string' && value.trim() === '')) {
    throw new Error(`query ${queryId}: column "${column}" holds ${JSON.stringify(value)}, not a number`);
  }
  return n;
}

/**
 * Reduces a query's rows to the alarm's value. `count` and `sum` of no rows are 0 (nothing
 * failed, nothing spent); `max` and `min` of no (non-null) values are `null`: no datapoint.
 * A column the rows lack is an error, not a silent null.
 *
 * @example
 * ```ts
 * reduceRows([{ cost: 2.5 }, { cost: '1.25' }], { reduce: 'sum', column: 'cost' }, 'glue/cost-by-job') // 3.75
 * reduceRows([], { reduce: 'max', column: 'cost' }, 'glue/cost-by-job')                              // null
 * ```
 */
export function reduceRows(
  rows: readonly Record<string, unknown>[],
  value: AlarmReduce,
  queryId: string,
): number | null {
  if (value.reduce === 'count') return rows.length;
  const { column } = value;
  const numbers: number[] = [];
  for (const row of rows) {
    if (!(column in row)) {
      throw new Error(
        `query ${queryId} has no column "${column}" (columns: ${Object.keys(row).join(', ') || 'none'})`,
      );
    }
    const n = numberOf(row[column], column, queryId);
    if (n !== null) numbers.push(n);
  }
  if (value.reduce === 'sum') return numbers.reduce((a, b) => a + b, 0);
  if (numbers.length === 0) return null;
  return value.reduce === 'max' ? Math.max(...numbers) : Math.min(...numbers);
}

/**
 * Runs a query alarm's query at an evaluation time and reduces its rows.
 *
 * @example
 * ```ts
 * const { value, params } = await queryAlarmValue(alarm, new Date('2026-11-27T14:05:00Z'), runQuery);
 * ```
 */
export async function queryAlarmValue(
  alarm: QueryAlarm,
  at: Date,
  runQuery: RunAlarmQuery,
): Promise<{ value: number | null; params: Record<string, string | number | boolean>; rows: number }> {
  const params = queryAlarmParams(alarm, at);
  const rows = await runQuery(alarm.query.id, params);
  return { value: reduceRows(rows, alarm.value, alarm.query.id), params, rows: rows.length };
}
