import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetPartitionsCommand, type GetPartitionsCommandOutput, GlueClient } from '@aws-sdk/client-glue';
import {
  ListIngestionsCommand,
  type ListIngestionsCommandOutput,
  QuickSightClient,
} from '@aws-sdk/client-quicksight';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { withThrottlingRetry } from '../../engines/aws-retry.ts';
import { LakeqError } from '../../engines/engine.ts';
import type {
  PartitionSwitchTarget,
  RegisteredPartition,
} from '../../ingest/athena/partition-switch-plan.ts';
import { s3CloudTrailLister } from '../../sources/cloudtrail/list-s3.ts';
import { SOURCES } from '../../sources/index.ts';
import { mapLimited } from '../../storage/map-limited.ts';
import type { ObjectStore } from '../../storage/object-store.ts';
import { parquetRowCountByRange } from '../../storage/parquet-footer.ts';
import { listS3 } from '../../storage/s3-list.ts';
import { type S3StoreLike, s3ObjectStore } from '../../storage/s3-object-store.ts';
import { parseS3Uri, prefixInside } from '../../storage/s3-uri.ts';
import {
  ATHENA_MAX_PARTITIONS_PER_BATCH,
  DEFAULT_SPICE_QUOTA_PER_DAY,
} from '../handlers/context-defaults.ts';
import type { HandlerContext, OutputStats, SourceCollector } from '../handlers/handler-context.ts';
import type { StartExecution } from '../launcher/launch-hourly.ts';
import { AWS_COLLECTORS } from './aws-collectors.ts';
import {
  type AwsFindingsInput,
  type AwsFindingsReportOptions,
  awsFindingsReportTarget,
} from './aws-findings-report.ts';

/** The Glue call the context makes; a real `GlueClient` fits. */
export interface GlueLike {
  send(command: GetPartitionsCommand): Promise<GetPartitionsCommandOutput>;
}

/** The QuickSight call the context makes; a real `QuickSightClient` fits. */
export interface QuickSightLike {
  send(command: ListIngestionsCommand): Promise<ListIngestionsCommandOutput>;
}

/** Where and how the Lambda's handlers run on AWS. */
export interface AwsHandlerContextOptions {
  /** The data bucket and prefix (state under it, UNLOAD outputs in `curated/`), Glue database, work group. */
  readonly target: PartitionSwitchTarget;
  /**
   * The delivered sources' roots on S3, by source name: `cloudtrail`, the trail's
   * `s3://bucket[/prefix]` (above `AWSLogs/`). A source without one has its tables left out.
   */
  readonly roots: Readonly<Record<string, string>>;
  /** The account of the QuickSight datasets (ListIngestions names it). */
  readonly accountId: string;
  readonly now?: Date;
  readonly maxPartitionsPerBatch?: number;
  readonly spiceQuotaPerDay?: number;
  /** A scratch folder (Lambda: under /tmp); the handlers keep nothing there. */
  readonly dataDir?: string;
  /** Client factories, called on first use (default: one client of each kind per process, default configuration). */
  readonly clients?: {
    readonly s3?: () => S3StoreLike;
    readonly glue?: () => GlueLike;
    readonly quicksight?: () => QuickSightLike;
  };
  /** ListObjectsV2 page size (default S3's 1,000). */
  readonly maxKeys?: number;
  /**
   * The collected sources to collect from their APIs into `raw/<name>/` (`glue`: GetJobs,
   * GetJobRuns, GetMetricData), in `region`; `env` holds the collectors' own settings
   * (`LAKEQ_GLUE_PRICES`). Each needs its collector in aws-collectors.ts.
   */
  readonly collect?: {
    readonly sources: readonly string[];
    readonly region: string;
    readonly env?: Readonly<Record<string, string | undefined>>;
  };
  /** Publish the ETL's health and the query alarms' values after an hourly run (PutMetricData). */
  readonly alarms?: { readonly glueDailyCostUsd?: number };
  /** The hourly state machine, for the `launchHourly` action the schedule invokes. */
  readonly hourlyStateMachineArn?: string;
  /**
   * The findings report's input (`findings-report.asl.json`'s Lambda actions): the Security Hub
   * API or Security Lake's view on Athena; its clients default to one of each kind per container.
   */
  readonly findingsReport?: {
    readonly input: AwsFindingsInput;
    readonly clients?: Partial<AwsFindingsReportOptions['clients']>;
  };
}

