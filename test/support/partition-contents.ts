import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/**
 * Every Parquet file under a folder (a data folder's `curated/`) with a digest of its rows: the
 * row count and the sum of `hash()` over each row, which does not depend on row order. A load
 * writes each partition unsorted in one parallel COPY, so the same rows need not give the same
 * bytes; "the same partition" means the same rows. A file that is not whole Parquet fails to read.
 * Files in staging folders (`.staging-…`), which readers never see, are left out.
 *
 * @example
 * ```ts
 * const before = await contentDigests(path.join(dataDir, 'curated'));
 * before.get('cloudtrail_events/dt=2026-11-02/hour=10/part-0.parquet') // '24:1234…'
 * ```
 */
export async function contentDigests(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const rels = ((await readdir(root, { recursive: true }).catch(() => [])) as string[])
    .filter((rel) => rel.endsWith('.parquet') && !rel.split(path.sep).some((part) => part.startsWith('.')))
    .sort();
  if (rels.length === 0) return out;
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  try {
    for (const rel of rels) {
      const file = path.join(root, rel).replace(/'/g, "''");
      const reader = await con.runAndReadAll(
        `SELECT count(*)::VARCHAR AS n, CAST(sum(hash(p)) AS VARCHAR) AS h FROM read_parquet('${file}') p`,
      );
      const row = reader.getRowObjectsJS()[0] ?? {};
      out.set(rel, `${String(row.n)}:${String(row.h)}`);
    }
  } finally {
    con.closeSync();
    instance.closeSync();
  }
  return out;
}
