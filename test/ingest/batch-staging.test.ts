import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { partitionFiles, tableDir } from '../../src/catalog/duckdb/curated-views.ts';
import { openLocalEngine } from '../../src/catalog/duckdb/local-engine.ts';
import { tableByName } from '../../src/catalog/tables/index.ts';
import { createDuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.ts';
import { readLedger } from '../../src/ingest/ledger.ts';
import { LoadEngines } from '../../src/ingest/load-engines.ts';
import { cleanStaging, stageBatch, stagingFolder } from '../../src/ingest/local-partition-writer.ts';
import { runLoad } from '../../src/ingest/run-load.ts';
import { writeRecordsInS3Layout } from '../support/cloudtrail-fixtures.ts';
import { ADMIN_ROLE_ARN, ssoCall } from '../support/identity-center-records.ts';
import { contentDigests } from '../support/partition-contents.ts';

const NOW = new Date('2026-11-20T00:00:00Z');
const churn = tableByName('identity_center_instance_churn_hourly');
if (!churn) throw new Error('no churn table');
let root: string;
let dataDir: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-staging-'));
  dataDir = path.join(root, 'data');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Rows of the churn table for `hours` of 2026-11-02 (n rows an hour), in the order given. */
function churnRows(hours: readonly string[], n: number, order: 'asc' | 'desc'): string {
  const columns = churn?.columns.map((c) => c.name) ?? [];
  const values = (h: string, i: number) => columns.map((c) => `'${c}-${h}-${i}'`);
  const rows = hours.flatMap((h) =>
    Array.from({ length: n }, (_, i) => `(${[...values(h, i), `'2026-11-02'`, `'${h}'`].join(', ')})`),
  );
  if (order === 'desc') rows.reverse();
  return `SELECT * FROM (VALUES ${rows.join(', ')}) t(${[...columns.map((c) => `"${c}"`), 'dt', 'hour'].join(', ')})`;
}

const hourPartition = (hour: string) => ({ dt: '2026-11-02', hour });

describe('a batch staged with one partitioned COPY, then switched a partition at a time', () => {
  it('checksums the rows, not their order; nothing is visible before the switch; a rerun is the same', async () => {
    const table = churn as NonNullable<typeof churn>;
    const engine = await createDuckDbEngine({});
    try {
      const partitions = ['10', '11', '12'].map(hourPartition);
      const first = await stageBatch(
        engine,
        dataDir,
        table,
        churnRows(['10', '11'], 50, 'asc'),
        partitions,
        'run1',
      );
      // Staged, not switched: readers (dt=*/hour=* under the table) see nothing yet.
      expect(await partitionFiles(dataDir, table)).toEqual([]);
      const staging = stagingFolder(dataDir, table, 'run1', partitions[0] as { dt: string; hour: string });
      expect((await readdir(staging, { recursive: true })).some((f) => f.endsWith('.parquet'))).toBe(true);
      expect(first.contents.get('2026-11-02/10')?.rows).toBe(50);
      expect(first.contents.has('2026-11-02/12')).toBe(false);
      const written = await first.commit(partitions);
      expect([...written.keys()]).toEqual(['2026-11-02/10', '2026-11-02/11', '2026-11-02/12']);
      expect(written.get('2026-11-02/12')).toEqual({ rows: 0, bytes: 0 });
      expect(
        (await partitionFiles(dataDir, table)).map((f) => path.relative(tableDir(dataDir, table), f)),
      ).toEqual([
        path.join('dt=2026-11-02', 'hour=10', 'part-0.parquet'),
        path.join('dt=2026-11-02', 'hour=11', 'part-0.parquet'),
      ]);
      // The staging folder is gone once switched.
      await expect(readdir(staging)).rejects.toThrow();
      const before = await contentDigests(path.join(dataDir, 'curated'));

      // The same rows in the opposite order: the same checksum, and the same rows in the files.
      const again = await stageBatch(
        engine,
        dataDir,
        table,
        churnRows(['10', '11'], 50, 'desc'),
        partitions,
        'run2',
      );
      expect(again.contents.get('2026-11-02/10')?.checksum).toBe(
        first.contents.get('2026-11-02/10')?.checksum,
      );
      expect(again.contents.get('2026-11-02/11')?.checksum).toBe(
        first.contents.get('2026-11-02/11')?.checksum,
      );
      await again.commit(partitions);
      expect(await contentDigests(path.join(dataDir, 'curated'))).toEqual(before);

      // Other rows: another checksum. A run killed after staging leaves the old partitions whole,
      // and the next run's cleaning removes its staging folder.
      const killed = await stageBatch(
        engine,
        dataDir,
        table,
        churnRows(['10'], 49, 'asc'),
        partitions,
        'run3',
      );
      expect(killed.contents.get('2026-11-02/10')?.checksum).not.toBe(
        first.contents.get('2026-11-02/10')?.checksum,
      );
      expect(await contentDigests(path.join(dataDir, 'curated'))).toEqual(before);
      expect(await cleanStaging(dataDir, table, 'run3')).toBe(0);
      expect(await cleanStaging(dataDir, table, 'run4')).toBe(1);
      await expect(readdir(stagingFolder(dataDir, table, 'run3', hourPartition('10')))).rejects.toThrow();
      expect(await contentDigests(path.join(dataDir, 'curated'))).toEqual(before);

      // A partition left out of the switch (the shrink guard) keeps its file.
      const partial = await stageBatch(
        engine,
        dataDir,
        table,
        churnRows(['10', '11'], 7, 'asc'),
        partitions,
        'run5',
      );
      await partial.commit([hourPartition('11')]);
      const after = await contentDigests(path.join(dataDir, 'curated'));
      const ten = path.join(
        'identity_center_instance_churn_hourly',
        'dt=2026-11-02',
        'hour=10',
        'part-0.parquet',
      );
      const eleven = path.join(
        'identity_center_instance_churn_hourly',
        'dt=2026-11-02',
        'hour=11',
        'part-0.parquet',
      );
      expect(after.get(ten)).toBe(before.get(ten));
      expect(after.get(eleven)?.startsWith('7:')).toBe(true);
    } finally {
      await engine.close();
    }
  });
});

describe('records read as JSON and converted with json_transform', () => {
  it('loads the good records of a file, keeps odd fields as NULL, and counts records that are not objects', async () => {
    const trail = path.join(root, 'trail');
    const day = path.join(trail, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2026', '11', '02');
    await mkdir(day, { recursive: true });
    const good = (id: string) => ({
      ...ssoCall({
        time: '2026-11-02T10:30:00Z',
        eventName: 'CreateInstance',
        account: '111122223333',
        actorArn: ADMIN_ROLE_ARN,
      }),
      eventID: id,
    });
    // A string where an object belongs (userIdentity), a number and a string as records.
    const odd = { ...good('odd-shape'), userIdentity: 'not an object' };
    await writeFile(
      path.join(day, '111122223333_CloudTrail_us-east-1_20261102T1105Z_mixed.json.gz'),
      gzipSync(JSON.stringify({ Records: [good('ok-1'), 42, 'a string', odd, good('ok-2')] })),
    );
    // Not an array where Records belongs: the file is named with the reason, not read.
    const bad = path.join(day, '111122223333_CloudTrail_us-east-1_20261102T1110Z_object.json.gz');
    await writeFile(bad, gzipSync(JSON.stringify({ Records: { eventID: 'x' } })));
    const { summary } = await runLoad({
      dataDir,
      roots: { cloudtrail: trail },
      from: new Date('2026-11-02T10:00:00Z'),
      to: new Date('2026-11-02T12:00:00Z'),
      now: NOW,
    });
    expect(summary?.failed).toBe(0);
    expect(summary?.quarantined.map((q) => q.path)).toEqual([bad]);
    expect(summary?.quarantined[0]?.reason).toMatch(/\S/);
    const engine = await openLocalEngine({ sources: { cloudtrail: trail }, dataDir }, { raw: false });
    try {
      const { rows } = await engine.execute<{ eventID: string; arn: unknown }>(
        CompiledQuery.raw('SELECT eventID, userIdentity.arn AS arn FROM cloudtrail_events ORDER BY eventID'),
      );
      expect(rows.map((r) => r.eventID)).toEqual(['odd-shape', 'ok-1', 'ok-2']);
      expect(rows[0]?.arn).toBeNull();
    } finally {
      await engine.close();
    }
    const { rows: ledger } = await readLedger(dataDir);
    const ten = ledger.find(
      (r) => r.table === 'cloudtrail_events' && r.hour === '11' && r.status === 'loaded',
    );
    // The file delivered at 11:05 is accounted in hour 11: its two non-records have no eventTime.
    expect(ten?.dropped).toEqual({ noTime: 2, future: 0, outsideHours: 0 });
  });
});

describe('load engines kept open across a run', () => {
  it('a later batch on the same engine reads what an earlier one loaded', async () => {
    const trail = path.join(root, 'trail');
    const day = path.join(trail, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2026', '11', '02');
    await mkdir(day, { recursive: true });
    await writeFile(
      path.join(day, '111122223333_CloudTrail_us-east-1_20261102T1105Z_one.json.gz'),
      gzipSync(
        JSON.stringify({
          Records: [
            ssoCall({
              time: '2026-11-02T10:30:00Z',
              eventName: 'CreateInstance',
              account: '111122223333',
              actorArn: ADMIN_ROLE_ARN,
            }),
          ],
        }),
      ),
    );
    const { executeLocalPlan } = await import('../../src/ingest/local-load.ts');
    const { planLoad } = await import('../../src/ingest/load-plan.ts');
    const cloudtrailEvents = tableByName('cloudtrail_events');
    const engines = new LoadEngines({ dataDir, roots: { cloudtrail: trail } });
    try {
      for (const table of [cloudtrailEvents, churn]) {
        const plan = await planLoad({
          tables: [table as NonNullable<typeof table>],
          roots: { cloudtrail: trail },
          from: new Date('2026-11-02T10:00:00Z'),
          to: new Date('2026-11-02T11:00:00Z'),
          ledger: (await readLedger(dataDir)).rows,
          versions: new Map(),
          maxPartitionsPerBatch: 24,
          now: NOW,
        });
        const summary = await executeLocalPlan(plan, { dataDir, roots: { cloudtrail: trail }, engines });
        expect(summary.failed).toBe(0);
        expect(summary.rows).toBe(1);
      }
    } finally {
      await engines.close();
    }
  });
});

describe('batches bounded by the bytes they read', () => {
  it('cuts a day into batches whose files stay under the bound; one hour over it is a batch alone', async () => {
    const trail = path.join(root, 'trail');
    const times = Array.from({ length: 12 }, (_, h) => `2026-11-02T${String(h).padStart(2, '0')}:30:00Z`);
    await writeRecordsInS3Layout(
      trail,
      times.map((time) =>
        ssoCall({ time, eventName: 'CreateInstance', account: '111122223333', actorArn: ADMIN_ROLE_ARN }),
      ),
    );
    const { planLoad } = await import('../../src/ingest/load-plan.ts');
    const cloudtrailEvents = tableByName('cloudtrail_events') as NonNullable<ReturnType<typeof tableByName>>;
    const plan = (maxBytesPerBatch?: number) =>
      planLoad({
        tables: [cloudtrailEvents],
        roots: { cloudtrail: trail },
        from: new Date('2026-11-02T00:00:00Z'),
        to: new Date('2026-11-02T12:00:00Z'),
        ledger: [],
        versions: new Map(),
        maxPartitionsPerBatch: 24,
        now: NOW,
        ...(maxBytesPerBatch ? { maxBytesPerBatch } : {}),
      });
    const bytesOf = (b: { partitions: readonly { files: readonly { path: string; size: number }[] }[] }) =>
      [
        ...new Map(b.partitions.flatMap((p) => p.files.map((f) => [f.path, f.size] as const))).values(),
      ].reduce((n, s) => n + s, 0);
    const whole = await plan();
    expect(whole.batches).toHaveLength(1);
    const total = bytesOf(whole.batches[0] as (typeof whole.batches)[number]);
    const cut = await plan(Math.floor(total / 3));
    expect(cut.batches.length).toBeGreaterThanOrEqual(3);
    for (const b of cut.batches) {
      if (b.partitions.length > 1) expect(bytesOf(b)).toBeLessThanOrEqual(Math.floor(total / 3));
    }
    // The same hours, in order, none lost or planned twice.
    expect(cut.batches.flatMap((b) => b.partitions.map((p) => p.hour))).toEqual(
      whole.batches.flatMap((b) => b.partitions.map((p) => p.hour)),
    );
    const tiny = await plan(1);
    expect(tiny.batches.every((b) => b.partitions.length === 1)).toBe(true);
  });
});
