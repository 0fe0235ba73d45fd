import type { z } from 'zod';
import type { GlueTableInput } from '../catalog/athena/glue-table-input.ts';
import type { RawSourceName, TableDefinition } from '../catalog/table-definition.ts';
import type { DuckDbRun } from '../engines/duckdb/duckdb-dialect-config.ts';
import type { EngineWarning } from '../engines/engine.ts';
import type { SourceFile } from '../ingest/source-file.ts';
import type { ObjectStore } from '../storage/object-store.ts';

/**
 * What lakeq's shared code knows of a data source by name: its curated tables, the raw sources
 * they read, the raw relations over those inputs, and the hooks through which the shared
 * machinery (settings, local catalog, planner, collect task, deploy, `lakeq ddl`, `lakeq sample`)
 * reaches the source's role files. Each folder under `src/sources/` exports one from its
 * `index.ts`, and `src/sources/index.ts` lists them (see src/sources/README.md).
 *
 * Hooks that need more than a few small modules import them when called, so reading the
 * registry stays cheap; no hook may reach DuckDB or the AWS SDK's service clients at import.
 *
 * @example
 * ```ts
 * export const glueSource: SourceDefinition = {
 *   name: 'glue',
 *   title: 'Glue',
 *   inputs: 'collected',
 *   input: { defaultFolder: 'glue-api', description: 'captured Glue API responses' },
 *   rawSources: ['glue-job-runs', 'glue-job-metrics'],
 *   rawRelations: ['glue_job_runs_collected', 'glue_job_metrics_collected'],
 *   tables: [glueJobRuns, glueJobMetrics],
 *   local: async () => (await import('./raw-duckdb.ts')).localGlueRelations,
 *   list: async () => (await import('./list.ts')).glueListing,
 *   collect: async () => (await import('./collect-local.ts')).collectLocalGlue,
 *   aws: glueAws,
 *   sample: { options: [], writer: async () => (await import('./sample.ts')).glueSampleWriter },
 * };
 * ```
 */
export interface SourceDefinition {
  /** The source's folder under `src/sources/`, its key in the settings' `sources` and in `--source`. */
  readonly name: string;
  /** How messages name it: `CloudTrail`, `Glue`. */
  readonly title: string;
  /**
   * How its raw files come: `delivered` by AWS and read where they land (CloudTrail's log
   * files), `collected` by lakeq's collect task from the service's APIs into hour files (Glue),
   * or `generated` by a lakeq command into its input folder and read there (TPC-DS): the
   * hourly ETL neither lists nor collects a generated source, and `npm start` does not write it.
   * The hours a collection changed are planned again for the tables of a collected source, and
   * their lag is left out of the pipeline's health by default (an hour without runs has no partition).
   */
  readonly inputs: 'delivered' | 'collected' | 'generated';
  /**
   * Its input on this machine: `sources.<name>` in lakeq.config.json and `--source <name>=DIR`.
   * A delivered source's raw files are read there; a collected source's collector reads it
   * (captured API responses) and writes the hour files to `<dataDir>/raw/<name>`.
   */
  readonly input: {
    /** The folder under `<dataDir>/raw/` used when the settings name none. */
    readonly defaultFolder: string;
    /** What the folder holds, for the settings' schema. */
    readonly description: string;
    /**
     * A delivered source most estates do not have (Security Lake): a missing folder is no data,
     * not a mistyped path, so a load plans nothing for it instead of failing.
     */
    readonly optional?: boolean;
  };
  /** The names its tables' `input: { source }` may use. */
  readonly rawSources: readonly RawSourceName[];
  /** The relations over its raw inputs that SQL can read: DuckDB views locally, tables and views on Athena. */
  readonly rawRelations: readonly string[];
  /**
   * Name prefixes of raw relations whose names depend on the data (Security Lake's per-Region
   * Glue databases, `amazon_security_lake_glue_db_`): SQL naming one reads the raw views too.
   */
  readonly rawRelationPrefixes?: readonly string[];
  /**
   * Its tables hold one partition per UTC day, in the day's first hour (`hour='00'`), loaded from
   * every file of the day: a run plans the first hour of each day its window touches, so a file
   * delivered later in the day reloads that day.
   */
  readonly dayPartitions?: boolean;
  /** Its curated tables, in load order: a table after the tables its transform reads. */
  readonly tables: readonly TableDefinition[];
  /**
   * Its raw relations in the local catalog (`raw-duckdb.ts`): the local engine makes one per
   * engine, after the settings, and calls it to create, repoint and repair the views.
   */
  readonly local: () => Promise<LocalRawRelationsFactory>;
  /**
   * How the planner lists its raw files (`list.ts`): what each hour of a table that reads one of
   * its raw sources is loaded from. Needed when its tables read raw sources.
   */
  readonly list?: () => Promise<SourceListing>;
  /**
   * A `collected` source's collector in a local run (`collect-local.ts`): it reads the source's
   * input (captured API responses) and writes the hour files to `<dataDir>/raw/<name>`. On AWS
   * the Lambda collects with `collect-aws.ts` instead, which src/orchestration/aws/aws-collectors.ts
   * names (see src/sources/README.md for why that one is listed there).
   */
  readonly collect?: () => Promise<LocalCollect>;
  /** The source on AWS. */
  readonly aws?: SourceAws;
  /** Its sample data: `lakeq sample <name>`, and what `npm start` writes into an empty input. */
  readonly sample?: SourceSample;
  /**
   * Its own section of lakeq.config.json, when it has settings (`identityCenter` for Identity
   * Center): checked with the rest of the file; the parsed value reaches its local collector as
   * `LocalCollectOptions.settings`.
   */
  readonly settings?: { readonly key: string; readonly schema: z.ZodType };
}

