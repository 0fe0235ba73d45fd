import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tableByName } from '../../src/catalog/tables/index.ts';
import { createDuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.ts';
import { readLedger } from '../../src/ingest/ledger.ts';
import { LoadEngines } from '../../src/ingest/load-engines.ts';
import { planLoad } from '../../src/ingest/load-plan.ts';
import { executeLocalPlan } from '../../src/ingest/local-load.ts';
import { stageBatch, stagingFolder } from '../../src/ingest/local-partition-writer.ts';
import { type CloudTrailRecord, writeRecordsInS3Layout } from '../support/cloudtrail-fixtures.ts';
import { contentDigests } from '../support/partition-contents.ts';

const NOW = new Date('2026-11-20T00:00:00Z');
const churn = tableByName('identity_center_instance_churn_hourly');
const cloudtrailEvents = tableByName('cloudtrail_events');
if (!churn || !cloudtrailEvents) throw new Error('no tables');
let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-slices-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** `probe`: rows of the churn table's columns for hours 10–14 of 2026-11-02, `n` an hour. */
function probeSql(n: number): string {
  const columns = churn?.columns.map((c) => c.name) ?? [];
  const rows = ['10', '11', '12', '13', '14'].flatMap((h) =>
    Array.from(
      { length: n },
      (_, i) => `(${[...columns.map((c) => `'${c}-${h}-${i}'`), `'2026-11-02'`, `'${h}'`].join(', ')})`,
    ),
  );
  return `CREATE VIEW probe AS SELECT * FROM (VALUES ${rows.join(', ')}) t(${[...columns.map((c) => `"${c}"`), 'dt', 'hour'].join(', ')})`;
}

const at = (hour: string) => new Date(`2026-11-02T${hour}:00:00Z`);
const hourOf = (t: Date) => t.toISOString().slice(11, 13);

describe('a batch staged in slices of its hours, a COPY each at once', () => {
  it('stages what one COPY stages; each slice reads its own rows through its WITH entry', async () => {
    const table = churn as NonNullable<typeof churn>;
    const engine = await createDuckDbEngine({ maxConnections: 2 });
    try {
      await engine.execute(CompiledQuery.raw(probeSql(30)));
      // Hour 12 is not one of the batch's: its rows are written by neither.
      const partitions = ['14', '10', '11', '13'].map((hour) => ({ dt: '2026-11-02', hour }));
      const whole = await stageBatch(
        engine,
        path.join(root, 'a'),
        table,
        'SELECT * FROM probe',
        partitions,
        'r',
      );
      const spans: [string, string][] = [];
      const sliced = await stageBatch(
        engine,
        path.join(root, 'b'),
        table,
        'SELECT * FROM probe',
        partitions,
        'r',
        {
          slices: {
            count: 3,
            sql: (from, to) => {
              spans.push([hourOf(from), hourOf(to)]);
              return `probe AS (SELECT * FROM main.probe WHERE hour >= '${hourOf(from)}' AND hour < '${hourOf(to)}')`;
            },
          },
        },
      );
      // Four hours in three slices of at most two, in time order; the spans meet and cover them.
      expect(spans.sort()).toEqual([
        ['10', '13'],
        ['13', '15'],
      ]);
      expect(sliced.contents).toEqual(whole.contents);
      expect([...sliced.contents.keys()].sort()).toEqual([
        '2026-11-02/10',
        '2026-11-02/11',
        '2026-11-02/13',
        '2026-11-02/14',
      ]);
      expect(sliced.contents.get('2026-11-02/13')?.rows).toBe(30);
      await whole.commit(partitions);
      await sliced.commit(partitions);
      const digests = async (dir: string) => contentDigests(path.join(root, dir, 'curated'));
      expect(await digests('b')).toEqual(await digests('a'));
      expect((await digests('b')).size).toBe(4);
      // The staging folder went with the switch.
      expect(
        await readdir(path.dirname(stagingFolder(path.join(root, 'b'), table, 'r', partitions[1]!))),
      ).toEqual(['dt=2026-11-02']);
    } finally {
      await engine.close();
    }
  });

  it('fails whole when a slice fails: the other has ended, the staging folder is gone, nothing switched', async () => {
    const table = churn as NonNullable<typeof churn>;
    const engine = await createDuckDbEngine({ maxConnections: 2 });
    const dataDir = path.join(root, 'c');
    try {
      await engine.execute(CompiledQuery.raw(probeSql(5)));
      const partitions = ['10', '11'].map((hour) => ({ dt: '2026-11-02', hour }));
      const staging = stageBatch(engine, dataDir, table, 'SELECT * FROM probe', partitions, 'r', {
        slices: {
          count: 2,
          sql: (from) =>
            hourOf(from) === '11'
              ? `probe AS (SELECT * REPLACE (error('disk full') AS dt) FROM main.probe)`
              : `probe AS (SELECT * FROM main.probe WHERE hour = '10')`,
        },
      });
      await expect(staging).rejects.toThrow(/disk full/);
      expect(await readdir(path.join(dataDir, 'curated', table.location.split('/').at(-1) ?? ''))).toEqual(
        [],
      );
    } finally {
      await engine.close();
    }
  });

  it('loads a CloudTrail batch in slices with the same rows, checksums and counts as whole', async () => {
    const records: CloudTrailRecord[] = [];
    for (let h = 0; h < 10; h++) {
      for (let i = 0; i < 6; i++) {
        records.push({
          eventVersion: '1.08',
          eventTime: `2026-11-02T${String(h).padStart(2, '0')}:${String(i * 7).padStart(2, '0')}:00Z`,
          eventSource: 'sso.amazonaws.com',
          eventName: i % 2 ? 'CreateInstance' : 'DescribeInstance',
          awsRegion: 'us-east-1',
          eventID: `e-${h}-${i}`,
          requestID: `r-${h}-${i}`,
          recipientAccountId: '111122223333',
        });
      }
    }
    // Delivered twice, written another way (milliseconds): one row in both loads.
    records.push({
      ...records[7],
      eventTime: '2026-11-02T01:07:00.000Z',
      requestID: 'r-copy',
    } as CloudTrailRecord);
    // At the edge between two slices' spans, and one with no usable time.
    records.push({ ...records[0], eventID: 'edge', eventTime: '2026-11-02T05:00:00Z' } as CloudTrailRecord);
    records.push({ ...records[0], eventID: 'no-time', eventTime: 'not-a-time' } as CloudTrailRecord);
    const trail = path.join(root, 'trail');
    await writeRecordsInS3Layout(trail, records, { perFile: 4, day: '2026-11-02' });
    const load = async (dataDir: string, threads: number) => {
      const engines = new LoadEngines({ dataDir, roots: { cloudtrail: trail }, threads });
      try {
        const plan = await planLoad({
          tables: [cloudtrailEvents as NonNullable<typeof cloudtrailEvents>],
          roots: { cloudtrail: trail },
          from: at('00'),
          to: at('10'),
          ledger: [],
          versions: new Map(),
          maxPartitionsPerBatch: 24,
          now: NOW,
        });
        const summary = await executeLocalPlan(plan, {
          dataDir,
          roots: { cloudtrail: trail },
          engines,
          threads,
        });
        const ledger = (await readLedger(dataDir)).rows.map((r) => [r.hour, r.rows, r.checksum, r.dropped]);
        return {
          summary,
          ledger: ledger.sort(),
          digests: await contentDigests(path.join(dataDir, 'curated')),
        };
      } finally {
        await engines.close();
      }
    };
    // One thread: one COPY. Two: every batch in two slices.
    const whole = await load(path.join(root, 'one'), 1);
    const sliced = await load(path.join(root, 'two'), 2);
    expect(whole.summary.rows).toBe(61);
    expect(sliced.summary.rows).toBe(whole.summary.rows);
    expect(sliced.summary.failed).toBe(0);
    expect(sliced.ledger).toEqual(whole.ledger);
    expect(sliced.digests).toEqual(whole.digests);
    expect(sliced.digests.size).toBe(10);
  });
});
