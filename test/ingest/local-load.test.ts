import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLocalEngine } from '../../src/catalog/duckdb/local-engine.ts';
import { readLedger } from '../../src/ingest/ledger.ts';
import { runLoad } from '../../src/ingest/run-load.ts';
import { type CloudTrailRecord, writeRecordsInS3Layout } from '../support/cloudtrail-fixtures.ts';
import { ADMIN_ROLE_ARN, ssoCall } from '../support/identity-center-records.ts';
import { contentDigests } from '../support/partition-contents.ts';

const NOW = new Date('2026-11-20T00:00:00Z');
let root: string;
let trail: string;
let dataDir: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-load-'));
  trail = path.join(root, 'trail');
  dataDir = path.join(root, 'data');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const event = (
  time: string,
  name = 'GetObject',
  extra: Partial<CloudTrailRecord> = {},
): CloudTrailRecord => ({
  ...ssoCall({ time, eventName: 'CreateInstance', account: '111122223333', actorArn: ADMIN_ROLE_ARN }),
  eventSource: 's3.amazonaws.com',
  eventName: name,
  ...extra,
});

/** `2026-11-02T10` → the start of that UTC hour. */
const hour = (key: string) => new Date(`${key}:00:00Z`);
const load = (from: string, to: string, extra: Partial<Parameters<typeof runLoad>[0]> = {}) =>
  runLoad({ dataDir, roots: { cloudtrail: trail }, from: hour(from), to: hour(to), now: NOW, ...extra });

/** Every partition file of the data folder with a digest of its rows, keyed by its path in the table. */
const partitionChecksums = () => contentDigests(path.join(dataDir, 'curated'));

async function query(text: string): Promise<Record<string, unknown>[]> {
  const engine = await openLocalEngine({ sources: { cloudtrail: trail }, dataDir });
  try {
    return (await engine.execute(CompiledQuery.raw(text))).rows as Record<string, unknown>[];
  } finally {
    await engine.close();
  }
}

