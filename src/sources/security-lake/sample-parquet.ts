import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseHiveType, toDuckDbType } from '../../catalog/hive-types.ts';
import { type SecurityLakeTable, securityLakeFolder } from './schema.ts';

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * DuckDB writes each table's NDJSON as Parquet, one file per partition, in a fixed order (one thread), and says
 * how many files.
 *
 * @example
 * ```ts
 * await writeSampleParquet('./lake', [{ table, file: 'work/SH_FINDINGS-2.ndjson', rows: 143 }]) // 42
 * ```
 */
export async function writeSampleParquet(
  out: string,
  tables: readonly { table: SecurityLakeTable; file: string; rows: number }[],
): Promise<number> {
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await db.connect();
  let files = 0;
  try {
    for (const { table, file, rows } of tables) {
      if (rows === 0) continue;
      const dir = path.join(out, ...securityLakeFolder(table));
      await mkdir(dir, { recursive: true });
      const spec = table.columns.map((c) => {
        const type = c.type === 'timestamp' ? 'VARCHAR' : toDuckDbType(parseHiveType(c.type));
        return `${ident(c.name)}: ${sqlString(type)}`;
      });
      const select = table.columns.map((c) =>
        c.type === 'timestamp'
          ? `CAST(replace(replace(${ident(c.name)}, 'T', ' '), 'Z', '') AS TIMESTAMP) AS ${ident(c.name)}`
          : ident(c.name),
      );
      await con.run(`COPY (
        SELECT ${select.join(', ')}, region, accountId, eventDay
        FROM read_json(${sqlString(file)}, format = 'newline_delimited',
          columns = {${[...spec, "region: 'VARCHAR'", "accountId: 'VARCHAR'", "eventDay: 'VARCHAR'"].join(', ')}})
        ORDER BY region, accountId, eventDay, time
      ) TO ${sqlString(dir)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (region, accountId, eventDay),
        FILENAME_PATTERN 'lakeq-sample-{i}', OVERWRITE_OR_IGNORE true)`);
      const counted = await con.runAndReadAll(
        `SELECT count(DISTINCT (region, accountId, eventDay)) AS n FROM read_json(${sqlString(file)}, format = 'newline_delimited', columns = {region: 'VARCHAR', accountId: 'VARCHAR', eventDay: 'VARCHAR'})`,
      );
      files += Number(counted.getRowObjects()[0]?.n ?? 0);
    }
  } finally {
    con.closeSync();
    db.closeSync();
  }
  return files;
}
