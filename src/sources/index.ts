import type { TableDefinition } from '../catalog/table-definition.ts';
import { cloudtrailSource } from './cloudtrail/index.ts';
import { glueSource } from './glue/index.ts';
import { identityCenterSource } from './identity-center/index.ts';
import type { SourceDefinition } from './source-definition.ts';

/**
 * Every data source, in load order: a source after the sources whose tables its tables read.
 * Adding a source is adding its folder (src/sources/README.md) and a line here.
 */
export const SOURCES: readonly SourceDefinition[] = [cloudtrailSource, glueSource, identityCenterSource];

/**
 * Whether a table is loaded from a collector's hour files (a table of a `collected` source that
 * reads a raw source), not from delivered files or another table.
 *
 * @example
 * ```ts
 * readsCollectedFiles(glueJobRuns)        // true
 * readsCollectedFiles(cloudtrailEvents)   // false
 * ```
 */
export function readsCollectedFiles(table: TableDefinition): boolean {
  if (!('source' in table.input)) return false;
  const raw = table.input.source;
  return SOURCES.find((s) => s.rawSources.includes(raw))?.inputs === 'collected';
}
