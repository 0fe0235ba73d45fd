import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseHiveType, toDuckDbType } from '../../catalog/hive-types.ts';
import type { DuckDbRun } from '../../engines/duckdb/duckdb-dialect-config.ts';
import type { LocalRawRelations, LocalRawRelationsFactory } from '../source-definition.ts';
import { duckDbType } from './sample/sql-random.ts';
import {
  CBO_RUN_COLUMNS,
  TPCDS_CBO_RUNS,
  TPCDS_SCHEMA,
  TPCDS_TABLES,
  type TpcdsTableName,
} from './schema.ts';

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Whether a folder holds a Parquet file at any depth (a generated table, or a comparison run). */
async function hasParquet(dir: string): Promise<boolean> {
  try {
    for (const entry of await readdir(dir, { recursive: true }))
      if (String(entry).endsWith('.parquet')) return true;
  } catch {
    return false;
  }
  return false;
}

/**
 * The view of a TPC-DS table by its TPC-DS name over its generated Parquet (`<root>/<table>/`),
 * the columns in the spec's order and types (a fact table's date key comes from its partition
 * folders); with no files, an empty view with the same columns.
 *
 * @example
 * ```ts
 * tpcdsViewSql('store_sales', '/d/raw/tpcds', true)
 * // CREATE OR REPLACE VIEW store_sales AS SELECT CAST(ss_sold_date_sk AS INTEGER) AS ss_sold_date_sk, …
 * //   FROM read_parquet('/d/raw/tpcds/store_sales/**\/*.parquet', hive_partitioning = true)
 * ```
 */
export function tpcdsViewSql(table: TpcdsTableName, root: string, present: boolean): string {
  const columns = TPCDS_SCHEMA[table].columns;
  const head = `CREATE OR REPLACE VIEW ${table} AS`;
  if (!present) {
    return `${head} SELECT ${columns.map(([n, t]) => `CAST(NULL AS ${duckDbType(t)}) AS ${n}`).join(', ')} WHERE false`;
  }
  const files = path.join(root, table, '**', '*.parquet');
  const key = TPCDS_SCHEMA[table].partitionKey;
  const list = columns.map(([n, t]) => (n === key ? `CAST(${n} AS ${duckDbType(t)}) AS ${n}` : n)).join(', ');
  return `${head} SELECT ${list} FROM read_parquet(${sqlString(files)}, hive_partitioning = ${key ? 'true' : 'false'})`;
}

/** The view of `tpcds_cbo_runs` over `<root>/tpcds_cbo_runs/run_id=…/*.parquet`. */
export function cboRunsViewSql(root: string, present: boolean): string {
  const typed = CBO_RUN_COLUMNS.map(([n, t]) => [n, toDuckDbType(parseHiveType(t))] as const);
  const head = `CREATE OR REPLACE VIEW ${TPCDS_CBO_RUNS} AS`;
  if (!present) {
    return `${head} SELECT ${typed.map(([n, t]) => `CAST(NULL AS ${t}) AS ${n}`).join(', ')}, CAST(NULL AS VARCHAR) AS run_id WHERE false`;
  }
  const files = path.join(root, TPCDS_CBO_RUNS, '*', '*.parquet');
  return `${head} SELECT ${typed.map(([n, t]) => `CAST(${n} AS ${t}) AS ${n}`).join(', ')}, CAST(run_id AS VARCHAR) AS run_id
    FROM read_parquet(${sqlString(files)}, hive_partitioning = true, hive_types = {'run_id': VARCHAR}, union_by_name = true)`;
}

/** The generated TPC-DS tables and the comparison runs in one engine: views made once, never repointed (no load reads them). */
class LocalTpcdsRelations implements LocalRawRelations {
  readonly #root: string | undefined;
  readonly #scan: boolean;
  constructor(root: string | undefined, scan: boolean) {
    this.#root = root;
    this.#scan = scan;
  }
  async setup(run: DuckDbRun): Promise<void> {
    const root = this.#root;
    const read = root !== undefined && this.#scan;
    for (const table of TPCDS_TABLES) {
      await run(tpcdsViewSql(table, root ?? '', read && (await hasParquet(path.join(root, table)))));
    }
    await run(cboRunsViewSql(root ?? '', read && (await hasParquet(path.join(root, TPCDS_CBO_RUNS)))));
  }
  async useFiles(): Promise<void> {}
  async recover(): Promise<boolean> {
    return false;
  }
}

/**
 * TPC-DS's local raw relations (`SourceDefinition.local`): a view per TPC-DS table by its own
 * name (`store_sales`, `date_dim`, …) over `lakeq tpcds generate`'s folder, and `tpcds_cbo_runs`.
 *
 * @example
 * ```ts
 * const relations = localTpcdsRelations({ root: './lakeq-data/raw/tpcds', scan: true });
 * await relations.setup(run, warn);
 * ```
 */
export const localTpcdsRelations: LocalRawRelationsFactory = ({ root, scan }) =>
  new LocalTpcdsRelations(root, scan);
