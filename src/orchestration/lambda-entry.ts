import { tmpdir } from 'node:os';
import path from 'node:path';
import { LakeqError } from '../engines/engine.ts';
import { SOURCES } from '../sources/index.ts';
import { sourceEnvName } from '../sources/registry.ts';
import { AWS_COLLECTORS } from './aws/aws-collectors.ts';
import { awsHandlerContext } from './aws/aws-handler-context.ts';
import { ATHENA_MAX_PARTITIONS_PER_BATCH, LOCAL_TARGET } from './handlers/context-defaults.ts';
import type * as LocalContextModule from './handlers/handler-context.ts';
import type { HandlerContext } from './handlers/handler-context.ts';
import { dispatchAction } from './handlers/index.ts';

/**
 * The local context's module, imported by a computed specifier so that esbuild leaves it (and
 * the local SPICE's DuckDB behind it) out of the Lambda bundle: it loads from the sources only.
 */
const LOCAL_CONTEXT_MODULE = './handlers/handler-context.ts';

/**
 * The Lambda function of the state machines' code tasks: `Payload.action` names the handler
 * (collectSources, planWindow, planBackfill, batchInputs, recordBatch, datasetsToRefresh,
 * recordRun, recordFailure, evaluateAlarms, launchHourly, writeFindingsReport, notifyFindingsReport, launchFindingsReport). Configuration comes from the environment, as deploy sets it
 * (deploy/lambda-resource.ts):
 *
 * - `LAKEQ_DATA_BUCKET`, `LAKEQ_DATA_PREFIX`: where UNLOAD writes and, when the bucket is set,
 *   where the ledger, stored plans and run records are kept (`awsHandlerContext`);
 *   `LAKEQ_CLOUDTRAIL_ROOT` (`s3://trail-bucket[/prefix]`; each delivered source's `LAKEQ_<NAME>_ROOT`),
 *   `LAKEQ_AWS_ACCOUNT_ID` (QuickSight)
 * - `LAKEQ_GLUE_DATABASE`, `LAKEQ_ATHENA_WORKGROUP`: what the Glue inputs and UNLOAD name
 * - `LAKEQ_MAX_PARTITIONS_PER_BATCH` (default 100), `LAKEQ_SPICE_QUOTA_PER_DAY` (default 32)
 * - `LAKEQ_GLUE_COLLECT` (`false` turns the Glue collector off; each collected source's
 *   `LAKEQ_<NAME>_COLLECT`), `LAKEQ_GLUE_PRICES` (the
 *   `pricing.glue` JSON of lakeq.config.json; default list prices), `LAKEQ_ALARMS` (`false`: no
 *   PutMetricData after a run), `LAKEQ_GLUE_DAILY_COST_USD`, `LAKEQ_HOURLY_STATE_MACHINE_ARN`
 *   (what the `launchHourly` action starts), `LAKEQ_FINDINGS_INPUT` (`security-hub`, the default, or
 *   `security-lake`: where writeFindingsReport reads the findings)
 * - without a bucket, from the sources only: `LAKEQ_DATA_DIR` (local folder) and
 *   `LAKEQ_CLOUDTRAIL_ROOT` (a folder), with the local catalog and SPICE
 *
 * @example
 * ```ts
 * await handler({ action: 'planWindow', input: { time: '2026-11-27T14:05:00Z' }, executionName: 'hourly-2026-11-27T13' })
 * ```
 */
export async function handler(event: unknown): Promise<unknown> {
  return dispatchAction(event, await contextFromEnv(process.env));
}

/** `LAKEQ_FINDINGS_INPUT`: where the findings report reads (default the Security Hub API). */
function findingsInput(value: string | undefined): 'security-hub' | 'security-lake' {
  if (value === undefined || value === '' || value === 'security-hub') return 'security-hub';
  if (value === 'security-lake') return value;
  throw new LakeqError(
    'BAD_CONFIG',
    `LAKEQ_FINDINGS_INPUT must be security-hub or security-lake (got ${JSON.stringify(value)})`,
  );
}

