/**
 * A DuckDB contender of the load benchmark in its own process, as a user's script would run it:
 * `node bench/duckdb-child.ts <sql-file>` runs the statement in the file on a fresh in-memory
 * DuckDB and prints one JSON line: the rows it changed or returned (the first row's values too),
 * the process's wall time since it started, its CPU time and peak RSS.
 */
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
if (!file) throw new Error('usage: node bench/duckdb-child.ts <sql-file>');
const sql = readFileSync(file, 'utf8');
const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
const reader = await con.runAndReadAll(sql);
const first = reader.getRowObjectsJS()[0] ?? {};
const cpu = process.cpuUsage();
process.stdout.write(
  `${JSON.stringify({
    rowsChanged: Number(reader.rowsChanged),
    first: Object.fromEntries(
      Object.entries(first).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]),
    ),
    wallMs: performance.now(),
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
  })}\n`,
);
con.closeSync();
instance.closeSync();
