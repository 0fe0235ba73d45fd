import { substitutePlaceholders } from '../deploy/placeholders.ts';
import { LakeqError } from '../engines/engine.ts';
import { type LedgerRow, readLedger } from '../ingest/ledger.ts';
import { acquireLoadLock } from '../ingest/load-lock.ts';
import { LOCAL_BATCH_BYTES, LOCAL_BATCH_HOURS, LOCAL_DERIVED_BATCH_HOURS } from '../ingest/run-load.ts';
import { ensureSpaceReserve } from '../storage/space-reserve.ts';
import { type AslMachine, type Json, readDefinitionText } from './asl-definition.ts';
import { backfillExecutionName, hourlyExecutionName, loadedHour, parseInputTime } from './execution-names.ts';
import {
  claimExecution,
  type ExecutionRecord,
  finishExecution,
  releaseExecution,
} from './execution-records.ts';
import { type BatchProgress, LOCAL_TARGET, localHandlerContext } from './handlers/handler-context.ts';
import type { BackfillInput, HourlyInput } from './handlers/plan-window.ts';
import { readRunRecords } from './handlers/run-records.ts';
import { localIntegrations } from './local-integrations.ts';
import { type InjectedFault, runLocally } from './local-runner.ts';
import { closeLocalLoadEngines } from './local-services/local-athena.ts';
import { allSettled } from './local-services/serialized.ts';

export interface RunStateMachineOptions {
  readonly dataDir: string;
  /**
   * Each source's input, by source name (the settings' `sources`): the CloudTrail folder
   * (`cloudtrail`), the Glue collector's captured API responses (`glue`). A collected source
   * without one is neither collected nor loaded.
   */
  readonly sources: Readonly<Record<string, string | undefined>>;
  /** The settings' `pricing`, by source name: the prices collectors use (`glue`: DEFAULT_GLUE_PRICES when absent). */
  readonly pricing?: Readonly<Record<string, unknown>>;
  /** The Region collected records are priced in and recorded with (default us-east-1). */
  readonly region?: string;
  /** Each source's own section of the settings (`LakeqSettings.sourceSettings`), by source name. */
  readonly sourceSettings?: Readonly<Record<string, unknown>>;
  /** The run's clock: finished hours, the SPICE quota window and records are measured from it. */
  readonly now?: Date;
  /** Default: derived from the window (`hourly-2026-11-27T13`, `backfill-<from>-<to>-<started>`). */
  readonly executionName?: string;
  readonly faults?: readonly InjectedFault[];
  /** Hours per local batch (default 24: memory stays small); Athena's limit, 100, is the most. */
  readonly maxPartitionsPerBatch?: number;
  /** SPICE refreshes per dataset per 24 h (default 32, Enterprise). */
  readonly spiceQuotaPerDay?: number;
  /** The Wait states' pause locally (default 0). */
  readonly waitMs?: number;
  readonly signal?: AbortSignal;
  /** Told after each local load batch (for a progress bar). */
  readonly onBatch?: (progress: BatchProgress) => void;
  /** Local load batches run at once (default 1). */
  readonly loadConcurrency?: number;
  /** Evaluate the alarms at the end of an hourly run (default false), with these thresholds. */
  readonly alarms?: boolean | { readonly glueDailyCostUsd?: number };
}

export interface StateMachineRun {
  /** DUPLICATE: the name was used before (ExecutionAlreadyExists); nothing ran. */
  readonly status: 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'DUPLICATE';
  readonly executionName: string;
  readonly runId?: string;
  /** The run record RecordRun wrote (SUCCEEDED only). */
  readonly output?: Json;
  readonly error?: { readonly Error: string; readonly Cause: string };
  /** The ledger rows of this run. */
  readonly ledgerRows: readonly LedgerRow[];
  /** Datasets whose snapshot this run refreshed (COMPLETED). */
  readonly refreshedDatasets: readonly string[];
  /** Calls of each Task state, retries included. */
  readonly attempts: Readonly<Record<string, number>>;
  /** For DUPLICATE: the earlier execution. */
  readonly previous?: ExecutionRecord;
}

/** What the local runner puts in the state machines' account-specific placeholders. */
export const LOCAL_PLACEHOLDERS: Readonly<Record<string, string>> = {
  LambdaFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:lakeq-orchestration',
  AthenaWorkGroup: LOCAL_TARGET.workGroup,
  GlueDatabase: LOCAL_TARGET.database,
  AwsAccountId: '000000000000',
};

/**
 * Runs `statemachines/<name>.asl.json` locally: the one way lakeq loads (`lakeq run`, `lakeq
 * load`, `lakeq backfill`, the scheduler). Claims the execution name first (a name used before
 * returns DUPLICATE without running, as StartExecution answers ExecutionAlreadyExists), then
 * holds the data folder's load lock for the run.
 *
 * @example
 * ```ts
 * const run = await runStateMachine('hourly', { time: '2026-11-27T14:05:00Z' }, { dataDir, sources: { cloudtrail } });
 * run.executionName // 'hourly-2026-11-27T13'; run.status // 'SUCCEEDED'
 * await runStateMachine('backfill', { from: '2026-11-01', to: '2026-11-08' }, { dataDir, sources: { cloudtrail } });
 * ```
 */
