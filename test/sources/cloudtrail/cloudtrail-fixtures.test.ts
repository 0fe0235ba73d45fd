import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalEngine, readsRawViews } from '../../../src/catalog/duckdb/local-engine.ts';
import type { DuckDbEngine } from '../../../src/engines/duckdb/duckdb-engine.ts';
import {
  type FixtureRecord,
  loadCloudTrailFixtureRecords,
  writeRecordsInS3Layout,
} from '../../support/cloudtrail-fixtures.ts';

let root: string;
let engine: DuckDbEngine;
let fixtures: FixtureRecord[];

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-ct-fixtures-'));
  fixtures = loadCloudTrailFixtureRecords();
  await writeRecordsInS3Layout(
    root,
    fixtures.map((f) => f.record),
    { perFile: 37 },
  );
  engine = await openLocalEngine({ sources: { cloudtrail: root } });
});
afterAll(async () => {
  await engine.close();
  await rm(root, { recursive: true, force: true });
});

const rows = async (text: string) =>
  (await engine.execute(CompiledQuery.raw(text))).rows as Record<string, unknown>[];

/** Counts per key made in JS from the records themselves (exact, case-sensitive keys like CloudTrail's). */
function countBy(
  records: FixtureRecord[],
  key: (r: Record<string, unknown>) => unknown,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { record } of records) {
    const k = String(key(record) ?? null);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

describe('every CloudTrail fixture record is readable through both relations', () => {
  it('has the real fixtures (hundreds of records from AWS docs and rule tests)', () => {
    expect(fixtures.length).toBeGreaterThan(500);
  });

  for (const relation of ['cloudtrail_logs', 'cloudtrail_events_raw']) {
    it(`${relation}: row count equals the record count, with no file skipped`, async () => {
      const [row] = await rows(`select count(*) as n from ${relation}`);
      expect(row?.n).toBe(fixtures.length);
      expect(engine.warnings().filter((w) => w.code === 'SOURCE_FILE_SKIPPED')).toEqual([]);
    });
  }

  it('counts per eventSource match an independent count (cloudtrail_events and cloudtrail_logs)', async () => {
    const expected = countBy(fixtures, (r) => r.eventSource);
    for (const [relation, column] of [
      ['cloudtrail_events_raw', 'eventSource'],
      ['cloudtrail_logs', 'eventsource'],
    ] as const) {
      const got = await rows(`select ${column} as s, count(*) as n from ${relation} group by 1`);
      expect(new Map(got.map((r) => [String(r.s), r.n]))).toEqual(expected);
    }
  });

  it('counts per eventName and per userIdentity.type match too', async () => {
    const byName = await rows('select eventName as k, count(*) as n from cloudtrail_events_raw group by 1');
    expect(new Map(byName.map((r) => [String(r.k), r.n]))).toEqual(countBy(fixtures, (r) => r.eventName));
    const byType = await rows(
      'select userIdentity.type as k, count(*) as n from cloudtrail_events_raw group by 1',
    );
    const identityType = (r: Record<string, unknown>) => {
      const u = r.userIdentity;
      return u && typeof u === 'object' && !Array.isArray(u) ? (u as Record<string, unknown>).type : null;
    };
    expect(new Map(byType.map((r) => [String(r.k), r.n]))).toEqual(countBy(fixtures, identityType));
  });

  it('eventTime is a timestamp equal to the record time, in UTC', async () => {
    const got = await rows(
      'select eventID as id, eventTime as t from cloudtrail_events_raw where eventID is not null',
    );
    const byId = new Map(got.map((r) => [r.id, r.t]));
    let compared = 0;
    for (const { record } of fixtures) {
      const id = record.eventID;
      const t = record.eventTime;
      if (typeof id !== 'string' || typeof t !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(t))
        continue;
      if (fixtures.filter((f) => f.record.eventID === id).length > 1) continue;
      expect(byId.get(id)).toBe(new Date(t).toISOString());
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('requestParameters is a map of top-level keys, nested values as JSON (as in CloudTrail Lake)', async () => {
    const sample = fixtures.find(
      (f) => f.record.eventName === 'StartQueryExecution' && f.record.eventSource === 'athena.amazonaws.com',
    );
    expect(sample).toBeDefined();
    const id = sample!.record.eventID as string;
    const [row] = await rows(
      `select element_at(requestParameters, 'queryString') as q, element_at(requestParameters, 'resultConfiguration') as rc,
              requestParameters as rp from cloudtrail_events_raw where eventID = '${id}'`,
    );
    const rp = sample!.record.requestParameters as Record<string, unknown>;
    expect(row?.q).toBe(rp.queryString);
    expect(JSON.parse(String(row?.rc))).toEqual(rp.resultConfiguration);
    expect(Object.keys(row?.rp as object).sort()).toEqual(Object.keys(rp).sort());
  });

  it('readOnly and managementEvent are booleans in cloudtrail_events, strings in cloudtrail_logs', async () => {
    const events = await rows(
      'select readOnly as v, count(*) as n from cloudtrail_events_raw group by 1 order by 1',
    );
    for (const r of events) expect(r.v === null || typeof r.v === 'boolean').toBe(true);
    const logs = await rows('select distinct readonly as v from cloudtrail_logs where readonly is not null');
    for (const r of logs) expect(typeof r.v).toBe('string');
  });
});

describe('bad source files: named in a warning, skipped, counted; the rest still answers', () => {
  it('skips empty, non-gzip, truncated, malformed and non-CloudTrail files', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lakeq-ct-bad-'));
    try {
      const good = fixtures.slice(0, 40).map((f) => f.record);
      const [goodFile] = await writeRecordsInS3Layout(dir, good, { perFile: 40 });
      const day = path.dirname(goodFile!);
      const { gzipSync } = await import('node:zlib');
      const whole = gzipSync(JSON.stringify({ Records: good }));
      await writeFile(path.join(day, 'empty.json.gz'), '');
      await writeFile(path.join(day, 'plain-text.json.gz'), JSON.stringify({ Records: good }));
      await writeFile(path.join(day, 'truncated.json.gz'), whole.subarray(0, Math.floor(whole.length / 2)));
      await writeFile(path.join(day, 'malformed.json.gz'), gzipSync('{"Records":[{"eventSource": "x",]}'));
      await writeFile(path.join(day, 'not-cloudtrail.json.gz'), gzipSync('{"version":"0","detail":{}}'));
      await writeFile(path.join(day, 'plain.json'), JSON.stringify({ Records: good.slice(0, 5) }));
      const local = await openLocalEngine({ sources: { cloudtrail: dir } });
      try {
        const [row] = (
          await local.execute(CompiledQuery.raw('select count(*) as n from cloudtrail_events_raw'))
        ).rows;
        expect(row).toEqual({ n: 45 });
        const skipped = local
          .warnings()
          .filter((w) => w.code === 'SOURCE_FILE_SKIPPED')
          .map((w) => path.basename(w.path ?? ''))
          .sort();
        expect(skipped).toEqual([
          'empty.json.gz',
          'malformed.json.gz',
          'not-cloudtrail.json.gz',
          'plain-text.json.gz',
          'truncated.json.gz',
        ]);
        for (const w of local.warnings()) expect(w.message).toMatch(/skipped .+: .{5,}/);
      } finally {
        await local.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a query over the curated tables does not scan the raw folder (raw: false)', async () => {
    const local = await openLocalEngine({ sources: { cloudtrail: root } }, { raw: false });
    try {
      const { rows: got } = await local.execute(
        CompiledQuery.raw('select count(*) as n from cloudtrail_events_raw'),
      );
      expect(got).toEqual([{ n: 0 }]);
      expect(local.warnings()).toEqual([]);
    } finally {
      await local.close();
    }
    expect(readsRawViews('select * from "cloudtrail_events" where dt = ?')).toBe(false);
    expect(readsRawViews('select * from cloudtrail_events_raw')).toBe(true);
    expect(readsRawViews('select * from "cloudtrail_logs"')).toBe(true);
  });

  it('an empty or missing folder gives empty relations, not an error', async () => {
    const local = await openLocalEngine({
      sources: { cloudtrail: path.join(tmpdir(), 'lakeq-no-such-folder') },
    });
    try {
      const { rows: got } = await local.execute(
        CompiledQuery.raw('select count(*) as n from cloudtrail_events_raw'),
      );
      expect(got).toEqual([{ n: 0 }]);
    } finally {
      await local.close();
    }
  });
});
