import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CreateDashboardRequest, DashboardVersionDefinition } from '@aws-sdk/client-quicksight';
import type { TableDefinition } from '../../catalog/table-definition.ts';
import { arns, type DeployConfig } from '../../deploy/deploy-config.ts';
import {
  type DataSetDefinition,
  dataSetRequest,
  dataSourceRequest,
  permissionsFor,
} from '../../deploy/quicksight-resources.ts';
import { dataSetDefinitions, spiceDatasetColumns } from '../../deploy/spice-datasets.ts';
import { LakeqError } from '../../engines/engine.ts';
import type { LibraryQuery } from '../../query/define-query.ts';
import type { LakeqDashboard } from '../dashboard-definition.ts';
import type { SpiceDataset } from '../datasets.ts';
import { assertDashboardsConsistent } from './check-dashboard.ts';

/** What a dashboard's owners may do: what the console grants the creator. */
export const DASHBOARD_OWNER_ACTIONS = [
  'quicksight:DescribeDashboard',
  'quicksight:ListDashboardVersions',
  'quicksight:UpdateDashboardPermissions',
  'quicksight:QueryDashboard',
  'quicksight:UpdateDashboard',
  'quicksight:DeleteDashboard',
  'quicksight:DescribeDashboardPermissions',
  'quicksight:UpdateDashboardPublishedVersion',
];

/** What a dashboard's viewers may do. */
export const DASHBOARD_VIEWER_ACTIONS = [
  'quicksight:DescribeDashboard',
  'quicksight:ListDashboardVersions',
  'quicksight:QueryDashboard',
];

/** The dashboards, datasets, tables and queries to publish; each defaults to lakeq's own. */
export interface DashboardInputs {
  readonly dashboards?: readonly LakeqDashboard[];
  readonly datasets?: readonly SpiceDataset[];
  readonly tables?: readonly TableDefinition[];
  readonly queries?: readonly LibraryQuery[];
}

/** Everything publishing needs, resolved and checked. */
export interface ResolvedDashboards {
  readonly dashboards: readonly LakeqDashboard[];
  /** The SPICE datasets the dashboards read (each once), as deploy defines them. */
  readonly dataSets: readonly DataSetDefinition[];
}

/**
 * Loads the inputs (lakeq's own unless given), checks every dashboard against its datasets'
 * columns (`assertDashboardsConsistent`) and defines the datasets the dashboards read.
 *
 * @example
 * ```ts
 * const { dashboards, dataSets } = await resolveDashboards(config);
 * dataSets.map((d) => d.DataSetId) // ['lakeq-identity-center-instance-churn-hourly', 'lakeq-glue-job-runs', …]
 * ```
 */
export async function resolveDashboards(
  config: DeployConfig,
  inputs: DashboardInputs = {},
): Promise<ResolvedDashboards> {
  const dashboards = inputs.dashboards ?? (await import('../../../dashboards/index.ts')).DASHBOARDS;
  const datasets = inputs.datasets ?? (await import('../datasets.ts')).SPICE_DATASETS;
  const tables = inputs.tables ?? (await import('../../catalog/tables/index.ts')).TABLES;
  assertDashboardsConsistent(dashboards, (id) => {
    const dataset = datasets.find((d) => d.id === id);
    return dataset ? spiceDatasetColumns(dataset, tables) : undefined;
  });
  const used = new Set(dashboards.flatMap((d) => Object.values(d.datasets)));
  const read = datasets.filter((d) => used.has(d.id));
  const queries =
    inputs.queries ??
    (read.some((d) => 'queryId' in d.source)
      ? await (await import('../../query/registry.ts')).loadAllQueries()
      : []);
  return { dashboards, dataSets: dataSetDefinitions(read, config, tables, queries) };
}

/**
 * The dashboard's definition as QuickSight takes it: `DataSetIdentifierDeclarations` (from
 * `datasets`, with the dataset ARNs) first, then the rest of the code's definition.
 *
 * @example
 * ```ts
 * dashboardDefinition(config, glueJobs).DataSetIdentifierDeclarations
 * // [{ Identifier: 'runs', DataSetArn: 'arn:aws:quicksight:eu-west-1:111122223333:dataset/lakeq-glue-job-runs' }]
 * ```
 */
export function dashboardDefinition(
  config: DeployConfig,
  dashboard: LakeqDashboard,
): DashboardVersionDefinition {
  return {
    DataSetIdentifierDeclarations: Object.entries(dashboard.datasets).map(([Identifier, id]) => ({
      Identifier,
      DataSetArn: arns.dataSet(config, id),
    })),
    ...dashboard.definition,
  };
}

