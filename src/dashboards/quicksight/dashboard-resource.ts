import type {
  CreateDashboardCommand,
  CreateDashboardCommandOutput,
  CreateIngestionCommand,
  CreateIngestionCommandOutput,
  DashboardVersionDefinition,
  DescribeDashboardCommand,
  DescribeDashboardCommandOutput,
  DescribeDashboardDefinitionCommand,
  DescribeDashboardDefinitionCommandOutput,
  DescribeDashboardPermissionsCommand,
  DescribeDashboardPermissionsCommandOutput,
  ResourcePermission,
  UpdateDashboardCommand,
  UpdateDashboardCommandOutput,
  UpdateDashboardPermissionsCommand,
  UpdateDashboardPermissionsCommandOutput,
  UpdateDashboardPublishedVersionCommand,
  UpdateDashboardPublishedVersionCommandOutput,
} from '@aws-sdk/client-quicksight';
import type { DeployConfig } from '../../deploy/deploy-config.ts';
import { grantLines, missingGrants, type QuickSightLike } from '../../deploy/quicksight-resources.ts';
import { absentIfNotFound, type Resource, type Sleep, sdkInput } from '../../deploy/resource.ts';
import { pollWithBackoff } from '../../engines/aws-polling.ts';
import { LakeqError } from '../../engines/engine.ts';
import type { LakeqDashboard } from '../dashboard-definition.ts';
import {
  createDashboardRequest,
  DASHBOARD_OWNER_ACTIONS,
  DASHBOARD_VIEWER_ACTIONS,
  dashboardDefinition,
} from './dashboard-requests.ts';
import { definitionDiff } from './definition-diff.ts';

/** The QuickSight calls `lakeq dashboards` makes; a real `QuickSightClient` fits. */
export type QuickSightDashboardsLike = QuickSightLike & DashboardCalls;

interface DashboardCalls {
  send(command: DescribeDashboardCommand): Promise<DescribeDashboardCommandOutput>;
  send(command: DescribeDashboardDefinitionCommand): Promise<DescribeDashboardDefinitionCommandOutput>;
  send(command: DescribeDashboardPermissionsCommand): Promise<DescribeDashboardPermissionsCommandOutput>;
  send(command: CreateDashboardCommand): Promise<CreateDashboardCommandOutput>;
  send(command: UpdateDashboardCommand): Promise<UpdateDashboardCommandOutput>;
  send(
    command: UpdateDashboardPublishedVersionCommand,
  ): Promise<UpdateDashboardPublishedVersionCommandOutput>;
  send(command: UpdateDashboardPermissionsCommand): Promise<UpdateDashboardPermissionsCommandOutput>;
  send(command: CreateIngestionCommand): Promise<CreateIngestionCommandOutput>;
}

/** The SDK's command classes, passed in so the SDK is imported only when a command runs. */
export type QuickSightCommands = Pick<
  typeof import('@aws-sdk/client-quicksight'),
  | 'DescribeDashboardCommand'
  | 'DescribeDashboardDefinitionCommand'
  | 'DescribeDashboardPermissionsCommand'
  | 'CreateDashboardCommand'
  | 'UpdateDashboardCommand'
  | 'UpdateDashboardPublishedVersionCommand'
  | 'UpdateDashboardPermissionsCommand'
  | 'CreateIngestionCommand'
>;

/** A deployed dashboard: its published definition and its permissions. */
export interface DeployedDashboard {
  readonly name: string | undefined;
  readonly definition: DashboardVersionDefinition | undefined;
  readonly permissions: readonly ResourcePermission[];
}

/**
 * Reads the published version of a dashboard, or `undefined` when there is none.
 *
 * @example
 * ```ts
 * (await describeDeployedDashboard(quicksight, sdk, config, 'lakeq-glue-jobs'))?.definition?.Sheets
 * ```
 */
export async function describeDeployedDashboard(
  quicksight: QuickSightDashboardsLike,
  sdk: QuickSightCommands,
  config: DeployConfig,
  dashboardId: string,
): Promise<DeployedDashboard | undefined> {
  const ids = { AwsAccountId: config.accountId, DashboardId: dashboardId };
  const out = await absentIfNotFound(() => quicksight.send(new sdk.DescribeDashboardDefinitionCommand(ids)));
  if (!out) return undefined;
  const permissions = await quicksight.send(new sdk.DescribeDashboardPermissionsCommand(ids));
  return { name: out.Name, definition: out.Definition, permissions: permissions.Permissions ?? [] };
}

