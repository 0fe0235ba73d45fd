import { LakeqError } from '../../engines/engine.ts';
import type { TableDefinition } from '../table-definition.ts';
import { TABLES } from './index.ts';

/**
 * The named tables plus every table they read from, in load order; all tables when none are
 * named. An unknown name is refused, listing the tables.
 *
 * @example
 * ```ts
 * selectTables(['identity_center_instance_churn_hourly']).map((t) => t.name)
 * // ['cloudtrail_events', 'identity_center_instance_churn_hourly']
 * ```
 */
export function selectTables(names: readonly string[] | undefined): TableDefinition[] {
  if (!names || names.length === 0) return [...TABLES];
  const wanted = new Set<string>();
  const add = (name: string) => {
    const table = TABLES.find((t) => t.name === name);
    if (!table) {
      throw new LakeqError(
        'UNKNOWN_TABLE',
        `unknown table "${name}" (tables: ${TABLES.map((t) => t.name).join(', ')})`,
        {
          usage: true,
        },
      );
    }
    wanted.add(name);
    if ('table' in table.input) add(table.input.table);
  };
  for (const n of names) add(n);
  return TABLES.filter((t) => wanted.has(t.name));
}
