import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalEngine } from '../../../src/catalog/duckdb/local-engine.ts';
import { main } from '../../../src/cli/main.ts';
import type { DuckDbEngine } from '../../../src/engines/duckdb/duckdb-engine.ts';
import { rowCounts } from '../../../src/sources/tpcds/sample/row-counts.ts';
import { generateTpcds, MANIFEST } from '../../../src/sources/tpcds/sample.ts';
import { TPCDS_SCHEMA, TPCDS_TABLES, type TpcdsTableName } from '../../../src/sources/tpcds/schema.ts';
import { captureIO } from '../../support/capture-io.ts';
import { REAL_FIXTURES_URL } from '../../support/fixture-dirs.ts';

/** SF0.01 as dsdgen writes it (FACTS.md: DuckDB's tpcds_sf001 test); inventory is 261 weeks × 90 items × 1 warehouse. */
const SF001: Record<TpcdsTableName, number> = {
  store_sales: 28_810,
  store_returns: 2_829,
  catalog_sales: 14_313,
  catalog_returns: 1_377,
  web_sales: 7_212,
  web_returns: 685,
  inventory: 23_490,
  item: 180,
  date_dim: 73_049,
  time_dim: 86_400,
  customer: 1_000,
  customer_address: 500,
  customer_demographics: 19_208,
  household_demographics: 7_200,
  catalog_page: 11_718,
  promotion: 3,
  reason: 1,
  store: 1,
  call_center: 1,
  warehouse: 1,
  web_page: 1,
  web_site: 1,
  ship_mode: 20,
  income_band: 20,
};

/** Every surrogate key column that is not its table's own key names its dimension by its ending. */
const REFERENCES: readonly [RegExp, string, string][] = [
  [/date_sk$/, 'date_dim', 'd_date_sk'],
  [/time_sk$/, 'time_dim', 't_time_sk'],
  [/item_sk$/, 'item', 'i_item_sk'],
  [/customer_sk$/, 'customer', 'c_customer_sk'],
  [/cdemo_sk$/, 'customer_demographics', 'cd_demo_sk'],
  [/hdemo_sk$/, 'household_demographics', 'hd_demo_sk'],
  [/addr_sk$/, 'customer_address', 'ca_address_sk'],
  [/store_sk$/, 'store', 's_store_sk'],
  [/promo_sk$/, 'promotion', 'p_promo_sk'],
  [/reason_sk$/, 'reason', 'r_reason_sk'],
  [/call_center_sk$/, 'call_center', 'cc_call_center_sk'],
  [/catalog_page_sk$/, 'catalog_page', 'cp_catalog_page_sk'],
  [/ship_mode_sk$/, 'ship_mode', 'sm_ship_mode_sk'],
  [/warehouse_sk$/, 'warehouse', 'w_warehouse_sk'],
  [/web_page_sk$/, 'web_page', 'wp_web_page_sk'],
  [/web_site_sk$/, 'web_site', 'web_site_sk'],
  [/income_band_sk$/, 'income_band', 'ib_income_band_sk'],
];
const FACTS = new Set([
  'store_sales',
  'store_returns',
  'catalog_sales',
  'catalog_returns',
  'web_sales',
  'web_returns',
  'inventory',
]);

async function digest(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const file of (await readdir(root, { recursive: true })).map(String).sort()) {
    if (!file.endsWith('.parquet') && !file.endsWith('.json')) continue;
    out.set(
      file,
      createHash('sha256')
        .update(await readFile(path.join(root, file)))
        .digest('hex'),
    );
  }
  return out;
}

let dir: string;
let a: string;
let engine: DuckDbEngine;
const count = async (sql: string) => {
  const { rows } = await engine.execute(CompiledQuery.raw(sql));
  return Number((rows[0] as { n: number | bigint }).n);
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-tpcds-'));
  a = path.join(dir, 'a');
  await generateTpcds({ out: a, sf: 0.01, seed: 1 });
  engine = await openLocalEngine({ sources: { tpcds: a } });
}, 300_000);

