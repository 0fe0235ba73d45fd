import {
  CreateDataSetCommand,
  type CreateDataSetCommandOutput,
  CreateDataSourceCommand,
  type CreateDataSourceCommandOutput,
  type DataSet,
  type DataSource,
  DescribeDataSetCommand,
  type DescribeDataSetCommandOutput,
  DescribeDataSetPermissionsCommand,
  type DescribeDataSetPermissionsCommandOutput,
  DescribeDataSourceCommand,
  type DescribeDataSourceCommandOutput,
  DescribeDataSourcePermissionsCommand,
  type DescribeDataSourcePermissionsCommandOutput,
  type LogicalTable,
  type PhysicalTable,
  type ResourcePermission,
  UpdateDataSetCommand,
  type UpdateDataSetCommandOutput,
  UpdateDataSetPermissionsCommand,
  type UpdateDataSetPermissionsCommandOutput,
  UpdateDataSourceCommand,
  type UpdateDataSourceCommandOutput,
  UpdateDataSourcePermissionsCommand,
  type UpdateDataSourcePermissionsCommandOutput,
} from '@aws-sdk/client-quicksight';
import { pollWithBackoff } from '../engines/aws-polling.ts';
import { LakeqError } from '../engines/engine.ts';
import type { DeployConfig } from './deploy-config.ts';
import { diffValues } from './diff-values.ts';
import { absentIfNotFound, type Resource, type Sleep } from './resource.ts';

/** The QuickSight calls deploy makes; a real `QuickSightClient` fits. */
export interface QuickSightLike {
  send(command: DescribeDataSourceCommand): Promise<DescribeDataSourceCommandOutput>;
  send(command: DescribeDataSourcePermissionsCommand): Promise<DescribeDataSourcePermissionsCommandOutput>;
  send(command: CreateDataSourceCommand): Promise<CreateDataSourceCommandOutput>;
  send(command: UpdateDataSourceCommand): Promise<UpdateDataSourceCommandOutput>;
  send(command: UpdateDataSourcePermissionsCommand): Promise<UpdateDataSourcePermissionsCommandOutput>;
  send(command: DescribeDataSetCommand): Promise<DescribeDataSetCommandOutput>;
  send(command: DescribeDataSetPermissionsCommand): Promise<DescribeDataSetPermissionsCommandOutput>;
  send(command: CreateDataSetCommand): Promise<CreateDataSetCommandOutput>;
  send(command: UpdateDataSetCommand): Promise<UpdateDataSetCommandOutput>;
  send(command: UpdateDataSetPermissionsCommand): Promise<UpdateDataSetPermissionsCommandOutput>;
}

/** What the console grants an owner of a data source. */
export const DATA_SOURCE_OWNER_ACTIONS = [
  'quicksight:DescribeDataSource',
  'quicksight:DescribeDataSourcePermissions',
  'quicksight:PassDataSource',
  'quicksight:UpdateDataSource',
  'quicksight:DeleteDataSource',
  'quicksight:UpdateDataSourcePermissions',
];

/** What the console grants an owner of a dataset. */
export const DATA_SET_OWNER_ACTIONS = [
  'quicksight:DescribeDataSet',
  'quicksight:DescribeDataSetPermissions',
  'quicksight:PassDataSet',
  'quicksight:DescribeIngestion',
  'quicksight:ListIngestions',
  'quicksight:UpdateDataSet',
  'quicksight:DeleteDataSet',
  'quicksight:CreateIngestion',
  'quicksight:CancelIngestion',
  'quicksight:UpdateDataSetPermissions',
];

interface WithPermissions<T> {
  readonly resource: T;
  readonly permissions: readonly ResourcePermission[];
}

/** The grants `principals` lack: each principal's missing actions. Grants to others are left alone. */
export function missingGrants(
  principals: readonly string[],
  actions: readonly string[],
  current: readonly ResourcePermission[],
): ResourcePermission[] {
  return principals.flatMap((principal) => {
    const have = new Set(current.filter((p) => p.Principal === principal).flatMap((p) => p.Actions ?? []));
    const missing = actions.filter((a) => !have.has(a));
    return missing.length > 0 ? [{ Principal: principal, Actions: missing }] : [];
  });
}

