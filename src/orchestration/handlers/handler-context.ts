import path from 'node:path';
import type { Engine } from '../../engines/engine.ts';
import type {
  PartitionSwitchTarget,
  RegisteredPartition,
} from '../../ingest/athena/partition-switch-plan.ts';
import type { FindingsReportTarget } from '../../reports/findings-report-target.ts';
import { SOURCES } from '../../sources/index.ts';
import { rawRootOf } from '../../sources/registry.ts';
import type {
  CollectResult,
  CollectWindow,
  FolderLister,
  LocalCollectOptions,
  SourceDefinition,
} from '../../sources/source-definition.ts';
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
  /**
   * The delivered sources' raw roots, by source name: a local folder or `s3://bucket/prefix`
   * (`cloudtrail`: the trail in the S3 layout). A source without one has its tables left out of plans.
   */
  readonly roots: Readonly<Record<string, string>>;
  /** How `s3://` roots are listed (default: by their kind, see `filesForWindow`). */
  readonly lister?: FolderLister;
  /** Fixed for a run: what "finished hour" and "the last 24 hours" are measured from. */
  readonly now: Date;
  /** Where UNLOAD writes and which Glue database and Athena work group the plan names. */
  readonly target: PartitionSwitchTarget;
  /** At most 100 (Athena's open writers, Glue's batch size); lower keeps payloads and memory small. */
  readonly maxPartitionsPerBatch: number;
  /** The same for a table that reads another table (default `maxPartitionsPerBatch`; see `PlanOptions.maxPartitionsPerDerivedBatch`). */
  readonly maxPartitionsPerDerivedBatch?: number;
  /** Most bytes of source files a batch reads (local loads hold a batch's records in memory); default no bound. */
  readonly maxBytesPerBatch?: number;
  /** SPICE full refreshes per dataset per rolling 24 h (32 Enterprise, 8 Standard). */
  readonly spiceQuotaPerDay: number;
  /** A curated table's partitions in the catalog (Glue GetPartitions). */
  readonly registeredPartitions: (table: string) => Promise<readonly RegisteredPartition[]>;
  /** Stops local loads between batches (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Local load batches run at once (default `defaultLoadConcurrency()`); the ASL Map's MaxConcurrency bounds it too. */
  readonly loadConcurrency?: number;
  /** Told after each local batch: the table, the partitions of the batch and of the whole run for that table. */
  readonly onBatch?: (progress: BatchProgress) => void;
  /** A dataset's ingestions (QuickSight ListIngestions). */
  readonly listIngestions: (
    datasetId: string,
  ) => Promise<readonly { readonly IngestionStatus: string; readonly CreatedTime: string }[]>;
  /**
   * The collected sources' collectors, by source name (`glue`); a collected source without one
   * is neither collected nor planned.
   */
  readonly collectors?: Readonly<Record<string, SourceCollector>>;
  /**
   * Opens the engine the scheduled reports run on (locally DuckDB over the curated tables, on AWS
   * Athena); the caller closes it. Absent: reports are not written.
   */
  readonly reportEngine?: () => Promise<Engine>;
  /** Evaluates (locally) or publishes (AWS) the alarms after an hourly run; absent: skipped. */
  readonly alarms?: () => Promise<unknown>;
  /** Where the findings report state machine reads, writes and tells (its Lambda actions); absent: it cannot run here. */
  readonly findingsReport?: FindingsReportTarget;
  /** Step Functions StartExecution, for the `launchFindingsReport` action (AWS only). */
  readonly startExecution?: StartExecution;
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

