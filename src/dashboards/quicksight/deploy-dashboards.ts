import type { DeployConfig } from '../../deploy/deploy-config.ts';
import { applyDeploy, type DeployPlan } from '../../deploy/plan-deploy.ts';
import {
  quickSightDataSetResource,
  quickSightDataSourceResource,
} from '../../deploy/quicksight-resources.ts';
import { type DeployChange, planResource, type Resource, type Sleep } from '../../deploy/resource.ts';
import { type DashboardInputs, dashboardDefinition, resolveDashboards } from './dashboard-requests.ts';
import {
  dashboardResource,
  describeDeployedDashboard,
  type QuickSightCommands,
  type QuickSightDashboardsLike,
} from './dashboard-resource.ts';
import { definitionDiff } from './definition-diff.ts';

/** The QuickSight client and the SDK's command classes (tests pass a mocked client). */
export interface DashboardClients {
  readonly quicksight: QuickSightDashboardsLike;
  readonly sdk: QuickSightCommands;
}

/**
 * A real QuickSight client in the deploy's Region with the settings' profile; the SDK is
 * imported here, when a command needs it.
 *
 * @example
 * ```ts
 * const clients = await openDashboardClients(config);
 * ```
 */
export async function openDashboardClients(
  config: Pick<DeployConfig, 'region' | 'profile'>,
): Promise<DashboardClients> {
  const sdk = await import('@aws-sdk/client-quicksight');
  const options = { region: config.region, ...(config.profile ? { profile: config.profile } : {}) };
  return { quicksight: new sdk.QuickSightClient(options), sdk };
}

/** Dashboards to publish, and waits between status polls (tests pass an instant one). */
export interface DashboardDeployInputs extends DashboardInputs {
  readonly sleep?: Sleep;
}

/**
 * Reads what is deployed (Describe calls only) and plans the changes, in the order they must
 * be made: the data source, the datasets the dashboards read, the dashboards. Checks the
 * dashboards' consistency first.
 *
 * @example
 * ```ts
 * console.log(formatPlan(await planDashboards(clients, config)));
 * // = no-op   quicksight-data-source  lakeq-athena
 * // ~ update  quicksight-dashboard    lakeq-glue-jobs
 * //             Sheets.jobs.Visuals.bar-cost-by-job.BarChartVisual.Title.FormatText.PlainText: "a" → "b"
 * ```
 */
export async function planDashboards(
  clients: DashboardClients,
  config: DeployConfig,
  inputs: DashboardDeployInputs = {},
): Promise<DeployPlan> {
  const { dashboards, dataSets } = await resolveDashboards(config, inputs);
  const sleep = inputs.sleep ? { sleep: inputs.sleep } : {};
  const resources: Resource[] = [
    quickSightDataSourceResource(clients.quicksight, config, sleep),
    ...dataSets.map((d) => quickSightDataSetResource(clients.quicksight, config, d)),
    ...dashboards.map((d) => dashboardResource(clients.quicksight, clients.sdk, config, d, sleep)),
  ];
  const changes: DeployChange[] = [];
  for (const r of resources) changes.push(await planResource(r));
  return { changes, warnings: [] };
}

/** What a dashboards deploy did. */
export interface DashboardDeployResult {
  readonly applied: readonly DeployChange[];
  /** One line per new dataset: the ingestion started, or why none was. */
  readonly ingestions: readonly string[];
}

/**
 * Carries out the plan (stopping at the first failure), then starts one SPICE ingestion
 * (CreateIngestion, full refresh) per dataset it created. A dataset QuickSight is already
 * ingesting (CreateDataSet may start one) is left to that ingestion.
 *
 * @example
 * ```ts
 * const { applied, ingestions } = await applyDashboards(plan, clients, config);
 * // ingestions: ['lakeq-glue-job-runs: ingestion lakeq-deploy-20261127T130501Z started']
 * ```
 */