let s3: S3Client | undefined;
let glue: GlueClient | undefined;
let quicksight: QuickSightClient | undefined;
let securityHub: SecurityHubClient | undefined;
let sns: SNSClient | undefined;
// One client of each kind per Lambda container, made when a handler first needs it.
const DEFAULT_CLIENTS = {
  s3: (): S3StoreLike => (s3 ??= new S3Client({})),
  glue: (): GlueLike => (glue ??= new GlueClient({})),
  quicksight: (): QuickSightLike => (quicksight ??= new QuickSightClient({})),
};

/**
 * The context of the Lambda on AWS: the ledger, the stored plans and the run records in
 * `s3://<bucket>/<prefix>/` (the ledger under `ledger/`, where the Athena table `lakeq_runs`
 * reads it), the CloudTrail files listed in the trail bucket, the catalog's partitions from
 * Glue GetPartitions and the ingestions from QuickSight ListIngestions, every list followed
 * page by page. No client is made before a handler needs it.
 *
 * @example
 * ```ts
 * const context = awsHandlerContext({
 *   target: { bucket: 'my-lake', prefix: 'lakeq', database: 'lakeq', workGroup: 'lakeq' },
 *   roots: { cloudtrail: 's3://org-trail' },
 *   accountId: '111122223333',
 * });
 * await dispatchAction({ action: 'planWindow', input: { time: '2026-11-27T14:05:00Z' }, executionName: 'hourly-2026-11-27T13' }, context);
 * ```
 */
export function awsHandlerContext(options: AwsHandlerContextOptions): HandlerContext {
  const { target } = options;
  if (!/^\d{12}$/.test(options.accountId)) {
    throw new LakeqError(
      'BAD_CONFIG',
      `the AWS account id must be 12 digits, not ${JSON.stringify(options.accountId)}`,
    );
  }
  for (const source of SOURCES) {
    const root = options.roots[source.name];
    if (root !== undefined) parseS3Uri(root, `the ${source.title} root`);
  }
  const prefix = target.prefix.replace(/^\/+|\/+$/g, '');
  const root = `s3://${target.bucket}/${prefix === '' ? '' : `${prefix}/`}`;
  const s3Client = options.clients?.s3 ?? DEFAULT_CLIENTS.s3;
  const glueClient = options.clients?.glue ?? DEFAULT_CLIENTS.glue;
  const quickSightClient = options.clients?.quicksight ?? DEFAULT_CLIENTS.quicksight;
  const maxKeys = options.maxKeys ? { maxKeys: options.maxKeys } : {};
  const store = s3ObjectStore({ root, client: s3Client, ...maxKeys });
  const now = options.now ?? new Date();
  const dataDir = options.dataDir ?? path.join(tmpdir(), 'lakeq-data');
  return {
    dataDir,
    store,
    // Inside the target's prefix only (prefixInside), then relative to the store's root.
    deletePrefix: async (uri) =>
      store.deletePrefix(prefixInside(uri, target).slice(prefix === '' ? 0 : prefix.length + 1)),
    outputStats: (uri) => s3OutputStats(s3Client(), uri, maxKeys),
    roots: options.roots,
    // CloudTrail's S3 lister lists any prefix: the collected hour files are listed with it too.
    lister: s3CloudTrailLister({ client: s3Client, ...maxKeys }),
    now,
    target,
    maxPartitionsPerBatch: options.maxPartitionsPerBatch ?? ATHENA_MAX_PARTITIONS_PER_BATCH,
    spiceQuotaPerDay: options.spiceQuotaPerDay ?? DEFAULT_SPICE_QUOTA_PER_DAY,
    registeredPartitions: (table) => gluePartitions(glueClient(), target.database, table),
    listIngestions: (datasetId) => quickSightIngestions(quickSightClient(), options.accountId, datasetId),
    ...(options.collect
      ? { collectors: awsCollectors(root, s3Client, options.collect, options.accountId, maxKeys) }
      : {}),
    reportEngine: () => athenaEngine(options.target),
    ...(options.alarms ? { alarms: () => publishAlarms(options, { store, now, dataDir }) } : {}),
    ...(options.hourlyStateMachineArn
      ? { startHourly: { stateMachineArn: options.hourlyStateMachineArn, startExecution } }
      : {}),
    startExecution,
    ...(options.findingsReport
      ? {
          findingsReport: awsFindingsReportTarget({
            root,
            input: options.findingsReport.input,
            athena: { database: target.database, workGroup: target.workGroup },
            now: () => new Date(),
            clients: {
              s3: options.findingsReport.clients?.s3 ?? (() => (s3 ??= new S3Client({}))),
              securityHub:
                options.findingsReport.clients?.securityHub ??
                (() => (securityHub ??= new SecurityHubClient({}))),
              sns: options.findingsReport.clients?.sns ?? (() => (sns ??= new SNSClient({}))),
            },
          }),
        }
      : {}),
  };
}

