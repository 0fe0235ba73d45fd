import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalEngine } from '../../src/catalog/duckdb/local-engine.ts';
import { main } from '../../src/cli/main.ts';
import { ledgerPath, readLedger } from '../../src/ingest/ledger.ts';
import { runLoad } from '../../src/ingest/run-load.ts';
import { captureIO } from '../support/capture-io.ts';
import { writeRecordsInS3Layout } from '../support/cloudtrail-fixtures.ts';
import { ADMIN_ROLE_ARN, ssoCall } from '../support/identity-center-records.ts';

const NOW = new Date('2026-11-20T00:00:00Z');
let root: string;
let trail: string;
let dataDir: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-ledger-'));
  trail = path.join(root, 'trail');
  dataDir = path.join(root, 'data');
  const times = [
    '2026-11-02T10:05:00Z',
    '2026-11-02T10:06:00Z',
    '2026-11-02T10:07:00Z',
    '2026-11-02T11:30:00Z',
  ];
  await writeRecordsInS3Layout(
    trail,
    times.map((time) =>
      ssoCall({ time, eventName: 'CreateInstance', account: '111122223333', actorArn: ADMIN_ROLE_ARN }),
    ),
  );
});
afterAll(() => rm(root, { recursive: true, force: true }));

const load = (force = false) =>
  runLoad({
    dataDir,
    roots: { cloudtrail: trail },
    from: new Date('2026-11-02T10:00:00Z'),
    to: new Date('2026-11-02T12:00:00Z'),
    now: NOW,
    force,
  });

async function ledgerView(): Promise<Record<string, unknown>[]> {
  const engine = await openLocalEngine({ sources: { cloudtrail: trail }, dataDir });
  try {
    const sql = `select "runId", "table", dt, hour, rows, engine from lakeq_runs where "table" = 'cloudtrail_events' order by "finishedAt", hour`;
    return (await engine.execute(CompiledQuery.raw(sql))).rows as Record<string, unknown>[];
  } finally {
    await engine.close();
  }
}

describe('a torn ledger line', () => {
  it('stays alone: the next load starts a fresh line, readers skip the torn one and say so, and invent nothing', async () => {
    await load();
    const before = await readLedger(dataDir);
    expect(before.damaged).toEqual([]);
    const firstLines = (await readFile(ledgerPath(dataDir), 'utf8')).split('\n').length - 1;

    // A crash in the middle of an append, then a line that parses but is not a whole row.
    await appendFile(ledgerPath(dataDir), '{"runId":"partial');
    await load(true);
    await appendFile(
      ledgerPath(dataDir),
      '{"runId":"r-incomplete","table":"cloudtrail_events","dt":"2026-11-02"}\n',
    );

    const after = await readLedger(dataDir);
    expect(after.damaged).toEqual([firstLines + 1, after.rows.length + 2]);
    const forced = after.rows.slice(before.rows.length).filter((r) => r.table === 'cloudtrail_events');
    expect(forced.map((r) => [r.hour, r.status, r.rows, r.engine])).toEqual([
      ['10', 'loaded', 3, 'duckdb'],
      ['11', 'loaded', 1, 'duckdb'],
    ]);

    // The lakeq_runs view reads the same rows: no row of NULLs, no half row.
    const view = await ledgerView();
    const fromLedger = after.rows.filter((r) => r.table === 'cloudtrail_events');
    expect(view.map((r) => [r.runId, r.hour, Number(r.rows), r.engine])).toEqual(
      fromLedger.map((r) => [r.runId, r.hour, r.rows, r.engine]),
    );

    const io = captureIO();
    expect(await main(['runs', '--data-dir', dataDir, '--format', 'json'], io)).toBe(0);
    expect(io.stderr()).toContain(
      `${ledgerPath(dataDir)}: 2 torn or incomplete line(s) skipped (line ${after.damaged.join(', ')})`,
    );
    expect(io.stdout()).not.toContain('partial');
    expect(io.stdout()).not.toContain('r-incomplete');
  });
});
