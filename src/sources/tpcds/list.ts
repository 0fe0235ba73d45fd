import { readTpcdsManifest, type TpcdsManifest, tableFiles } from './list-local.ts';
import { TPCDS_TABLES, type TpcdsTableName } from './schema.ts';

/**
 * What is generated in a folder: the manifest and the tables that have files. TPC-DS is not
 * loaded by the hourly ETL, so it has no `list` hook for the planner; this is what
 * `lakeq tpcds compare` and `report` check before they run.
 */
export interface GeneratedTables {
  readonly manifest: TpcdsManifest | undefined;
  readonly present: readonly TpcdsTableName[];
  readonly missing: readonly TpcdsTableName[];
}

/**
 * @example
 * ```ts
 * const { manifest, missing } = await generatedTables('./lakeq-data/raw/tpcds');
 * if (missing.length > 0) throw new Error(`run lakeq tpcds generate first (missing ${missing.join(', ')})`);
 * ```
 */
export async function generatedTables(root: string): Promise<GeneratedTables> {
  const present: TpcdsTableName[] = [];
  const missing: TpcdsTableName[] = [];
  for (const table of TPCDS_TABLES)
    ((await tableFiles(root, table)).length > 0 ? present : missing).push(table);
  return { manifest: await readTpcdsManifest(root), present, missing };
}