/** Where a DuckDB view reports a file it skipped (`SOURCE_FILE_SKIPPED`) and other warnings. */
export type WarnFn = (warning: EngineWarning) => void;

/** How the local engine opens a source's raw relations. */
export interface LocalRawOptions {
  /** The source's raw root (`rawRootOf`); undefined when none is set: its views then read nothing. */
  readonly root: string | undefined;
  /** Read every file under the root (queries over the raw views), or start empty and read only what `useFiles` gives (loads; queries over curated tables only). */
  readonly scan: boolean;
}

/**
 * A source's DuckDB views over its raw files, in one engine. A file DuckDB cannot read is left
 * out and named in a `SOURCE_FILE_SKIPPED` warning, and the query runs again over the rest.
 */
export interface LocalRawRelations {
  /** Creates the views (an empty view, with the same columns, when there is no file). */
  setup(run: DuckDbRun, warn: WarnFn): Promise<void>;
  /** Points the views of `raw` at a load batch's `files`; the source's other views (all of them when `raw` is not one of its own) read nothing meanwhile. */
  useFiles(
    raw: RawSourceName | undefined,
    files: readonly string[],
    run: DuckDbRun,
    warn: WarnFn,
  ): Promise<void>;
  /**
   * A `WITH` entry standing for the source's raw relation over the current load batch's records
   * of `[from, to)` only, chosen before they are converted: so that a batch's transform can be
   * written in slices of its hours, each by its own COPY (see `stageBatch`), without each slice
   * converting every record. Undefined when the source has none (its transform then runs whole).
   */
  batchSliceSql?(from: Date, to: Date): string | undefined;
  /** Leaves out the file a failed query names, when it is one of its own; true when it did (the query is run again). */
  recover(error: unknown, run: DuckDbRun, warn: WarnFn): Promise<boolean>;
  /**
   * What a connection runs before the statement `sql` (DuckDB SQL): TEMP macros fitted to it, say.
   * Undefined when the source has nothing to fit.
   */
  sessionSql?(sql: string): string | undefined;
}

/**
 * Makes a source's local raw relations (`SourceDefinition.local`).
 *
 * @example
 * ```ts
 * const relations = (await cloudtrailSource.local())({ root: './lakeq-data/raw/cloudtrail', scan: true });
 * await relations.setup(run, warn); // cloudtrail_raw, cloudtrail_logs, cloudtrail_events_raw
 * ```
 */
