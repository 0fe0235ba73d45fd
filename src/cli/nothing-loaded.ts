import { partitionFiles } from '../catalog/duckdb/curated-views.ts';
import { TABLES } from '../catalog/tables/index.ts';
import { LakeqError } from '../engines/engine.ts';

/**
 * Refuses SQL whose curated tables have never been loaded into the data folder: an empty
 * result would look like "nothing happened" when the truth is "nothing is there yet". SQL that
 * reads no curated table (only raw views, say), or one table that has partitions, passes.
 *
 * @example
 * ```ts
 * await assertSomethingLoaded('select * from cloudtrail_events', './lakeq-data');
 * // throws: nothing is loaded in ./lakeq-data: cloudtrail_events has no partitions yet; …
 * ```
 */
export async function assertSomethingLoaded(sql: string, dataDir: string): Promise<void> {
  const read = TABLES.filter((t) => new RegExp(`\\b${t.name}\\b`, 'i').test(sql));
  if (read.length === 0) return;
  for (const table of read) if ((await partitionFiles(dataDir, table)).length > 0) return;
  const names = read.map((t) => t.name).join(', ');
  throw new LakeqError(
    'NOTHING_LOADED',
    `nothing is loaded in ${dataDir}: ${names} ${read.length === 1 ? 'has' : 'have'} no partitions yet; run lakeq load --from DATE --to DATE (or npm start for the sample estate) first`,
  );
}
