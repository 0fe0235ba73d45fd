import { LEDGER_COLUMNS, LEDGER_TABLE } from '../catalog/athena/ledger-ddl.ts';
import type { TableDefinition } from '../catalog/table-definition.ts';
import type { SpiceDataset } from '../dashboards/datasets.ts';
import { cboRunInputColumns, spiceDatasetColumns } from '../dashboards/spice-dataset-columns.ts';
import { compileTarget } from '../engines/compile-targets.ts';
import { LakeqError } from '../engines/engine.ts';
import { inlineParameters } from '../engines/trino/trino-literals.ts';
import { compileQuery } from '../query/compile-query.ts';
import type { LibraryQuery } from '../query/define-query.ts';
import { TPCDS_CBO_RUNS } from '../sources/tpcds/schema.ts';
import { arns, type DeployConfig } from './deploy-config.ts';
import { LEDGER_TIME_COLUMNS, ledgerInputColumns, tableInputColumns } from './quicksight-columns.ts';
import type { DataSetDefinition } from './quicksight-resources.ts';

export { spiceDatasetColumns } from '../dashboards/spice-dataset-columns.ts';

/** The key of the one physical table of each dataset. */
export const PHYSICAL_TABLE_ID = 'lakeq-source';
/** The key of the logical table that casts a curated table's `dt` to a date. */
export const LOGICAL_TABLE_ID = 'lakeq-table';

/**
 * The QuickSight definition of each SPICE dataset: a curated table read as it is
 * (RelationalTable), a library query compiled for Athena with the dataset's parameters
 * inlined (CustomSql), or the run ledger `lakeq_runs` (CustomSql selecting its scalar columns,
 * its ISO time strings cast to timestamps). The partition key `dt` ('YYYY-MM-DD') is a
 * DATETIME in every dataset that has it (a cast in the logical table, or in the ledger's SQL),
 * so dashboards can chart by day. Column types come from the table definition; a
 * query source takes the columns of the table its query loads, since a query's row type
 * exists only for `tsc`.
 *
 * @example
 * ```ts
 * dataSetDefinitions(SPICE_DATASETS, config, TABLES, await loadAllQueries())
 * // [{ DataSetId: 'lakeq-identity-center-instance-churn-hourly', ImportMode: 'SPICE',
 * //    PhysicalTableMap: { 'lakeq-source': { RelationalTable: { DataSourceArn, Catalog: 'AwsDataCatalog',
 * //      Schema: 'lakeq', Name: 'identity_center_instance_churn_hourly', InputColumns: [{ Name: 'account_id', Type: 'STRING' }, …] } } } }]
 * ```
 */
export function dataSetDefinitions(
  datasets: readonly SpiceDataset[],
  config: DeployConfig,
  tables: readonly TableDefinition[],
  queries: readonly LibraryQuery[],
): DataSetDefinition[] {
  const DataSourceArn = arns.dataSource(config);
  return datasets.map((dataset) => {
    const fail = (why: string) => new LakeqError('BAD_DATASET', `SPICE dataset ${dataset.id}: ${why}`);
    let physical: DataSetDefinition['PhysicalTableMap'][string];
    if ('table' in dataset.source && dataset.source.table === LEDGER_TABLE) {
      physical = {
        CustomSql: {
          DataSourceArn,
          Name: dataset.name.slice(0, 128),
          SqlQuery: ledgerSql(config),
          Columns: ledgerInputColumns(LEDGER_COLUMNS),
        },
      };
    } else if ('table' in dataset.source && dataset.source.table === TPCDS_CBO_RUNS) {
      physical = {
        RelationalTable: {
          DataSourceArn,
          Catalog: config.catalog,
          Schema: config.database,
          Name: TPCDS_CBO_RUNS,
          InputColumns: cboRunInputColumns(),
        },
      };
    } else if ('table' in dataset.source) {
      const { table } = dataset.source;
      const def = tables.find((t) => t.name === table);
      if (!def) throw fail(`no curated table ${table}`);
      physical = {
        RelationalTable: {
          DataSourceArn,
          Catalog: config.catalog,
          Schema: config.database,
          Name: def.name,
          InputColumns: tableInputColumns(def),
        },
      };
    } else {
      const { queryId, params } = dataset.source;
      const query = queries.find((q) => q.id === queryId);
      if (!query) throw fail(`no library query ${queryId}`);
      const target = compileTarget('athena', {
        aws: {
          athena: { workGroup: config.workGroup, database: config.database, catalog: config.catalog },
          cloudtrailLake: {},
        },
      });
      physical = {
        CustomSql: {
          DataSourceArn,
          Name: dataset.name.slice(0, 128),
          SqlQuery: inlineParameters(compileQuery(query, params, target).compiled).sql,
          Columns: spiceDatasetColumns(dataset, tables),
        },
      };
    }
    return {
      DataSetId: dataset.id,
      Name: dataset.name,
      ImportMode: 'SPICE' as const,
      PhysicalTableMap: { [PHYSICAL_TABLE_ID]: physical },
      ...(physical.RelationalTable?.InputColumns?.some((c) => c.Name === 'dt')
        ? {
            LogicalTableMap: {
              [LOGICAL_TABLE_ID]: {
                Alias: dataset.name.slice(0, 64),
                Source: { PhysicalTableId: PHYSICAL_TABLE_ID },
                DataTransforms: [
                  {
                    CastColumnTypeOperation: {
                      ColumnName: 'dt',
                      NewColumnType: 'DATETIME' as const,
                      Format: 'yyyy-MM-dd',
                    },
                  },
                ],
              },
            },
          }
        : {}),
    };
  });
}

const quoteId = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The ledger's SELECT: scalar columns only, the ISO time strings as timestamps (NULL when malformed). */
function ledgerSql(config: Pick<DeployConfig, 'catalog' | 'database'>): string {
  const select = ledgerInputColumns(LEDGER_COLUMNS).map(({ Name }) => {
    const timed = LEDGER_TIME_COLUMNS.some((t) => t.toLowerCase() === Name);
    if (timed) return `try(CAST(from_iso8601_timestamp(${quoteId(Name)}) AS timestamp)) AS ${quoteId(Name)}`;
    if (Name === 'dt') return `try(CAST(date_parse("dt", '%Y-%m-%d') AS timestamp)) AS "dt"`;
    return quoteId(Name);
  });
  const from = [config.catalog, config.database, LEDGER_TABLE].map(quoteId).join('.');
  return `SELECT ${select.join(', ')}\nFROM ${from}`;
}
