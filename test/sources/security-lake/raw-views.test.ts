import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalEngine } from '../../../src/catalog/duckdb/local-engine.ts';
import type { DuckDbEngine } from '../../../src/engines/duckdb/duckdb-engine.ts';
import { lakeTableViewSql, sameColumns } from '../../../src/sources/security-lake/raw-duckdb.ts';
import { type LakeFile, scanSecurityLake } from '../../../src/sources/security-lake/raw-duckdb-files.ts';
import { securityLakeTableName } from '../../../src/sources/security-lake/schema.ts';
import { placeSamples } from './lake-fixtures.ts';

/* A raw table's scan reads files by name only where their columns differ (union_by_name), and every row either way. */

describe('sameColumns', () => {
  const file = (columns: string[], shapes: Record<string, string> = {}) => ({ columns, shapes });
  it('holds for the same columns, in order, of the same shapes', () => {
    expect(sameColumns([])).toBe(true);
    expect(sameColumns([file(['time', 'metadata'], { metadata: '{a:*}' })])).toBe(true);
    expect(
      sameColumns([
        file(['time', 'metadata'], { time: '*', metadata: '{a:*}' }),
        file(['time', 'metadata'], { time: '*', metadata: '{a:*}' }),
      ]),
    ).toBe(true);
    expect(sameColumns([file(['time', 'metadata']), file(['metadata', 'time'])])).toBe(false);
    expect(sameColumns([file(['time']), file(['time', 'metadata'])])).toBe(false);
    expect(
      sameColumns([file(['metadata'], { metadata: '{a:*}' }), file(['metadata'], { metadata: '{a:*,b:*}' })]),
    ).toBe(false);
  });
});

describe('the raw tables over the real samples', () => {
  let dir: string;
  let engine: DuckDbEngine;
  let groups: Map<string, LakeFile[]>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lakeq-seclake-views-'));
    const lake = path.join(dir, 'lake');
    await placeSamples(lake);
    groups = new Map();
    for (const f of (await scanSecurityLake(lake)).files) {
      const key = securityLakeTableName(f.region, f.table);
      groups.set(key, [...(groups.get(key) ?? []), f]);
    }
    engine = await openLocalEngine({ sources: { 'security-lake': lake } });
  });
  afterAll(async () => {
    await engine?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('union_by_name only for a table whose files differ (CloudTrail v1: three kinds of record), and every row of every file', async () => {
    const flags = Object.fromEntries(
      [...groups].map(([name, files]) => {
        const first = files[0] as LakeFile;
        const sql = lakeTableViewSql(first.region, first.table, files);
        return [name, /union_by_name = (true|false)/.exec(sql)?.[1]];
      }),
    );
    expect(flags.amazon_security_lake_table_us_east_1_cloud_trail_mgmt_1_0).toBe('true');
    expect(flags.amazon_security_lake_table_us_east_1_eks_audit_2_0).toBe('false');
    for (const [name, files] of groups) expect(flags[name]).toBe(sameColumns(files) ? 'false' : 'true');
    // Each file's rows counted by DuckDB alone, one file at a time.
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    try {
      for (const [name, files] of groups) {
        let expected = 0;
        for (const f of files) {
          const r = await con.runAndReadAll(
            `select count(*) from read_parquet('${f.path.replace(/'/g, "''")}')`,
          );
          expected += Number(r.getRows()[0]?.[0]);
        }
        const got = await engine.execute<{ n: unknown }>(
          CompiledQuery.raw(`select count(*) as n from amazon_security_lake_glue_db_us_east_1.${name}`),
        );
        expect([name, Number(got.rows[0]?.n)]).toEqual([name, expected]);
      }
    } finally {
      con.closeSync();
      db.closeSync();
    }
  });
});
