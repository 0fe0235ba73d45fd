import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { readLedger } from '../../../src/ingest/ledger.ts';
import { captureIO } from '../../support/capture-io.ts';
import { writeRecordsInS3Layout } from '../../support/cloudtrail-fixtures.ts';
import { ADMIN_ROLE_ARN, ssoCall } from '../../support/identity-center-records.ts';

let root: string;
let trail: string;
let dataDir: string;
const EVENTS = 12;
/** What each odd entry of the day folder must be named with. */
const EXPECTED: Record<string, RegExp> = {};

const name = (stamp: string, tag: string) =>
  `111122223333_CloudTrail_us-east-1_20261102T${stamp}Z_${tag}.json.gz`;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-odd-files-'));
  trail = path.join(root, 'trail');
  dataDir = path.join(root, 'data');
  const times = Array.from(
    { length: EVENTS },
    (_, i) => `2026-11-02T10:${String(i * 4).padStart(2, '0')}:00Z`,
  );
  const [file] = await writeRecordsInS3Layout(
    trail,
    times.map((time) =>
      ssoCall({ time, eventName: 'CreateInstance', account: '111122223333', actorArn: ADMIN_ROLE_ARN }),
    ),
  );
  const day = path.dirname(file ?? '');
  // A sibling folder with its own copy of the events, reachable only through a link.
  const sibling = path.join(root, 'sibling');
  await mkdir(sibling);
  await writeFile(path.join(sibling, name('1010', 'copy')), gzipSync(JSON.stringify({ Records: [] })));
  const odd = async (tag: string, make: (p: string) => Promise<unknown>, reason: RegExp) => {
    const entry = path.join(day, name('1015', tag));
    await make(entry);
    EXPECTED[entry] = reason;
  };
  await odd('dirlink', (p) => symlink(sibling, p), /symbolic link to a folder \(not followed\)/);
  await odd('loop', (p) => symlink(p, p), /symbolic link in a loop/);
  await odd('dangling', (p) => symlink(path.join(root, 'gone'), p), /dangling symbolic link/);
  await odd(
    'devzero',
    (p) => symlink(path.join(path.sep, 'dev', 'zero'), p),
    /symbolic link to a character device/,
  );
  await odd('folder', (p) => mkdir(p), /a folder, not a file/);
  await odd('fifo', async (p) => execFileSync('mkfifo', [p]), /a FIFO \(named pipe\), not a regular file/);
  await odd('glob*', (p) => writeFile(p, gzipSync(JSON.stringify({ Records: [] }))), /read as a pattern/);
  const truncated = gzipSync(
    JSON.stringify({
      Records: [
        ssoCall({
          time: '2026-11-02T10:59:00Z',
          eventName: 'DeleteInstance',
          account: '111122223333',
          actorArn: ADMIN_ROLE_ARN,
        }),
      ],
    }),
  );
  await odd('q"uote', (p) => writeFile(p, truncated.subarray(0, truncated.length - 12)), /.+/);
});
afterAll(() => rm(root, { recursive: true, force: true }));

const common = () => ['--data-dir', dataDir, '--source', `cloudtrail=${trail}`];

describe('odd entries named like CloudTrail logs', () => {
  it('a load reads each real file once, names every odd entry once with its reason, and goes on', async () => {
    const io = captureIO();
    expect(await main(['load', '--from', '2026-11-02', '--to', '2026-11-03', ...common()], io)).toBe(0);
    const { rows } = await readLedger(dataDir);
    const hour10 = rows.find(
      (r) => r.table === 'cloudtrail_events' && r.hour === '10' && r.status === 'loaded',
    );
    expect(hour10?.rows).toBe(EVENTS);
    const quarantined = new Map(hour10?.quarantined.map((q) => [q.path, q.reason]));
    for (const [entry, reason] of Object.entries(EXPECTED)) {
      expect(quarantined.get(entry), entry).toMatch(reason);
      // Named on one line (a reason may quote the path again).
      expect(
        io
          .stderr()
          .split('\n')
          .filter((l) => l.includes(entry)),
        entry,
      ).toHaveLength(1);
    }
  });

  it('lakeq sql over the raw views counts the same events and names the same entries', async () => {
    const io = captureIO();
    const sql =
      "select count(*) as n from cloudtrail_events_raw where eventTime < TIMESTAMP '2026-11-03 00:00:00'";
    expect(await main(['sql', sql, '--format', 'csv', ...common()], io)).toBe(0);
    expect(io.stdout()).toBe(`n\n${EVENTS}\n`);
    for (const entry of Object.keys(EXPECTED)) expect(io.stderr(), entry).toContain(entry);
  });
});
