import type {
  PartitionSwitchTarget,
  RegisteredPartition,
} from '../../ingest/athena/partition-switch-plan.ts';
import { getLocalPartitions } from '../local-services/local-glue.ts';
import { listIngestions, SPICE_REFRESHES_PER_DAY } from '../local-spice.ts';

/**
 * What the state machines' code tasks (the Lambda actions) run against. Locally the data folder,
 * the local catalog and the local SPICE; in the Lambda bundle the same, from environment
 * variables (lambda-entry.ts). The two look-ups are functions so an AWS-backed context can put
 * Glue GetPartitions and QuickSight ListIngestions behind them.
 */
export interface HandlerContext {
  readonly dataDir: string;
  /** The CloudTrail folder in the S3 layout. */
  readonly cloudtrailRoot: string;
  /** Fixed for a run: what "finished hour" and "the last 24 hours" are measured from. */
  readonly now: Date;
  /** Where UNLOAD writes and which Glue database and Athena work group the plan names. */
  readonly target: PartitionSwitchTarget;
  /** At most 100 (Athena's open writers, Glue's batch size); lower keeps payloads and memory small. */
  readonly maxPartitionsPerBatch: number;
  /** SPICE full refreshes per dataset per rolling 24 h (32 Enterprise, 8 Standard). */
  readonly spiceQuotaPerDay: number;
  /** A curated table's partitions in the catalog (Glue GetPartitions). */
  readonly registeredPartitions: (table: string) => Promise<readonly RegisteredPartition[]>;
  /** Stops local loads between batches (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Local load batches run at once (default 1); the ASL Map's MaxConcurrency bounds it too. */
  readonly loadConcurrency?: number;
  /** Told after each local batch: the table, the partitions of the batch and of the whole run for that table. */
  readonly onBatch?: (progress: BatchProgress) => void;
  /** A dataset's ingestions (QuickSight ListIngestions). */
  readonly listIngestions: (
    datasetId: string,
  ) => Promise<readonly { readonly IngestionStatus: string; readonly CreatedTime: string }[]>;
}

export interface BatchProgress {
  readonly table: string;
  readonly partitions: number;
  readonly rows: number;
  readonly tablePartitions: number;
  readonly lastPartition: string;
}

/** The names the local runner gives the account-specific placeholders of the catalog. */
export const LOCAL_TARGET: PartitionSwitchTarget = {
  bucket: 'lakeq-local',
  prefix: 'lakeq',
  database: 'lakeq',
  workGroup: 'lakeq',
};

/** Athena writes at most 100 partitions per statement; Glue takes at most 100 per batch call. */
export const ATHENA_MAX_PARTITIONS_PER_BATCH = 100;

/**
 * The context of a local run: the data folder holds the ledger, the stored plans, the local
 * Glue catalog and the SPICE snapshots.
 *
 * @example
 * ```ts
 * const context = localHandlerContext({ dataDir: './lakeq-data', cloudtrailRoot: './lakeq-data/raw/cloudtrail' });
 * await planWindow({ input: { time: '2026-11-27T14:05:00Z' }, executionName: 'hourly-2026-11-27T13' }, context);
 * ```
 */
export function localHandlerContext(options: {
  dataDir: string;
  cloudtrailRoot: string;
  now?: Date;
  target?: PartitionSwitchTarget;
  maxPartitionsPerBatch?: number;
  spiceQuotaPerDay?: number;
  signal?: AbortSignal;
  onBatch?: (progress: BatchProgress) => void;
  loadConcurrency?: number;
}): HandlerContext {
  return {
    dataDir: options.dataDir,
    cloudtrailRoot: options.cloudtrailRoot,
    now: options.now ?? new Date(),
    target: options.target ?? LOCAL_TARGET,
    maxPartitionsPerBatch: options.maxPartitionsPerBatch ?? ATHENA_MAX_PARTITIONS_PER_BATCH,
    spiceQuotaPerDay: options.spiceQuotaPerDay ?? SPICE_REFRESHES_PER_DAY,
    registeredPartitions: (table) => getLocalPartitions(options.dataDir, table),
    listIngestions: (datasetId) => listIngestions({ dataDir: options.dataDir }, datasetId),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onBatch ? { onBatch: options.onBatch } : {}),
    ...(options.loadConcurrency ? { loadConcurrency: options.loadConcurrency } : {}),
  };
}
