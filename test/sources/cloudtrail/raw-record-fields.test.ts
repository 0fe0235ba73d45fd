import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalEngine } from '../../../src/catalog/duckdb/local-engine.ts';
import type { DuckDbEngine } from '../../../src/engines/duckdb/duckdb-engine.ts';
import { recordFieldsRead } from '../../../src/sources/cloudtrail/raw-duckdb.ts';
import { loadCloudTrailFixtureRecords, writeRecordsInS3Layout } from '../../support/cloudtrail-fixtures.ts';

let root: string;
let engine: DuckDbEngine;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-ct-fields-'));
  await writeRecordsInS3Layout(
    root,
    loadCloudTrailFixtureRecords().map((f) => f.record),
    { perFile: 37 },
  );
  engine = await openLocalEngine({ sources: { cloudtrail: root } });
});
afterAll(async () => {
  await engine.close();
  await rm(root, { recursive: true, force: true });
});

const sorted = async (sql: string) => {
  const { rows } = await engine.execute(CompiledQuery.raw(sql));
  return rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).sort();
};

/** The views' columns, from DuckDB (so a column added to a view is checked too). */
const columnsOf = async (view: string) =>
  ((await engine.execute(CompiledQuery.raw(`describe ${view}`))).rows as { column_name: string }[]).map(
    (r) => r.column_name,
  );

describe('the raw views convert only the record fields a query names, with the same answers', () => {
  it('names the fields of the instance-churn counts', () => {
    const fields = recordFieldsRead(`SELECT count_if(eventName = 'CreateInstance') AS created
      FROM cloudtrail_events_raw WHERE eventSource = 'sso.amazonaws.com' AND errorCode IS NULL
      AND eventTime >= TIMESTAMP '2026-11-01 00:00:00'`);
    expect([...(fields ?? [])].sort()).toEqual(['errorCode', 'eventName', 'eventSource', 'eventTime']);
  });

  for (const view of ['cloudtrail_logs', 'cloudtrail_events_raw']) {
    it(`${view}: each column alone gives what it gives beside all the others`, async () => {
      const columns = await columnsOf(view);
      expect(columns.length).toBeGreaterThan(20);
      const id = view === 'cloudtrail_logs' ? 'eventid' : 'eventID';
      for (const column of columns) {
        const quoted = `"${column.replace(/"/g, '""')}"`;
        // `select *` converts every field; naming two columns converts only theirs.
        const sql = `select ${id}, to_json(${quoted}) as v from ${view}`;
        expect(recordFieldsRead(sql), column).toBeDefined();
        const narrow = await sorted(sql);
        const whole = await sorted(`select ${id}, to_json(${quoted}) as v from (select * from ${view})`);
        expect(narrow, column).toEqual(whole);
      }
    });
  }

  it('gives each of several queries at once its own fields (each connection has its own conversion)', async () => {
    const columns = ['eventName', 'eventSource', 'userAgent', 'awsRegion', 'sourceIPAddress', 'userIdentity'];
    const sql = (c: string) => `select eventID, to_json(${c}) as v from cloudtrail_events_raw`;
    const alone: string[][] = [];
    for (const c of columns) alone.push(await sorted(sql(c)));
    const together = await Promise.all([...columns, ...columns].map((c) => sorted(sql(c))));
    expect(together).toEqual([...alone, ...alone]);
    for (const rows of alone)
      expect(rows.filter((r) => !r.endsWith(',"v":null}')).length).toBeGreaterThan(100);
  });
});
