import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { LakeqSettings } from '../config/lakeq-config.ts';
import { LakeqError } from '../engines/engine.ts';
import { SOURCES } from '../sources/index.ts';
import type { SourceDefinition, SourceOnAws } from '../sources/source-definition.ts';

/** When the findings report runs unless `findingsReport.schedule` says otherwise: Mondays 08:00 (UTC), as AWS's post. */
export const DEFAULT_FINDINGS_REPORT_SCHEDULE = 'cron(0 8 ? * MON *)';

/** The deploy settings file looked for in the working directory (lakeq.config.json's schema is strict). */
export const DEPLOY_CONFIG_FILE = 'lakeq.deploy.json';

/** lakeq's own Lambda handler module and state machines, wherever lakeq is installed. */
export const DEFAULT_LAMBDA_ENTRY = fileURLToPath(
  new URL('../orchestration/lambda-entry.ts', import.meta.url),
);
export const DEFAULT_STATE_MACHINES_DIR = fileURLToPath(new URL('../../statemachines/', import.meta.url));

const roleArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'must be an IAM role ARN');
const s3Uri = z.string().regex(/^s3:\/\/[^/]+\/.*$/, 'must be an s3://bucket/prefix/ URI');
const name = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, - _ . only');

/** The sources' sections (`trail`), by key: each source with settings on AWS checks its own. */
const SOURCE_SECTIONS: Readonly<Record<string, z.ZodType>> = Object.fromEntries(
  SOURCES.flatMap((s) => (s.aws?.section ? [[s.aws.section.key, s.aws.section.schema]] : [])),
);

