import type { TpcdsTableName } from '../schema.ts';

/**
 * Rows per table at the scale factors whose counts are known: SF0.01 and SF1 as dsdgen writes
 * them (DuckDB's tpcds tests; `reason` is 75 at SF1, as dsdgen makes it, not the spec table's
 * 35), SF1000 as the spec's Table 3-2 gives them. `inventory` is derived (weeks × items × warehouses).
 */
const KNOWN: Readonly<Record<number, Readonly<Record<Exclude<TpcdsTableName, 'inventory'>, number>>>> = {
  0.01: {
    store_sales: 28_810,
    store_returns: 2_829,
    catalog_sales: 14_313,
    catalog_returns: 1_377,
    web_sales: 7_212,
    web_returns: 685,
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
  },
  1: {
    store_sales: 2_880_404,
    store_returns: 287_514,
    catalog_sales: 1_441_548,
    catalog_returns: 144_067,
    web_sales: 719_384,
    web_returns: 71_763,
    item: 18_000,
    date_dim: 73_049,
    time_dim: 86_400,
    customer: 100_000,
    customer_address: 50_000,
    customer_demographics: 1_920_800,
    household_demographics: 7_200,
    catalog_page: 11_718,
    promotion: 300,
    reason: 75,
    store: 12,
    call_center: 6,
    warehouse: 5,
    web_page: 60,
    web_site: 30,
    ship_mode: 20,
    income_band: 20,
  },
  1000: {
    store_sales: 2_879_987_999,
    store_returns: 287_999_764,
    catalog_sales: 1_439_980_416,
    catalog_returns: 143_996_756,
    web_sales: 720_000_376,
    web_returns: 71_997_522,
    item: 300_000,
    date_dim: 73_049,
    time_dim: 86_400,
    customer: 12_000_000,
    customer_address: 6_000_000,
    customer_demographics: 1_920_800,
    household_demographics: 7_200,
    catalog_page: 30_000,
    promotion: 1_500,
    reason: 65,
    store: 1_002,
    call_center: 42,
    warehouse: 20,
    web_page: 3_000,
    web_site: 54,
    ship_mode: 20,
    income_band: 20,
  },
};

/** Weeks of inventory snapshots (1998-01-01 to 2002-12-26, one a week). */
export const INVENTORY_WEEKS = 261;

/**
 * The row count of every table at a scale factor: exact at SF0.01, SF1 and SF1000; between them
 * interpolated on a log-log scale (the spec's scaling is sub-linear for the dimensions), beyond
 * SF1000 linear for the fact tables and `customer`/`customer_address`, fixed for the rest.
 *
 * @example
 * ```ts
 * rowCounts(1).store_sales   // 2880404
 * rowCounts(0.01).inventory  // 23490 (261 weeks × 90 items × 1 warehouse)
 * ```
 */
export function rowCounts(sf: number): Record<TpcdsTableName, number> {
  if (!(sf > 0) || !Number.isFinite(sf)) throw new Error(`scale factor must be a positive number, not ${sf}`);
  const points = Object.keys(KNOWN)
    .map(Number)
    .sort((a, b) => a - b);
  const at = (p: number) => KNOWN[p] as Record<Exclude<TpcdsTableName, 'inventory'>, number>;
  const counts = {} as Record<TpcdsTableName, number>;
  for (const table of Object.keys(at(1)) as Exclude<TpcdsTableName, 'inventory'>[]) {
    counts[table] = Math.max(1, Math.round(interpolate(sf, points, (p) => at(p)[table], table)));
  }
  counts.inventory = INVENTORY_WEEKS * currentItems(counts.item) * counts.warehouse;
  return counts;
}

/** Items of the current revision (every second item): the ones inventory counts. */
export function currentItems(items: number): number {
  return Math.max(1, Math.floor(items / 2));
}

const LINEAR_BEYOND = new Set([
  'store_sales',
  'store_returns',
  'catalog_sales',
  'catalog_returns',
  'web_sales',
  'web_returns',
  'customer',
  'customer_address',
]);

function interpolate(sf: number, points: number[], value: (p: number) => number, table: string): number {
  const first = points[0] as number;
  const last = points.at(-1) as number;
  if (points.includes(sf)) return value(sf);
  if (sf < first) return (value(first) * sf) / first;
  if (sf > last) return LINEAR_BEYOND.has(table) ? (value(last) * sf) / last : value(last);
  const hi = points.findIndex((p) => p > sf);
  const a = points[hi - 1] as number;
  const b = points[hi] as number;
  const t = Math.log(sf / a) / Math.log(b / a);
  return value(a) * (value(b) / value(a)) ** t;
}
