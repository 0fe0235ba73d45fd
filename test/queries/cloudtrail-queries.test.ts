import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import apiErrors from '../../queries/cloudtrail/api-errors-by-principal.ts';
import eventsBySource from '../../queries/cloudtrail/events-by-source.ts';
import { openLocalEngine } from '../../src/catalog/duckdb/local-engine.ts';
import type { DuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.ts';
import { runQuery } from '../../src/query/run-query.ts';
import {
  type CloudTrailRecord,
  loadCloudTrailFixtureRecords,
  writeRecordsInS3Layout,
} from '../support/cloudtrail-fixtures.ts';
import { loadAll } from '../support/load-sample.ts';

let root: string;
let engine: DuckDbEngine;
// Fixture records with a well-formed time (the queries' windows select by eventTime). Rule tests
// reuse fake event ids across different logs; the load keeps one row per event (id, account,
// source, name, time), so keep the first of each here too, and the counts below stay exact.
const seen = new Set<string>();
const records = loadCloudTrailFixtureRecords()
  .map((f) => f.record)
  .filter((r) => typeof r.eventTime === 'string' && !Number.isNaN(Date.parse(r.eventTime as string)))
  .filter((r) => {
    if (r.eventID === undefined || r.eventID === null) return true;
    const key = JSON.stringify([
      r.eventID,
      r.recipientAccountId ?? null,
      r.eventSource ?? null,
      r.eventName ?? null,
      new Date(r.eventTime as string).getTime(),
    ]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
const window = { from: '2000-01-01', to: '2030-01-01' };

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-ct-queries-'));
  const trail = path.join(root, 'trail');
  const dataDir = path.join(root, 'data');
  await writeRecordsInS3Layout(trail, records, { perFile: 64 });
  await loadAll(dataDir, trail, window.from, window.to);
  engine = await openLocalEngine({ sources: { cloudtrail: trail }, dataDir });
  // The fixtures spread over years of sparse hours: hundreds of small partitions to write.
}, 300_000);
afterAll(async () => {
  await engine.close();
  await rm(root, { recursive: true, force: true });
});

const arnOf = (r: CloudTrailRecord) => {
  const u = r.userIdentity;
  return u && typeof u === 'object'
    ? (((u as Record<string, unknown>).arn as string | undefined) ?? null)
    : null;
};

describe('cloudtrail/events-by-source over the shared fixtures', () => {
  it('counts events and errors per source like an independent count', async () => {
    const { rows } = await runQuery(engine, eventsBySource, window);
    const expected = new Map<string, { events: number; errors: number }>();
    for (const r of records) {
      const key = String(r.eventSource ?? null);
      const e = expected.get(key) ?? { events: 0, errors: 0 };
      e.events++;
      if (r.errorCode !== undefined && r.errorCode !== null) e.errors++;
      expected.set(key, e);
    }
    expect(
      new Map(rows.map((r) => [String(r.event_source), { events: r.events, errors: r.errors }])),
    ).toEqual(expected);
    // busiest first
    const counts = rows.map((r) => r.events);
    expect([...counts].sort((a, b) => b - a)).toEqual(counts);
  });

  it('restricts to the window [from, to)', async () => {
    const from = new Date('2019-01-01T00:00:00Z');
    const to = new Date('2020-01-01T00:00:00Z');
    const inside = records.filter((r) => {
      const t = new Date(r.eventTime as string);
      return t >= from && t < to;
    }).length;
    const { rows } = await runQuery(engine, eventsBySource, { from: '2019-01-01', to: '2020-01-01' });
    expect(rows.reduce((n, r) => n + r.events, 0)).toBe(inside);
    expect(inside).toBeGreaterThan(50);
  });
});

describe('cloudtrail/api-errors-by-principal over the shared fixtures', () => {
  it('groups failed calls by principal and error code, most errors first, within the limit', async () => {
    const { rows } = await runQuery(engine, apiErrors, { ...window, limit: '500' });
    const expected = new Map<string, number>();
    for (const r of records) {
      if (r.errorCode === undefined || r.errorCode === null) continue;
      const key = `${arnOf(r)}|${r.errorCode}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const got = new Map<string, number>();
    for (const r of rows)
      got.set(
        `${r.principal_arn}|${r.error_code}`,
        (got.get(`${r.principal_arn}|${r.error_code}`) ?? 0) + r.errors,
      );
    expect(got).toEqual(expected);
    expect(rows[0]!.errors).toBe(Math.max(...rows.map((r) => r.errors)));
    const limited = await runQuery(engine, apiErrors, { ...window, limit: '3' });
    expect(limited.rows).toEqual(rows.slice(0, 3));
  });

  it('rejects a limit that is not a positive integer', async () => {
    await expect(runQuery(engine, apiErrors, { ...window, limit: '0' })).rejects.toMatchObject({
      code: 'BAD_PARAMETER',
      message: expect.stringContaining('limit'),
    });
  });
});
