import { tmpdir } from 'node:os';
import path from 'node:path';
import { LakeqError } from '../engines/engine.ts';
import { DEFAULT_GLUE_PRICES, parseGluePrices } from '../sources/glue/collect/prices.ts';
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
 * recordRun, recordFailure, evaluateAlarms, launchHourly). Configuration comes from the environment, as deploy sets it
 * (deploy/lambda-resource.ts):
 *
 * - `LAKEQ_DATA_BUCKET`, `LAKEQ_DATA_PREFIX`: where UNLOAD writes and, when the bucket is set,
 *   where the ledger, stored plans and run records are kept (`awsHandlerContext`);
 *   `LAKEQ_CLOUDTRAIL_ROOT` (`s3://trail-bucket[/prefix]`), `LAKEQ_AWS_ACCOUNT_ID` (QuickSight)
 * - `LAKEQ_GLUE_DATABASE`, `LAKEQ_ATHENA_WORKGROUP`: what the Glue inputs and UNLOAD name
 * - `LAKEQ_MAX_PARTITIONS_PER_BATCH` (default 100), `LAKEQ_SPICE_QUOTA_PER_DAY` (default 32)
 * - `LAKEQ_GLUE_COLLECT` (`false` turns the Glue collector off), `LAKEQ_GLUE_PRICES` (the
 *   `pricing.glue` JSON of lakeq.config.json; default list prices), `LAKEQ_ALARMS` (`false`: no
 *   PutMetricData after a run), `LAKEQ_GLUE_DAILY_COST_USD`, `LAKEQ_HOURLY_STATE_MACHINE_ARN`
 *   (what the `launchHourly` action starts)
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
    const cloudtrailRoot = env.LAKEQ_CLOUDTRAIL_ROOT;
    if (!cloudtrailRoot?.startsWith('s3://')) {
      throw new LakeqError(
        'BAD_CONFIG',
        `LAKEQ_CLOUDTRAIL_ROOT must be the trail's s3://bucket[/prefix] when LAKEQ_DATA_BUCKET is set (got ${JSON.stringify(cloudtrailRoot)})`,
      );
    }
    const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
    const cost = env.LAKEQ_GLUE_DAILY_COST_USD ? Number(env.LAKEQ_GLUE_DAILY_COST_USD) : undefined;
    return awsHandlerContext({
      ...common,
      cloudtrailRoot,
      accountId: env.LAKEQ_AWS_ACCOUNT_ID ?? '',
      ...(env.LAKEQ_DATA_DIR ? { dataDir: env.LAKEQ_DATA_DIR } : {}),
      ...(env.LAKEQ_GLUE_COLLECT !== 'false'
        ? {
            glue: {
              region,
              prices: env.LAKEQ_GLUE_PRICES
                ? parseGluePrices(JSON.parse(env.LAKEQ_GLUE_PRICES), 'LAKEQ_GLUE_PRICES')
                : DEFAULT_GLUE_PRICES,
            },
          }
        : {}),
      ...(env.LAKEQ_ALARMS !== 'false' ? { alarms: cost ? { glueDailyCostUsd: cost } : {} } : {}),
      ...(env.LAKEQ_HOURLY_STATE_MACHINE_ARN
        ? { hourlyStateMachineArn: env.LAKEQ_HOURLY_STATE_MACHINE_ARN }
        : {}),
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
  return local.localHandlerContext({
    ...common,
    dataDir,
    cloudtrailRoot: env.LAKEQ_CLOUDTRAIL_ROOT ?? `${dataDir}/raw/cloudtrail`,
  });
}