/**
 * The CreateDashboard request deploy sends: the definition, and permissions for the
 * configured owners (`quicksight.principals`) and viewers (`quicksight.viewers`).
 *
 * @example
 * ```ts
 * createDashboardRequest(config, glueJobs)
 * // { AwsAccountId, DashboardId: 'lakeq-glue-jobs', Name: 'Glue Jobs', Definition: { DataSetIdentifierDeclarations, Sheets, … }, Permissions }
 * ```
 */
export function createDashboardRequest(
  config: DeployConfig,
  dashboard: LakeqDashboard,
): CreateDashboardRequest {
  const owners = permissionsFor(config.quicksight.principals, DASHBOARD_OWNER_ACTIONS).Permissions ?? [];
  const viewers = permissionsFor(
    config.quicksight.viewers.filter((v) => !config.quicksight.principals.includes(v)),
    DASHBOARD_VIEWER_ACTIONS,
  ).Permissions;
  const Permissions = [...owners, ...(viewers ?? [])];
  return {
    AwsAccountId: config.accountId,
    DashboardId: dashboard.id,
    Name: dashboard.name,
    Definition: dashboardDefinition(config, dashboard),
    ...(Permissions.length > 0 ? { Permissions } : {}),
  };
}

/** One exported request: its file name, operation and JSON body. */
export interface ExportedRequest {
  /** `<dashboard>.<Operation>.json`, or `<dashboard>.CreateDataSet.<datasetId>.json` when it reads several. */
  readonly file: string;
  readonly operation: 'CreateDataSource' | 'CreateDataSet' | 'CreateDashboard';
  readonly body: object;
}

/**
 * The exact request bodies deploy sends to create each dashboard and what it reads: per
 * dashboard, CreateDataSource, CreateDataSet (one per dataset) and CreateDashboard. Files are
 * named `<dashboardId>.<Operation>.json`; a dashboard reading several datasets gets one
 * `<dashboardId>.CreateDataSet.<datasetId>.json` per dataset.
 *
 * @example
 * ```ts
 * (await exportDashboardRequests(config)).map((r) => r.file)
 * // ['lakeq-identity-center-churn.CreateDataSource.json', 'lakeq-identity-center-churn.CreateDataSet.json',
 * //  'lakeq-identity-center-churn.CreateDashboard.json', 'lakeq-glue-jobs.CreateDataSource.json', …]
 * ```
 */
export async function exportDashboardRequests(
  config: DeployConfig,
  inputs: DashboardInputs = {},
): Promise<ExportedRequest[]> {
  const { dashboards, dataSets } = await resolveDashboards(config, inputs);
  const json = (value: object) => JSON.parse(JSON.stringify(value)) as object;
  return dashboards.flatMap((dashboard) => {
    const ids = [...new Set(Object.values(dashboard.datasets))];
    return [
      {
        file: `${dashboard.id}.CreateDataSource.json`,
        operation: 'CreateDataSource' as const,
        body: json(dataSourceRequest(config)),
      },
      ...ids.map((id) => {
        const definition = dataSets.find((d) => d.DataSetId === id);
        if (!definition) throw new LakeqError('BAD_DASHBOARD', `${dashboard.id}: no SPICE dataset ${id}`);
        return {
          file:
            ids.length === 1
              ? `${dashboard.id}.CreateDataSet.json`
              : `${dashboard.id}.CreateDataSet.${id}.json`,
          operation: 'CreateDataSet' as const,
          body: json(dataSetRequest(config, definition)),
        };
      }),
      {
        file: `${dashboard.id}.CreateDashboard.json`,
        operation: 'CreateDashboard' as const,
        body: json(createDashboardRequest(config, dashboard)),
      },
    ];
  });
}

/**
 * Writes exported requests into `dir` (created if missing), each file written whole to a
 * temporary name and renamed into place. Returns the paths written.
 *
 * @example
 * ```ts
 * await writeExportedRequests('./quicksight', await exportDashboardRequests(config))
 * ```
 */
export async function writeExportedRequests(
  dir: string,
  requests: readonly ExportedRequest[],
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const r of requests) {
    const target = path.join(dir, r.file);
    const temp = `${target}.${randomUUID()}.tmp`;
    try {
      await writeFile(temp, `${JSON.stringify(r.body, null, 2)}\n`);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    written.push(target);
  }
  return written;
}
