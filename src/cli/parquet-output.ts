import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { createDuckDbEngine } from '../engines/duckdb/duckdb-engine.ts';

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Writes rows to a Parquet file (zstd) through DuckDB, whichever engine produced them. */
export async function writeParquet(
  rows: readonly Record<string, unknown>[],
  names: readonly string[],
  out: string,
): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lakeq-parquet-'));
  const engine = await createDuckDbEngine({});
  try {
    const ndjson = path.join(dir, 'rows.ndjson');
    await writeFile(ndjson, rows.map((r) => JSON.stringify(r)).join('\n'));
    const select =
      rows.length === 0
        ? `SELECT ${names.map((n) => `CAST(NULL AS VARCHAR) AS "${n.replace(/"/g, '""')}"`).join(', ') || '1 AS empty'} WHERE false`
        : `SELECT ${names.map((n) => `"${n.replace(/"/g, '""')}"`).join(', ')} FROM read_json(${quote(ndjson)}, format = 'newline_delimited')`;
    await engine.execute(
      CompiledQuery.raw(`COPY (${select}) TO ${quote(path.resolve(out))} (FORMAT parquet, COMPRESSION zstd)`),
    );
  } finally {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  }
}
