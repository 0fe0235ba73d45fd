import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { runLoad } from '../../src/ingest/run-load.ts';
import { captureIO } from '../support/capture-io.ts';
import { writeRecordsInS3Layout } from '../support/cloudtrail-fixtures.ts';
import { ADMIN_ROLE_ARN, ssoCall } from '../support/identity-center-records.ts';

let root: string;
let dataDir: string;
let trail: string;
let outside: string;
let partition: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-sql-sandbox-'));
  dataDir = path.join(root, 'data');
  trail = path.join(root, 'trail');
  outside = await mkdtemp(path.join(tmpdir(), 'lakeq-outside-'));
  await writeFile(path.join(outside, 'secret.txt'), 'not yours');
  const times = ['2026-11-02T10:05:00Z', '2026-11-02T10:06:00Z'];
  await writeRecordsInS3Layout(
    trail,
    times.map((time) =>
      ssoCall({ time, eventName: 'CreateInstance', account: '111122223333', actorArn: ADMIN_ROLE_ARN }),
    ),
  );
  await runLoad({
    dataDir,
    roots: { cloudtrail: trail },
    from: new Date('2026-11-02T10:00:00Z'),
    to: new Date('2026-11-02T11:00:00Z'),
    now: new Date('2026-11-20T00:00:00Z'),
  });
  partition = path.join(
    dataDir,
    'curated',
    'cloudtrail_events',
    'dt=2026-11-02',
    'hour=10',
    'part-0.parquet',
  );
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

async function sql(text: string, ...extra: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO();
  const code = await main(
    ['sql', text, '--data-dir', dataDir, '--source', `cloudtrail=${trail}`, '--format', 'csv', ...extra],
    io,
  );
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('lakeq sql is read-only and stays in its folders unless --unsafe', () => {
  it('answers queries over the local tables, DESCRIBE, SHOW and EXPLAIN', async () => {
    expect(await sql('select count(*) as n from cloudtrail_events')).toMatchObject({
      code: 0,
      out: 'n\n2\n',
    });
    expect((await sql('describe cloudtrail_events')).code).toBe(0);
    expect((await sql('show tables')).out).toContain('cloudtrail_events');
    expect((await sql('explain select count(*) from cloudtrail_events')).code).toBe(0);
  });

  it('refuses writes, even inside the data folder and through EXPLAIN ANALYZE, and leaves the partition alone', async () => {
    const before = await readFile(partition);
    for (const text of [
      `COPY (select * from cloudtrail_events limit 1) TO '${partition}' (FORMAT parquet)`,
      `explain analyze COPY (select 1) TO '${partition}' (FORMAT parquet)`,
      'create table t as select 1',
      `ATTACH '${path.join(dataDir, 'x.db')}'`,
      'SET enable_external_access = true',
      'select 1; select 2',
    ]) {
      const run = await sql(text);
      expect(run.code, text).toBe(2);
      expect(run.err, text).toMatch(/^lakeq: lakeq sql runs (read-only statements|one statement at a time)/);
    }
    expect(await readFile(partition)).toEqual(before);
    expect(await readdir(dataDir)).not.toContain('x.db');
  });

  it('refuses to read a file outside the data folder and the sources, and to install an extension', async () => {
    const read = await sql(`select * from read_text('${path.join(outside, 'secret.txt')}')`);
    expect(read.code).toBe(1);
    expect(read.err).toContain(`${path.join(outside, 'secret.txt')} is outside them; --unsafe lifts this`);
    expect(read.out).not.toContain('not yours');
    const install = await sql('INSTALL httpfs');
    expect(install.code).toBe(2);
    expect(install.err).toContain('an INSTALL or LOAD statement');
  });

  it('with --unsafe, runs what the user means: a write and a read anywhere', async () => {
    const target = path.join(outside, 'copy.csv');
    expect((await sql(`COPY (select 42 as answer) TO '${target}'`, '--unsafe')).code).toBe(0);
    expect((await stat(target)).size).toBeGreaterThan(0);
    const read = await sql(
      `select content from read_text('${path.join(outside, 'secret.txt')}')`,
      '--unsafe',
    );
    expect(read).toMatchObject({ code: 0 });
    expect(read.out).toContain('not yours');
  });
});
