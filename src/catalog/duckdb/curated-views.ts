import { glob } from 'node:fs/promises';
import path from 'node:path';
import { DUCKDB_CAPABILITIES } from '../../engines/duckdb/duckdb-capabilities.ts';
import { DuckDbDialect } from '../../engines/duckdb/duckdb-dialect.ts';
import type { DuckDbRun } from '../../engines/duckdb/duckdb-dialect-config.ts';
import { LakeqError } from '../../engines/engine.ts';
import { inlineParameters } from '../../engines/trino/trino-literals.ts';
import { compileQuery } from '../../query/compile-query.ts';
import { loadQuery } from '../../query/registry.ts';
import type { TableDefinition } from '../table-definition.ts';
import { ledgerViewSql } from './ledger-view.ts';

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Where a curated table's files live in the data folder. */
export function tableDir(dataDir: string, table: TableDefinition): string {
  return path.join(dataDir, ...table.location.split('/'));
}

/** The Parquet files of a table's partitions (`dt=*\/hour=*\/*.parquet`); staging files never match. */
export async function partitionFiles(dataDir: string, table: TableDefinition): Promise<string[]> {
  const out: string[] = [];
  for await (const file of glob('dt=*/hour=*/*.parquet', { cwd: tableDir(dataDir, table) })) {
    out.push(path.join(tableDir(dataDir, table), file));
  }
  return out.sort();
}

/** Whether a table has a partition file yet (the first one found answers: no listing of them all). */
async function hasPartitionFiles(dataDir: string, table: TableDefinition): Promise<boolean> {
  for await (const _ of glob('dt=*/hour=*/*.parquet', { cwd: tableDir(dataDir, table) })) return true;
  return false;
}

/**
 * The view of a curated table over its hive-partitioned Parquet files, with `dt` and `hour`
 * as text. A table with no partition yet is an empty view with the columns and types its
 * transform produces, so queries bind before the first load.
 */
export async function curatedViewSql(dataDir: string, table: TableDefinition): Promise<string> {
  const columns = [...table.columns.map((c) => ident(c.name)), 'dt', 'hour'].join(', ');
  if (await hasPartitionFiles(dataDir, table)) {
    const pattern = path.join(tableDir(dataDir, table), 'dt=*', 'hour=*', '*.parquet');
    return `CREATE OR REPLACE VIEW ${ident(table.name)} AS SELECT ${columns} FROM read_parquet(${sqlString(pattern)},
      hive_partitioning = true, hive_types = {'dt': 'VARCHAR', 'hour': 'VARCHAR'})`;
  }
  // The same for every data folder: compiled once a process (each engine opening made them all).
  let empty = EMPTY_VIEWS.get(table);
  if (empty === undefined) {
    empty = emptyViewSql(table, columns);
    EMPTY_VIEWS.set(table, empty);
    empty.catch(() => EMPTY_VIEWS.delete(table));
  }
  return empty;
}

const EMPTY_VIEWS = new WeakMap<TableDefinition, Promise<string>>();

async function emptyViewSql(table: TableDefinition, columns: string): Promise<string> {
  const transform = await loadQuery(table.transform.queryId);
  const target = {
    name: 'duckdb' as const,
    capabilities: DUCKDB_CAPABILITIES,
    dialect: new DuckDbDialect(noRun),
    tableNames: {},
  };
  const { compiled } = compileQuery(transform, { from: '2000-01-01', to: '2000-01-02' }, target);
  return `CREATE OR REPLACE VIEW ${ident(table.name)} AS SELECT ${columns} FROM (${inlineParameters(compiled).sql}) t WHERE false`;
}

const noRun = {
  name: 'duckdb' as const,
  execute: async (): Promise<never> => {
    throw new LakeqError('NOT_CONNECTED', 'compile only');
  },
};

/** Creates or refreshes the views of the curated tables, in load order, and of the run ledger. */
export async function createCuratedViews(
  run: DuckDbRun,
  dataDir: string,
  tables: readonly TableDefinition[],
): Promise<void> {
  for (const table of tables) await run(await curatedViewSql(dataDir, table));
  await run(await ledgerViewSql(dataDir));
}
