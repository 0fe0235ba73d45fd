import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { readLedger } from '../../src/ingest/ledger.ts';
import { captureIO } from '../support/capture-io.ts';
import { writeRecordsInS3Layout } from '../support/cloudtrail-fixtures.ts';
import { ADMIN_ROLE_ARN, ssoCall } from '../support/identity-center-records.ts';

let root: string;
let trail: string;
let dataDir: string;
let files: string[];

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-shrink-'));
  trail = path.join(root, 'trail');
  dataDir = path.join(root, 'data');
  // Hour 10: six events in three files; hour 11: one event in one file.
  const times = ['10:01', '10:02', '10:03', '10:04', '10:05', '10:06'].map((t) => `2026-11-02T${t}:00Z`);
  files = await writeRecordsInS3Layout(
    trail,
    [...times, '2026-11-02T11:30:00Z'].map((time) =>
      ssoCall({ time, eventName: 'CreateInstance', account: '111122223333', actorArn: ADMIN_ROLE_ARN }),
    ),
    { perFile: 2 },
  );
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Backfill runs are named by the second they start: two identical loads in one second collapse. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1005 - (Date.now() % 1000)));

const load = async (source: string, ...extra: string[]) => {
  await nextSecond();
  const io = captureIO();
  const code = await main(
    [
      'load',
      '--from',
      '2026-11-02T10',
      '--to',
      '2026-11-02T12',
      '--data-dir',
      dataDir,
      '--source',
      `cloudtrail=${source}`,
      ...extra,
    ],
    io,
  );
  return { code, err: io.stderr() };
};
const rowsOf = async () => {
  const io = captureIO();
  const sql = 'select hour, count(*) as n from cloudtrail_events group by hour order by hour';
  await main(['sql', sql, '--format', 'json', '--data-dir', dataDir, '--source', `cloudtrail=${trail}`], io);
  return io.stdout().trim() === '' ? [] : (JSON.parse(io.stdout()) as { hour: string; n: number }[]);
};

describe('a load never replaces good data with less because inputs went missing', () => {
  it('a source folder that does not exist is a usage error, and nothing changes', async () => {
    expect((await load(trail)).code).toBe(0);
    expect(await rowsOf()).toEqual([
      { hour: '10', n: 6 },
      { hour: '11', n: 1 },
    ]);
    const typo = path.join(root, 'no-such-trail');
    const run = await load(typo);
    expect(run.code).toBe(2);
    expect(run.err.trim()).toBe(`lakeq: --source cloudtrail=${typo}: no such folder`);
    expect(await rowsOf()).toEqual([
      { hour: '10', n: 6 },
      { hour: '11', n: 1 },
    ]);
  });

  it('keeps a partition whose files are gone, or mostly gone, says so, and records it; --allow-shrink replaces it', async () => {
    // Two of hour 10's three files and hour 11's only file (which can hold hour 10's late events too) disappear (a lifecycle rule, a sync --delete).
    await rm(files[0] ?? '');
    await rm(files[1] ?? '');
    await rm(files[3] ?? '');
    const kept = await load(trail);
    expect(kept.code).toBe(0);
    expect(kept.err).toContain(
      'kept cloudtrail_events 2026-11-02/10: 1 of its 4 source files remain: kept its 6 rows',
    );
    expect(kept.err).toContain(
      'kept cloudtrail_events 2026-11-02/11: its 1 source files are gone: kept its 1 rows',
    );
    expect(await rowsOf()).toEqual([
      { hour: '10', n: 6 },
      { hour: '11', n: 1 },
    ]);
    const { rows } = await readLedger(dataDir);
    const last = rows.filter((r) => r.table === 'cloudtrail_events').slice(-2);
    expect(last.map((r) => [r.hour, r.status, r.error?.replace(/:.*/, '')])).toEqual([
      ['10', 'skipped', '1 of its 4 source files remain'],
      ['11', 'skipped', 'its 1 source files are gone'],
    ]);

    const replaced = await load(trail, '--allow-shrink');
    expect(replaced.code).toBe(0);
    expect(replaced.err).not.toContain('kept ');
    expect(await rowsOf()).toEqual([{ hour: '10', n: 2 }]);
  });

  it('keeps a partition that a damaged file would shrink by more than half; --allow-shrink replaces it', async () => {
    const own = path.join(root, 'damaged');
    const ownTrail = path.join(own, 'trail');
    const ownData = path.join(own, 'data');
    const times = Array.from({ length: 12 }, (_, i) => `2026-11-02T12:${String(i * 4).padStart(2, '0')}:00Z`);
    const [only] = await writeRecordsInS3Layout(
      ownTrail,
      times.map((time) =>
        ssoCall({ time, eventName: 'CreateInstance', account: '111122223333', actorArn: ADMIN_ROLE_ARN }),
      ),
    );
    const run = async (...extra: string[]) => {
      await nextSecond();
      const io = captureIO();
      const args = [
        'load',
        '--from',
        '2026-11-02T12',
        '--to',
        '2026-11-02T13',
        '--data-dir',
        ownData,
        '--source',
        `cloudtrail=${ownTrail}`,
      ];
      return { code: await main([...args, ...extra], io), err: io.stderr() };
    };
    expect((await run()).code).toBe(0);
    // The file is still there, but overwritten in place with something unreadable.
    await writeFile(only ?? '', 'not gzip at all');
    const kept = await run();
    expect(kept.code, kept.err).toBe(0);
    expect(kept.err).toContain(
      'kept cloudtrail_events 2026-11-02/12: rebuilt from its files it would drop from 12 to 0 rows',
    );
    const count = async () => {
      const io = captureIO();
      await main(
        [
          'sql',
          'select count(*) as n from cloudtrail_events',
          '--format',
          'csv',
          '--data-dir',
          ownData,
          '--source',
          `cloudtrail=${ownTrail}`,
        ],
        io,
      );
      return io.stdout();
    };
    expect(await count()).toBe('n\n12\n');
    const replaced = await run('--allow-shrink');
    expect(replaced.code, replaced.err).toBe(0);
    expect(await count()).not.toBe('n\n12\n');
  });
});
