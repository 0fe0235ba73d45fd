import { TPCDS_SCHEMA, type TpcdsTableName } from '../../sources/tpcds/schema.ts';

/** TPC-DS column prefixes name their table: `ss_` store_sales, `i_` item, `web_` web_site. */
const TABLE_OF_PREFIX = new Map<string, TpcdsTableName>(
  (Object.keys(TPCDS_SCHEMA) as TpcdsTableName[]).map((t) => [
    (TPCDS_SCHEMA[t].columns[0]?.[0] ?? '').split('_')[0] as string,
    t,
  ]),
);

/** The TPC-DS table a column belongs to, by its prefix. */
export function tableOfColumn(column: string): TpcdsTableName | undefined {
  return TABLE_OF_PREFIX.get(column.trim().split('_')[0] ?? '');
}

interface DuckDbPlanNode {
  readonly name?: string;
  readonly children?: readonly DuckDbPlanNode[];
  readonly extra_info?: Readonly<Record<string, unknown>>;
}

/**
 * The tables a DuckDB plan (`EXPLAIN (FORMAT json)`) scans, in the order its joins take them:
 * depth first, probe side first. A scan is named by its columns' TPC-DS prefix (the views read
 * Parquet, so the plan names no table).
 *
 * @example
 * ```ts
 * duckDbJoinOrder(explainJson) // ['store_sales', 'inventory', 'date_dim', 'item']
 * ```
 */
export function duckDbJoinOrder(explainJson: string): string[] {
  const roots = JSON.parse(explainJson) as DuckDbPlanNode[];
  const out: string[] = [];
  const visit = (node: DuckDbPlanNode) => {
    const kids = node.children ?? [];
    if (kids.length === 0 && node.name === 'CTE_SCAN')
      out.push(`cte${String(node.extra_info?.['CTE Index'] ?? '')}`);
    else if (kids.length === 0 && /SCAN|READ_PARQUET/.test(node.name ?? '')) {
      const info = node.extra_info ?? {};
      const columns = [info.Projections, info.Filters]
        .flat()
        .filter((c): c is string => typeof c === 'string');
      const table = columns
        .map((c) => tableOfColumn(c.replace(/^[^a-z]*/i, '')))
        .find((t) => t !== undefined);
      out.push(table ?? (typeof info.Table === 'string' ? info.Table : '?'));
    }
    for (const kid of kids) visit(kid);
  };
  for (const root of roots) visit(root);
  return out;
}

/**
 * The tables a Trino/Athena plan (`EXPLAIN` text) scans, in the order they appear: Trino prints
 * a join's probe side before its build side, so this is its join order.
 *
 * @example
 * ```ts
 * trinoJoinOrder('… ScanFilterProject[table = awsdatacatalog:tpcds:store_sales …] … TableScan[table = awsdatacatalog:tpcds:item …]')
 * // ['store_sales', 'item']
 * ```
 */
export function trinoJoinOrder(explainText: string): string[] {
  return Array.from(explainText.matchAll(/table\s*=\s*(?:[\w$-]+:)*([a-z_]+)\b/g), (m) => m[1] as string);
}

/** `store_sales ⋈ item ⋈ date_dim`. */
export const formatJoinOrder = (tables: readonly string[]) => tables.join(' ⋈ ');
