import {
  ATHENA_MAX_PARTITIONS_PER_BATCH,
  LOCAL_TARGET,
  localHandlerContext,
} from './handlers/handler-context.ts';
import { dispatchAction } from './handlers/index.ts';

/**
 * The Lambda function of the state machines' code tasks: `Payload.action` names the handler
 * (planWindow, planBackfill, batchInputs, recordBatch, datasetsToRefresh, recordRun,
 * recordFailure). Configuration comes from the environment:
 *
 * - `LAKEQ_DATA_DIR` (ledger, stored plans, run records; e.g. an EFS mount), `LAKEQ_CLOUDTRAIL_ROOT`
 * - `LAKEQ_DATA_BUCKET`, `LAKEQ_DATA_PREFIX`, `LAKEQ_DATABASE`, `LAKEQ_WORK_GROUP` (as deploy sets
 *   them): where UNLOAD writes and what the Glue inputs name
 * - `LAKEQ_MAX_PARTITIONS_PER_BATCH` (default 100), `LAKEQ_SPICE_QUOTA_PER_DAY` (default 32)
 *
 * The catalog and SPICE look-ups are the local ones for now (see HandlerContext).
 *
 * @example
 * ```ts
 * await handler({ action: 'planWindow', input: { time: '2026-11-27T14:05:00Z' }, executionName: 'hourly-2026-11-27T13' })
 * ```
 */
export async function handler(event: unknown): Promise<unknown> {
  return dispatchAction(event, contextFromEnv(process.env));
}

function contextFromEnv(env: NodeJS.ProcessEnv) {
  const dataDir = env.LAKEQ_DATA_DIR ?? '/tmp/lakeq-data';
  return localHandlerContext({
    dataDir,
    cloudtrailRoot: env.LAKEQ_CLOUDTRAIL_ROOT ?? `${dataDir}/raw/cloudtrail`,
    target: {
      bucket: env.LAKEQ_DATA_BUCKET ?? LOCAL_TARGET.bucket,
      prefix: env.LAKEQ_DATA_PREFIX ?? LOCAL_TARGET.prefix,
      database: env.LAKEQ_DATABASE ?? LOCAL_TARGET.database,
      workGroup: env.LAKEQ_WORK_GROUP ?? LOCAL_TARGET.workGroup,
    },
    maxPartitionsPerBatch: Number(env.LAKEQ_MAX_PARTITIONS_PER_BATCH ?? ATHENA_MAX_PARTITIONS_PER_BATCH),
    ...(env.LAKEQ_SPICE_QUOTA_PER_DAY ? { spiceQuotaPerDay: Number(env.LAKEQ_SPICE_QUOTA_PER_DAY) } : {}),
  });
}