export type LocalRawRelationsFactory = (options: LocalRawOptions) => LocalRawRelations;

/** A folder lister: a local folder, or an S3 prefix listed with a `/` delimiter. Paths are the lister's own. */
export interface FolderLister {
  join(dir: string, ...names: string[]): string;
  /** The names of the sub-folders of `dir`; none when it does not exist. */
  folders(dir: string): Promise<string[]>;
  /** The files directly in `dir` whose name `keep` accepts; none when it does not exist. */
  files(
    dir: string,
    keep: (name: string) => boolean,
  ): Promise<{ readonly name: string; readonly size: number; readonly mtimeMs: number }[]>;
}

/** What the planner asks a source's listing for (see `SourceListing`). */
export interface ListRequest {
  /** The raw source a table reads. */
  readonly raw: RawSourceName;
  /** The source's raw root: a local folder or an `s3://bucket/prefix` URI (`rawRootOf`, or the AWS context's). */
  readonly root: string;
  /** The hours to load of the tables that read `raw`, sorted, each the start of an hour. */
  readonly hours: readonly Date[];
  /** How long after an event its file may be delivered, in hours. */
  readonly latenessHours: number;
  /** How an `s3://` root is listed (the AWS context's S3 client); default: one with the default configuration. */
  readonly lister?: FolderLister;
}

/**
 * A source's listing for the planner: the raw files that can hold each hour's rows, with size and
 * mtime for the fingerprints (a file's change reloads the hours it may hold).
 *
 * @example
 * ```ts
 * const byHour = await (await cloudtrailSource.list?.())?.filesByHour({ raw: 'cloudtrail', root, hours, latenessHours: 3 });
 * byHour?.get('2026-11-27T13') // [{ path: '…_20261127T1305Z_….json.gz', size: 812, mtimeMs: …, deliveredAt: … }, …]
 * ```
 */
export interface SourceListing {
  /** Keyed by hour (`2026-11-27T13`); an hour without a file has no entry. */
  filesByHour(request: ListRequest): Promise<Map<string, SourceFile[]>>;
}

/** The window a collect task collects (an hourly run's hour and lookback, a backfill's range) and the run's clock. */
export interface CollectWindow {
  readonly from: Date;
  readonly to: Date;
  readonly now: Date;
  readonly signal?: AbortSignal;
}

/**
 * What a collector answers: nothing read (and why), or the hours whose files changed and what
 * the collect task reports of the source.
 */
export type CollectResult =
  | { readonly collected: false; readonly reason: string }
  | {
      readonly collected: true;
      /** Hour starts (ISO) whose hour files changed, sorted; they may precede the window (a run that finished late). */
      readonly touchedHours: readonly string[];
      /** What the collect task's answer says of the source besides `collected: true` (JSON: counts, the first warnings). */
      readonly summary: Readonly<Record<string, unknown>>;
    };

/** Where a local run collects a source. */
export interface LocalCollectOptions {
  /** The source's input: `sources.<name>` of the settings (captured API responses). */
  readonly input: string;
  /** Where it writes the hour files (and the planner lists them): `<dataDir>/raw/<name>`. */
  readonly root: string;
  /** The settings' `pricing`, by source name: a collector reads its own entry (`pricing.glue`). */
  readonly pricing: Readonly<Record<string, unknown>>;
  /** The Region collected records are priced in and recorded with (default us-east-1). */
  readonly region?: string;
  /** Its section of lakeq.config.json (`SourceDefinition.settings`), parsed; undefined when the file has none. */
  readonly settings?: unknown;
}

/**
 * A source's collector in a local run (`SourceDefinition.collect`).
 *
 * @example
 * ```ts
 * const collect = await glueSource.collect?.();
 * await collect?.({ input: './lakeq-data/raw/glue-api', root: './lakeq-data/raw/glue', pricing: {} }, { from, to, now })
 * // { collected: true, touchedHours: ['2026-11-27T13:00:00.000Z'], summary: { runs: 14, metricPoints: 2310, files: 4, warnings: [] } }
 * ```
 */
