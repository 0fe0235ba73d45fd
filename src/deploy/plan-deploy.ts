import type { AlarmDefinition } from '../alarms/alarm-definition.ts';
import { alarmResources } from '../alarms/alarm-resources.ts';
import type { CloudWatchLike } from '../alarms/cloudwatch-alarms.ts';
import { glueTableInput } from '../catalog/athena/glue-table-input.ts';
import type { TableDefinition } from '../catalog/table-definition.ts';
import type { SpiceDataset } from '../dashboards/datasets.ts';
import { createAthenaEngine } from '../engines/athena/athena-engine.ts';
import { LakeqError } from '../engines/engine.ts';
import type { LibraryQuery } from '../query/define-query.ts';
import {
  type AthenaDeployLike,
  namedQueryIndex,
  namedQueryResource,
  workGroupResource,
} from './athena-resources.ts';
import { athenaViewResource } from './athena-view-resource.ts';
import { arns, type DeployConfig, sourcesOnAws } from './deploy-config.ts';
import {
  findingsReportScheduleResource,
  findingsReportSubscriptionsResource,
  findingsReportTopicResource,
  type SnsDeployLike,
} from './findings-report-resources.ts';
import { type GlueLike, glueDatabaseResource, glueTableResource } from './glue-resources.ts';
import { bundleLambda } from './lambda-bundle.ts';
import { type LambdaLike, lambdaFunctionResource } from './lambda-resource.ts';
import { namedQueryDefinitions } from './named-queries.ts';
import {
  type QuickSightLike,
  quickSightDataSetResource,
  quickSightDataSourceResource,
} from './quicksight-resources.ts';
import { type DeployChange, planResource, type Resource, type Sleep } from './resource.ts';
import { type SchedulerLike, scheduleResource } from './schedule-resource.ts';
import { dataSetDefinitions } from './spice-datasets.ts';
import { loadStateMachines, type SfnLike, stateMachineResource } from './state-machine-resources.ts';

/** The AWS clients deploy uses, each typed as the calls it makes, so tests pass mocks. */
export interface DeployClients {
  readonly glue: GlueLike;
  readonly athena: AthenaDeployLike;
  readonly sfn: SfnLike;
  readonly lambda: LambdaLike;
  readonly scheduler: SchedulerLike;
  readonly quicksight: QuickSightLike;
  readonly cloudwatch: CloudWatchLike;
  /** The findings report's topic and subscriptions; needed when the state machines include findings-report. */
  readonly sns?: SnsDeployLike;
}

/** What is deployed; each defaults to lakeq's own (the query library, TABLES, SPICE_DATASETS). */
export interface DeployInputs {
  readonly queries?: readonly LibraryQuery[];
  readonly tables?: readonly TableDefinition[];
  readonly datasets?: readonly SpiceDataset[];
  /** The CloudWatch alarms (default: `defaultAlarms` with the config's cost threshold). */
  readonly alarms?: readonly AlarmDefinition[];
  /** Waits between status polls (Athena, Lambda); tests pass an instant one. */
  readonly sleep?: Sleep;
}

/** Every resource deploy manages, in the order it creates them, and what to do with each. */
export interface DeployPlan {
  readonly changes: readonly DeployChange[];
  /** What will deploy but probably not work, such as a Lambda bundle missing a package. */
  readonly warnings: readonly string[];
}

/**
 * Reads every resource lakeq deploys (Describe/Get calls only), compares it with what it should
 * be, and returns the changes: `create`, `update` (with what differs) or `no-op`. Nothing is
 * changed; `applyDeploy` does that. Resource ARNs are computed from names, so the plan of one
 * resource never waits for another's creation.
 *
 * @example
 * ```ts
 * const plan = await planDeploy(clients, config);
 * console.log(formatPlan(plan));
 * // + create  glue-database           lakeq
 * // ~ update  state-machine           lakeq-hourly
 * //             definition.States.LoadHour.TimeoutSeconds: 600 → 900
 * // = no-op   lambda-function         lakeq-tasks
 * // Plan: 1 to create, 1 to update, 17 unchanged.
 * ```
 */
