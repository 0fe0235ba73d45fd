import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { captureIO } from '../support/capture-io.ts';
import { writeRecordsInS3Layout } from '../support/cloudtrail-fixtures.ts';
import { ADMIN_ROLE_ARN, ssoCall } from '../support/identity-center-records.ts';

let root: string;
let common: string[];

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-run-cli-'));
  const trail = path.join(root, 'trail');
  // 2020: long finished on the real clock the CLI uses.
  await writeRecordsInS3Layout(trail, [
    ssoCall({
      time: '2020-03-01T12:10:00Z',
      eventName: 'CreateInstance',
      account: '111122223333',
      actorArn: ADMIN_ROLE_ARN,
    }),
    ssoCall({
      time: '2020-03-01T13:15:00Z',
      eventName: 'DeleteInstance',
      account: '111122223333',
      actorArn: ADMIN_ROLE_ARN,
    }),
  ]);
  common = ['--data-dir', path.join(root, 'data'), '--source', `cloudtrail=${trail}`];
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function cli(...args: string[]) {
  const io = captureIO();
  const code = await main(args, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('lakeq run', () => {
  it('runs the hourly state machine for an hour, once', async () => {
    const first = await cli('run', 'hourly', '--hour', '2020-03-01T13', ...common);
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toMatch(
      /^hourly-2020-03-01T13 SUCCEEDED \d+ partitions, 2 datasets refreshed \(lakeq-identity-center-instance-churn-hourly, lakeq-pipeline-runs\)\n$/,
    );
    const again = await cli('run', 'hourly', '--hour', '2020-03-01T13', ...common);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(
      /^hourly-2020-03-01T13 DUPLICATE already ran \(SUCCEEDED, started .*\); not run again\n$/,
    );
  });

  it('runs a backfill, refreshing at the end', async () => {
    const { code, out } = await cli(
      'run',
      'backfill',
      '--from',
      '2020-03-01',
      '--to',
      '2020-03-02',
      ...common,
    );
    expect(code).toBe(0);
    expect(out).toMatch(
      /^backfill-2020-03-01T00-2020-03-02T00-\d{8}T\d{6}\.\d{3}Z SUCCEEDED \d+ partitions, 2 datasets refreshed \(lakeq-identity-center-instance-churn-hourly, lakeq-pipeline-runs\)\n$/,
    );
  });

  it('refuses wrong usage with exit code 2', async () => {
    expect((await cli('run', 'daily', ...common)).code).toBe(2);
    expect((await cli('run', 'backfill', '--from', '2020-03-01', ...common)).err).toMatch(
      /--from and --to are required/,
    );
    expect((await cli('run', 'hourly', '--from', '2020-03-01', ...common)).code).toBe(2);
    expect((await cli('run', 'hourly', '--hour', 'noon', ...common)).err).toMatch(/--hour/);
    expect((await cli('run', 'hourly', '--lookback', 'two', ...common)).err).toMatch(/--lookback must be/);
    expect((await cli('run', '--help')).out).toMatch(/^Usage: lakeq run hourly/);
  });
});
