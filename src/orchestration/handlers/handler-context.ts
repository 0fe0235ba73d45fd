import { stat } from 'node:fs/promises';
import path from 'node:path';
import type {
  PartitionSwitchTarget,
  RegisteredPartition,
} from '../../ingest/athena/partition-switch-plan.ts';
import type { CloudTrailLister } from '../../sources/cloudtrail/list-local.ts';
import type { GlueApi } from '../../sources/glue/collect/api.ts';
import type { GluePrices } from '../../sources/glue/collect/prices.ts';
import { localFolderStore } from '../../storage/local-folder-store.ts';
import type { ObjectStore } from '../../storage/object-store.ts';
import { prefixInside } from '../../storage/s3-uri.ts';
import type { StartExecution } from '../launcher/launch-hourly.ts';
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
  /**
   * What an UNLOAD wrote under an `s3://` prefix: its files and bytes, and rows and bytes per
   * `dt=…/hour=…/` partition, keyed `YYYY-MM-DD/HH` (rows from each file's Parquet footer). An
   * hour without a file is absent. Only on AWS; locally the loader writes the ledger rows itself.
   */
  readonly outputStats?: (prefixUri: string) => Promise<OutputStats>;
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
  /** The Glue source; without it the Glue tables are neither collected nor planned. */
  readonly glue?: GlueSourceContext;
  /** Evaluates (locally) or publishes (AWS) the alarms after an hourly run; absent: skipped. */
  readonly alarms?: () => Promise<unknown>;
  /** The hourly state machine the `launchHourly` action starts (AWS only). */
  readonly startHourly?: { readonly stateMachineArn: string; readonly startExecution: StartExecution };
}

/**
 * What a load wrote under a prefix (see `HandlerContext.outputStats`).
 *
 * @example
 * ```ts
 * const stats = await context.outputStats?.('s3://lake/lakeq/curated/cloudtrail_events/run=r1-b0/batch=0/');
 * stats?.partitions.get('2026-11-27/13') // { rows: 1234, bytes: 56789 }
 * ```
 */
export interface OutputStats {
  readonly files: number;
  readonly bytes: number;
  readonly partitions: ReadonlyMap<string, { readonly rows: number; readonly bytes: number }>;
}

/** Where the Glue collector reads and writes. */
export interface GlueSourceContext {
  /** The Glue and CloudWatch APIs, or captured responses; undefined when there is nothing to read. */
  readonly api: () => Promise<GlueApi | undefined>;
  /** What `api` reads, for messages ("captured responses in …", "the Glue API in eu-west-1"). */
  readonly describe: string;
  /** The collected hour files: a local folder or `s3://bucket/prefix/raw/glue` (what the planner lists). */
  readonly root: string;
  /** Where the collector writes them: `root` itself when local, else a store over it. */
  readonly collected: string | ObjectStore;
  readonly prices: GluePrices;
  /** The Region runs are priced in and recorded with. */
  readonly region: string;
  readonly accountId?: string;
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
  /** The Glue collector's input: a folder of captured API responses (collected into `<dataDir>/raw/glue`). */
  glue?: { captured: string; prices: GluePrices; region?: string };
  /** Evaluate the alarms after an hourly run (their states go to `<dataDir>/alarms/`), with these thresholds. */
  alarms?: boolean | { readonly glueDailyCostUsd?: number };
}): HandlerContext {
  const target = options.target ?? LOCAL_TARGET;
  const now = options.now ?? new Date();
  return {
    dataDir: options.dataDir,
    store: localFolderStore(options.dataDir),
    deletePrefix: async (uri) => {
      prefixInside(uri, target);
      return 0;
    },
    cloudtrailRoot: options.cloudtrailRoot,
    now,
    target,
    maxPartitionsPerBatch: options.maxPartitionsPerBatch ?? ATHENA_MAX_PARTITIONS_PER_BATCH,
    spiceQuotaPerDay: options.spiceQuotaPerDay ?? DEFAULT_SPICE_QUOTA_PER_DAY,
    registeredPartitions: (table) => getLocalPartitions(options.dataDir, table),
    listIngestions: (datasetId) => listIngestions({ dataDir: options.dataDir }, datasetId),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onBatch ? { onBatch: options.onBatch } : {}),
    ...(options.loadConcurrency ? { loadConcurrency: options.loadConcurrency } : {}),
    ...(options.glue ? { glue: localGlueSource(options.dataDir, options.glue) } : {}),
    ...(options.alarms
      ? {
          alarms: () =>
            localAlarms(
              options.dataDir,
              options.cloudtrailRoot,
              now,
              typeof options.alarms === 'object' ? options.alarms : {},
            ),
        }
      : {}),
  };
}

/**
 * The local Glue source: captured API responses (AWS CLI output, or `lakeq sample glue`) in
 * `captured`, collected into `<dataDir>/raw/glue`. No folder there means nothing to collect.
 */
function localGlueSource(
  dataDir: string,
  glue: { captured: string; prices: GluePrices; region?: string },
): GlueSourceContext {
  const root = path.join(dataDir, 'raw', 'glue');
  return {
    api: async () => {
      const found = await stat(glue.captured).catch(() => undefined);
      if (!found?.isDirectory()) return undefined;
      const { openCapturedGlueApi } = await import('../../sources/glue/collect/captured-api.ts');
      return openCapturedGlueApi(glue.captured);
    },
    describe: `captured Glue API responses in ${glue.captured}`,
    root,
    collected: root,
    prices: glue.prices,
    region: glue.region ?? 'us-east-1',
  };
}

/** Evaluates the alarms on the local tables and records their states; answers each alarm's state. */
async function localAlarms(
  dataDir: string,
  cloudtrailRoot: string,
  at: Date,
  thresholds: { readonly glueDailyCostUsd?: number } | undefined,
): Promise<unknown> {
  const [{ alarmsAfterHourlyRun }, { openLocalAlarmQueries }, { defaultAlarms }] = await Promise.all([
    import('../../alarms/hourly-alarms.ts'),
    import('../../alarms/local-alarm-queries.ts'),
    import('../../alarms/alarms.ts'),
  ]);
  const queries = openLocalAlarmQueries({ dataDir, sources: { cloudtrail: cloudtrailRoot } });
  try {
    const result = await alarmsAfterHourlyRun({
      at,
      dataDir,
      runQuery: queries.runQuery,
      alarms: defaultAlarms(thresholds ?? {}),
    });
    if (result.mode !== 'local') return result;
    return {
      mode: 'local',
      alarms: result.report.alarms.map((a) => ({ name: a.name, state: a.state, value: a.value })),
      transitions: result.report.transitions.length,
    };
  } finally {
    await queries.close();
  }
}