/** The plan's lines for missing grants. */
export const grantLines = (grants: readonly ResourcePermission[]) =>
  grants.map((g) => `permissions: + ${g.Principal} ${g.Actions?.join(', ')}`);
/**
 * `{ Permissions }` granting `actions` to each principal, or `{}` without principals.
 *
 * @example
 * ```ts
 * permissionsFor(['arn:aws:quicksight:eu-west-1:111122223333:user/default/alice'], ['quicksight:DescribeDashboard'])
 * // { Permissions: [{ Principal: 'arn:…:user/default/alice', Actions: ['quicksight:DescribeDashboard'] }] }
 * ```
 */
export const permissionsFor = (principals: readonly string[], actions: readonly string[]) =>
  principals.length > 0
    ? { Permissions: principals.map((Principal) => ({ Principal, Actions: [...actions] })) }
    : {};

/**
 * The CreateDataSource request of the Athena data source: what deploy sends, and what
 * `lakeq dashboards export` writes.
 *
 * @example
 * ```ts
 * dataSourceRequest(config)
 * // { AwsAccountId, DataSourceId: 'lakeq-athena', Name: 'lakeq (Athena)', Type: 'ATHENA',
 * //   DataSourceParameters: { AthenaParameters: { WorkGroup: 'lakeq' } }, Permissions: [owner grants] }
 * ```
 */
export function dataSourceRequest(config: DeployConfig) {
  const role = config.roles.quicksightAthena;
  return {
    AwsAccountId: config.accountId,
    DataSourceId: config.quicksight.dataSourceId,
    Name: 'lakeq (Athena)',
    Type: 'ATHENA' as const,
    DataSourceParameters: {
      AthenaParameters: { WorkGroup: config.workGroup, ...(role ? { RoleArn: role } : {}) },
    },
    ...permissionsFor(config.quicksight.principals, DATA_SOURCE_OWNER_ACTIONS),
  };
}

/**
 * The CreateDataSet request of a SPICE dataset: what deploy sends, and what export writes.
 *
 * @example
 * ```ts
 * dataSetRequest(config, definition)
 * // { AwsAccountId, DataSetId, Name, ImportMode: 'SPICE', PhysicalTableMap, LogicalTableMap?, Permissions? }
 * ```
 */
export function dataSetRequest(config: DeployConfig, definition: DataSetDefinition) {
  return {
    AwsAccountId: config.accountId,
    ...definition,
    ...permissionsFor(config.quicksight.principals, DATA_SET_OWNER_ACTIONS),
  };
}

/**
 * The Athena data source QuickSight's datasets read through, bound to lakeq's work group.
 *
 * @example
 * ```ts
 * quickSightDataSourceResource(quicksight, config)
 * // CreateDataSource { AwsAccountId, DataSourceId: 'lakeq-athena', Type: 'ATHENA',
 * //   DataSourceParameters: { AthenaParameters: { WorkGroup: 'lakeq' } }, Permissions: [owner grants] }
 * ```
 */