export async function runStateMachine(
  name: 'hourly',
  input: HourlyInput,
  options: RunStateMachineOptions,
): Promise<StateMachineRun>;
export async function runStateMachine(
  name: 'backfill',
  input: BackfillInput,
  options: RunStateMachineOptions,
): Promise<StateMachineRun>;
export async function runStateMachine(
  name: 'hourly' | 'backfill',
  input: HourlyInput | BackfillInput,
  options: RunStateMachineOptions,
): Promise<StateMachineRun> {
  const now = options.now ?? new Date();
  const executionName = options.executionName ?? defaultName(name, input, now);
  const started: ExecutionRecord = {
    name: executionName,
    stateMachine: name,
    status: 'RUNNING',
    input: input as unknown as Json,
    startDate: new Date().toISOString(),
    pid: process.pid,
  };
  const claim = await claimExecution(options.dataDir, started);
  if (!claim.claimed) {
    return {
      status: 'DUPLICATE',
      executionName,
      ledgerRows: [],
      refreshedDatasets: [],
      attempts: {},
      previous: claim.existing,
    };
  }
  let release: () => Promise<void>;
  try {
    release = await acquireLoadLock(options.dataDir);
  } catch (error) {
    await releaseExecution(options.dataDir, executionName);
    throw error;
  }
  // Room to record how the run ended even if its loads fill the disk.
  await ensureSpaceReserve(options.dataDir);
  let context: ReturnType<typeof localHandlerContext> | undefined;
  try {
    const definition = JSON.parse(
      substitutePlaceholders(await readDefinitionText(name), LOCAL_PLACEHOLDERS),
    ) as AslMachine;
    context = localHandlerContext({
      dataDir: options.dataDir,
      sources: options.sources,
      ...(options.pricing ? { pricing: options.pricing } : {}),
      ...(options.region ? { region: options.region } : {}),
      ...(options.sourceSettings ? { sourceSettings: options.sourceSettings } : {}),
      now,
      target: LOCAL_TARGET,
      maxPartitionsPerBatch: options.maxPartitionsPerBatch ?? LOCAL_BATCH_HOURS,
      // The user's batch size holds for every table; by default a derived table's batches are longer.
      maxPartitionsPerDerivedBatch: options.maxPartitionsPerBatch ?? LOCAL_DERIVED_BATCH_HOURS,
      maxBytesPerBatch: LOCAL_BATCH_BYTES,
      ...(options.spiceQuotaPerDay !== undefined ? { spiceQuotaPerDay: options.spiceQuotaPerDay } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onBatch ? { onBatch: options.onBatch } : {}),
      ...(options.loadConcurrency ? { loadConcurrency: options.loadConcurrency } : {}),
      ...(options.alarms ? { alarms: options.alarms } : {}),
    });
    const result = await runLocally(definition, {
      input: input as unknown as Json,
      integrations: localIntegrations(context),
      executionName,
      stateMachineName: name,
      // The repository's own definitions: test/orchestration/state-machine-definitions.test.ts validates them.
      validate: false,
      ...(options.faults ? { faults: options.faults } : {}),
      ...(options.waitMs !== undefined ? { waitMs: options.waitMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    await finishExecution(options.dataDir, {
      ...started,
      status: result.status,
      stopDate: new Date().toISOString(),
      ...(result.output !== undefined ? { output: result.output } : {}),
      ...(result.error ? { error: result.error } : {}),
    }).catch((recordError: unknown) => {
      // Say first how the run ended (a full disk fails the run before it fails the record).
      const how = result.error
        ? `${result.status}: ${result.error.Error}: ${result.error.Cause}`
        : result.status;
      throw new LakeqError(
        'RECORD_WRITE',
        `${executionName} ${how}; then ${(recordError as Error).message}`,
        {
          cause: recordError,
        },
      );
    });
    const record = (await readRunRecords(options.dataDir)).findLast((r) => r.executionName === executionName);
    const runId = record?.runId;
    const { rows } = await readLedger(options.dataDir);
    return {
      status: result.status,
      executionName,
      ...(runId ? { runId } : {}),
      ...(result.output !== undefined ? { output: result.output } : {}),
      ...(result.error ? { error: result.error } : {}),
      ledgerRows: runId ? rows.filter((r) => r.runId === runId) : [],
      refreshedDatasets: (record?.refreshed ?? [])
        .filter((r) => r.status === 'COMPLETED')
        .map((r) => r.datasetId),
      attempts: result.attempts,
    };
  } catch (error) {
    if (error instanceof LakeqError && error.code === 'RECORD_WRITE') throw error;
    await finishExecution(options.dataDir, {
      ...started,
      status: 'FAILED',
      stopDate: new Date().toISOString(),
      error: { Error: error instanceof Error ? error.name : 'Error', Cause: String(error) },
    }).catch((recordError: unknown) => {
      throw new LakeqError(
        'RECORD_WRITE',
        `${executionName} failed: ${(error as Error)?.message ?? String(error)}; then ${(recordError as Error).message}`,
        { cause: error },
      );
    });
    throw error;
  } finally {
    // An aborted run returns at once; its load in progress still holds DuckDB and the files.
    await allSettled(`load:${options.dataDir}`);
    if (context) await closeLocalLoadEngines(context);
    await release();
  }
}

function defaultName(name: 'hourly' | 'backfill', input: HourlyInput | BackfillInput, now: Date): string {
  if (name === 'hourly')
    return hourlyExecutionName(loadedHour(parseInputTime('time', (input as HourlyInput).time)));
  const b = input as BackfillInput;
  return backfillExecutionName(parseInputTime('from', b.from), parseInputTime('to', b.to), b.tables, now, {
    ...(b.force ? { force: true } : {}),
    ...(b.allowShrink ? { allowShrink: true } : {}),
  });
}
