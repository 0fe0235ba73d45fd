import type { TableDefinition } from '../../catalog/table-definition.ts';
import type { SpiceDataset } from '../../dashboards/datasets.ts';
import { compileTarget } from '../../engines/compile-targets.ts';
import { LakeqError } from '../../engines/engine.ts';
import { inlineParameters } from '../../engines/trino/trino-literals.ts';
import { compileQuery } from '../../query/compile-query.ts';
import type { LibraryQuery } from '../../query/define-query.ts';
import { arns, type DeployConfig } from './deploy-config.ts';
import { tableInputColumns } from './quicksight-columns.ts';
import type { DataSetDefinition } from './quicksight-resources.ts';

/** The key of the one physical table of each dataset. */
export const PHYSICAL_TABLE_ID = 'lakeq-source';

/**
 * The QuickSight definition of each SPICE dataset: a curated table read as it is
 * (RelationalTable), or a library query compiled for Athena with the dataset's parameters
 * inlined (CustomSql). Column types come from the table definition; a query source takes the
 * columns of the table its query loads, since a query's row type exists only for `tsc`.
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
    if ('table' in dataset.source) {
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
      const loads = tables.find((t) => t.transform.queryId === queryId);
      if (!loads) throw fail(`the column types of query ${queryId} are unknown (no table is loaded by it)`);
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
          Columns: tableInputColumns(loads).filter((c) =>
            loads.columns.some((k) => k.name.toLowerCase() === c.Name),
          ),
        },
      };
    }
    return {
      DataSetId: dataset.id,
      Name: dataset.name,
      ImportMode: 'SPICE' as const,
      PhysicalTableMap: { [PHYSICAL_TABLE_ID]: physical },
    };
  });
}