export async function planDeploy(
  clients: DeployClients,
  config: DeployConfig,
  inputs: DeployInputs = {},
): Promise<DeployPlan> {
  const tables = inputs.tables ?? (await import('../catalog/tables/index.ts')).TABLES;
  const datasets = inputs.datasets ?? (await import('../dashboards/datasets.ts')).SPICE_DATASETS;
  const queries = inputs.queries ?? (await (await import('../query/registry.ts')).loadAllQueries());
  const alarms =
    inputs.alarms ??
    (await import('../alarms/alarms.ts')).defaultAlarms(
      config.alarms.glueDailyCostUsd ? { glueDailyCostUsd: config.alarms.glueDailyCostUsd } : {},
    );
  const stateMachines = await loadStateMachines(config);
  const scheduled = stateMachines.find((s) => s.key === config.schedule.stateMachine);
  if (!scheduled) {
    throw new LakeqError(
      'BAD_DEPLOY_CONFIG',
      `schedule.stateMachine "${config.schedule.stateMachine}" has no ${config.schedule.stateMachine}.asl.json in ${config.stateMachines.dir}`,
      { usage: true },
    );
  }
  const bundle = await bundleLambda(config.lambda.entry, { external: config.lambda.external });
  const { glue, athena } = clients;
  const { database } = config;
  const engine = createAthenaEngine({
    client: athena,
    workGroup: config.workGroup,
    database,
    catalog: config.catalog,
    ...(inputs.sleep ? { sleep: inputs.sleep } : {}),
  });
  const index = namedQueryIndex(athena, config.workGroup);
  const target = { bucket: config.data.bucket, prefix: config.data.prefix };
  // Each source's raw tables (cloudtrail_logs, the collected Glue tables), the curated tables,
  // then the sources' views over their raw tables (cloudtrail_events_raw).
  const sources = sourcesOnAws(config).map((s) => s.aws);
  const resources: Resource[] = [
    glueDatabaseResource(glue, database),
    workGroupResource(athena, config),
    ...sources.flatMap((s) => s.tableInputs().map((t) => glueTableResource(glue, database, t))),
    ...tables.map((t) => glueTableResource(glue, database, glueTableInput(t, target))),
    ...sources.flatMap((s) =>
      s.views().map((v) => athenaViewResource(glue, engine, database, v.name, v.sql)),
    ),
    ...namedQueryDefinitions(queries, config).map((q) =>
      namedQueryResource(athena, config.workGroup, index, q),
    ),
    lambdaFunctionResource(clients.lambda, config, bundle, inputs.sleep ? { sleep: inputs.sleep } : {}),
    ...stateMachines.map((s) => stateMachineResource(clients.sfn, s, config.roles.stateMachine)),
    // The schedule invokes the launcher (the Lambda), which starts `scheduled` under the hour's name.
    scheduleResource(clients.scheduler, config, arns.lambda(config)),
    ...findingsReportResources(clients, config, stateMachines),
    quickSightDataSourceResource(clients.quicksight, config, inputs.sleep ? { sleep: inputs.sleep } : {}),
    ...dataSetDefinitions(datasets, config, tables, queries).map((d) =>
      quickSightDataSetResource(clients.quicksight, config, d),
    ),
    ...alarmResources(clients.cloudwatch, alarms, {
      alarmActions: config.alarms.snsTopicArn ? [config.alarms.snsTopicArn] : [],
    }),
  ];
  const warnings = bundle.missingPackages.map(
    (p) =>
      `the Lambda code imports ${p}, which the bundle leaves out (lambda.external): the function fails where it loads it`,
  );
  return { changes: await Promise.all(resources.map((r) => planResource(r))), warnings };
}

/** The state machine file whose topic, subscriptions and schedule deploy adds. */
const FINDINGS_REPORT_KEY = 'findings-report';

/** With findings-report.asl.json: its SNS topic, the e-mail subscriptions, then its weekly schedule. */
function findingsReportResources(
  clients: DeployClients,
  config: DeployConfig,
  stateMachines: readonly { readonly key: string; readonly arn: string }[],
): Resource[] {
  const machine = stateMachines.find((s) => s.key === FINDINGS_REPORT_KEY);
  if (!machine) return [];
  if (!clients.sns)
    throw new LakeqError('BAD_DEPLOY_CLIENTS', 'the findings report needs an SNS client (DeployClients.sns)');
  return [
    findingsReportTopicResource(clients.sns, config),
    ...(config.findingsReport.emails.length > 0
      ? [findingsReportSubscriptionsResource(clients.sns, config)]
      : []),
    findingsReportScheduleResource(clients.scheduler, config, arns.lambda(config), machine.arn),
  ];
}

/**
 * Carries out a plan's creates and updates in order (the database before its tables, the work
 * group before its queries, the state machine before its schedule, the data source before its
 * datasets). Stops at the first failure, naming the resource and what was already done.
 *
 * @example
 * ```ts
 * const done = await applyDeploy(plan, (c) => console.log(`${c.action} ${c.kind} ${c.name}`));
 * // done = [the changes applied]
 * ```
 */
export async function applyDeploy(
  plan: DeployPlan,
  onApplied: (change: DeployChange) => void = () => {},
): Promise<DeployChange[]> {
  const applied: DeployChange[] = [];
  for (const change of plan.changes) {
    if (change.action === 'no-op') continue;
    try {
      await change.apply();
    } catch (error) {
      throw new LakeqError(
        'DEPLOY_FAILED',
        `deploy stopped: ${change.action} ${change.kind} ${change.name} failed: ${(error as Error).message}` +
          ` (${applied.length} change(s) applied before it; running deploy again continues from there)`,
        { cause: error },
      );
    }
    applied.push(change);
    onApplied(change);
  }
  return applied;
}

const SIGN = { create: '+', update: '~', 'no-op': '=' } as const;

/**
 * The plan for a person: one line per resource, the differences of each update under it, and
 * a summary.
 */
export function formatPlan(plan: DeployPlan): string {
  const kindWidth = Math.max(...plan.changes.map((c) => c.kind.length), 4);
  const lines = plan.changes.flatMap((c) => [
    `${SIGN[c.action]} ${c.action.padEnd(7)} ${c.kind.padEnd(kindWidth)}  ${c.name}`,
    ...c.diff.map((d) => `${' '.repeat(kindWidth + 13)}${d}`),
  ]);
  const count = (a: DeployChange['action']) => plan.changes.filter((c) => c.action === a).length;
  lines.push(
    `Plan: ${count('create')} to create, ${count('update')} to update, ${count('no-op')} unchanged.`,
  );
  for (const w of plan.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