const deployFileSchema = z
  .object({
    accountId: z.string().regex(/^\d{12}$/, 'must be 12 digits'),
    region: z.string().optional(),
    partition: z.enum(['aws', 'aws-cn', 'aws-us-gov']).optional(),
    database: z.string().optional(),
    workGroup: name(128).optional(),
    resultsLocation: s3Uri.optional(),
    bytesScannedCutoffPerQuery: z.number().int().min(10_000_000).optional(),
    data: z.object({ bucket: z.string().min(3), prefix: z.string().optional() }).strict(),
    ...SOURCE_SECTIONS,
    roles: z
      .object({
        stateMachine: roleArn,
        lambda: roleArn,
        scheduler: roleArn,
        quicksightAthena: roleArn.optional(),
        /** The role Glue assumes to compute the TPC-DS tables' column statistics (`lakeq tpcds compare --engine athena`). */
        glueStatistics: roleArn.optional(),
      })
      .strict(),
    lambda: z
      .object({
        functionName: name(64).optional(),
        entry: z.string().optional(),
        memoryMb: z.number().int().min(128).max(10240).optional(),
        timeoutSeconds: z.number().int().min(1).max(900).optional(),
        architecture: z.enum(['arm64', 'x86_64']).optional(),
        external: z.array(z.string()).optional(),
        environment: z.record(z.string(), z.string()).optional(),
      })
      .strict()
      .optional(),
    stateMachines: z
      .object({
        dir: z.string().optional(),
        namePrefix: z.string().optional(),
        placeholders: z.record(z.string(), z.string()).optional(),
      })
      .strict()
      .optional(),
    schedule: z
      .object({
        name: name(64).optional(),
        group: name(64).optional(),
        minute: z.number().int().min(0).max(59).optional(),
        stateMachine: z.string().optional(),
        enabled: z.boolean().optional(),
      })
      .strict()
      .optional(),
    quicksight: z
      .object({
        dataSourceId: name(128).optional(),
        principals: z.array(z.string().startsWith('arn:')).optional(),
        viewers: z.array(z.string().startsWith('arn:')).optional(),
      })
      .strict()
      .optional(),
    findingsReport: z
      .object({
        emails: z.array(z.email('must be an e-mail address')).optional(),
        schedule: z
          .string()
          .regex(/^(cron|rate)\(.+\)$/, 'must be an EventBridge Scheduler cron(...) or rate(...) expression')
          .optional(),
        timezone: z.string().min(1).optional(),
        severities: z.array(z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'])).optional(),
        topicName: name(256).optional(),
        scheduleName: name(64).optional(),
        enabled: z.boolean().optional(),
      })
      .strict()
      .optional(),
    alarms: z
      .object({
        snsTopicArn: z
          .string()
          .regex(/^arn:[a-z-]+:sns:/, 'must be an SNS topic ARN')
          .optional(),
        glueDailyCostUsd: z.number().positive().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type DeployConfigFile = z.infer<typeof deployFileSchema>;

/** Everything `lakeq deploy` and `lakeq iam-policy` need, with every default applied. */
export interface DeployConfig {
  readonly accountId: string;
  readonly region: string;
  readonly partition: 'aws' | 'aws-cn' | 'aws-us-gov';
  readonly profile?: string;
  readonly database: string;
  readonly catalog: string;
  readonly workGroup: string;
  readonly resultsLocation: string;
  readonly bytesScannedCutoffPerQuery?: number;
  readonly data: { readonly bucket: string; readonly prefix: string };
  /**
   * Each source's section of the file (`SourceAws.section`), as its schema parsed it, by source
   * name: `cloudtrail` is the `trail` section. `sourcesOnAws` applies them.
   */
  readonly sources: Readonly<Record<string, unknown>>;
  /** The first day the raw tables project: the `startDate` of the first source section that has one (`trail.startDate`). */
  readonly startDate: string;
  readonly roles: {
    readonly stateMachine: string;
    readonly lambda: string;
    readonly scheduler: string;
    readonly quicksightAthena?: string;
    readonly glueStatistics?: string;
  };
  readonly lambda: {
    readonly functionName: string;
    /** Absolute path of the handler module esbuild bundles. */
    readonly entry: string;
    readonly memoryMb: number;
    readonly timeoutSeconds: number;
    readonly architecture: 'arm64' | 'x86_64';
    readonly runtime: 'nodejs22.x';
    /** Packages left out of the bundle (native modules the Lambda code never loads). */
    readonly external: readonly string[];
    readonly environment: Readonly<Record<string, string>>;
  };
  readonly stateMachines: {
    /** Absolute folder of `*.asl.json`. */
    readonly dir: string;
    readonly namePrefix: string;
    readonly placeholders: Readonly<Record<string, string>>;
  };
  readonly schedule: {
    readonly name: string;
    readonly group: string;
    readonly minute: number;
    /** The state machine file's base name (`hourly` for hourly.asl.json). */
    readonly stateMachine: string;
    readonly enabled: boolean;
  };
  readonly quicksight: {
    readonly dataSourceId: string;
    /** Owners of the data source, datasets and dashboards. */
    readonly principals: readonly string[];
    /** Users or groups who may view (not change) the dashboards. */
    readonly viewers: readonly string[];
  };
  /** The weekly findings report (findings-report.asl.json): its schedule, SNS topic and mail subscriptions. */
  readonly findingsReport: {
    /** An EventBridge Scheduler expression; default `cron(0 8 ? * MON *)`, Monday 08:00, as AWS's post. */
    readonly schedule: string;
    readonly timezone: string;
    readonly enabled: boolean;
    /** The severities the scheduled report keeps (none: every severity). */
    readonly severities: readonly string[];
    readonly topicName: string;
    readonly scheduleName: string;
    /** E-mail subscriptions of the topic (each confirms once, from the mail SNS sends). */
    readonly emails: readonly string[];
  };
  readonly alarms: {
    /** Where the CloudWatch alarms notify (AlarmActions); none when unset. */
    readonly snsTopicArn?: string;
    /** The `glue-daily-cost` alarm's threshold in USD. */
    readonly glueDailyCostUsd?: number;
  };
}

/** Options from the command line, applied over the file. */
export interface DeployOverrides {
  readonly deployFile?: string;
  readonly region?: string;
  readonly accountId?: string;
}

/**
 * Reads `lakeq.deploy.json` (or `--deploy-config FILE`) and applies defaults from the lakeq
 * settings: region, profile, Athena database, work group and result location. Relative paths
 * (`lambda.entry`, `stateMachines.dir`) are relative to the file.
 *
 * @example
 * ```ts
 * const config = await loadDeployConfig(await loadSettings());
 * config.lambda.functionName // 'lakeq-tasks'
 * config.schedule.minute     // 5
 * ```
 */
export async function loadDeployConfig(
  settings: Pick<LakeqSettings, 'aws'>,
  overrides: DeployOverrides = {},
  cwd = process.cwd(),
): Promise<DeployConfig> {
  const file = path.resolve(cwd, overrides.deployFile ?? DEPLOY_CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new LakeqError(
      'DEPLOY_CONFIG_UNREADABLE',
      `cannot read ${file}: ${(error as Error).message} (lakeq deploy --help shows its format)`,
      { usage: true },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LakeqError('BAD_DEPLOY_CONFIG', `${file} is not valid JSON: ${(error as Error).message}`, {
      usage: true,
    });
  }
  return resolveDeployConfig(json, settings, overrides, path.dirname(file), file);
}

/**
 * Validates a parsed deploy file and fills in the defaults; `baseDir` resolves its relative paths.
 *
 * @example
 * ```ts
 * resolveDeployConfig({ accountId: '111122223333', region: 'eu-west-1', data: { bucket: 'lake' }, trail, roles }, settings, {}, '/repo')
 * // { workGroup: 'lakeq', resultsLocation: 's3://lake/athena-results/', lambda: { functionName: 'lakeq-tasks', … }, … }
 * ```
 */
export function resolveDeployConfig(
  json: unknown,
  settings: Pick<LakeqSettings, 'aws'>,
  overrides: DeployOverrides,
  baseDir: string,
  source = DEPLOY_CONFIG_FILE,
): DeployConfig {
  const parsed = deployFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new LakeqError('BAD_DEPLOY_CONFIG', `${source}: ${problems.join('; ')}`, { usage: true });
  }
  const f = parsed.data;
  const region = overrides.region ?? f.region ?? settings.aws.region;
  if (!region) {
    throw new LakeqError('BAD_DEPLOY_CONFIG', `${source}: no region (set "region", --region or AWS_REGION)`, {
      usage: true,
    });
  }
  const prefix = (f.data.prefix ?? '').replace(/^\/+|\/+$/g, '');
  const dataRoot = `s3://${f.data.bucket}/${prefix ? `${prefix}/` : ''}`;
  const configuredWorkGroup = settings.aws.athena.workGroup;
  const sections: Readonly<Record<string, unknown>> = f;
  const sources = Object.fromEntries(
    SOURCES.flatMap((s) => (s.aws?.section ? [[s.name, sections[s.aws.section.key]]] : [])),
  );
  const startDate = Object.values(sources)
    .map(startDateOf)
    .find((d) => d !== undefined);
  if (startDate === undefined) {
    throw new LakeqError('BAD_DEPLOY_CONFIG', `${source}: no source section names a startDate`, {
      usage: true,
    });
  }
  return {
    accountId: overrides.accountId ?? f.accountId,
    region,
    partition:
      f.partition ??
      (region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws'),
    ...(settings.aws.profile ? { profile: settings.aws.profile } : {}),
    database: f.database ?? settings.aws.athena.database,
    catalog: settings.aws.athena.catalog,
    // lakeq gets its own work group unless one other than Athena's default is configured.
    workGroup: f.workGroup ?? (configuredWorkGroup === 'primary' ? 'lakeq' : configuredWorkGroup),
    resultsLocation: f.resultsLocation ?? settings.aws.athena.outputLocation ?? `${dataRoot}athena-results/`,
    ...(f.bytesScannedCutoffPerQuery ? { bytesScannedCutoffPerQuery: f.bytesScannedCutoffPerQuery } : {}),
    data: { bucket: f.data.bucket, prefix },
    sources,
    startDate,
    roles: f.roles,
    lambda: {
      functionName: f.lambda?.functionName ?? 'lakeq-tasks',
      entry: f.lambda?.entry ? path.resolve(baseDir, f.lambda.entry) : DEFAULT_LAMBDA_ENTRY,
      memoryMb: f.lambda?.memoryMb ?? 512,
      timeoutSeconds: f.lambda?.timeoutSeconds ?? 300,
      architecture: f.lambda?.architecture ?? 'arm64',
      runtime: 'nodejs22.x',
      external: f.lambda?.external ?? ['@duckdb/*'],
      environment: f.lambda?.environment ?? {},
    },
    stateMachines: {
      dir: f.stateMachines?.dir ? path.resolve(baseDir, f.stateMachines.dir) : DEFAULT_STATE_MACHINES_DIR,
      namePrefix: f.stateMachines?.namePrefix ?? 'lakeq-',
      placeholders: f.stateMachines?.placeholders ?? {},
    },
    schedule: {
      name: f.schedule?.name ?? 'lakeq-hourly',
      group: f.schedule?.group ?? 'default',
      minute: f.schedule?.minute ?? 5,
      stateMachine: f.schedule?.stateMachine ?? 'hourly',
      enabled: f.schedule?.enabled ?? true,
    },
    quicksight: {
      dataSourceId: f.quicksight?.dataSourceId ?? 'lakeq-athena',
      principals: f.quicksight?.principals ?? [],
      viewers: f.quicksight?.viewers ?? [],
    },
    findingsReport: {
      schedule: f.findingsReport?.schedule ?? DEFAULT_FINDINGS_REPORT_SCHEDULE,
      timezone: f.findingsReport?.timezone ?? 'UTC',
      enabled: f.findingsReport?.enabled ?? true,
      severities: f.findingsReport?.severities ?? [],
      topicName: f.findingsReport?.topicName ?? `${f.stateMachines?.namePrefix ?? 'lakeq-'}findings-report`,
      scheduleName: f.findingsReport?.scheduleName ?? 'lakeq-findings-report',
      emails: f.findingsReport?.emails ?? [],
    },
    alarms: {
      ...(f.alarms?.snsTopicArn ? { snsTopicArn: f.alarms.snsTopicArn } : {}),
      ...(f.alarms?.glueDailyCostUsd ? { glueDailyCostUsd: f.alarms.glueDailyCostUsd } : {}),
    },
  };
}

/** A section's `startDate`, when it has one. */
function startDateOf(section: unknown): string | undefined {
  if (typeof section !== 'object' || section === null || !('startDate' in section)) return undefined;
  return typeof section.startDate === 'string' ? section.startDate : undefined;
}

/**
 * Every registered source with an AWS side, with its settings from the deploy file applied: its
 * raw tables and views, where it is read in place, its root for the Lambda.
 *
 * @example
 * ```ts
 * sourcesOnAws(config).map(({ source, aws }) => [source.name, aws.tableInputs().map((t) => t.Name)])
 * // [['cloudtrail', ['cloudtrail_logs']], ['glue', ['glue_job_runs_collected', 'glue_job_metrics_collected']]]
 * ```
 */
export function sourcesOnAws(config: DeployConfig): { source: SourceDefinition; aws: SourceOnAws }[] {
  const common = {
    target: { bucket: config.data.bucket, prefix: config.data.prefix, database: config.database },
    startDate: config.startDate,
  };
  return SOURCES.flatMap((source) =>
    source.aws ? [{ source, aws: source.aws.fromSection(config.sources[source.name], common) }] : [],
  );
}

/** ARNs of the deployed resources, computed from names so no resource waits for another's create. */
export const arns = {
  stateMachine: (c: DeployConfig, name: string) =>
    `arn:${c.partition}:states:${c.region}:${c.accountId}:stateMachine:${name}`,
  lambda: (c: DeployConfig) =>
    `arn:${c.partition}:lambda:${c.region}:${c.accountId}:function:${c.lambda.functionName}`,
  workGroup: (c: DeployConfig) =>
    `arn:${c.partition}:athena:${c.region}:${c.accountId}:workgroup/${c.workGroup}`,
  dataSource: (c: DeployConfig) =>
    `arn:${c.partition}:quicksight:${c.region}:${c.accountId}:datasource/${c.quicksight.dataSourceId}`,
  dataSet: (c: DeployConfig, id: string) =>
    `arn:${c.partition}:quicksight:${c.region}:${c.accountId}:dataset/${id}`,
  findingsReportTopic: (c: DeployConfig) =>
    `arn:${c.partition}:sns:${c.region}:${c.accountId}:${c.findingsReport.topicName}`,
  dashboard: (c: DeployConfig, id: string) =>
    `arn:${c.partition}:quicksight:${c.region}:${c.accountId}:dashboard/${id}`,
};