async function contextFromEnv(env: NodeJS.ProcessEnv): Promise<HandlerContext> {
  const bucket = env.LAKEQ_DATA_BUCKET;
  const target = {
    bucket: bucket ?? LOCAL_TARGET.bucket,
    prefix: env.LAKEQ_DATA_PREFIX ?? LOCAL_TARGET.prefix,
    database: env.LAKEQ_GLUE_DATABASE ?? LOCAL_TARGET.database,
    workGroup: env.LAKEQ_ATHENA_WORKGROUP ?? LOCAL_TARGET.workGroup,
  };
  const common = {
    target,
    maxPartitionsPerBatch: Number(env.LAKEQ_MAX_PARTITIONS_PER_BATCH ?? ATHENA_MAX_PARTITIONS_PER_BATCH),
    ...(env.LAKEQ_SPICE_QUOTA_PER_DAY ? { spiceQuotaPerDay: Number(env.LAKEQ_SPICE_QUOTA_PER_DAY) } : {}),
  };
  if (bucket) {
    const roots: Record<string, string> = {};
    for (const source of SOURCES) {
      const describe = source.aws?.root?.describe;
      if (source.inputs === 'collected' || describe === undefined) continue;
      const name = sourceEnvName(source, 'ROOT');
      const root = env[name];
      if (!root?.startsWith('s3://')) {
        throw new LakeqError(
          'BAD_CONFIG',
          `${name} must be ${describe} when LAKEQ_DATA_BUCKET is set (got ${JSON.stringify(root)})`,
        );
      }
      roots[source.name] = root;
    }
    const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
    const cost = env.LAKEQ_GLUE_DAILY_COST_USD ? Number(env.LAKEQ_GLUE_DAILY_COST_USD) : undefined;
    // Each collected source with a collector on AWS collects unless LAKEQ_<NAME>_COLLECT is `false`.
    const collected = SOURCES.filter(
      (s) =>
        s.inputs === 'collected' && s.name in AWS_COLLECTORS && env[sourceEnvName(s, 'COLLECT')] !== 'false',
    ).map((s) => s.name);
    return awsHandlerContext({
      ...common,
      roots,
      accountId: env.LAKEQ_AWS_ACCOUNT_ID ?? '',
      ...(env.LAKEQ_DATA_DIR ? { dataDir: env.LAKEQ_DATA_DIR } : {}),
      collect: { sources: collected, region, env },
      ...(env.LAKEQ_ALARMS !== 'false' ? { alarms: cost ? { glueDailyCostUsd: cost } : {} } : {}),
      ...(env.LAKEQ_HOURLY_STATE_MACHINE_ARN
        ? { hourlyStateMachineArn: env.LAKEQ_HOURLY_STATE_MACHINE_ARN }
        : {}),
      findingsReport: { input: findingsInput(env.LAKEQ_FINDINGS_INPUT) },
    });
  }
  let local: typeof LocalContextModule;
  try {
    local = (await import(LOCAL_CONTEXT_MODULE)) as typeof LocalContextModule;
  } catch (error) {
    throw new LakeqError(
      'BAD_CONFIG',
      'LAKEQ_DATA_BUCKET is not set: the Lambda bundle keeps its state in S3 (a local data folder needs the lakeq sources)',
      { cause: error },
    );
  }
  const dataDir = env.LAKEQ_DATA_DIR ?? path.join(tmpdir(), 'lakeq-data');
  // The delivered sources' folders (LAKEQ_<NAME>_ROOT, default under the data folder); nothing is collected.
  const sources = Object.fromEntries(
    SOURCES.filter((s) => s.inputs !== 'collected').map((s) => [
      s.name,
      env[sourceEnvName(s, 'ROOT')] ?? `${dataDir}/raw/${s.input.defaultFolder}`,
    ]),
  );
  return local.localHandlerContext({ ...common, dataDir, sources });
}
