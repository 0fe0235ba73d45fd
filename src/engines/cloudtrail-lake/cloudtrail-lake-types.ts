import type { ResultColumn } from '../engine.ts';

/**
 * The type lakeq reports for every CloudTrail Lake column. Lake returns each value as a string
 * (`count(*)` comes back as `'42'`, a map as `'{key=value}'`) and says nothing about column
 * types, so values stay strings: a query that needs numbers casts in SQL or parses its rows.
 */
export const LAKE_VALUE_TYPE = 'varchar';

/**
 * Turns `QueryResultRows` (rows of single-key maps `{column: value}`) into records. Columns are
 * ordered as they first appear (the first row's keys, in order); a column a row lacks is null.
 *
 * @example
 * ```ts
 * lakeRowsToRecords([[{ eventName: 'CreateInstance' }, { n: '2' }]])
 * // { columns: [{ name: 'eventName', type: 'varchar' }, { name: 'n', type: 'varchar' }],
 * //   rows: [{ eventName: 'CreateInstance', n: '2' }] }
 * ```
 */
export function lakeRowsToRecords(rows: readonly (readonly Readonly<Record<string, string>>[])[]): {
  columns: ResultColumn[];
  rows: Record<string, string | null>[];
} {
  const names: string[] = [];
  const seen = new Set<string>();
  const cells = rows.map((row) => {
    const values = new Map<string, string | null>();
    for (const cell of row) {
      for (const [name, value] of Object.entries(cell)) {
        if (!seen.has(name)) {
          seen.add(name);
          names.push(name);
        }
        values.set(name, value ?? null);
      }
    }
    return values;
  });
  return {
    columns: names.map((name) => ({ name, type: LAKE_VALUE_TYPE })),
    rows: cells.map((values) => Object.fromEntries(names.map((name) => [name, values.get(name) ?? null]))),
  };
}

/**
 * The event data store id: the last path segment of its ARN, or the id itself.
 *
 * @example
 * ```ts
 * eventDataStoreId('arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/0b8a1c5e-4d1f-4e8f-8bd1-bcf6c2d3e4f5')
 * // '0b8a1c5e-4d1f-4e8f-8bd1-bcf6c2d3e4f5'
 * ```
 */
export function eventDataStoreId(idOrArn: string): string {
  return idOrArn.slice(idOrArn.lastIndexOf('/') + 1);
}