/** Parquet footers read at once by `outputStats`. */
const FOOTER_CONCURRENCY = 8;

/**
 * What an UNLOAD wrote under `uri`: ListObjectsV2 under it, the partition of each file from its
 * `dt=YYYY-MM-DD/hour=HH/` folders, sizes from the listing and rows from each Parquet footer
 * (two suffix-range GetObjects a file). UNLOAD's file names have no extension, so every object
 * in a partition folder counts; one that is not Parquet fails with its name.
 */
async function s3OutputStats(
  client: S3StoreLike,
  uri: string,
  maxKeys: { maxKeys?: number },
): Promise<OutputStats> {
  const { bucket, key: prefix } = parseS3Uri(uri, 'an output prefix');
  if (!prefix.endsWith('/')) {
    throw new LakeqError('BAD_S3_URI', `an output prefix must be a folder ending in "/", not ${uri}`);
  }
  const { objects } = await listS3(client, { bucket, prefix, ...maxKeys });
  const files = objects.filter((o) => !o.key.endsWith('/'));
  const inPartitions = files.flatMap((o) => {
    const match = /(?:^|\/)dt=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\/[^/]+$/.exec(o.key.slice(prefix.length));
    return match ? [{ ...o, partition: `${match[1]}/${match[2]}` }] : [];
  });
  const rows = await mapLimited(inPartitions, FOOTER_CONCURRENCY, (o) =>
    parquetRowCountByRange(
      async (range) => {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: o.key, Range: range }));
        if (!out.Body)
          throw new LakeqError('S3_READ_FAILED', `GetObject of s3://${bucket}/${o.key} had no body`);
        return out.Body.transformToByteArray();
      },
      { name: `s3://${bucket}/${o.key}`, size: o.size },
    ),
  );
  const partitions = new Map<string, { rows: number; bytes: number }>();
  for (const [i, o] of inPartitions.entries()) {
    const sum = partitions.get(o.partition) ?? { rows: 0, bytes: 0 };
    partitions.set(o.partition, { rows: sum.rows + (rows[i] ?? 0), bytes: sum.bytes + o.size });
  }
  return { files: files.length, bytes: files.reduce((n, o) => n + o.size, 0), partitions };
}

/**
 * The collectors of the collected sources on AWS: each source's API collector (aws-collectors.ts)
 * writing to `s3://<bucket>/<prefix>/raw/<name>/`, where its Athena tables read the hour files.
 */
function awsCollectors(
  root: string,
  client: () => S3StoreLike,
  collect: NonNullable<AwsHandlerContextOptions['collect']>,
  accountId: string,
  maxKeys: { maxKeys?: number },
): Record<string, SourceCollector> {
  const out: Record<string, SourceCollector> = {};
  for (const name of collect.sources) {
    const load = AWS_COLLECTORS[name];
    if (!load) throw new LakeqError('BAD_CONFIG', `the source "${name}" has no collector on AWS`);
    const collectedRoot = `${root}raw/${name}`;
    const options = {
      root: collectedRoot,
      store: s3ObjectStore({ root: `${collectedRoot}/`, client, ...maxKeys }),
      region: collect.region,
      accountId,
      env: collect.env ?? {},
    };
    out[name] = { root: collectedRoot, collect: async (window) => (await load())(options, window) };
  }
  return out;
}

