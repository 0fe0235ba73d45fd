import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  GetPartitionsCommand,
  type GetPartitionsCommandInput,
  GlueClient,
  type Partition,
} from '@aws-sdk/client-glue';
import {
  type Ingestion,
  ListIngestionsCommand,
  type ListIngestionsCommandInput,
  QuickSightClient,
} from '@aws-sdk/client-quicksight';
import { S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ledgerLocation } from '../../src/catalog/athena/ledger-ddl.ts';
import { tableByName } from '../../src/catalog/tables/index.ts';
import { appendLedger, type LedgerRow, readLedger } from '../../src/ingest/ledger.ts';
import { awsHandlerContext } from '../../src/orchestration/aws/aws-handler-context.ts';
import type { BatchInputs } from '../../src/orchestration/handlers/batch-inputs.ts';
import {
  type StoredBatch,
  type StoredPlan,
  savePlan,
  saveSwitch,
} from '../../src/orchestration/handlers/plan-store.ts';
import type { PlannedRun } from '../../src/orchestration/handlers/plan-window.ts';
import { type BatchRecord, recordBatch } from '../../src/orchestration/handlers/record-batch.ts';
import { appendRunRecord, readRunRecords } from '../../src/orchestration/handlers/run-records.ts';
import { handler } from '../../src/orchestration/lambda-entry.ts';
import { loadQuery } from '../../src/query/registry.ts';
import { filesForWindow } from '../../src/sources/cloudtrail/list.ts';
import { s3CloudTrailLister } from '../../src/sources/cloudtrail/list-s3.ts';
import { localFolderStore } from '../../src/storage/local-folder-store.ts';
import { s3ObjectStore } from '../../src/storage/s3-object-store.ts';
import { expectValidRequest } from '../support/aws-model-validator.ts';
import { type FakeS3, fakeS3 } from './fake-s3.ts';

const ACCOUNT = '111122223333';
const LAKE = 'lakeq-lake';
const TRAIL = 'org-trail';
const TARGET = { bucket: LAKE, prefix: 'lakeq', database: 'lakeq', workGroup: 'lakeq' };
const DATASET = 'lakeq-identity-center-instance-churn-hourly';
/** The run ledger's dataset, refreshed along with any load that changed a table. */
const PIPELINE = 'lakeq-pipeline-runs';
const glue = mockClient(GlueClient);
const quicksight = mockClient(QuickSightClient);
let s3: FakeS3;
let dir: string;

