import { timed } from '../ingest/step-timings.ts';
import type { Json } from './asl-definition.ts';
import type { HandlerContext } from './handlers/handler-context.ts';
import { LAMBDA_ACTIONS } from './handlers/index.ts';
import type { Integrations, TaskHandler } from './local-runner.ts';
import {
  lendLoadEngine,
  localStartQueryExecutionSync,
  prepareLocalLoadEngines,
} from './local-services/local-athena.ts';
import { localBatchCreatePartition, localBatchUpdatePartition } from './local-services/local-glue.ts';
import { createIngestion, describeIngestion, type LocalIngestion } from './local-spice.ts';
import { namedError } from './named-error.ts';

/** The actions that plan a load: the load engines start opening while they run. */
const PLANNING: Readonly<Record<string, 'hourly' | 'backfill'>> = {
  planWindow: 'hourly',
  planBackfill: 'backfill',
};

/** How long a local DescribeIngestion waits for an ingestion of this process before answering. */
const DESCRIBE_WAIT_MS = 5_000;

/**
 * The local handler of every resource the state machines use, by resource key (see
 * `resourceKey`): each Lambda action, Athena on DuckDB, the Glue partition calls on the local
 * catalog, QuickSight ingestions on the local SPICE.
 *
 * @example
 * ```ts
 * const integrations = localIntegrations(localHandlerContext({ dataDir, sources: { cloudtrail } }));
 * Object.keys(integrations) // ['lambda:invoke:planWindow', ..., 'athena:startQueryExecution.sync', ...]
 * ```
 */
export function localIntegrations(context: HandlerContext): Integrations {
  const out: Record<string, TaskHandler> = {};
  for (const [action, run] of Object.entries(LAMBDA_ACTIONS)) {
    const planning = PLANNING[action];
    out[`lambda:invoke:${action}`] = (input) => {
      if (planning) prepareLocalLoadEngines(context, planning);
      return lambdaInvoke(input, (payload) =>
        timed(`handler ${action}`, () =>
          (run as (p: unknown, c: HandlerContext) => Promise<unknown>)(payload, context),
        ),
      );
    };
  }
  const spice = {
    dataDir: context.dataDir,
    roots: context.roots,
    now: () => context.now,
    quotaPerDay: context.spiceQuotaPerDay,
    withEngine: lendLoadEngine(context),
  };
  out['athena:startQueryExecution.sync'] = (input) => localStartQueryExecutionSync(input, context);
  out['aws-sdk:glue:batchCreatePartition'] = (input) => localBatchCreatePartition(context.dataDir, input);
  out['aws-sdk:glue:batchUpdatePartition'] = (input) => localBatchUpdatePartition(context.dataDir, input);
  out['aws-sdk:quicksight:createIngestion'] = (input) =>
    quickSight(input, async (request) => {
      const created = await createIngestion(spice, {
        DataSetId: String(request.DataSetId ?? ''),
        IngestionId: String(request.IngestionId ?? ''),
        ...(typeof request.IngestionType === 'string' ? { IngestionType: request.IngestionType } : {}),
      });
      return { ...created };
    });
  out['aws-sdk:quicksight:describeIngestion'] = (input) =>
    quickSight(input, async (request) => {
      const described = await describeIngestion(
        spice,
        { DataSetId: String(request.DataSetId ?? ''), IngestionId: String(request.IngestionId ?? '') },
        { waitMs: DESCRIBE_WAIT_MS },
      );
      return { ...described, Ingestion: asQuickSightIngestion(described.Ingestion) };
    });
  return out;
}

/**
 * `lambda:invoke` as Step Functions answers it: the function's result in `Payload`. A function
 * error surfaces with its error type as the ASL error and a JSON Cause, as Lambda reports it;
 * the result goes through JSON, as it would over the wire.
 */
async function lambdaInvoke(input: Json, run: (payload: unknown) => Promise<unknown>): Promise<Json> {
  const payload = input && typeof input === 'object' && !Array.isArray(input) ? input.Payload : undefined;
  try {
    const result = await run(payload ?? {});
    return {
      StatusCode: 200,
      ExecutedVersion: '$LATEST',
      Payload: JSON.parse(JSON.stringify(result ?? null)) as Json,
    };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    throw namedError(e.name, JSON.stringify({ errorType: e.name, errorMessage: e.message }));
  }
}

/** An aws-sdk QuickSight call: its AwsAccountId checked, its errors named `QuickSight.<Exception>`. */
async function quickSight(
  input: Json,
  call: (request: { readonly [key: string]: Json }) => Promise<{ [key: string]: unknown }>,
): Promise<Json> {
  const request = input && typeof input === 'object' && !Array.isArray(input) ? input : {};
  if (typeof request.AwsAccountId !== 'string' || !/^[0-9]{12}$/.test(request.AwsAccountId)) {
    throw namedError('QuickSight.InvalidParameterValueException', 'AwsAccountId must be 12 digits');
  }
  try {
    return JSON.parse(JSON.stringify(await call(request))) as Json;
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    throw namedError(e.name.startsWith('QuickSight.') ? e.name : `QuickSight.${e.name}`, e.message);
  }
}

/** The members of QuickSight's `Ingestion` (no local-only fields). */
function asQuickSightIngestion(ingestion: LocalIngestion): Json {
  const { DataSetId: _dataset, snapshot: _snapshot, pid: _pid, ...shape } = ingestion;
  return JSON.parse(JSON.stringify(shape)) as Json;
}