/** An Athena engine in the target's work group and database (the SDK loaded on first use). */
async function athenaEngine(target: PartitionSwitchTarget) {
  const [{ createAthenaEngine }, athena] = await Promise.all([
    import('../../engines/athena/athena-engine.ts'),
    import('@aws-sdk/client-athena'),
  ]);
  return createAthenaEngine({
    client: new athena.AthenaClient({}),
    workGroup: target.workGroup,
    database: target.database,
  });
}

/** After an hourly run on AWS: the health from the S3 ledger and the query alarms on Athena, to CloudWatch. */
async function publishAlarms(
  options: AwsHandlerContextOptions,
  context: { readonly store: ObjectStore; readonly now: Date; readonly dataDir: string },
) {
  const [{ alarmsAfterHourlyRun }, { engineAlarmQueries }, { defaultAlarms }, cw] = await Promise.all([
    import('../../alarms/hourly-alarms.ts'),
    import('../../alarms/alarm-queries.ts'),
    import('../../alarms/alarms.ts'),
    import('@aws-sdk/client-cloudwatch'),
  ]);
  const { readLedger } = await import('../../ingest/ledger.ts');
  const engine = await athenaEngine(options.target);
  try {
    const result = await alarmsAfterHourlyRun({
      at: context.now,
      dataDir: context.dataDir,
      ledger: (await readLedger(context.store)).rows,
      runQuery: engineAlarmQueries(engine),
      cloudwatch: new cw.CloudWatchClient({}),
      alarms: defaultAlarms(
        options.alarms?.glueDailyCostUsd ? { glueDailyCostUsd: options.alarms.glueDailyCostUsd } : {},
      ),
    });
    return result.mode === 'cloudwatch'
      ? { mode: result.mode, metricData: result.metricData, requests: result.requests, values: result.values }
      : result;
  } finally {
    await engine.close();
  }
}

let sfn: import('@aws-sdk/client-sfn').SFNClient | undefined;
/** StartExecution through one SFN client per container, made on first use. */
const startExecution: StartExecution = async (input) => {
  const { SFNClient, StartExecutionCommand } = await import('@aws-sdk/client-sfn');
  sfn ??= new SFNClient({});
  return sfn.send(new StartExecutionCommand(input));
};

/** Every partition of a table (GetPartitions, page by page, without the column schema). */
async function gluePartitions(
  client: GlueLike,
  database: string,
  table: string,
): Promise<RegisteredPartition[]> {
  const out: RegisteredPartition[] = [];
  let token: string | undefined;
  do {
    const page = await withThrottlingRetry(() =>
      client.send(
        new GetPartitionsCommand({
          DatabaseName: database,
          TableName: table,
          ExcludeColumnSchema: true,
          ...(token ? { NextToken: token } : {}),
        }),
      ),
    );
    for (const p of page.Partitions ?? []) {
      out.push({
        ...(p.Values ? { Values: p.Values } : {}),
        ...(p.StorageDescriptor?.Location
          ? { StorageDescriptor: { Location: p.StorageDescriptor.Location } }
          : {}),
      });
    }
    token = page.NextToken || undefined;
  } while (token);
  return out;
}

/** Every ingestion of a dataset (ListIngestions, page by page), with its creation time in ISO 8601. */
async function quickSightIngestions(
  client: QuickSightLike,
  accountId: string,
  datasetId: string,
): Promise<{ IngestionStatus: string; CreatedTime: string }[]> {
  const out: { IngestionStatus: string; CreatedTime: string }[] = [];
  let token: string | undefined;
  do {
    const page = await withThrottlingRetry(() =>
      client.send(
        new ListIngestionsCommand({
          AwsAccountId: accountId,
          DataSetId: datasetId,
          ...(token ? { NextToken: token } : {}),
        }),
      ),
    );
    for (const i of page.Ingestions ?? []) {
      if (!i.IngestionStatus || !i.CreatedTime) continue;
      out.push({ IngestionStatus: i.IngestionStatus, CreatedTime: new Date(i.CreatedTime).toISOString() });
    }
    token = page.NextToken || undefined;
  } while (token);
  return out;
}