export function quickSightDataSourceResource(
  quicksight: QuickSightLike,
  config: DeployConfig,
  options: { readonly sleep?: Sleep } = {},
): Resource<WithPermissions<DataSource>> {
  const { AwsAccountId, DataSourceId, Permissions: _, ...desired } = dataSourceRequest(config);
  const ids = { AwsAccountId, DataSourceId };
  const grants = (c: WithPermissions<DataSource>) =>
    missingGrants(config.quicksight.principals, DATA_SOURCE_OWNER_ACTIONS, c.permissions);
  // Creating and updating a data source is asynchronous; a dataset cannot use it before it is ready.
  const settled = async () => {
    const out = await pollWithBackoff({
      poll: () => quicksight.send(new DescribeDataSourceCommand(ids)),
      isDone: (o) => !o.DataSource?.Status?.endsWith('_IN_PROGRESS'),
      initialMs: 1000,
      sleep: options.sleep,
    });
    const status = out.DataSource?.Status ?? '';
    if (status.endsWith('_FAILED')) {
      const why = out.DataSource?.ErrorInfo?.Message ?? out.DataSource?.ErrorInfo?.Type ?? 'no reason given';
      throw new LakeqError(
        'QUICKSIGHT_DATA_SOURCE_FAILED',
        `data source ${ids.DataSourceId}: ${status}: ${why}`,
      );
    }
  };
  return {
    kind: 'quicksight-data-source',
    name: config.quicksight.dataSourceId,
    describe: async () => {
      const out = await absentIfNotFound(() => quicksight.send(new DescribeDataSourceCommand(ids)));
      if (!out?.DataSource) return undefined;
      const permissions = await quicksight.send(new DescribeDataSourcePermissionsCommand(ids));
      return { resource: out.DataSource, permissions: permissions.Permissions ?? [] };
    },
    diff: (current) => [...diffValues(desired, current.resource), ...grantLines(grants(current))],
    create: async () => {
      await quicksight.send(new CreateDataSourceCommand(dataSourceRequest(config)));
      await settled();
    },
    update: async (current) => {
      if (diffValues(desired, current.resource).length > 0) {
        const { Type: _, ...update } = desired;
        await quicksight.send(new UpdateDataSourceCommand({ ...ids, ...update }));
        await settled();
      }
      const missing = grants(current);
      if (missing.length > 0)
        await quicksight.send(new UpdateDataSourcePermissionsCommand({ ...ids, GrantPermissions: missing }));
    },
  };
}

/** A SPICE dataset as deploy wants it. */
export interface DataSetDefinition {
  readonly DataSetId: string;
  readonly Name: string;
  readonly ImportMode: 'SPICE';
  readonly PhysicalTableMap: Record<string, PhysicalTable>;
  /** Casts over the physical table (a curated table's `dt` to a date); absent, QuickSight makes its own. */
  readonly LogicalTableMap?: Record<string, LogicalTable>;
}

/**
 * A SPICE dataset over the data source. Updating a SPICE dataset starts an ingestion, so it is
 * updated only when its definition changed; missing owner grants are added on their own.
 *
 * @example
 * ```ts
 * quickSightDataSetResource(quicksight, config, { DataSetId: 'lakeq-identity-center-instance-churn-hourly', … })
 * // a column added → UpdateDataSet { AwsAccountId, DataSetId, Name, ImportMode: 'SPICE', PhysicalTableMap }
 * ```
 */
export function quickSightDataSetResource(
  quicksight: QuickSightLike,
  config: DeployConfig,
  definition: DataSetDefinition,
): Resource<WithPermissions<DataSet>> {
  const ids = { AwsAccountId: config.accountId, DataSetId: definition.DataSetId };
  const { DataSetId: _, ...desired } = definition;
  const grants = (c: WithPermissions<DataSet>) =>
    missingGrants(config.quicksight.principals, DATA_SET_OWNER_ACTIONS, c.permissions);
  return {
    kind: 'quicksight-dataset',
    name: definition.DataSetId,
    describe: async () => {
      const out = await absentIfNotFound(() => quicksight.send(new DescribeDataSetCommand(ids)));
      if (!out?.DataSet) return undefined;
      const permissions = await quicksight.send(new DescribeDataSetPermissionsCommand(ids));
      return { resource: out.DataSet, permissions: permissions.Permissions ?? [] };
    },
    diff: (current) => [...diffValues(desired, current.resource), ...grantLines(grants(current))],
    create: async () => {
      await quicksight.send(new CreateDataSetCommand(dataSetRequest(config, definition)));
    },
    update: async (current) => {
      if (diffValues(desired, current.resource).length > 0)
        await quicksight.send(new UpdateDataSetCommand({ ...ids, ...desired }));
      const missing = grants(current);
      if (missing.length > 0)
        await quicksight.send(new UpdateDataSetPermissionsCommand({ ...ids, GrantPermissions: missing }));
    },
  };
}