/** A collected source's collector in a context (see `HandlerContext.collectors`). */
export interface SourceCollector {
  /** The collected hour files: a local folder or `s3://bucket/prefix/raw/<name>` (what the planner lists). */
  readonly root: string;
  /** Collects a window into the hour files under `root`. */
  collect(window: CollectWindow): Promise<CollectResult>;
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
 * const context = localHandlerContext({ dataDir: './lakeq-data', sources: { cloudtrail: './lakeq-data/raw/cloudtrail' } });
 * await planWindow({ input: { time: '2026-11-27T14:05:00Z' }, executionName: 'hourly-2026-11-27T13' }, context);
 * ```
 */
export function localHandlerContext(options: {
  dataDir: string;
  /**
   * Each source's input, by source name (the settings' `sources`): a delivered source's raw
   * files (`cloudtrail`), a collected source's captured API responses (`glue`, collected into
   * `<dataDir>/raw/glue`). A collected source without one is neither collected nor planned.
   */
  sources: Readonly<Record<string, string | undefined>>;
  /** The settings' `pricing`, by source name (the collectors price what they collect with it). */
  pricing?: Readonly<Record<string, unknown>>;
  /** The Region collected runs are priced in and recorded with (default us-east-1). */
  region?: string;
  /** Each source's own section of the settings (`LakeqSettings.sourceSettings`), by source name. */
  sourceSettings?: Readonly<Record<string, unknown>>;
  now?: Date;
  target?: PartitionSwitchTarget;
  maxPartitionsPerBatch?: number;
  maxPartitionsPerDerivedBatch?: number;
  maxBytesPerBatch?: number;
  spiceQuotaPerDay?: number;
  signal?: AbortSignal;
  onBatch?: (progress: BatchProgress) => void;
  loadConcurrency?: number;
  /** Evaluate the alarms after an hourly run (their states go to `<dataDir>/alarms/`), with these thresholds. */
  alarms?: boolean | { readonly glueDailyCostUsd?: number };
}): HandlerContext {
  const target = options.target ?? LOCAL_TARGET;
  const now = options.now ?? new Date();
  const roots: Record<string, string> = {};
  const collectors: Record<string, SourceCollector> = {};
  for (const source of SOURCES) {
    const input = options.sources[source.name];
    if (source.inputs !== 'collected') {
      const root = rawRootOf(source, options);
      if (root !== undefined) roots[source.name] = root;
    } else if (input !== undefined && source.collect) {
      collectors[source.name] = localCollector(source.collect, {
        input,
        root: rawRootOf(source, options) ?? path.join(options.dataDir, 'raw', source.name),
        pricing: options.pricing ?? {},
        ...(options.region ? { region: options.region } : {}),
        ...(options.sourceSettings?.[source.name] !== undefined
          ? { settings: options.sourceSettings[source.name] }
          : {}),
      });
    }
  }
  return {
    dataDir: options.dataDir,
    store: localFolderStore(options.dataDir),
    deletePrefix: async (uri) => {
      prefixInside(uri, target);
      return 0;
    },
    roots,
    now,
    target,
    maxPartitionsPerBatch: options.maxPartitionsPerBatch ?? ATHENA_MAX_PARTITIONS_PER_BATCH,
    ...(options.maxPartitionsPerDerivedBatch
      ? { maxPartitionsPerDerivedBatch: options.maxPartitionsPerDerivedBatch }
      : {}),
    ...(options.maxBytesPerBatch ? { maxBytesPerBatch: options.maxBytesPerBatch } : {}),
    spiceQuotaPerDay: options.spiceQuotaPerDay ?? DEFAULT_SPICE_QUOTA_PER_DAY,
    registeredPartitions: (table) => getLocalPartitions(options.dataDir, table),
    listIngestions: (datasetId) => listIngestions({ dataDir: options.dataDir }, datasetId),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onBatch ? { onBatch: options.onBatch } : {}),
    ...(options.loadConcurrency ? { loadConcurrency: options.loadConcurrency } : {}),
    ...(Object.keys(collectors).length > 0 ? { collectors } : {}),
    reportEngine: async () => {
      const { openLocalEngine } = await import('../../catalog/duckdb/local-engine.ts');
      // The curated tables only: the reports read no raw file.
      return openLocalEngine({ sources: {}, roots, dataDir: options.dataDir });
    },
    ...(options.alarms
      ? {
          alarms: () =>
            localAlarms(
              options.dataDir,
              roots,
              now,
              typeof options.alarms === 'object' ? options.alarms : {},
            ),
        }
      : {}),
  };
}

/** A local run's collector: the source's `collect` hook over its input, into `root`. */
function localCollector(
  load: NonNullable<SourceDefinition['collect']>,
  options: LocalCollectOptions,
): SourceCollector {
  return { root: options.root, collect: async (window) => (await load())(options, window) };
}

/** Evaluates the alarms on the local tables and records their states; answers each alarm's state. */
async function localAlarms(
  dataDir: string,
  roots: Readonly<Record<string, string>>,
  at: Date,
  thresholds: { readonly glueDailyCostUsd?: number } | undefined,
): Promise<unknown> {
  const [{ alarmsAfterHourlyRun }, { openLocalAlarmQueries }, { defaultAlarms }] = await Promise.all([
    import('../../alarms/hourly-alarms.ts'),
    import('../../alarms/local-alarm-queries.ts'),
    import('../../alarms/alarms.ts'),
  ]);
  const queries = openLocalAlarmQueries({ dataDir, sources: {}, roots });
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
