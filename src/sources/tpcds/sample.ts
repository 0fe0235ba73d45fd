import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dimensionSql, type GenerateContext } from './sample/dimension-tables.ts';
import { returnsSql, salesSql } from './sample/fact-tables.ts';
import { rowCounts } from './sample/row-counts.ts';
import { SqlRandom, sqlString } from './sample/sql-random.ts';
import { TPCDS_SCHEMA, type TpcdsTableName } from './schema.ts';

/** The order the tables are written in: a returns table after the sales it returns. */
export const GENERATION_ORDER: readonly TpcdsTableName[] = [
  'date_dim',
  'time_dim',
  'income_band',
  'household_demographics',
  'customer_demographics',
  'customer_address',
  'customer',
  'item',
  'store',
  'warehouse',
  'call_center',
  'catalog_page',
  'web_page',
  'web_site',
  'promotion',
  'reason',
  'ship_mode',
  'store_sales',
  'store_returns',
  'catalog_sales',
  'catalog_returns',
  'web_sales',
  'web_returns',
  'inventory',
];

const RETURNS_OF = {
  store_returns: 'store_sales',
  catalog_returns: 'catalog_sales',
  web_returns: 'web_sales',
} as const;

/** What `lakeq tpcds generate` asks for. */
export interface TpcdsGenerateRequest {
  /** The folder the 24 table folders are written to (`<dataDir>/raw/tpcds` by default). */
  readonly out: string;
  /** The scale factor: 1 is about 1 GB of raw data (19.5 million rows). */
  readonly sf: number;
  readonly seed: number;
  /** DuckDB threads (default: DuckDB's). */
  readonly threads?: number;
  /** Called before and after each table. */
  readonly onProgress?: (p: TpcdsProgress) => void;
}

/** Where a generation is: the table being written, and rows of all tables written so far. */
export interface TpcdsProgress {
  readonly table: TpcdsTableName;
  readonly tablesDone: number;
  readonly tablesTotal: number;
  readonly rowsDone: number;
  readonly rowsTotal: number;
}

/** What a generation wrote. */
export interface TpcdsGenerateResult {
  readonly out: string;
  readonly counts: Readonly<Record<TpcdsTableName, number>>;
  readonly rows: number;
  readonly ms: number;
}

/** The file a generation leaves beside the tables: its scale factor, seed and row counts. */
export const MANIFEST = 'tpcds-manifest.json';

/**
 * Generates the 24 TPC-DS tables at a scale factor as Parquet, in DuckDB SQL: dimensions one
 * folder each, fact tables partitioned by their sold (returned) date key. Deterministic for a
 * seed. The tables are written to a staging folder first and moved in together, so a failed or
 * interrupted run leaves the previous tables as they were.
 *
 * @example
 * ```ts
 * const result = await generateTpcds({ out: './lakeq-data/raw/tpcds', sf: 0.01, seed: 1 });
 * result.counts.store_sales // 28810
 * // ./lakeq-data/raw/tpcds/store_sales/ss_sold_date_sk=2450816/data_0.parquet, …
 * ```
 */
export async function generateTpcds(request: TpcdsGenerateRequest): Promise<TpcdsGenerateResult> {
  const started = performance.now();
  const counts = rowCounts(request.sf);
  const c: GenerateContext = { counts, r: new SqlRandom(request.seed) };
  const out = path.resolve(request.out);
  const staging = path.join(out, `.staging-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', {
    ...(request.threads ? { threads: String(request.threads) } : {}),
    preserve_insertion_order: 'true',
  });
  const connection = await instance.connect();
  const rowsTotal = GENERATION_ORDER.reduce((sum, t) => sum + counts[t], 0);
  let rowsDone = 0;
  try {
    for (const [i, table] of GENERATION_ORDER.entries()) {
      request.onProgress?.({
        table,
        tablesDone: i,
        tablesTotal: GENERATION_ORDER.length,
        rowsDone,
        rowsTotal,
      });
      const select = tableSql(table, c, staging);
      const key = TPCDS_SCHEMA[table].partitionKey;
      const target = path.join(staging, table);
      const copy = key
        ? `COPY (${select}) TO ${sqlString(target)} (FORMAT parquet, PARTITION_BY (${key}), COMPRESSION zstd)`
        : `COPY (${select}) TO ${sqlString(path.join(target, 'data_0.parquet'))} (FORMAT parquet, COMPRESSION zstd)`;
      if (!key) await mkdir(target, { recursive: true });
      await connection.run(copy);
      rowsDone += counts[table];
    }
    request.onProgress?.({
      table: GENERATION_ORDER.at(-1) as TpcdsTableName,
      tablesDone: GENERATION_ORDER.length,
      tablesTotal: GENERATION_ORDER.length,
      rowsDone,
      rowsTotal,
    });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  await swapIn(out, staging);
  const manifest = { scaleFactor: request.sf, seed: request.seed, rows: counts };
  await writeFile(path.join(out, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return { out, counts, rows: rowsDone, ms: performance.now() - started };
}

function tableSql(table: TpcdsTableName, c: GenerateContext, staging: string): string {
  switch (table) {
    case 'store_sales':
    case 'catalog_sales':
    case 'web_sales':
    case 'inventory':
      return salesSql(table, c);
    case 'store_returns':
    case 'catalog_returns':
    case 'web_returns':
      return returnsSql(table, path.join(staging, RETURNS_OF[table], '**', '*.parquet'), c);
    default:
      return dimensionSql(table, c);
  }
}

/** Moves the staged tables over the old ones, one rename each; the old ones go last. */
async function swapIn(out: string, staging: string): Promise<void> {
  const old = path.join(staging, '.old');
  await mkdir(old, { recursive: true });
  const present = new Set(await readdir(out));
  for (const table of GENERATION_ORDER) {
    if (present.has(table)) await rename(path.join(out, table), path.join(old, table));
    await rename(path.join(staging, table), path.join(out, table));
  }
  await rm(staging, { recursive: true, force: true });
}
