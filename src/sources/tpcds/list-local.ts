import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TpcdsTableName } from './schema.ts';

/** What `lakeq tpcds generate` left in a folder: its manifest (scale factor, seed, rows per table). */
export interface TpcdsManifest {
  readonly scaleFactor: number;
  readonly seed: number;
  readonly rows: Readonly<Record<TpcdsTableName, number>>;
}

/**
 * The manifest of the generated tables in a local folder, or undefined when none was generated there.
 *
 * @example
 * ```ts
 * (await readTpcdsManifest('./lakeq-data/raw/tpcds'))?.scaleFactor // 1
 * ```
 */
export async function readTpcdsManifest(root: string): Promise<TpcdsManifest | undefined> {
  try {
    return JSON.parse(await readFile(path.join(root, 'tpcds-manifest.json'), 'utf8')) as TpcdsManifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(
      `${path.join(root, 'tpcds-manifest.json')} is not a TPC-DS manifest: ${(error as Error).message}`,
    );
  }
}

/** The Parquet files of one generated table (every partition), sorted. */
export async function tableFiles(root: string, table: string): Promise<string[]> {
  try {
    const entries = await readdir(path.join(root, table), { recursive: true });
    return entries
      .map(String)
      .filter((e) => e.endsWith('.parquet'))
      .map((e) => path.join(root, table, e))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
