import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalEngine } from '../../../src/catalog/duckdb/local-engine.ts';
import { TABLES } from '../../../src/catalog/tables/index.ts';
import { planLoad } from '../../../src/ingest/load-plan.ts';
import { runLoad } from '../../../src/ingest/run-load.ts';
import { findingUpdates, planFindings } from '../../../src/sources/security-lake/sample/findings.ts';
import { writeSecurityLakeSample } from '../../../src/sources/security-lake/sample.ts';
import { securityFindingsDaily } from '../../../src/sources/security-lake/tables/security-findings-daily.ts';

const T0 = Date.parse('2026-11-01T00:00:00Z');
const T1 = Date.parse('2026-11-04T00:00:00Z');
const SAMPLE = {
  from: new Date(T0),
  to: new Date(T1),
  seed: 3,
  accounts: 2,
  eventsPerHour: 1,
  versions: 'both' as const,
};
const NOW = new Date('2100-01-01T00:00:00Z');

let dir: string;
let lake: string;
let dataDir: string;
let accounts: string[];

const load = (extra: { from?: Date; to?: Date } = {}) =>
  runLoad({
    dataDir,
    roots: { 'security-lake': lake },
    tables: ['security_findings_daily'],
    from: extra.from ?? new Date(T0),
    to: extra.to ?? new Date(T1),
    now: NOW,
  });