/** The version number at the end of a dashboard version ARN (`…:dashboard/id/version/3`). */
export function versionOf(versionArn: string | undefined): number {
  const n = Number(/\/version\/(\d+)$/.exec(versionArn ?? '')?.[1]);
  if (!Number.isInteger(n) || n < 1)
    throw new LakeqError('QUICKSIGHT_DASHBOARD', `no version number in the VersionArn ${versionArn}`);
  return n;
}

/**
 * One dashboard as a deploy resource: created with CreateDashboard (the first version is
 * published), or, when its name or definition differs from the published version, updated with
 * UpdateDashboard, waited for, and the new version published (UpdateDashboardPublishedVersion).
 * Missing grants to the configured owners and viewers are added with UpdateDashboardPermissions.
 *
 * @example
 * ```ts
 * await planResource(dashboardResource(quicksight, sdk, config, glueJobs))
 * // { kind: 'quicksight-dashboard', name: 'lakeq-glue-jobs', action: 'update',
 * //   diff: ['Sheets.jobs.Visuals.bar-cost-by-job.BarChartVisual.Title.FormatText.PlainText: "a" → "b"'] }
 * ```
 */
export function dashboardResource(
  quicksight: QuickSightDashboardsLike,
  sdk: QuickSightCommands,
  config: DeployConfig,
  dashboard: LakeqDashboard,
  options: { readonly sleep?: Sleep } = {},
): Resource<DeployedDashboard> {
  const ids = { AwsAccountId: config.accountId, DashboardId: dashboard.id };
  const definition = dashboardDefinition(config, dashboard);
  const grants = (current: DeployedDashboard) => [
    ...missingGrants(config.quicksight.principals, DASHBOARD_OWNER_ACTIONS, current.permissions),
    ...missingGrants(
      config.quicksight.viewers.filter((v) => !config.quicksight.principals.includes(v)),
      DASHBOARD_VIEWER_ACTIONS,
      current.permissions,
    ),
  ];
  const changes = (current: DeployedDashboard) => [
    ...(current.name === dashboard.name
      ? []
      : [`Name: ${JSON.stringify(current.name)} → ${JSON.stringify(dashboard.name)}`]),
    ...definitionDiff(definition, current.definition),
  ];
  // Creating a version is asynchronous; publishing one that is still being created fails.
  const settled = async (version: number) => {
    const out = await pollWithBackoff({
      poll: () => quicksight.send(new sdk.DescribeDashboardCommand({ ...ids, VersionNumber: version })),
      isDone: (o) => !o.Dashboard?.Version?.Status?.endsWith('_IN_PROGRESS'),
      initialMs: 1000,
      sleep: options.sleep,
    });
    const v = out.Dashboard?.Version;
    if (v?.Status?.endsWith('_FAILED')) {
      const why = (v.Errors ?? []).map((e) => `${e.Type}: ${e.Message}`).join('; ') || 'no reason given';
      throw new LakeqError(
        'QUICKSIGHT_DASHBOARD_FAILED',
        `dashboard ${dashboard.id} version ${version}: ${v.Status}: ${why}`,
      );
    }
  };
  return {
    kind: 'quicksight-dashboard',
    name: dashboard.id,
    describe: () => describeDeployedDashboard(quicksight, sdk, config, dashboard.id),
    diff: (current) => [...changes(current), ...grantLines(grants(current))],
    create: async () => {
      const out = await quicksight.send(
        new sdk.CreateDashboardCommand(sdkInput(createDashboardRequest(config, dashboard))),
      );
      await settled(versionOf(out.VersionArn));
    },
    update: async (current) => {
      if (changes(current).length > 0) {
        const out = await quicksight.send(
          new sdk.UpdateDashboardCommand({ ...ids, Name: dashboard.name, Definition: sdkInput(definition) }),
        );
        const version = versionOf(out.VersionArn);
        await settled(version);
        await quicksight.send(
          new sdk.UpdateDashboardPublishedVersionCommand({ ...ids, VersionNumber: version }),
        );
      }
      const missing = grants(current);
      if (missing.length > 0)
        await quicksight.send(
          new sdk.UpdateDashboardPermissionsCommand({ ...ids, GrantPermissions: missing }),
        );
    },
  };
}