describe('loading hour partitions', () => {
  it('places events by their own time: one second either side of each hour edge', async () => {
    const times = [
      '2026-11-02T09:59:59Z',
      '2026-11-02T10:00:00Z',
      '2026-11-02T10:59:59Z',
      '2026-11-02T11:00:00Z',
    ];
    await writeRecordsInS3Layout(
      trail,
      times.map((t) => event(t)),
    );
    await load('2026-11-02T00', '2026-11-03T00');
    const rows = await query('select dt, hour, eventTime as t from cloudtrail_events order by t');
    expect(rows).toEqual([
      { dt: '2026-11-02', hour: '09', t: '2026-11-02T09:59:59.000Z' },
      { dt: '2026-11-02', hour: '10', t: '2026-11-02T10:00:00.000Z' },
      { dt: '2026-11-02', hour: '10', t: '2026-11-02T10:59:59.000Z' },
      { dt: '2026-11-02', hour: '11', t: '2026-11-02T11:00:00.000Z' },
    ]);
    // Midnight: the last second of a day and the first of the next go to different days.
    await writeRecordsInS3Layout(trail, [event('2026-11-02T23:59:59Z'), event('2026-11-03T00:00:00Z')], {
      tag: 'm',
    });
    await load('2026-11-02T00', '2026-11-04T00');
    const edge = await query(
      "select dt, hour, eventTime as t from cloudtrail_events where eventTime >= TIMESTAMP '2026-11-02 23:00:00' order by t",
    );
    expect(edge).toEqual([
      { dt: '2026-11-02', hour: '23', t: '2026-11-02T23:59:59.000Z' },
      { dt: '2026-11-03', hour: '00', t: '2026-11-03T00:00:00.000Z' },
    ]);
  });

  it('a re-run changes nothing; an overlapping backfill gives identical partitions and no duplicate events', async () => {
    const records: CloudTrailRecord[] = [];
    for (let h = 0; h < 30; h++) {
      for (let i = 0; i < 7; i++) {
        records.push(event(new Date(Date.UTC(2026, 10, 2, h, i * 7, i)).toISOString().replace('.000', '')));
      }
    }
    // CloudTrail may deliver an event twice: the same record in two files.
    const dup = records[5]!;
    await writeRecordsInS3Layout(trail, records, { perFile: 4 });
    await writeRecordsInS3Layout(trail, [dup], { tag: 'dup' });
    const first = await load('2026-11-02T00', '2026-11-03T00');
    expect(first.summary?.failed).toBe(0);
    const before = await partitionChecksums();
    // 24 hours of events; no Identity Center calls, so the churn table has no rows and no files.
    expect(before.size).toBe(24);

    const again = await load('2026-11-02T00', '2026-11-03T00');
    expect(again.summary).toMatchObject({ loaded: 0, failed: 0 });
    expect(again.plan.unchanged.length).toBeGreaterThan(0);

    // Forced and overlapping: every partition rewritten, byte for byte the same.
    const backfill = await load('2026-11-01T12', '2026-11-03T06', {
      force: true,
      concurrency: 2,
      batchHours: 5,
    });
    expect(backfill.summary?.failed).toBe(0);
    const after = await partitionChecksums();
    for (const [file, sum] of before) expect(after.get(file), file).toBe(sum);

    const [counts] = await query(
      "select count(*) as n, count(distinct eventID) as ids from cloudtrail_events where dt = '2026-11-02'",
    );
    expect(counts).toEqual({ n: 24 * 7, ids: 24 * 7 });
  });

  it('picks up a late file for an earlier hour with the next hourly run’s lookback', async () => {
    await writeRecordsInS3Layout(trail, [event('2026-11-02T10:10:00Z')]);
    await load('2026-11-02T10', '2026-11-02T11');
    expect(await query("select count(*) as n from cloudtrail_events where hour = '10'")).toEqual([{ n: 1 }]);
    // An event of 10:20 delivered at 12:35, after the 10:00 hour was loaded.
    await writeRecordsInS3Layout(trail, [event('2026-11-02T10:20:00Z', 'PutObject')], {
      deliveryDelayMinutes: 155,
      tag: 'late',
    });
    // The hourly run for 12:00 with a lookback of 2 loads 10:00, 11:00 and 12:00.
    const hourly = await load('2026-11-02T10', '2026-11-02T13');
    const reloaded = hourly.plan.batches.flatMap((b) =>
      b.partitions.map((p) => `${b.table.name} ${p.hour} ${p.reason}`),
    );
    expect(reloaded).toContain('cloudtrail_events 10 changed');
    expect(await query("select eventName as e from cloudtrail_events where hour = '10' order by e")).toEqual([
      { e: 'GetObject' },
      { e: 'PutObject' },
    ]);
  });

  it('quarantines bad files, loads the partition from the good ones, and picks up a fixed file', async () => {
    const [good] = await writeRecordsInS3Layout(trail, [event('2026-11-02T10:10:00Z')]);
    const day = path.dirname(good!);
    const name = (tag: string) =>
      path.join(day, `111122223333_CloudTrail_us-east-1_20261102T1015Z_${tag}.json.gz`);
    const valid = gzipSync(JSON.stringify({ Records: [event('2026-11-02T10:12:00Z', 'PutObject')] }));
    await writeFile(name('truncated0000000'), valid.subarray(0, valid.length - 12));
    await writeFile(
      name('invalidjson00000'),
      gzipSync('{"Records":[{"eventTime": "2026-11-02T10:13:00Z",]}'),
    );
    await writeFile(
      name('notcloudtrail000'),
      gzipSync('{"version":"0","detail-type":"AWS API Call via CloudTrail"}'),
    );
    await writeFile(name('empty00000000000'), '');
    const { summary } = await load('2026-11-02T10', '2026-11-02T11');
    expect(summary?.failed).toBe(0);
    expect(summary?.quarantined.map((q) => path.basename(q.path).split('_')[4]).sort()).toEqual([
      'empty00000000000.json.gz',
      'invalidjson00000.json.gz',
      'notcloudtrail000.json.gz',
      'truncated0000000.json.gz',
    ]);
    for (const q of summary?.quarantined ?? []) expect(q.reason.length).toBeGreaterThan(5);
    expect(await query("select eventName as e from cloudtrail_events where hour = '10'")).toEqual([
      { e: 'GetObject' },
    ]);
    const { rows: ledger } = await readLedger(dataDir);
    const row = ledger.find((r) => r.table === 'cloudtrail_events' && r.hour === '10');
    expect(row?.quarantined).toHaveLength(4);
    expect(row).toMatchObject({ status: 'loaded', rows: 1, queryId: 'transforms/cloudtrail-events-hour' });

    // The truncated file is replaced by a whole one: the next run sees the change and loads it.
    await writeFile(name('truncated0000000'), valid);
    const rerun = await load('2026-11-02T10', '2026-11-02T11');
    expect(rerun.summary?.quarantined).toHaveLength(3);
    expect(await query("select eventName as e from cloudtrail_events where hour = '10' order by e")).toEqual([
      { e: 'GetObject' },
      { e: 'PutObject' },
    ]);
  });

  it('never loads the unfinished current hour, and records every partition in the ledger', async () => {
    await writeRecordsInS3Layout(trail, [event('2026-11-19T22:30:00Z'), event('2026-11-19T23:30:00Z')]);
    const now = new Date('2026-11-19T23:40:00Z');
    const { summary } = await load('2026-11-19T22', '2026-11-20T00', { now });
    expect(await query('select hour from cloudtrail_events')).toEqual([{ hour: '22' }]);
    const { rows } = await readLedger(dataDir);
    expect(rows.filter((r) => r.runId === summary?.runId).every((r) => r.hour !== '23')).toBe(true);
    expect(rows.find((r) => r.table === 'cloudtrail_events' && r.hour === '22')).toMatchObject({
      status: 'loaded',
      rows: 1,
      // its own file, and the 23:35 delivery, which may hold events of the hours before
      sourceFiles: 2,
      engine: 'duckdb',
      queryVersion: '1.0.0',
    });
  });

  it('dry-run plans without writing; batches never span more hours than allowed', async () => {
    const records = Array.from({ length: 50 }, (_, h) =>
      event(new Date(Date.UTC(2026, 10, 1, h, 5)).toISOString().replace('.000', '')),
    );
    await writeRecordsInS3Layout(trail, records);
    const { plan, summary } = await load('2026-11-01T00', '2026-11-03T02', { dryRun: true, batchHours: 10 });
    expect(summary).toBeUndefined();
    for (const b of plan.batches) {
      expect(b.to.getTime() - b.from.getTime()).toBeLessThanOrEqual(10 * 3_600_000);
      for (const p of b.partitions) expect(p.start >= b.from && p.start < b.to).toBe(true);
    }
    expect(
      plan.batches.filter((b) => b.table.name === 'cloudtrail_events').flatMap((b) => b.partitions),
    ).toHaveLength(50);
    expect(await readFile(path.join(dataDir, 'ledger', 'runs.ndjson'), 'utf8').catch(() => 'none')).toBe(
      'none',
    );
    // By default a source table's batches are days, a table that reads another table's up to 100 hours.
    const spans = (p: typeof plan, table: string) =>
      p.batches
        .filter((b) => b.table.name === table)
        .map((b) => (b.to.getTime() - b.from.getTime()) / 3_600_000);
    const byDefault = (await load('2026-11-01T00', '2026-11-03T02', { dryRun: true })).plan;
    expect(spans(byDefault, 'cloudtrail_events')).toEqual([24, 24, 2]);
    expect(spans(byDefault, 'identity_center_instance_churn_hourly')).toEqual([50]);
    expect(spans(plan, 'identity_center_instance_churn_hourly').every((h) => h <= 10)).toBe(true);
  });
});

describe('staging files', () => {
  it('cleaning removes what killed runs left, never the files of the run that is writing', async () => {
    const { cleanStaging } = await import('../../src/ingest/local-partition-writer.ts');
    const { cloudtrailEvents } = await import('../../src/sources/cloudtrail/tables/cloudtrail-events.ts');
    const { mkdir } = await import('node:fs/promises');
    const part = path.join(dataDir, 'curated', 'cloudtrail_events', 'dt=2026-11-02', 'hour=10');
    await mkdir(part, { recursive: true });
    await writeFile(path.join(part, '.staging-killed-run.tmp'), 'x');
    await writeFile(path.join(part, '.staging-this-run.tmp'), 'y');
    await writeFile(path.join(part, 'part-0.parquet'), 'z');
    expect(await cleanStaging(dataDir, cloudtrailEvents, 'this-run')).toBe(1);
    expect((await readdir(part)).sort()).toEqual(['.staging-this-run.tmp', 'part-0.parquet']);
  });
});
