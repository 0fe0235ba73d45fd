import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAlarmState } from '../../src/alarms/alarm-store.ts';
import { run } from '../../src/cli/commands/alarms.ts';
import { appendLedger } from '../../src/ingest/ledger.ts';
import { captureIO } from '../support/capture-io.ts';
import { ledgerRow } from './ledger-rows.ts';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'lakeq-alarms-cli-'));
  await appendLedger(dataDir, [
    ledgerRow({
      table: 'cloudtrail_events',
      dt: '2026-11-27',
      hour: '20',
      status: 'loaded',
      rows: 9,
      finishedAt: '2026-11-27T21:05:00Z',
    }),
    ledgerRow({
      table: 'cloudtrail_events',
      dt: '2026-11-27',
      hour: '21',
      status: 'failed',
      finishedAt: '2026-11-28T00:50:00Z',
    }),
  ]);
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const cells = (line: string | undefined) => (line ?? '').split('|').map((c) => c.trim());

describe('lakeq alarms', () => {
  it('evaluates, prints a table and records the states; history lists the transitions', async () => {
    const io = captureIO();
    expect(await run(['--data-dir', dataDir, '--at', '2026-11-28T01:20:00Z'], io)).toBe(0);
    const lines = io.stdout().trim().split('\n');
    expect(cells(lines[0])).toEqual(['name', 'state', 'value', 'threshold', 'since', 'reason']);
    const row = (name: string) => cells(lines.find((l) => l.startsWith(`${name} `)));
    // Newest partition 20:00, last finished hour 00:00: 4 hours behind.
    expect(row('loads-stopped').slice(0, 5)).toEqual([
      'loads-stopped',
      'ALARM',
      '4',
      '> 3',
      '2026-11-28T01:20:00.000Z',
    ]);
    expect(row('etl-failed-loads').slice(0, 4)).toEqual(['etl-failed-loads', 'ALARM', '1', '> 0']);
    expect(io.stderr()).toContain('loads-stopped: INSUFFICIENT_DATA → ALARM');
    expect((await readAlarmState(dataDir))?.alarms['loads-stopped']?.state).toBe('ALARM');

    const json = captureIO();
    expect(
      await run(['--data-dir', dataDir, '--at', '2026-11-28T01:30:00Z', '--json', '--dry-run'], json),
    ).toBe(0);
    const report = JSON.parse(json.stdout()) as {
      recorded: boolean;
      alarms: { name: string; since: string }[];
    };
    expect(report.recorded).toBe(false);
    expect(report.alarms.find((a) => a.name === 'loads-stopped')?.since).toBe('2026-11-28T01:20:00.000Z');

    const history = captureIO();
    expect(await run(['history', '--data-dir', dataDir, '--alarm', 'loads-stopped'], history)).toBe(0);
    const h = history.stdout().trim().split('\n');
    expect(cells(h[0])).toEqual(['at', 'alarm', 'from', 'to', 'value', 'threshold', 'reason']);
    expect(cells(h[2]).slice(0, 5)).toEqual([
      '2026-11-28T01:20:00.000Z',
      'loads-stopped',
      'INSUFFICIENT_DATA',
      'ALARM',
      '4',
    ]);
    expect(h[3]).toBe('(1 row)');
  }, 60_000);

  it('refuses a bad time or stray words as usage errors', async () => {
    await expect(run(['--data-dir', dataDir, '--at', 'yesterday'], captureIO())).rejects.toMatchObject({
      usage: true,
      message: expect.stringContaining('--at: "yesterday" is not a date'),
    });
    await expect(run(['--data-dir', dataDir, 'list'], captureIO())).rejects.toMatchObject({ usage: true });
  });
});

describe('lakeq alarms thresholds from lakeq.config.json', () => {
  it('alarms.glueDailyCostUsd sets the glue-daily-cost threshold', async () => {
    const { writeFile } = await import('node:fs/promises');
    const config = path.join(dataDir, 'lakeq.config.json');
    await writeFile(config, JSON.stringify({ alarms: { glueDailyCostUsd: 12.5 } }));
    const io = captureIO();
    const args = [
      '--config',
      config,
      '--data-dir',
      dataDir,
      '--at',
      '2026-11-28T01:20:00Z',
      '--dry-run',
      '--json',
    ];
    expect(await run(args, io)).toBe(0);
    const report = JSON.parse(io.stdout()) as { alarms: { name: string; threshold: number }[] };
    expect(report.alarms.find((a) => a.name === 'glue-daily-cost')?.threshold).toBe(12.5);
    await writeFile(config, JSON.stringify({ alarms: { glueDailyCostUsd: -1 } }));
    await expect(run(['--config', config, '--data-dir', dataDir], captureIO())).rejects.toThrow(
      /alarms\.glueDailyCostUsd: Too small/,
    );
  });
});