beforeEach(async () => {
  s3 = fakeS3();
  glue.reset();
  quicksight.reset();
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-aws-context-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const client = () => new S3Client({ region: 'eu-west-1' });
const calls = (operation: string) => s3.calls.filter((c) => c.operation === operation);
const row = (runId: string, hour: string): LedgerRow => ({
  runId,
  table: 'cloudtrail_events',
  dt: '2026-11-27',
  hour,
  status: 'loaded',
  rows: 3,
  bytes: 100,
  fingerprint: `f-${hour}`,
  sourceFiles: 1,
  quarantined: [],
  queryId: 'q',
  queryVersion: '1.0.0',
  engine: 'athena',
  engineQueryIds: [],
  startedAt: '2026-11-27T14:00:00.000Z',
  finishedAt: '2026-11-27T14:00:00.000Z',
});

/** DuckDB, for real Parquet files as the UNLOADs would write them. */
let duck: DuckDBInstance;
let parquetDir: string;
beforeAll(async () => {
  duck = await DuckDBInstance.create(':memory:');
  parquetDir = await mkdtemp(path.join(tmpdir(), 'lakeq-aws-parquet-'));
});
afterAll(async () => {
  duck.closeSync();
  await rm(parquetDir, { recursive: true, force: true });
});
let parquetFiles = 0;

/** A Parquet file of `rows` CloudTrail-like rows (a struct, a map, a list), written by DuckDB. */
async function parquetOf(rows: number, seed = 0): Promise<Uint8Array> {
  const file = path.join(parquetDir, `${parquetFiles++}.parquet`);
  const con = await duck.connect();
  try {
    await con.run(`COPY (
      SELECT 'evt-' || (range + ${seed}) AS eventID,
        {'type': 'IAMUser', 'arn': 'arn:aws:iam::${ACCOUNT}:user/u' || range} AS userIdentity,
        MAP {'instanceArn': 'arn:aws:sso:::instance/ssoins-' || range} AS requestParameters,
        [{'accountId': '${ACCOUNT}', 'type': 'AWS::SSO::Instance'}] AS resources
      FROM range(${rows})
    ) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
  } finally {
    con.closeSync();
  }
  return readFile(file);
}

/** The key of an UNLOAD output partition folder: `<prefix>dt=…/hour=…/`. */
const partitionKey = (outputPrefix: string, dt: string, hour: string) =>
  `${outputPrefix.slice(`s3://${LAKE}/`.length)}dt=${dt}/hour=${hour}/`;

/** GetPartitions answered from a list, `pageSize` at a time, each request checked. */
function serveGluePartitions(byTable: Record<string, Partition[]>, pageSize: number) {
  glue.on(GetPartitionsCommand).callsFake((input: GetPartitionsCommandInput) => {
    expectValidRequest('glue', 'GetPartitions', input);
    const all = byTable[input.TableName as string] ?? [];
    const start = Number(input.NextToken ?? 0);
    const next = start + pageSize;
    return {
      Partitions: all.slice(start, next),
      ...(next < all.length ? { NextToken: String(next) } : {}),
    };
  });
}

/** ListIngestions answered from a list, `pageSize` at a time, each request checked. */
function serveIngestions(ingestions: Ingestion[], pageSize: number) {
  quicksight.on(ListIngestionsCommand).callsFake((input: ListIngestionsCommandInput) => {
    expectValidRequest('quicksight', 'ListIngestions', input);
    const start = Number(input.NextToken ?? 0);
    const next = start + pageSize;
    return {
      Ingestions: ingestions.slice(start, next),
      ...(next < ingestions.length ? { NextToken: String(next) } : {}),
      Status: 200,
    };
  });
}

describe('the S3 object store', () => {
  it('puts, gets and lists page by page under its prefix; a missing key is undefined', async () => {
    const store = s3ObjectStore({ root: `s3://${LAKE}/lakeq`, client, maxKeys: 2 });
    expect(store.root).toBe(`s3://${LAKE}/lakeq/`);
    const bodies = ['{"a":1}', '{"b":22}', '{"c":333}', '{"d":4444}', '{"e":55555}'];
    for (const [i, body] of bodies.entries()) await store.put(`orchestration/plans/r${i}.json`, body);
    await store.put('orchestration/other.json', '{}');
    expect(s3.keys(LAKE)).toContain('lakeq/orchestration/plans/r0.json');

    const listed = await store.list('orchestration/plans/');
    expect(listed.map((o) => [o.key, o.size])).toEqual(
      bodies.map((b, i) => [`orchestration/plans/r${i}.json`, b.length]),
    );
    // 5 objects, 2 a page: 3 requests, each after the first carrying the previous page's token.
    const lists = calls('ListObjectsV2').map(
      (c) => c.input as { ContinuationToken?: string; MaxKeys?: number },
    );
    expect(lists).toHaveLength(3);
    expect(lists.map((l) => l.ContinuationToken === undefined)).toEqual([true, false, false]);
    expect(lists.every((l) => l.MaxKeys === 2)).toBe(true);

    expect(await store.get('orchestration/plans/r3.json')).toBe('{"d":4444}');
    expect(await store.get('orchestration/plans/missing.json')).toBeUndefined();
    await expect(store.get('../secrets.json')).rejects.toThrow(/not a store key/);

    expect(await store.deletePrefix('orchestration/plans/')).toBe(5);
    expect(s3.keys(LAKE)).toEqual(['lakeq/orchestration/other.json']);
    await expect(store.deletePrefix('')).rejects.toThrow(/refusing to delete everything/);
  });

  it('keeps the ledger as one NDJSON object per append under lakeq_runs’ location, read back in order', async () => {
    const store = s3ObjectStore({ root: `s3://${LAKE}/lakeq/`, client, maxKeys: 1 });
    await appendLedger(store, [row('r1', '10'), row('r1', '11')]);
    await appendLedger(store, [row('r2', '10')]);
    await appendLedger(store, []);
    const location = ledgerLocation(TARGET).slice(`s3://${LAKE}/`.length);
    const keys = s3.keys(LAKE);
    expect(keys).toHaveLength(2);
    for (const key of keys)
      expect(key).toMatch(new RegExp(`^${location}\\d{8}T\\d{9}Z-[0-9a-f-]{36}\\.ndjson$`));
    const first = s3.buckets.get(LAKE)?.get(keys[0] as string)?.body ?? '';
    expect(first.split('\n')).toEqual([JSON.stringify(row('r1', '10')), JSON.stringify(row('r1', '11')), '']);
    const { rows, damagedLines } = await readLedger(store);
    expect(rows.map((r) => `${r.runId}/${r.hour}`)).toEqual(['r1/10', 'r1/11', 'r2/10']);
    expect(damagedLines).toBe(0);
    // Run records go elsewhere: Athena reads every object under ledger/ as ledger rows.
    await appendRunRecord(store, {
      executionName: 'hourly-2026-11-27T13',
      status: 'SUCCEEDED',
      partitions: 0,
      changedPartitions: 0,
      rows: 0,
      changedTables: [],
      refreshed: [],
      skipped: [],
      recordedAt: '2026-11-27T14:10:00.000Z',
    });
    expect(s3.keys(LAKE, location)).toHaveLength(2);
    expect(s3.keys(LAKE, 'lakeq/orchestration/runs/')).toHaveLength(1);
    expect((await readRunRecords(store)).map((r) => r.executionName)).toEqual(['hourly-2026-11-27T13']);
  });

  it('keeps the local layout: one appended file, as before', async () => {
    await appendLedger(dir, [row('r1', '10')]);
    await appendLedger(localFolderStore(dir), [row('r2', '11')]);
    const text = await readFile(path.join(dir, 'ledger', 'runs.ndjson'), 'utf8');
    expect(text).toBe(`${JSON.stringify(row('r1', '10'))}\n${JSON.stringify(row('r2', '11'))}\n`);
    expect((await readLedger(dir)).rows.map((r) => r.runId)).toEqual(['r1', 'r2']);
    const store = localFolderStore(dir);
    await store.put('orchestration/plans/r2.json', '{"b":2}');
    await store.put('orchestration/plans/r1.json', '{"a":1}');
    expect(await readFile(path.join(dir, 'orchestration', 'plans', 'r1.json'), 'utf8')).toBe('{"a":1}');
    expect((await store.list('orchestration/pl')).map((o) => [o.key, o.size])).toEqual([
      ['orchestration/plans/r1.json', 7],
      ['orchestration/plans/r2.json', 7],
    ]);
    expect((await store.list('')).map((o) => o.key)).toEqual([
      'ledger/runs.ndjson',
      'orchestration/plans/r1.json',
      'orchestration/plans/r2.json',
    ]);
    expect(await store.deletePrefix('orchestration/')).toBe(2);
    expect(await readdir(dir)).toEqual(['ledger']);
    await expect(store.put('/etc/x', '')).rejects.toThrow(/not a store key/);
  });
});

describe('the AWS handler context', () => {
  const context = () =>
    awsHandlerContext({
      target: TARGET,
      roots: { cloudtrail: `s3://${TRAIL}` },
      accountId: ACCOUNT,
      clients: { s3: client },
      maxKeys: 3,
    });

  it('reads a table’s partitions from Glue GetPartitions, page by page', async () => {
    const partitions: Partition[] = Array.from({ length: 5 }, (_, h) => ({
      Values: ['2026-11-27', String(h).padStart(2, '0')],
      StorageDescriptor: {
        Location: `s3://${LAKE}/lakeq/curated/cloudtrail_events/run=r/batch=0/hour=${h}/`,
      },
    }));
    serveGluePartitions({ cloudtrail_events: partitions }, 2);
    const got = await context().registeredPartitions('cloudtrail_events');
    expect(got).toEqual(
      partitions.map((p) => ({
        Values: p.Values,
        StorageDescriptor: { Location: p.StorageDescriptor?.Location },
      })),
    );
    const requests = glue.commandCalls(GetPartitionsCommand).map((c) => c.args[0].input);
    expect(requests.map((r) => r.NextToken)).toEqual([undefined, '2', '4']);
    expect(requests.every((r) => r.DatabaseName === 'lakeq' && r.ExcludeColumnSchema === true)).toBe(true);
  });

  it('reads a dataset’s ingestions from QuickSight ListIngestions, page by page', async () => {
    const ingestions: Ingestion[] = Array.from({ length: 5 }, (_, i) => ({
      Arn: `arn:aws:quicksight:eu-west-1:${ACCOUNT}:dataset/${DATASET}/ingestion/i${i}`,
      IngestionId: `i${i}`,
      IngestionStatus: i === 0 ? 'RUNNING' : 'COMPLETED',
      CreatedTime: new Date(Date.UTC(2026, 10, 27, 13 - i)),
    }));
    serveIngestions(ingestions, 2);
    const got = await context().listIngestions(DATASET);
    expect(got).toEqual(
      ingestions.map((i) => ({
        IngestionStatus: i.IngestionStatus,
        CreatedTime: i.CreatedTime?.toISOString(),
      })),
    );
    const requests = quicksight.commandCalls(ListIngestionsCommand).map((c) => c.args[0].input);
    expect(requests.map((r) => [r.AwsAccountId, r.DataSetId, r.NextToken])).toEqual([
      [ACCOUNT, DATASET, undefined],
      [ACCOUNT, DATASET, '2'],
      [ACCOUNT, DATASET, '4'],
    ]);
  });

  it('empties a prefix of 2,345 objects in DeleteObjects of at most 1,000, and nothing outside the data prefix', async () => {
    const folder = 'lakeq/curated/cloudtrail_events/run=r1-b0/batch=0/';
    for (let i = 0; i < 2345; i++)
      s3.put(LAKE, `${folder}dt=2026-11-27/hour=${String(i % 24).padStart(2, '0')}/${i}.parquet`, 'x');
    s3.put(LAKE, 'lakeq/curated/cloudtrail_events/run=r1-b0/batch=1/keep.parquet', 'x');
    s3.put(LAKE, 'lakeq/curated/cloudtrail_events/run=r1-b0/batch=0-other/keep.parquet', 'x');
    const ctx = awsHandlerContext({
      target: TARGET,
      roots: { cloudtrail: `s3://${TRAIL}` },
      accountId: ACCOUNT,
      clients: { s3: client },
    });
    expect(await ctx.deletePrefix(`s3://${LAKE}/${folder}`)).toBe(2345);
    const chunks = calls('DeleteObjects').map(
      (c) => (c.input as { Delete: { Objects: unknown[] } }).Delete.Objects.length,
    );
    expect(chunks).toEqual([1000, 1000, 345]);
    expect(s3.keys(LAKE)).toEqual([
      'lakeq/curated/cloudtrail_events/run=r1-b0/batch=0-other/keep.parquet',
      'lakeq/curated/cloudtrail_events/run=r1-b0/batch=1/keep.parquet',
    ]);
    expect(await ctx.deletePrefix(`s3://${LAKE}/${folder}`)).toBe(0);
    for (const outside of [
      `s3://other-bucket/${folder}`,
      `s3://${LAKE}/lakeq/`,
      `s3://${LAKE}/elsewhere/x/`,
      `s3://${LAKE}/lakeq/curated/cloudtrail_events/run=r1-b0/batch=1/keep.parquet`,
      `s3://${LAKE}/lakeq/../x/`,
    ]) {
      await expect(ctx.deletePrefix(outside)).rejects.toThrow(/refusing to delete/);
    }
    expect(s3.keys(LAKE)).toHaveLength(2);
  });
});

describe('the output of an UNLOAD on S3', () => {
  const context = (now = new Date('2026-11-27T14:05:00Z')) =>
    awsHandlerContext({
      target: TARGET,
      roots: { cloudtrail: `s3://${TRAIL}` },
      accountId: ACCOUNT,
      clients: { s3: client },
      maxKeys: 3,
      now,
    });
  const location = tableByName('cloudtrail_events')?.location;
  const size = (key: string) => s3.buckets.get(LAKE)?.get(key)?.bytes.length ?? Number.NaN;

  it('counts files and bytes under a prefix, and rows and bytes per hour from the Parquet footers', async () => {
    const prefix = `s3://${LAKE}/lakeq/${location}/run=r1-b0/batch=0/`;
    const h10 = partitionKey(prefix, '2026-11-27', '10');
    const h11 = partitionKey(prefix, '2026-11-27', '11');
    s3.put(LAKE, `${h10}a`, await parquetOf(5));
    s3.put(LAKE, `${h10}b`, await parquetOf(2, 100));
    s3.put(LAKE, `${h11}c`, await parquetOf(0));
    s3.put(LAKE, partitionKey(prefix, '2026-11-27', '12'), ''); // a folder marker
    s3.put(LAKE, `${prefix.slice(`s3://${LAKE}/`.length)}notes.txt`, 'not in a partition');
    s3.put(LAKE, `lakeq/${location}/run=r1-b0/batch=1/dt=2026-11-27/hour=10/x`, 'elsewhere');
    const stats = await context().outputStats?.(prefix);
    const notes = `${prefix.slice(`s3://${LAKE}/`.length)}notes.txt`;
    expect(stats).toEqual({
      files: 4,
      bytes: size(`${h10}a`) + size(`${h10}b`) + size(`${h11}c`) + size(notes),
      partitions: new Map([
        ['2026-11-27/10', { rows: 7, bytes: size(`${h10}a`) + size(`${h10}b`) }],
        ['2026-11-27/11', { rows: 0, bytes: size(`${h11}c`) }],
      ]),
    });
    // Listed 3 keys a page; no GetObject without a Range, none of the file outside a partition.
    expect(calls('ListObjectsV2').length).toBeGreaterThan(1);
    const gets = calls('GetObject').map((c) => c.input as { Key: string; Range?: string });
    expect(gets).toHaveLength(6);
    expect(gets.every((g) => g.Range?.startsWith('bytes=-') && g.Key.startsWith(h10.slice(0, -3)))).toBe(
      true,
    );
    expect(await context().outputStats?.(`s3://${LAKE}/lakeq/${location}/run=none/`)).toEqual({
      files: 0,
      bytes: 0,
      partitions: new Map(),
    });
  });

  it('fails naming a file that is not Parquet, or a prefix that is not a folder', async () => {
    const prefix = `s3://${LAKE}/lakeq/${location}/run=r1-b0/batch=0/`;
    s3.put(LAKE, `${partitionKey(prefix, '2026-11-27', '10')}good`, await parquetOf(1));
    s3.put(LAKE, `${partitionKey(prefix, '2026-11-27', '11')}bad`, '{"json": "not parquet"}');
    await expect(context().outputStats?.(prefix)).rejects.toThrow(
      new RegExp(
        `s3://${LAKE}/lakeq/${location}/run=r1-b0/batch=0/dt=2026-11-27/hour=11/bad is not a Parquet file`,
      ),
    );
    s3.put(LAKE, `${partitionKey(prefix, '2026-11-27', '11')}bad`, '');
    await expect(context().outputStats?.(prefix)).rejects.toThrow(
      /hour=11\/bad is not a Parquet file: it is 0 bytes/,
    );
    await expect(context().outputStats?.(prefix.slice(0, -1))).rejects.toThrow(
      /must be a folder ending in "\/"/,
    );
  });

  it('recordBatch fills rows, bytes and the transform, and counts changes against the previous load', async () => {
    const ctx = context();
    const runId = 'r2';
    const hours = ['10', '11', '12', '13', '14'];
    const plan: StoredPlan = {
      runId,
      executionName: 'backfill-r2',
      from: '2026-11-27T10:00:00.000Z',
      to: '2026-11-27T15:00:00.000Z',
      createdAt: '2026-11-27T14:05:00.000Z',
      batches: [
        {
          index: 0,
          table: 'cloudtrail_events',
          from: '2026-11-27T10:00:00.000Z',
          to: '2026-11-27T15:00:00.000Z',
          partitions: hours.map((hour) => ({
            dt: '2026-11-27',
            hour,
            start: `2026-11-27T${hour}:00:00.000Z`,
            reason: 'changed' as const,
            fingerprint: `f2-${hour}`,
            files: [],
          })),
        },
      ],
      unchanged: 0,
      skipped: [],
    };
    await savePlan(ctx.store, plan);
    const prefix = `s3://${LAKE}/lakeq/${location}/run=${runId}-b0/batch=0/`;
    await saveSwitch(ctx.store, runId, 0, { outputPrefix: prefix, cleanup: [] });
    const same = await parquetOf(4);
    s3.put(LAKE, `${partitionKey(prefix, '2026-11-27', '10')}p`, same);
    s3.put(LAKE, `${partitionKey(prefix, '2026-11-27', '11')}p`, await parquetOf(4));
    s3.put(LAKE, `${partitionKey(prefix, '2026-11-27', '13')}p`, await parquetOf(4));
    await appendLedger(ctx.store, [
      // 10: the same rows and bytes as now; 11: loaded before counts were read (unknown);
      // 12: empty now, never loaded; 13: the same rows, other bytes; 14: had rows, empty now.
      { ...row('r1', '10'), rows: 4, bytes: same.length },
      { ...row('r1', '11'), rows: 0, bytes: 0, queryId: '', queryVersion: '' },
      { ...row('r1', '13'), rows: 4, bytes: same.length + 1 },
      { ...row('r1', '14'), rows: 6, bytes: 900 },
    ]);
    const expected = {
      runId,
      index: 0,
      table: 'cloudtrail_events',
      partitions: 5,
      loaded: 5,
      rows: 12,
      bytes: same.length * 3,
      changedPartitions: 3,
      queryExecutionId: 'q-9',
    };
    expect(await recordBatch({ runId, index: 0, queryExecutionId: 'q-9' }, ctx)).toEqual(expected);
    const mine = (await readLedger(ctx.store)).rows.filter((r) => r.runId === runId);
    expect(mine.map((r) => [r.hour, r.rows, r.bytes, r.queryId])).toEqual([
      ['10', 4, same.length, 'transforms/cloudtrail-events-hour'],
      ['11', 4, same.length, 'transforms/cloudtrail-events-hour'],
      ['12', 0, 0, 'transforms/cloudtrail-events-hour'],
      ['13', 4, same.length, 'transforms/cloudtrail-events-hour'],
      ['14', 0, 0, 'transforms/cloudtrail-events-hour'],
    ]);
    // Retried: the rows are there, not written again, and the changes are counted the same.
    expect(await recordBatch({ runId, index: 0, queryExecutionId: 'q-9' }, ctx)).toEqual(expected);
    expect((await readLedger(ctx.store)).rows.filter((r) => r.runId === runId)).toHaveLength(5);
    expect(calls('GetObject').filter((c) => (c.input as { Range?: string }).Range)).toHaveLength(6);

    // Loaded again with the same output: nothing changed, not even the hours unknown before.
    const again = { ...plan, runId: 'r3' };
    await savePlan(ctx.store, again);
    const prefix3 = `s3://${LAKE}/lakeq/${location}/run=r3-b0/batch=0/`;
    await saveSwitch(ctx.store, 'r3', 0, { outputPrefix: prefix3, cleanup: [] });
    for (const hour of ['10', '11', '13'])
      s3.put(LAKE, `${partitionKey(prefix3, '2026-11-27', hour)}p`, same);
    expect((await recordBatch({ runId: 'r3', index: 0 }, ctx)).changedPartitions).toBe(0);
  });

  it('recordBatch refuses a batch whose output prefix was never saved', async () => {
    const ctx = context();
    await savePlan(ctx.store, {
      runId: 'r4',
      executionName: 'x',
      from: '2026-11-27T10:00:00.000Z',
      to: '2026-11-27T11:00:00.000Z',
      createdAt: '2026-11-27T14:05:00.000Z',
      batches: [
        {
          index: 0,
          table: 'cloudtrail_events',
          from: '2026-11-27T10:00:00.000Z',
          to: '2026-11-27T11:00:00.000Z',
          partitions: [
            {
              dt: '2026-11-27',
              hour: '10',
              start: '2026-11-27T10:00:00.000Z',
              reason: 'new',
              fingerprint: 'f',
              files: [],
            },
          ],
        },
      ],
      unchanged: 0,
      skipped: [],
    });
    await expect(recordBatch({ runId: 'r4', index: 0 }, ctx)).rejects.toThrow(
      /batch 0 of run r4 has no stored output prefix/,
    );
    expect((await readLedger(ctx.store)).rows).toEqual([]);
  });
});

/** The same trail files locally and in the fake trail bucket: name → [size, delivery-day folder, account path]. */
const TRAIL_FILES = [
  [
    'o-abcdefghij/111122223333/CloudTrail/eu-west-1/2026/11/27',
    '111122223333_CloudTrail_eu-west-1_20261127T1320Z_a.json.gz',
    40,
  ],
  [
    'o-abcdefghij/111122223333/CloudTrail/eu-west-1/2026/11/27',
    '111122223333_CloudTrail_eu-west-1_20261127T1325Z_b.json.gz',
    41,
  ],
  [
    'o-abcdefghij/111122223333/CloudTrail/eu-west-1/2026/11/27',
    '111122223333_CloudTrail_eu-west-1_20261127T1105Z_c.json.gz',
    42,
  ],
  ['o-abcdefghij/111122223333/CloudTrail/eu-west-1/2026/11/27', 'notes.txt', 7],
  [
    'o-abcdefghij/444455556666/CloudTrail/us-east-1/2026/11/27',
    '444455556666_CloudTrail_us-east-1_20261127T1410Z_d.json.gz',
    43,
  ],
  [
    'o-abcdefghij/444455556666/CloudTrail/us-east-1/2026/11/28',
    '444455556666_CloudTrail_us-east-1_20261128T0010Z_e.json.gz',
    44,
  ],
  [
    'o-abcdefghij/444455556666/CloudTrail/us-east-1/2026/11/26',
    '444455556666_CloudTrail_us-east-1_20261126T2350Z_f.json.gz',
    45,
  ],
  [
    'o-abcdefghij/444455556666/CloudTrail-Digest/us-east-1/2026/11/27',
    '444455556666_CloudTrail-Digest_us-east-1_20261127T1320Z_g.json.gz',
    46,
  ],
] as const;

describe('CloudTrail listing on S3', () => {
  it('finds the same files in an S3 trail as in the same layout on disk, with Size and LastModified', async () => {
    const modified = new Date('2026-11-27T15:00:00Z');
    for (const [folder, name, size] of TRAIL_FILES) {
      s3.put(TRAIL, `trail/AWSLogs/${folder}/${name}`, 'x'.repeat(size), modified);
      await mkdir(path.join(dir, 'AWSLogs', folder), { recursive: true });
      await writeFile(path.join(dir, 'AWSLogs', folder, name), 'x'.repeat(size));
      await utimes(path.join(dir, 'AWSLogs', folder, name), modified, modified);
    }
    const from = new Date('2026-11-27T13:00:00Z');
    const to = new Date('2026-11-27T14:00:00Z');
    const lister = s3CloudTrailLister({ client, maxKeys: 2 });
    const onS3 = await filesForWindow(`s3://${TRAIL}/trail/`, from, to, 3, lister);
    const local = await filesForWindow(dir, from, to, 3);
    expect(onS3.map((f) => f.path)).toEqual([
      `s3://${TRAIL}/trail/AWSLogs/o-abcdefghij/111122223333/CloudTrail/eu-west-1/2026/11/27/111122223333_CloudTrail_eu-west-1_20261127T1320Z_a.json.gz`,
      `s3://${TRAIL}/trail/AWSLogs/o-abcdefghij/111122223333/CloudTrail/eu-west-1/2026/11/27/111122223333_CloudTrail_eu-west-1_20261127T1325Z_b.json.gz`,
      `s3://${TRAIL}/trail/AWSLogs/o-abcdefghij/444455556666/CloudTrail/us-east-1/2026/11/27/444455556666_CloudTrail_us-east-1_20261127T1410Z_d.json.gz`,
    ]);
    const relative = (files: typeof onS3, root: string) =>
      files.map((f) => ({ ...f, path: f.path.slice(root.length).split(path.sep).join('/') }));
    expect(relative(onS3, `s3://${TRAIL}/trail`)).toEqual(relative(local, dir));
    expect(onS3.map((f) => [f.size, f.mtimeMs])).toEqual([
      [40, modified.getTime()],
      [41, modified.getTime()],
      [43, modified.getTime()],
    ]);
    // Pages of 2 for folders with more: every listing is by folder, with the "/" delimiter.
    const lists = calls('ListObjectsV2').map(
      (c) => c.input as { Prefix: string; Delimiter?: string; ContinuationToken?: string },
    );
    expect(lists.every((l) => l.Delimiter === '/' && l.Prefix.startsWith('trail/AWSLogs/'))).toBe(true);
    expect(lists.some((l) => l.ContinuationToken !== undefined)).toBe(true);
    // Only the window's day folders (and the day before for the hour before) are listed.
    expect(
      lists.filter((l) => /\/\d{4}\/\d{2}\/\d{2}\/$/.test(l.Prefix)).map((l) => l.Prefix.slice(-11)),
    ).not.toContain('2026/11/28/');
  });
});

describe('the Lambda handler on AWS (LAKEQ_DATA_BUCKET set)', () => {
  const ENV = {
    LAKEQ_DATA_BUCKET: LAKE,
    LAKEQ_DATA_PREFIX: 'lakeq',
    LAKEQ_GLUE_DATABASE: 'lakeq',
    LAKEQ_ATHENA_WORKGROUP: 'lakeq',
    LAKEQ_CLOUDTRAIL_ROOT: `s3://${TRAIL}`,
    LAKEQ_AWS_ACCOUNT_ID: ACCOUNT,
  };
  beforeEach(() => {
    Object.assign(process.env, ENV, { LAKEQ_DATA_DIR: dir });
  });
  afterEach(() => {
    for (const name of [...Object.keys(ENV), 'LAKEQ_DATA_DIR']) delete process.env[name];
  });

  it('plans from the S3 trail, prepares and records batches with the state in S3, and cleans up', async () => {
    const day = `AWSLogs/${ACCOUNT}/CloudTrail/eu-west-1/2020/03/01`;
    const delivered = `${day}/${ACCOUNT}_CloudTrail_eu-west-1_20200301T1320Z_a.json.gz`;
    s3.put(TRAIL, delivered, 'x'.repeat(120), new Date('2020-03-01T13:21:00Z'));
    s3.put(TRAIL, `${day}/${ACCOUNT}_CloudTrail_eu-west-1_20200301T0920Z_z.json.gz`, 'x'.repeat(99));
    const churn = tableByName('identity_center_instance_churn_hourly');
    const oldLocation = `s3://${LAKE}/lakeq/${churn?.location}/run=old-b0/batch=0/dt=2020-03-01/hour=13/`;
    s3.put(LAKE, `${oldLocation.slice(`s3://${LAKE}/`.length)}part-0.parquet`, 'old');
    serveGluePartitions(
      {
        identity_center_instance_churn_hourly: [
          { Values: ['2020-03-01', '13'], StorageDescriptor: { Location: oldLocation } },
        ],
      },
      1,
    );
    serveIngestions(
      [
        {
          Arn: 'arn:x',
          IngestionId: 'old',
          IngestionStatus: 'COMPLETED',
          CreatedTime: new Date('2020-02-01T00:00:00Z'),
        },
      ],
      1,
    );

    const plan = (await handler({
      action: 'planWindow',
      input: { time: '2020-03-01T14:05:00Z', lookbackHours: 0 },
      executionName: 'hourly-2020-03-01T13',
    })) as PlannedRun;
    expect(plan).toMatchObject({
      from: '2020-03-01T13:00:00.000Z',
      to: '2020-03-01T14:00:00.000Z',
      partitions: 2,
    });
    expect(plan.stages.map((s) => s.table)).toEqual([
      'cloudtrail_events',
      'identity_center_instance_churn_hourly',
    ]);
    const stored = JSON.parse(
      s3.buckets.get(LAKE)?.get(`lakeq/orchestration/batches/${plan.runId}/0.batch.json`)?.body ?? '{}',
    ) as { batch: StoredBatch };
    expect(stored.batch.partitions[0]?.files).toEqual([
      {
        path: `s3://${TRAIL}/${delivered}`,
        size: 120,
        mtimeMs: Date.parse('2020-03-01T13:21:00Z'),
        deliveredAt: '2020-03-01T13:20:00.000Z',
      },
    ]);

    const records: BatchRecord[] = [];
    for (const stage of plan.stages) {
      const ref = stage.batches[0];
      if (!ref) throw new Error('no batch');
      const table = tableByName(stage.table);
      const outputPrefix = `s3://${LAKE}/lakeq/${table?.location}/run=${plan.runId}-b${ref.index}/batch=0/`;
      // A failed earlier attempt left a file: UNLOAD would refuse the prefix.
      s3.put(LAKE, `${outputPrefix.slice(`s3://${LAKE}/`.length)}stale.parquet`, 'stale');
      const inputs = (await handler({
        action: 'batchInputs',
        runId: plan.runId,
        index: ref.index,
      })) as BatchInputs;
      expect(inputs.outputPrefix).toBe(outputPrefix);
      expect(s3.keys(LAKE, outputPrefix.slice(`s3://${LAKE}/`.length))).toEqual([]);
      expect(inputs.cleanup).toEqual(
        stage.table === 'identity_center_instance_churn_hourly' ? [oldLocation] : [],
      );
      // The switch is done (by the state machine); the old prefix is still there until recordBatch.
      expect(s3.keys(LAKE, oldLocation.slice(`s3://${LAKE}/`.length))).toHaveLength(1);
      // What the UNLOAD wrote (files named as Athena names them, without an extension): the
      // events hour in two files, the churn hour in one.
      const written = stage.table === 'cloudtrail_events' ? [5, 7] : [3];
      for (const [i, n] of written.entries()) {
        s3.put(
          LAKE,
          `${partitionKey(outputPrefix, '2020-03-01', '13')}20200301_140600_0000${i}_abcde_${i}`,
          await parquetOf(n),
        );
      }
      records.push(
        (await handler({
          action: 'recordBatch',
          runId: plan.runId,
          index: ref.index,
          queryExecutionId: `q-${ref.index}`,
        })) as BatchRecord,
      );
    }
    // Rows from the Parquet footers, bytes from the listing: new hours with rows, so changed.
    const sizes = (table: string) =>
      s3
        .keys(LAKE, `lakeq/${tableByName(table)?.location}/run=${plan.runId}-b`)
        .reduce((n, k) => n + (s3.buckets.get(LAKE)?.get(k)?.bytes.length ?? 0), 0);
    expect(records.map((r) => [r.table, r.loaded, r.rows, r.bytes, r.changedPartitions])).toEqual([
      ['cloudtrail_events', 1, 12, sizes('cloudtrail_events'), 1],
      ['identity_center_instance_churn_hourly', 1, 3, sizes('identity_center_instance_churn_hourly'), 1],
    ]);
    expect(sizes('cloudtrail_events')).toBeGreaterThan(0);
    expect(s3.keys(LAKE, oldLocation.slice(`s3://${LAKE}/`.length))).toEqual([]);
    const ledgerKeys = s3.keys(LAKE, 'lakeq/ledger/');
    expect(ledgerKeys).toHaveLength(2);
    const ledger = (await readLedger(s3ObjectStore({ root: `s3://${LAKE}/lakeq/`, client }))).rows;
    expect(
      ledger.map((r) => [
        r.table,
        r.dt,
        r.hour,
        r.rows,
        r.bytes,
        r.queryId,
        r.queryVersion,
        r.engineQueryIds,
      ]),
    ).toEqual([
      [
        'cloudtrail_events',
        '2020-03-01',
        '13',
        12,
        sizes('cloudtrail_events'),
        'transforms/cloudtrail-events-hour',
        (await loadQuery('transforms/cloudtrail-events-hour')).version,
        ['q-0'],
      ],
      [
        'identity_center_instance_churn_hourly',
        '2020-03-01',
        '13',
        3,
        sizes('identity_center_instance_churn_hourly'),
        'transforms/identity-center-instance-churn-hour',
        (await loadQuery('transforms/identity-center-instance-churn-hour')).version,
        ['q-1'],
      ],
    ]);
    expect(ledger.every((r) => /^\d+\.\d+\.\d+$/.test(r.queryVersion))).toBe(true);
    // Only the footers travel: two suffix ranges a file, the trailer then footer and trailer.
    const parquetKeys = s3.keys(LAKE, 'lakeq/').filter((k) => k.includes(`run=${plan.runId}-b`));
    expect(parquetKeys).toHaveLength(3);
    const ranged = calls('GetObject')
      .map((c) => c.input as { Key: string; Range?: string })
      .filter((c) => c.Range !== undefined);
    expect(ranged.map((c) => `${c.Key} ${c.Range}`).sort()).toEqual(
      parquetKeys
        .flatMap((k) => {
          const bytes = s3.buckets.get(LAKE)?.get(k)?.bytes ?? new Uint8Array();
          const footer = Buffer.from(bytes).readUInt32LE(bytes.length - 8);
          return [`${k} bytes=-8`, `${k} bytes=-${footer + 8}`];
        })
        .sort(),
    );

    const datasets = (await handler({
      action: 'datasetsToRefresh',
      runId: plan.runId,
      executionName: 'hourly-2020-03-01T13',
      loads: records.map((r) => [r]),
    })) as { refresh: { datasetId: string }[] };
    // The loads changed both tables and wrote the ledger: the churn dataset and the ledger's.
    expect(datasets.refresh.map((r) => r.datasetId)).toEqual([DATASET, PIPELINE]);
    expect(
      quicksight
        .commandCalls(ListIngestionsCommand)
        .map((c) => [c.args[0].input.AwsAccountId, c.args[0].input.DataSetId]),
    ).toEqual([
      [ACCOUNT, DATASET],
      [ACCOUNT, PIPELINE],
    ]);
    expect(
      Object.keys(
        JSON.parse(s3.buckets.get(LAKE)?.get('lakeq/orchestration/pending-refreshes.json')?.body ?? '{}'),
      ),
    ).toEqual([DATASET, PIPELINE]);

    // Planned again, the hour's inputs are unchanged: the ledger in S3 says it is loaded.
    const again = (await handler({
      action: 'planWindow',
      input: { time: '2020-03-01T14:05:00Z', lookbackHours: 0 },
      executionName: 'hourly-2020-03-01T13-2',
    })) as PlannedRun;
    expect(again).toMatchObject({ partitions: 0, unchanged: 2 });
    // Nothing went to the local folder.
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses to start without an s3:// CloudTrail root or a 12-digit account', async () => {
    process.env.LAKEQ_CLOUDTRAIL_ROOT = 'trail-folder';
    await expect(handler({ action: 'planWindow', input: {}, executionName: 'x' })).rejects.toThrow(
      /LAKEQ_CLOUDTRAIL_ROOT/,
    );
    process.env.LAKEQ_CLOUDTRAIL_ROOT = `s3://${TRAIL}`;
    delete process.env.LAKEQ_AWS_ACCOUNT_ID;
    await expect(handler({ action: 'planWindow', input: {}, executionName: 'x' })).rejects.toThrow(
      /account id/,
    );
  });
});
