import { type Engine, LakeqError } from '../engines/engine.ts';
import type { LibraryQuery } from '../query/define-query.ts';
import { loadQuery } from '../query/registry.ts';
import { runQuery } from '../query/run-query.ts';
import { storeAt } from '../storage/local-folder-store.ts';
import { type ObjectStore, objectLocation } from '../storage/object-store.ts';
import { toCsv } from './csv.ts';

/**
 * The Identity Center report of AWS's blog post "How to use multiple instances of AWS IAM Identity
 * Center": its three CSV files, from one snapshot (default the latest) of the inventory tables.
 * Unlike the post's Lambda, a run writes the same names for the same day and reads history kept
 * in the tables, so a report can be made again for any snapshot day.
 */

/** The files of the report and the library query each comes from, in order. */
export const IDENTITY_CENTER_REPORT = [
  { file: 'instances.csv', queryId: 'identity-center/instances' },
  { file: 'duplicate-users.csv', queryId: 'identity-center/duplicate-users' },
  { file: 'application-assignments.csv', queryId: 'identity-center/application-assignments' },
] as const;

/**
 * What writeIdentityCenterReport wrote.
 *
 * @example
 * ```ts
 * // { day: '2026-11-08', files: [{ file: 'instances.csv', location: './report/instances.csv', rows: 6 }, …] }
 * ```
 */
export interface IdentityCenterReport {
  readonly day: string;
  readonly files: readonly { readonly file: string; readonly location: string; readonly rows: number }[];
}

/**
 * Runs the report's three queries on `engine` for one snapshot day and writes their CSV files
 * into `out` (a folder, or an ObjectStore such as an S3 prefix), each whole or not at all.
 * Without any loaded snapshot it fails with one line saying so.
 *
 * @example
 * ```ts
 * const report = await writeIdentityCenterReport(engine, './report');
 * report.files.map((f) => f.file) // ['instances.csv', 'duplicate-users.csv', 'application-assignments.csv']
 * ```
 */
export async function writeIdentityCenterReport(
  engine: Engine,
  out: string | ObjectStore,
  options: {
    readonly day?: string;
    readonly signal?: AbortSignal;
    /** The key of a file in `out` (default the file name): the daily run keeps a folder per day. */
    readonly keyOf?: (day: string, file: string) => string;
  } = {},
): Promise<IdentityCenterReport> {
  const store = storeAt(out);
  const queries: LibraryQuery[] = [];
  for (const part of IDENTITY_CENTER_REPORT) queries.push(await loadQuery(part.queryId));
  const run = (query: LibraryQuery, day: string | undefined) =>
    runQuery(
      engine,
      query,
      day === undefined ? {} : { day },
      options.signal ? { signal: options.signal } : {},
    );

  // The instances fix the day, so all three files describe the same snapshot.
  const first = await run(queries[0] as LibraryQuery, options.day);
  const day = (first.rows[0] as { snapshot_day?: string } | undefined)?.snapshot_day ?? options.day;
  if (day === undefined || first.rows.length === 0) {
    throw new LakeqError(
      'NO_SNAPSHOT',
      options.day === undefined
        ? 'no Identity Center snapshot is loaded: collect the inventory and load it first (npm start does both for the sample estate)'
        : `no Identity Center snapshot of ${options.day} is loaded`,
    );
  }
  const results = [first];
  for (const query of queries.slice(1)) results.push(await run(query, day));
  const files: { file: string; location: string; rows: number }[] = [];
  for (const [i, part] of IDENTITY_CENTER_REPORT.entries()) {
    const result = results[i] as (typeof results)[number];
    const names = result.columns.map((c) => c.name);
    const key = options.keyOf ? options.keyOf(day, part.file) : part.file;
    await store.put(key, toCsv(result.rows as Record<string, unknown>[], names));
    files.push({ file: part.file, location: objectLocation(store, key), rows: result.rows.length });
  }
  return { day, files };
}
