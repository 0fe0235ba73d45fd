import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { runLoad } from '../../src/ingest/run-load.ts';
import { captureIO } from '../support/capture-io.ts';
import { writeRecordsInS3Layout } from '../support/cloudtrail-fixtures.ts';
import { ADMIN_ROLE_ARN, ssoCall } from '../support/identity-center-records.ts';

let root: string;
let trail: string;
let bad: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-sql-raw-scan-'));
  trail = path.join(root, 'trail');
  const times = ['2026-11-02T10:05:00Z', '2026-11-02T10:06:00Z', '2026-11-02T11:07:00Z'];
  const files = await writeRecordsInS3Layout(
    trail,
    times.map((time) =>
      ssoCall({ time, eventName: 'CreateInstance', account: '111122223333', actorArn: ADMIN_ROLE_ARN }),
    ),
    { perFile: 1 },
  );
  bad = path.join(path.dirname(files[0] as string), '111122223333_CloudTrail_us-east-1_bad.json.gz');
  await writeFile(bad, 'this is not gzip');
  await runLoad({
    dataDir: path.join(root, 'data'),
    roots: { cloudtrail: trail },
    from: new Date('2026-11-02T10:00:00Z'),
    to: new Date('2026-11-02T12:00:00Z'),
    now: new Date('2026-11-20T00:00:00Z'),
  });
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function sql(text: string): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO();
  const code = await main(
    [
      'sql',
      text,
      '--data-dir',
      path.join(root, 'data'),
      '--source',
      `cloudtrail=${trail}`,
      '--format',
      'csv',
    ],
    io,
  );
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('lakeq sql scans the raw folders only for SQL that names a raw view', () => {
  it('reads every good file of the trail, and names the bad one, when the SQL reads a raw view', async () => {
    const run = await sql('select count(*) as n, count(distinct source_file) as files from cloudtrail_raw');
    expect(run.code).toBe(0);
    expect(run.out.trim().split('\n')).toEqual(['n,files', '3,3']);
    expect(run.err).toContain(`skipped ${bad}: not gzip-compressed`);
    const logs = await sql(`select count(*) as n from cloudtrail_logs where eventname = 'CreateInstance'`);
    expect(logs.out.trim().split('\n')).toEqual(['n', '3']);
  });

  it('does not look at the trail for SQL over the curated tables', async () => {
    const run = await sql('select count(*) as n from cloudtrail_events');
    expect(run.code).toBe(0);
    expect(run.out.trim().split('\n')).toEqual(['n', '3']);
    expect(run.err).not.toContain('skipped');
  });
});
