import { SOURCES } from '../../sources/index.ts';
import type { TableDefinition } from '../table-definition.ts';

/**
 * Every curated table, in load order: a table comes after the tables its transform reads. The
 * sources' tables, in the order of the source registry (src/sources/index.ts).
 */
export const TABLES: readonly TableDefinition[] = SOURCES.flatMap((s) => s.tables);

export function tableByName(name: string): TableDefinition | undefined {
  return TABLES.find((t) => t.name === name);
}