afterAll(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('lakeq tpcds generate', () => {
  it('has the spec’s 24 tables with pbench’s column names and types', async () => {
    expect(TPCDS_TABLES).toHaveLength(24);
    for (const table of TPCDS_TABLES) {
      const fixture = JSON.parse(
        await readFile(new URL(`tpcds/schema-presto/${table}.json`, REAL_FIXTURES_URL), 'utf8'),
      ) as { columns: { name: string; type: string; partition_key?: boolean }[] };
      expect(TPCDS_SCHEMA[table].columns, table).toEqual(fixture.columns.map((c) => [c.name, c.type]));
      expect(TPCDS_SCHEMA[table].partitionKey, table).toBe(
        fixture.columns.find((c) => c.partition_key)?.name,
      );
    }
  });

  it('writes SF0.01 with the row counts dsdgen writes, readable by their TPC-DS names', async () => {
    expect(rowCounts(0.01)).toEqual(SF001);
    for (const table of TPCDS_TABLES)
      expect(await count(`select count(*) as n from ${table}`), table).toBe(SF001[table]);
    expect(JSON.parse(await readFile(path.join(a, MANIFEST), 'utf8'))).toEqual({
      scaleFactor: 0.01,
      seed: 1,
      rows: SF001,
    });
  });

  it('knows SF1 exactly (reason is 75, as dsdgen makes it), and scales between the known points', () => {
    const sf1 = rowCounts(1);
    expect(sf1.store_sales).toBe(2_880_404);
    expect(sf1.inventory).toBe(11_745_000);
    expect(sf1.reason).toBe(75);
    expect(Object.values(sf1).reduce((s, n) => s + n, 0)).toBe(19_557_375);
    const sf10 = rowCounts(10);
    expect(sf10.store_sales).toBeGreaterThan(sf1.store_sales);
    expect(sf10.store_sales).toBeLessThan(rowCounts(1000).store_sales);
    expect(() => rowCounts(0)).toThrow(/positive/);
  });

  it('every foreign key resolves', { timeout: 180_000 }, async () => {
    // In memory first: the checks scan the fact tables ~90 times, and each scan opens every day's file.
    for (const table of TPCDS_TABLES)
      await engine.execute(CompiledQuery.raw(`CREATE TABLE m_${table} AS SELECT * FROM ${table}`));
    let checked = 0;
    for (const table of TPCDS_TABLES) {
      const own = FACTS.has(table) ? undefined : TPCDS_SCHEMA[table].columns[0]?.[0];
      for (const [column] of TPCDS_SCHEMA[table].columns) {
        if (!column.endsWith('_sk') || column === own) continue;
        const ref = REFERENCES.find(([pattern]) => pattern.test(column));
        expect(ref, `${table}.${column} names no dimension`).toBeDefined();
        const [, dim, key] = ref as [RegExp, string, string];
        const dangling = await count(
          `select count(*) as n from m_${table} t where t.${column} is not null and not exists (select 1 from m_${dim} d where d.${key} = t.${column})`,
        );
        expect(dangling, `${table}.${column} → ${dim}.${key}`).toBe(0);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(80);
    // A return is of a sale: the same item on the same ticket or order.
    for (const [returns, sales, key, rkey] of [
      ['store_returns', 'store_sales', 'ss_ticket_number', 'sr_ticket_number'],
      ['catalog_returns', 'catalog_sales', 'cs_order_number', 'cr_order_number'],
      ['web_returns', 'web_sales', 'ws_order_number', 'wr_order_number'],
    ] as const) {
      const p = sales
        .split('_')
        .map((w) => w[0])
        .join('');
      const r = returns
        .split('_')
        .map((w) => w[0])
        .join('');
      const orphan = await count(
        `select count(*) as n from m_${returns} x where not exists (select 1 from m_${sales} s where s.${key} = x.${rkey} and s.${p}_item_sk = x.${r}_item_sk)`,
      );
      expect(orphan, returns).toBe(0);
    }
  });

  it('partitions the fact tables by their date key, one folder per day (inventory: per week)', async () => {
    const days = (await readdir(path.join(a, 'store_sales'))).filter((d) => d.startsWith('ss_sold_date_sk='));
    // 2,744 tickets at SF0.01 fall on ~1,400 of the 1,827 days 1998-01-02 … 2003-01-02.
    expect(days.length).toBeGreaterThan(1_000);
    const keys = days.map((d) => Number(d.split('=')[1]));
    expect(Math.min(...keys)).toBeGreaterThanOrEqual(2_450_816);
    expect(Math.max(...keys)).toBeLessThanOrEqual(2_452_642);
    expect(
      (await readdir(path.join(a, 'inventory'))).filter((d) => d.startsWith('inv_date_sk=')),
    ).toHaveLength(261);
    expect(await readdir(path.join(a, 'item'))).toEqual(['data_0.parquet']);
  });

  it('is deterministic: the CLI with the same seed writes the same bytes; another seed other data', async () => {
    const b = path.join(dir, 'b');
    const io = captureIO();
    expect(await main(['tpcds', 'generate', '--sf', '0.01', '--seed', '1', '--out', b], io)).toBe(0);
    expect(io.stdout()).toMatch(/wrote TPC-DS SF0\.01 \(seed 1\) to .*: 24 tables, 278,020 rows in/);
    expect(io.stderr()).toContain('tpcds store_sales:');
    const [da, db] = [await digest(a), await digest(b)];
    expect(da.size).toBeGreaterThan(6_000);
    expect([...db.entries()]).toEqual([...da.entries()]);
  }, 300_000);

  it('refuses a bad scale factor or seed in one line', async () => {
    for (const args of [['--sf', '0'], ['--sf', 'x'], ['--sf', '1', '--seed', 'x'], []]) {
      const io = captureIO();
      expect(await main(['tpcds', 'generate', ...args, '--out', path.join(dir, 'never')], io)).toBe(2);
      expect(io.stderr().split('\n')[0]).toMatch(/^lakeq: --(sf|seed)/);
    }
  });
});
