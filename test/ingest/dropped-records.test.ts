import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { readLedger } from '../../src/ingest/ledger.ts';
import { captureIO } from '../support/capture-io.ts';
import { ADMIN_ROLE_ARN, ssoCall } from '../support/identity-center-records.ts';

let root: string;
let trail: string;
let dataDir: string;

const record = (eventTime: unknown, id: string) => {
  const r: Record<string, unknown> = {
    ...ssoCall({
      time: '2026-11-02T10:30:00Z',
      eventName: 'CreateInstance',
      account: '111122223333',
      actorArn: ADMIN_ROLE_ARN,
    }),
    eventID: id,
  };
  if (eventTime === undefined) delete r.eventTime;
  else r.eventTime = eventTime;
  return r;
};

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-dropped-'));
  trail = path.join(root, 'trail');
  dataDir = path.join(root, 'data');
  const day = path.join(trail, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2026', '11', '02');
  await mkdir(day, { recursive: true });
  // Delivered at 11:05: seven records, two of them valid (10:30 and 11:01).
  const seven = [
    record(undefined, 'missing'),
    record(null, 'null'),
    record('not-a-time', 'garbage'),
    record('2026-11-02T10:61:00Z', 'bad-minute'),
    record('2030-01-01T00:00:00Z', 'future'),
    record('2026-11-02T10:30:00Z', 'ok-1'),
    record('2026-11-02T11:01:00Z', 'ok-2'),
  ];
  await writeFile(
    path.join(day, '111122223333_CloudTrail_us-east-1_20261102T1105Z_seven.json.gz'),
    gzipSync(JSON.stringify({ Records: seven })),
  );
  // Delivered at 20:05, holding an event of 10:05: ten hours late, beyond the 3-hour bound.
  await writeFile(
    path.join(day, '111122223333_CloudTrail_us-east-1_20261102T2005Z_late.json.gz'),
    gzipSync(
      JSON.stringify({
        Records: [
          record('2026-11-02T10:05:00Z', 'ten-hours-late'),
          record('2026-11-02T20:01:00Z', 'on-time'),
        ],
      }),
    ),
  );
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('every record read is loaded or counted with its reason', () => {
  it('a whole-day load counts the records it cannot place, in the summary and the ledger', async () => {
    const io = captureIO();
    const args = [
      'load',
      '--from',
      '2026-11-02',
      '--to',
      '2026-11-03',
      '--data-dir',
      dataDir,
      '--source',
      `cloudtrail=${trail}`,
    ];
    expect(await main(args, io)).toBe(0);
    const { rows } = await readLedger(dataDir);
    const events = rows.filter((r) => r.table === 'cloudtrail_events' && r.status === 'loaded');
    expect(events.reduce((n, r) => n + r.rows, 0)).toBe(3);
    // Each file is accounted in its delivery hour, once.
    expect(
      events
        .filter((r) => r.dropped)
        .map((r) => [r.hour, r.dropped])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual([
      ['11', { noTime: 4, future: 1, outsideHours: 0 }],
      ['20', { noTime: 0, future: 0, outsideHours: 1 }],
    ]);
    expect(io.stderr()).toContain(
      'records not loaded: 4 without a usable eventTime, 1 in the future, 1 outside the hours their file is read for (more than 3 h before its delivery, or after it)',
    );
    // Read + loaded + dropped: 9 records read, 3 loaded, 6 counted.
    const runs = captureIO();
    expect(
      await main(['runs', '--table', 'cloudtrail_events', '--format', 'json', '--data-dir', dataDir], runs),
    ).toBe(0);
    const listed = JSON.parse(runs.stdout()) as { partition: string; dropped: number }[];
    expect(
      listed
        .filter((r) => r.dropped > 0)
        .map((r) => [r.partition, r.dropped])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual([
      ['2026-11-02/11', 5],
      ['2026-11-02/20', 1],
    ]);
  });
});