export async function applyDashboards(
  plan: DeployPlan,
  clients: DashboardClients,
  config: DeployConfig,
  options: { readonly onApplied?: (change: DeployChange) => void; readonly now?: Date } = {},
): Promise<DashboardDeployResult> {
  const applied = await applyDeploy(plan, options.onApplied);
  const stamp = (options.now ?? new Date()).toISOString().replace(/[-:]|\.\d+/g, '');
  const IngestionId = `lakeq-deploy-${stamp}`;
  const ingestions: string[] = [];
  for (const change of applied) {
    if (change.kind !== 'quicksight-dataset' || change.action !== 'create') continue;
    try {
      await clients.quicksight.send(
        new clients.sdk.CreateIngestionCommand({
          AwsAccountId: config.accountId,
          DataSetId: change.name,
          IngestionId,
          IngestionType: 'FULL_REFRESH',
        }),
      );
      ingestions.push(`${change.name}: ingestion ${IngestionId} started`);
    } catch (error) {
      const name = (error as { name?: unknown }).name;
      if (name !== 'LimitExceededException' && name !== 'ResourceExistsException') throw error;
      ingestions.push(`${change.name}: already ingesting (${(error as Error).message})`);
    }
  }
  return { applied, ingestions };
}

/** One dashboard's drift. */
export interface DashboardDrift {
  readonly dashboardId: string;
  readonly state: 'same' | 'drift' | 'not-deployed';
  /** `path: deployed → code`, one line per difference. */
  readonly lines: readonly string[];
}

/**
 * Compares each dashboard's published definition (DescribeDashboardDefinition) with the code.
 *
 * @example
 * ```ts
 * await diffDashboards(clients, config)
 * // [{ dashboardId: 'lakeq-glue-jobs', state: 'drift',
 * //    lines: ['Sheets.jobs.Visuals.bar-cost-by-job.BarChartVisual.Title.FormatText.PlainText: "Spend" → "Cost by job"'] }, …]
 * ```
 */
export async function diffDashboards(
  clients: DashboardClients,
  config: DeployConfig,
  inputs: DashboardInputs = {},
): Promise<DashboardDrift[]> {
  const { dashboards } = await resolveDashboards(config, inputs);
  const out: DashboardDrift[] = [];
  for (const dashboard of dashboards) {
    const deployed = await describeDeployedDashboard(clients.quicksight, clients.sdk, config, dashboard.id);
    if (!deployed) {
      out.push({ dashboardId: dashboard.id, state: 'not-deployed', lines: [] });
      continue;
    }
    const lines = [
      ...(deployed.name === dashboard.name
        ? []
        : [`Name: ${JSON.stringify(deployed.name)} → ${JSON.stringify(dashboard.name)}`]),
      ...definitionDiff(dashboardDefinition(config, dashboard), deployed.definition),
    ];
    out.push({ dashboardId: dashboard.id, state: lines.length > 0 ? 'drift' : 'same', lines });
  }
  return out;
}

/**
 * The drift for a person: a line per dashboard (`=` same, `~` drift, `+` not deployed), the
 * differences under it, and a summary.
 *
 * @example
 * ```ts
 * formatDrift(drifts)
 * // = lakeq-identity-center-churn
 * // ~ lakeq-glue-jobs
 * //     Sheets.jobs.Visuals.bar-cost-by-job.BarChartVisual.Title.FormatText.PlainText: "Spend" → "Cost by job"
 * // 1 dashboard(s) drifted, 0 not deployed, 1 as in the code.
 * ```
 */
export function formatDrift(drifts: readonly DashboardDrift[]): string {
  const sign = { same: '=', drift: '~', 'not-deployed': '+' } as const;
  const lines = drifts.flatMap((d) => [
    `${sign[d.state]} ${d.dashboardId}${d.state === 'not-deployed' ? ' (not deployed)' : ''}`,
    ...d.lines.map((l) => `    ${l}`),
  ]);
  const n = (s: DashboardDrift['state']) => drifts.filter((d) => d.state === s).length;
  lines.push(
    `${n('drift')} dashboard(s) drifted, ${n('not-deployed')} not deployed, ${n('same')} as in the code.`,
  );
  return lines.join('\n');
}
