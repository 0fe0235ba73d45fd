import type {
  PartitionSwitchTarget,
  RegisteredPartition,
} from '../../ingest/athena/partition-switch-plan.ts';
import type { CloudTrailLister } from '../../ingest/cloudtrail-file-index.ts';
import { localFolderStore } from '../../storage/local-folder-store.ts';
import type { ObjectStore } from '../../storage/object-store.ts';
import { prefixInside } from '../../storage/s3-uri.ts';
import { getLocalPartitions } from '../local-services/local-glue.ts';
import { listIngestions } from '../local-spice.ts';
import {
  ATHENA_MAX_PARTITIONS_PER_BATCH,
  DEFAULT_SPICE_QUOTA_PER_DAY,
  LOCAL_TARGET,
} from './context-defaults.ts';

export { ATHENA_MAX_PARTITIONS_PER_BATCH, LOCAL_TARGET } from './context-defaults.ts';

/**
 * What the state machines' code tasks (the Lambda actions) run against: locally the data
 * folder, the local catalog and the local SPICE (`localHandlerContext`); on AWS an S3 prefix,
 * Glue GetPartitions and QuickSight ListIngestions (`awsHandlerContext`,
 * src/orchestration/aws/aws-handler-context.ts).
 */
export interface HandlerContext {
  /**
   * The local data folder of the local services (Athena on DuckDB, the Glue catalog, SPICE).
   * The handlers keep their state (ledger, plans, run records) in `store`.
   */
  readonly dataDir: string;
  /** Where the ledger, the stored plans and the run records are kept. */
  readonly store: ObjectStore;
  /**
   * Empties an `s3://` folder inside the target's bucket and prefix (an UNLOAD's output before
   * it runs, the old prefixes after a switch); answers how many objects went. Locally no
   * UNLOAD writes there, so only the URI is checked.
   */
  readonly deletePrefix: (s3Uri: string) => Promise<number>;
  /** The CloudTrail folder in the S3 layout: a local folder or `s3://bucket/prefix`. */
  readonly cloudtrailRoot: string;
  /** How `cloudtrailRoot` is listed (default: by its kind, see `filesForWindow`). */
  readonly cloudtrailLister?: CloudTrailLister;
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

/** Told after each local batch (see `onBatch`). */
export interface BatchProgress {
  readonly table: string;
  readonly partitions: number;
  readonly rows: number;
  readonly tablePartitions: number;
  readonly lastPartition: string;
}

/**
 * The context of a local run: the data folder holds the ledger, the stored plans, the local
 * Glue catalog and the SPICE snapshots. Not for the Lambda bundle: it loads the local SPICE,
 * hence DuckDB (lambda-entry.ts imports it only from the sources).
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
  const target = options.target ?? LOCAL_TARGET;
  return {
    dataDir: options.dataDir,
    store: localFolderStore(options.dataDir),
    deletePrefix: async (uri) => {
      prefixInside(uri, target);
      return 0;
    },
    cloudtrailRoot: options.cloudtrailRoot,
    now: options.now ?? new Date(),
    target,
    maxPartitionsPerBatch: options.maxPartitionsPerBatch ?? ATHENA_MAX_PARTITIONS_PER_BATCH,
    spiceQuotaPerDay: options.spiceQuotaPerDay ?? DEFAULT_SPICE_QUOTA_PER_DAY,
    registeredPartitions: (table) => getLocalPartitions(options.dataDir, table),
    listIngestions: (datasetId) => listIngestions({ dataDir: options.dataDir }, datasetId),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onBatch ? { onBatch: options.onBatch } : {}),
    ...(options.loadConcurrency ? { loadConcurrency: options.loadConcurrency } : {}),
  };
}
