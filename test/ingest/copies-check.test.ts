import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import transform from '../../queries/transforms/cloudtrail-events-hour.ts';
import { type LocalLoadEngine, openLocalLoadEngine } from '../../src/catalog/duckdb/local-engine.ts';
import { inlineParameters } from '../../src/engines/trino/trino-literals.ts';
import { batchTransformParams } from '../../src/ingest/local-load.ts';
import { compileQuery } from '../../src/query/compile-query.ts';
import { cloudtrailEvents } from '../../src/sources/cloudtrail/tables/cloudtrail-events.ts';
import { type CloudTrailRecord, writeRecordsInS3Layout } from '../support/cloudtrail-fixtures.ts';

const FROM = new Date('2026-11-02T00:00:00Z');
const TO = new Date('2026-11-03T00:00:00Z');
let root: string;
let worker: LocalLoadEngine;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-copies-'));
  worker = await openLocalLoadEngine({ sources: {}, dataDir: path.join(root, 'data') });
});
afterEach(async () => {
  await worker.engine.close();
  await rm(root, { recursive: true, force: true });
});

const record = (i: number, extra: Partial<CloudTrailRecord> = {}): CloudTrailRecord => ({
  eventVersion: '1.08',
  eventTime: `2026-11-02T10:${String(i).padStart(2, '0')}:00Z`,
  eventSource: 's3.amazonaws.com',
  eventName: 'GetObject',
  awsRegion: 'us-east-1',
  eventID: `e-${i}`,
  requestID: `r-${i}`,
  recipientAccountId: '111122223333',
  ...extra,
});

/** Writes the records (each group in its own files), points the batch views at them, and answers the transform's parameters. */
async function paramsFor(...groups: CloudTrailRecord[][]) {
  const files: string[] = [];
  for (const [i, records] of groups.entries())
    files.push(...(await writeRecordsInS3Layout(path.join(root, 'trail'), records, { tag: `g${i}` })));
  await worker.useFiles(files, 'cloudtrail');
  return batchTransformParams({ table: cloudtrailEvents, from: FROM, to: TO }, worker.engine);
}

async function transformRows(params: Record<string, unknown>) {
  const { compiled } = compileQuery(transform, params, worker.engine);
  const sql = `SELECT eventID, requestID, eventTime, dt, hour FROM (${inlineParameters(compiled).sql}) ORDER BY eventID, requestID`;
  return (await worker.engine.execute(CompiledQuery.raw(sql))).rows;
}

describe('the copies check of a CloudTrail load batch', () => {
  it('finds none among distinct events: the transform runs without its deduplication, with the same rows', async () => {
    const records = Array.from({ length: 12 }, (_, i) => record(i));
    // Records without an eventID are kept whatever they share, so they are no copies either.
    const anonymous = [record(20, { eventID: undefined }), record(20, { eventID: undefined })];
    const params = await paramsFor(records, anonymous);
    expect(params).toEqual({ from: FROM, to: TO, copies: 'absent' });
    const without = await transformRows(params);
    expect(without).toHaveLength(14);
    expect(await transformRows({ from: FROM, to: TO })).toEqual(without);
  });

  it('finds a record delivered twice, also when its time is written another way: the deduplication stays', async () => {
    const records = Array.from({ length: 6 }, (_, i) => record(i));
    const exact = [record(2)];
    // The same instant as record 3's, written with milliseconds: equal as a timestamp, as the transform compares.
    const rewritten = [record(3, { eventTime: '2026-11-02T10:03:00.000Z', requestID: 'r-3b' })];
    for (const copies of [exact, rewritten]) {
      const params = await paramsFor(records, copies);
      expect(params).toEqual({ from: FROM, to: TO });
      const rows = await transformRows(params);
      expect(rows.map((r) => r.eventID)).toEqual(['e-0', 'e-1', 'e-2', 'e-3', 'e-4', 'e-5']);
      // And the copy would have stayed without it: the check is what keeps the rows right.
      expect(await transformRows({ ...params, copies: 'absent' })).toHaveLength(7);
      await rm(path.join(root, 'trail'), { recursive: true, force: true });
    }
  });

  it('is skipped for a table without one (its transform has no copies parameter)', async () => {
    const unchecked = { ...cloudtrailEvents, name: 'no_check', transform: { queryId: 'x' } };
    expect(await batchTransformParams({ table: unchecked, from: FROM, to: TO }, worker.engine)).toEqual({
      from: FROM,
      to: TO,
    });
  });
});
