import { LEDGER_COLUMNS, LEDGER_TABLE } from '../catalog/athena/ledger-ddl.ts';
import type { TableDefinition } from '../catalog/table-definition.ts';
import {
  ledgerInputColumns,
  quickSightType,
  type SpiceColumn,
  tableInputColumns,
} from '../deploy/quicksight-columns.ts';
import { LakeqError } from '../engines/engine.ts';
import { CBO_RUN_COLUMNS, TPCDS_CBO_RUNS } from '../sources/tpcds/schema.ts';
import type { SpiceDataset } from './datasets.ts';

/**
 * The columns a SPICE dataset has in QuickSight, names lower-cased, types after the dataset's
 * casts (`dt` is a DATETIME): what a dashboard over it may name, and the types the local page
 * gives the columns of the dataset's snapshot. Reads the same sources as `dataSetDefinitions`.
 *
 * @example
 * ```ts
 * spiceDatasetColumns(spiceDataset('lakeq-identity-center-instance-churn-hourly'), TABLES)
 * // [{ Name: 'account_id', Type: 'STRING' }, …, { Name: 'dt', Type: 'STRING' }, { Name: 'hour', Type: 'STRING' }]
 * ```
 */
export function spiceDatasetColumns(
  dataset: SpiceDataset,
  tables: readonly TableDefinition[],
): SpiceColumn[] {
  const fail = (why: string) => new LakeqError('BAD_DATASET', `SPICE dataset ${dataset.id}: ${why}`);
  if ('table' in dataset.source) {
    const { table } = dataset.source;
    const columns =
      table === LEDGER_TABLE
        ? ledgerInputColumns(LEDGER_COLUMNS)
        : table === TPCDS_CBO_RUNS
          ? cboRunInputColumns()
          : undefined;
    const def = tables.find((t) => t.name === table);
    if (!columns && !def) throw fail(`no curated table ${table}`);
    return (columns ?? tableInputColumns(def as TableDefinition)).map((c) =>
      c.Name === 'dt' ? { Name: 'dt', Type: 'DATETIME' } : c,
    );
  }
  const { queryId, columns } = dataset.source;
  if (columns) return columns.map((c) => ({ Name: c.name.toLowerCase(), Type: quickSightType(c.type) }));
  const loads = tables.find((t) => t.transform.queryId === queryId);
  if (!loads) throw fail(`the column types of query ${queryId} are unknown (no table is loaded by it)`);
  return tableInputColumns(loads).filter((c) => loads.columns.some((k) => k.name.toLowerCase() === c.Name));
}

/** `tpcds_cbo_runs`' columns in QuickSight (a raw relation of the TPC-DS source, not a curated table): `started_at` a DATETIME. */
export function cboRunInputColumns(): SpiceColumn[] {
  return [
    ...CBO_RUN_COLUMNS.map(([name, type]) => ({ Name: name, Type: quickSightType(type) })),
    { Name: 'run_id', Type: 'STRING' as const },
  ];
}
