import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalEngine } from '../../src/catalog/duckdb/local-engine.ts';
import { main } from '../../src/cli/main.ts';
import type { DuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.ts';
import { writeSecurityLakeSample } from '../../src/sources/security-lake/sample.ts';
import { captureIO } from '../support/capture-io.ts';
import { parseRfc4180 } from '../support/rfc4180-parse.ts';

/*
 * The findings report over the real `ocsf_findings` view (not a stand-in): a Security Lake sample
 * with both source versions, whose findings are re-sent as they change, reported by
 * `lakeq report findings --input security-lake`; the report's findings are checked against the
 * view with another formulation of "latest state" (arg_max) than the report's (row_number).
 */

const SAMPLE = {
  from: new Date('2026-11-01T00:00:00Z'),
  to: new Date('2026-11-04T00:00:00Z'),
  seed: 5,
  accounts: 3,
  eventsPerHour: 6,
  versions: 'both' as const,
};

let dir: string;
let lake: string;
let engine: DuckDbEngine;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-findings-view-'));
  lake = path.join(dir, 'security-lake');
  await writeSecurityLakeSample({ out: lake, ...SAMPLE });
  engine = await openLocalEngine({ sources: { 'security-lake': lake }, dataDir: path.join(dir, 'data') });
}, 120_000);
afterAll(async () => {
  await engine?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function sqlRows(sql: string): Promise<Record<string, unknown>[]> {
  return (await engine.execute(CompiledQuery.raw(sql))).rows as Record<string, unknown>[];
}

describe('lakeq report findings --input security-lake', () => {
  it('reports each finding whose latest record in ocsf_findings is active, once, with the view’s values', async () => {
    const out = path.join(dir, 'findings.csv');
    const io = captureIO();
    const code = await main(
      [
        'report',
        'findings',
        '--input',
        'security-lake',
        '--data-dir',
        path.join(dir, 'data'),
        '--source',
        `security-lake=${lake}`,
        '--out',
        out,
      ],
      io,
    );
    expect(io.stderr()).not.toMatch(/\n\s+at /);
    expect(code).toBe(0);
    const [header, ...records] = parseRfc4180(await readFile(out, 'utf8'));
    expect(header?.slice(0, 5)).toEqual(['account_id', 'region', 'product_name', 'title', 'severity']);
    const id = header?.indexOf('finding_id') ?? -1;
    const ids = records.map((r) => r[id]);
    expect(new Set(ids).size).toBe(ids.length);

    const expected = await sqlRows(`
      SELECT finding_uid, arg_max(record_state, time) AS state, arg_max(account_id, time) AS account
      FROM ocsf_findings GROUP BY finding_uid`);
    const active = expected.filter((r) => String(r.state).toUpperCase() === 'ACTIVE');
    // The sample archives some findings as they are resolved: the report leaves those out.
    expect(active.length).toBeGreaterThan(0);
    expect(active.length).toBeLessThan(expected.length);
    expect([...ids].sort()).toEqual(active.map((r) => String(r.finding_uid)).sort());
    // Both source versions contribute.
    const versions = await sqlRows(
      `SELECT DISTINCT source_version FROM ocsf_findings WHERE finding_uid IN (${active
        .map((r) => `'${String(r.finding_uid).replace(/'/g, "''")}'`)
        .join(', ')}) ORDER BY 1`,
    );
    expect(versions.length).toBe(2);
    const account = header?.indexOf('account_id') ?? -1;
    const byId = new Map(active.map((r) => [String(r.finding_uid), String(r.account)]));
    for (const r of records) expect(r[account]).toBe(byId.get(String(r[id])));
  });
});