export type LocalCollect = (options: LocalCollectOptions, window: CollectWindow) => Promise<CollectResult>;

/** Where the Lambda collects a source: from its service's APIs into S3. */
export interface AwsCollectOptions {
  /** The hour files' prefix, `s3://bucket/prefix/raw/<name>` (what the planner lists and Athena reads). */
  readonly root: string;
  /** An object store over `root`, where the collector writes. */
  readonly store: ObjectStore;
  /** The Region of the APIs (the Lambda's). */
  readonly region: string;
  /** The account the records are recorded with. */
  readonly accountId: string;
  /** The Lambda's environment, for the collector's own settings (`LAKEQ_GLUE_PRICES`). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A source's collector on AWS (`collect-aws.ts`, named in src/orchestration/aws/aws-collectors.ts). */
export type AwsCollect = (options: AwsCollectOptions, window: CollectWindow) => Promise<CollectResult>;

/**
 * What lakeq's AWS side needs of a source (`raw-athena.ts`): its raw tables and views on Athena
 * (deploy, `lakeq ddl`), the settings they need (a section of lakeq.deploy.json, `lakeq ddl`'s
 * flags), where its raw inputs are read in place (IAM, the Lambda's environment).
 */
export interface SourceAws {
  /**
   * The source's section of lakeq.deploy.json (`trail` for CloudTrail), when reading it on AWS
   * needs settings. It is checked with the rest of the file (required when the schema is); its
   * parsed value is what `fromSection` gets. A `startDate` in it is the first day every
   * source's raw tables project (the Glue tables' too).
   */
  readonly section?: { readonly key: string; readonly schema: z.ZodType };
  /** The flags of `lakeq ddl` that give the same settings as the section, in usage order. */
  readonly ddlFlags?: readonly DdlFlag[];
  /** What `lakeq ddl` prints for it, for its usage ("the raw cloudtrail_logs table (…), the cloudtrail_events_raw view"). */
  readonly ddlDescribe: string;
  /**
   * For a delivered source read in place on AWS: the Lambda reads its root from
   * `LAKEQ_<NAME>_ROOT` (deploy sets it from `SourceOnAws.root`), required when the Lambda keeps
   * its state in S3; `describe` says what it must be ("the trail's s3://bucket[/prefix]").
   */
  readonly root?: { readonly describe: string };
  /** The word of the IAM statements that read its raw inputs in place (`Trail`: `S3TrailRead`, `S3ListTrail`). */
  readonly iamName?: string;
  /** The source on AWS as lakeq.deploy.json configures it (`section` is its parsed section, if it has one). */
  fromSection(section: unknown, common: AwsCommon): SourceOnAws;
  /** The source on AWS as `lakeq ddl`'s flags configure it (values by flag name, `trail-bucket`). */
  fromFlags(flags: Readonly<Record<string, string | undefined>>, common: AwsCommon): SourceOnAws;
}

/** A flag of `lakeq ddl` (`--trail-bucket B`). */
export interface DdlFlag {
  readonly flag: string;
  /** What its value looks like in the usage: `B`, `111122223333,...`. */
  readonly placeholder: string;
  readonly required?: boolean;
}

/** What every source on AWS shares. */
export interface AwsCommon {
  /** The data bucket and prefix (a collected source's hour files are under `raw/<name>/`) and the Glue database. */
  readonly target: { readonly bucket: string; readonly prefix: string; readonly database: string };
  /** The first day the raw tables project, `YYYY-MM-DD` or `YYYY/MM/DD` (UTC). */
  readonly startDate: string;
}

/**
 * A source on AWS, its settings applied.
 *
 * @example
 * ```ts
 * const onAws = cloudtrailSource.aws?.fromSection(config.sources.cloudtrail, common);
 * onAws?.tableInputs().map((t) => t.Name) // ['cloudtrail_logs']
 * onAws?.views().map((v) => v.name)       // ['cloudtrail_events_raw']
 * onAws?.root                             // 's3://org-trail'
 * ```
 */
export interface SourceOnAws {
  /** The Glue `TableInput`s of its raw tables, in creation order (deploy creates or updates them). */
  tableInputs(): readonly GlueTableInput[];
  /** The same tables as Athena DDL (`lakeq ddl`). */
  tableDdl(): readonly string[];
  /** The views over them (`CREATE OR REPLACE VIEW`), made after every table. */
  views(): readonly { readonly name: string; readonly sql: string }[];
  /** Where its raw inputs are read in place, `s3://bucket/prefix/`: Athena and the Lambda may read and list there. */
  readonly readScope?: string;
  /** Its root for the Lambda (`LAKEQ_<NAME>_ROOT`), `s3://bucket[/prefix]`. */
  readonly root?: string;
  /**
   * Tables another service made and keeps (Security Lake's), which its views read in place: every
   * Athena caller of those views needs their Glue entries, their files and keys (IAM), and, where
   * Lake Formation governs them, a Lake Formation grant.
   */
  readonly foreignTables?: ForeignTables;
}

/**
 * Glue tables another service keeps, as IAM and Lake Formation scope them.
 *
 * @example
 * ```ts
 * const foreign: ForeignTables = {
 *   databases: [{ region: 'eu-west-1', name: 'amazon_security_lake_glue_db_eu_west_1', tables: ['amazon_security_lake_table_eu_west_1_sh_findings_2_0'] }],
 *   locations: ['s3://aws-security-data-lake-eu-west-1-abc/aws/'],
 *   kmsKeys: [],
 *   lakeFormation: true,
 * };
 * ```
 */
export interface ForeignTables {
  /** The Glue databases, each in the catalog of the Region the service made it in, with the tables read. */
  readonly databases: readonly {
    readonly region: string;
    readonly name: string;
    readonly tables: readonly string[];
  }[];
  /** Where the tables' files are, `s3://bucket/prefix/`; a bucket ending in `*` is any bucket so named. */
  readonly locations: readonly string[];
  /** The KMS keys (ARNs) the files are encrypted with. */
  readonly kmsKeys: readonly string[];
  /** Lake Formation governs the tables: a reader needs its SELECT grant, which no IAM policy gives. */
  readonly lakeFormation: boolean;
}

/** A source's sample generator (`sample.ts`), as `lakeq sample <name>` and `npm start` use it. */
export interface SourceSample {
  /** The options of `lakeq sample <name>` besides `--out`, `--from`, `--to`, `--seed`: positive integers, with their defaults. */
  readonly options: readonly { readonly name: string; readonly default: number }[];
  /** Its options whose value is one of a few words (`--version 1|2|both`), with their defaults. */
  readonly choices?: readonly {
    readonly name: string;
    readonly values: readonly string[];
    readonly default: string;
  }[];
  /** The generator, imported when a sample is written. */
  readonly writer: () => Promise<SampleWriter>;
}

/** What `lakeq sample` asks a source's generator to write. */
export interface SampleRequest {
  readonly out: string;
  readonly from: Date;
  readonly to: Date;
  readonly seed: number;
  /** Its own options by name (`accounts`); an absent one takes the generator's default. */
  readonly options: Readonly<Record<string, number>>;
  /** Its choices by name (`version`); an absent one takes the generator's default. */
  readonly choices?: Readonly<Record<string, string>>;
}

/**
 * Writes a source's deterministic sample, and tells whether an input already has data.
 *
 * @example
 * ```ts
 * const writer = await cloudtrailSource.sample?.writer();
 * const found = await writer?.inspect('./lakeq-data/raw/cloudtrail'); // { found: false, message: 'No CloudTrail logs in …' }
 * const written = await writer?.write({ out, from, to, seed: 1, options: {} });
 * written?.summary // 'wrote 12345 events in 3024 files to … (3 accounts, …)'
 * ```
 */
export interface SampleWriter {
  /** Writes the sample: the line `lakeq sample` prints, and the short one `npm start` prints. */
  write(request: SampleRequest): Promise<{ readonly summary: string; readonly brief: string }>;
  /** Whether `input` holds data already (`npm start` writes a sample only where there is none), and a line to print about it. */
  inspect(input: string): Promise<{ readonly found: boolean; readonly message?: string }>;
}
