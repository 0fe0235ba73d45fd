import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { systemErrorLine } from '../../src/cli/system-errors.ts';
import { captureIO } from '../support/capture-io.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-errors-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Runs the CLI; the error must be one line, without a stack trace. */
async function fails(args: string[], code: number): Promise<string> {
  const io = captureIO();
  expect(await main(args, io), args.join(' ')).toBe(code);
  const err = io.stderr().trim();
  expect(err.split('\n'), err).toHaveLength(1);
  expect(err).not.toMatch(/\bat .+:\d+:\d+/);
  return err;
}

describe('ordinary errors are one line: what and where', () => {
  it('--out into a missing folder, or onto a folder', async () => {
    const missing = path.join(root, 'no', 'such', 'x.csv');
    expect(await fails(['sql', 'select 1 as x', '--data-dir', root, '--out', missing], 1)).toBe(
      `lakeq: cannot open ${missing}: no such file or folder`,
    );
    expect(await fails(['sql', 'select 1 as x', '--data-dir', root, '--out', root], 1)).toBe(
      `lakeq: cannot open ${root}: is a folder, not a file`,
    );
  });

  it('a data folder that is a file', async () => {
    const file = path.join(root, 'afile');
    await writeFile(file, 'x');
    expect(await fails(['runs', '--data-dir', file], 1)).toBe(
      `lakeq: the data folder ${file} is a file, not a folder`,
    );
  });

  it('a port in use', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    try {
      const args = ['dashboards', 'serve', '--port', String(port), '--data-dir', root];
      expect(await fails(args, 1)).toBe(
        `lakeq: cannot listen on 127.0.0.1:${port}: the port is in use (choose another with --port)`,
      );
    } finally {
      busy.close();
    }
  });

  it('an unknown table in --tables is a usage error (2), before anything runs', async () => {
    const err = await fails(
      ['load', '--from', '2026-11-01', '--to', '2026-11-02', '--tables', 'nope', '--data-dir', root],
      2,
    );
    expect(err).toMatch(/^lakeq: unknown table "nope" \(tables: cloudtrail_events, /);
  });

  it('query run and sql on a data folder with nothing loaded say so', async () => {
    const empty = path.join(root, 'empty');
    const run = [
      'query',
      'run',
      'identity-center/instance-churn',
      '--param',
      'from=2026-11-01',
      '--param',
      'to=2026-11-02',
    ];
    expect(await fails([...run, '--data-dir', empty], 1)).toMatch(
      /^lakeq: nothing is loaded in .*empty: .+ no partitions yet; run lakeq load/,
    );
    expect(await fails(['sql', 'select count(*) from cloudtrail_events', '--data-dir', empty], 1)).toMatch(
      /^lakeq: nothing is loaded in .*empty: cloudtrail_events has no partitions yet/,
    );
    // SQL that reads no curated table still answers.
    const io = captureIO();
    expect(await main(['sql', 'select 41 + 1 as n', '--data-dir', empty, '--format', 'csv'], io)).toBe(0);
    expect(io.stdout()).toBe('n\n42\n');
  });

  it('system errors of other kinds, as the code says them', () => {
    const sys = (code: string, syscall: string, extra: object = {}) =>
      systemErrorLine(Object.assign(new Error(`${code}: x`), { code, syscall, ...extra }));
    expect(sys('EROFS', 'open', { path: 'ro-mount/x.csv' })).toBe(
      'cannot open ro-mount/x.csv: the file system is read-only',
    );
    expect(sys('EACCES', 'mkdir', { path: 'private/d' })).toBe(
      'cannot create the folder private/d: permission denied',
    );
    expect(sys('ENOSPC', 'write')).toBe('cannot write: no space left on device');
    expect(systemErrorLine(new Error('plain'))).toBeUndefined();
  });
});
