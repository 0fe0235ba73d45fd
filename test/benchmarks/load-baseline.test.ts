import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baselineCopySql } from '../../bench/load.bench.ts';
import { writeRecordsInS3Layout } from '../support/cloudtrail-fixtures.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-bench-baseline-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe("the load benchmark's naive COPY", () => {
  it("runs over lakeq's own raw view text (kept in step with the view) and writes every event", async () => {
    const records = Array.from({ length: 30 }, (_, i) => ({
      eventVersion: '1.08',
      eventTime: `2026-11-02T${String(10 + (i % 3)).padStart(2, '0')}:0${i % 10}:00Z`,
      eventSource: 'sso.amazonaws.com',
      eventName: 'CreateInstance',
      eventID: `e-${i}`,
      recipientAccountId: '111122223333',
    }));
    const trail = path.join(root, 'trail');
    await writeRecordsInS3Layout(trail, records, { perFile: 4 });
    const out = path.join(root, 'copy');
    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    try {
      const reader = await con.runAndReadAll(
        baselineCopySql(path.join(trail, 'AWSLogs', '**', '*.json.gz'), out),
      );
      expect(Number(reader.rowsChanged)).toBe(30);
    } finally {
      con.closeSync();
      instance.closeSync();
    }
    expect((await readdir(path.join(out, 'dt=2026-11-02'))).sort()).toEqual([
      'hour=10',
      'hour=11',
      'hour=12',
    ]);
  });
});
