import path from 'node:path';
import type { RawSourceName, TableDefinition } from '../catalog/table-definition.ts';
import { SOURCES } from './index.ts';
import type { SourceDefinition } from './source-definition.ts';

/**
 * What the shared machinery asks of the registry (src/sources/index.ts): which source a raw
 * source name belongs to, where each source's raw files are, which tables read collected files.
 */

/**
 * The source whose tables read a raw source name.
 *
 * @example
 * ```ts
 * sourceOfRaw('glue-job-runs')?.name // 'glue'
 * ```
 */
export function sourceOfRaw(raw: RawSourceName): SourceDefinition | undefined {
  return SOURCES.find((s) => s.rawSources.includes(raw));
}

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
  return sourceOfRaw(table.input.source)?.inputs === 'collected';
}

/** Where the sources are on this machine: their inputs (the settings' `sources`) and the data folder. */
export interface SourceLocations {
  /** Each source's input by source name (`LakeqSettings.sources`); a source may be absent. */
  readonly sources: Readonly<Record<string, string | undefined>>;
  /** The data folder, under which collected sources' hour files are (`<dataDir>/raw/<name>`). */
  readonly dataDir?: string;
  /** Raw roots by source name that replace the default one. */
  readonly roots?: Readonly<Record<string, string | undefined>>;
}

/**
 * Where a source's raw files are read, locally: a delivered source's input (the trail folder),
 * a collected source's hour files under the data folder (`<dataDir>/raw/glue`, not the
 * collector's input), unless `roots` names another folder. Undefined when there is none.
 *
 * @example
 * ```ts
 * rawRootOf(glueSource, { sources: { cloudtrail: '/t', glue: '/d/raw/glue-api' }, dataDir: '/d' }) // '/d/raw/glue'
 * rawRootOf(cloudtrailSource, { sources: { cloudtrail: '/t' } })                                  // '/t'
 * ```
 */
export function rawRootOf(source: SourceDefinition, where: SourceLocations): string | undefined {
  const root = where.roots?.[source.name];
  if (root !== undefined) return root;
  if (source.inputs !== 'collected') return where.sources[source.name];
  return where.dataDir === undefined ? undefined : path.join(where.dataDir, 'raw', source.name);
}

/**
 * Every registered source's raw root (`rawRootOf`), by source name: what a local plan lists.
 *
 * @example
 * ```ts
 * rawRoots({ sources: settings.sources, dataDir: settings.dataDir })
 * // { cloudtrail: '/d/raw/cloudtrail', glue: '/d/raw/glue' }
 * ```
 */
export function rawRoots(where: SourceLocations): Record<string, string | undefined> {
  return Object.fromEntries(SOURCES.map((s) => [s.name, rawRootOf(s, where)]));
}

/**
 * The name of a source's setting in the Lambda's environment: `LAKEQ_<NAME>_<SETTING>`, the
 * source's name in upper case with `_` for `-` (`LAKEQ_CLOUDTRAIL_ROOT`, `LAKEQ_GLUE_COLLECT`).
 *
 * @example
 * ```ts
 * sourceEnvName(cloudtrailSource, 'ROOT') // 'LAKEQ_CLOUDTRAIL_ROOT'
 * ```
 */
export function sourceEnvName(source: Pick<SourceDefinition, 'name'>, setting: string): string {
  return `LAKEQ_${source.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${setting}`;
}