async function tableRows(): Promise<Record<string, unknown>[]> {
  const engine = await openLocalEngine({ sources: {}, dataDir }, { raw: false });
  try {
    const { rows } = await engine.execute(
      CompiledQuery.raw(
        'select dt, hour, finding_uid, record_state, workflow_status, updates, source_version from security_findings_daily order by dt, finding_uid',
      ),
    );
    return rows as Record<string, unknown>[];
  } finally {
    await engine.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-seclake-load-'));
  lake = path.join(dir, 'lake');
  dataDir = path.join(dir, 'data');
  accounts = [...(await writeSecurityLakeSample({ out: lake, ...SAMPLE })).accounts];
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('security_findings_daily', () => {
  it('is one of the curated tables, one partition per day in hour 00', () => {
    expect(TABLES).toContain(securityFindingsDaily);
  });

  it('loads the latest state of each finding per day, from both source versions', async () => {
    const { summary } = await load();
    expect(summary?.failed).toBe(0);
    expect(summary?.loaded).toBe(3);
    const expected = new Map<string, { updates: number; state: string; workflow: string }>();
    for (const u of findingUpdates(
      planFindings(SAMPLE.seed, accounts, ['us-east-1', 'eu-west-1'], T0, T1),
      T0,
      T1,
    )) {
      const key = `${new Date(u.time).toISOString().slice(0, 10)}|${u.finding.uid}`;
      const prior = expected.get(key);
      expected.set(key, {
        updates: (prior?.updates ?? 0) + 1,
        state: u.recordState,
        workflow: { New: 'NEW', 'In Progress': 'NOTIFIED', Resolved: 'RESOLVED' }[u.workflow],
      });
    }
    const rows = await tableRows();
    expect(new Set(rows.map((r) => r.hour))).toEqual(new Set(['00']));
    expect(new Set(rows.map((r) => r.source_version))).toEqual(new Set(['1.0', '2.0']));
    expect(
      Object.fromEntries(
        rows.map((r) => [
          `${r.dt}|${r.finding_uid}`,
          { updates: Number(r.updates), state: r.record_state, workflow: r.workflow_status },
        ]),
      ),
    ).toEqual(Object.fromEntries(expected));
  });

  it('a second run loads nothing; a new file of one day reloads that day only, still one row per finding', async () => {
    const before = await tableRows();
    const again = await load();
    expect(again.summary?.loaded).toBe(0);
    expect(again.summary?.unchanged).toBe(3);
    // A file delivered later on 2026-11-02 (the same records again, as a re-sent batch).
    const dayDir = path.join(
      lake,
      'aws/SH_FINDINGS/2.0/region=us-east-1',
      `accountId=${accounts[0]}`,
      'eventDay=20261102',
    );
    const dayFiles = await readdir(dayDir);
    await copyFile(path.join(dayDir, dayFiles[0] as string), path.join(dayDir, 'late-delivery.parquet'));
    const third = await load();
    expect(third.summary?.loaded).toBe(1);
    expect(third.plan.batches.flatMap((b) => b.partitions.map((p) => `${p.dt}/${p.hour}`))).toEqual([
      '2026-11-02/00',
    ]);
    const after = await tableRows();
    expect(after.map((r) => `${r.dt}|${r.finding_uid}`)).toEqual(
      before.map((r) => `${r.dt}|${r.finding_uid}`),
    );
    const doubled = after.filter((r, i) => Number(r.updates) !== Number(before[i]?.updates));
    expect(doubled.length).toBeGreaterThan(0);
    expect(doubled.every((r) => r.dt === '2026-11-02')).toBe(true);
  });

  it('an hourly window in the afternoon plans its day’s partition, so files delivered later in the day reload it', async () => {
    const plan = await planLoad({
      tables: [securityFindingsDaily],
      roots: { 'security-lake': lake },
      from: new Date('2026-11-02T13:00:00Z'),
      to: new Date('2026-11-02T16:00:00Z'),
      ledger: [],
      versions: new Map([['transforms/security-findings-day', '1.0.0']]),
      maxPartitionsPerBatch: 100,
      now: NOW,
    });
    expect(plan.batches.flatMap((b) => b.partitions.map((p) => `${p.dt}/${p.hour}`))).toEqual([
      '2026-11-02/00',
    ]);
  });

  it('a missing Security Lake folder plans nothing for it (most estates have none), instead of failing', async () => {
    const plan = await planLoad({
      tables: [securityFindingsDaily],
      roots: { 'security-lake': path.join(dir, 'no-such-lake') },
      from: new Date(T0),
      to: new Date(T1),
      ledger: [],
      versions: new Map([['transforms/security-findings-day', '1.0.0']]),
      maxPartitionsPerBatch: 100,
      now: NOW,
    });
    expect(plan.batches).toEqual([]);
  });

  it('security_lake_activity_daily counts the signals the views hold, per day', async () => {
    const { summary } = await runLoad({
      dataDir,
      roots: { 'security-lake': lake },
      tables: ['security_lake_activity_daily'],
      from: new Date(T0),
      to: new Date(T1),
      now: NOW,
    });
    expect(summary?.failed).toBe(0);
    expect(summary?.loaded).toBe(3);
    const engine = await openLocalEngine({ sources: { 'security-lake': lake }, dataDir });
    try {
      const q = async (text: string) =>
        (await engine.execute(CompiledQuery.raw(text))).rows as Record<string, unknown>[];
      const loaded = await q(
        `select signal, dt, sum(events) as n from security_lake_activity_daily group by all order by all`,
      );
      const direct = await q(`
        select signal, dt, count(*) as n from (
          select 'api_error' as signal, strftime(time, '%Y-%m-%d') as dt from ocsf_api_activity where api_error is not null
          union all select 'rejected_flow', strftime(time, '%Y-%m-%d') from ocsf_network_activity where action = 'Denied'
          union all select 'root_activity', strftime(time, '%Y-%m-%d') from ocsf_api_activity where actor_user_type = 'Root'
          union all select 'root_activity', strftime(time, '%Y-%m-%d') from ocsf_authentication where actor_user_type = 'Root'
          union all select 'root_activity', strftime(time, '%Y-%m-%d') from ocsf_account_change where actor_user_type = 'Root'
          union all select 'console_sign_in_without_mfa', strftime(time, '%Y-%m-%d') from ocsf_authentication
            where api_operation = 'ConsoleLogin' and status = 'Success' and is_mfa = false
        ) s group by all order by all`);
      expect(loaded.map((r) => [r.signal, r.dt, Number(r.n)])).toEqual(
        direct.map((r) => [r.signal, r.dt, Number(r.n)]),
      );
      expect(new Set(loaded.map((r) => r.signal))).toEqual(
        new Set(['api_error', 'rejected_flow', 'root_activity', 'console_sign_in_without_mfa']),
      );
    } finally {
      await engine.close();
    }
  });
});
