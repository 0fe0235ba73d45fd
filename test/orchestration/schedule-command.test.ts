import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { floorHour, HOUR_MS, hourKey } from '../../src/ingest/hours.ts';
import { readExecutionRecord } from '../../src/orchestration/execution-records.ts';
import { scheduleRecordPath } from '../../src/orchestration/scheduler/scheduler.ts';
import { type CapturedIO, captureIO } from '../support/capture-io.ts';

describe('lakeq schedule', () => {
  it('checks its options before doing anything', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lakeq-schedule-cli-'));
    try {
      const io = captureIO();
      expect(await main(['schedule', '--at-minute', '75', '--data-dir', dir], io)).toBe(2);
      expect(io.stderr()).toContain('--at-minute must be 0 to 59');
      expect(await main(['schedule', '--max-catch-up', '0', '--data-dir', dir], captureIO())).toBe(2);
      const help = captureIO();
      expect(await main(['schedule', '--help'], help)).toBe(0);
      expect(help.stdout()).toContain('catches up the hours missed');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** A CliIO whose Ctrl-C the test presses: `interrupt()` once stops, twice forces. */
function interruptibleIO(): CapturedIO & { interrupt(): void } {
  const base = captureIO();
  const controller = new AbortController();
  const force: (() => void)[] = [];
  let presses = 0;
  return {
    ...base,
    signal: controller.signal,
    onForce: (listener) => {
      force.push(listener);
    },
    interrupt: () => {
      presses++;
      if (presses === 1) controller.abort();
      else for (const listener of force) listener();
    },
  };
}

/** Resolves with the name of the first execution record that says RUNNING. */
async function firstRunning(dataDir: string): Promise<string> {
  const dir = path.join(dataDir, 'orchestration', 'executions');
  for (;;) {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (!name.endsWith('.json')) continue;
      const text = await readFile(path.join(dir, name), 'utf8').catch(() => '');
      if (text.includes('"RUNNING"')) return name.replace(/\.json$/, '');
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('lakeq schedule and Ctrl-C', () => {
  /** A data folder whose scheduler last ran four hours ago: three hours to catch up. */
  async function behind(): Promise<{ root: string; args: string[]; dataDir: string }> {
    const root = await mkdtemp(path.join(tmpdir(), 'lakeq-schedule-int-'));
    const dataDir = path.join(root, 'data');
    const trail = path.join(root, 'trail');
    await mkdir(trail, { recursive: true });
    await mkdir(path.join(dataDir, 'ledger'), { recursive: true });
    const last = new Date(floorHour(new Date()).getTime() - 5 * HOUR_MS);
    const line = {
      hour: hourKey(last),
      status: 'SUCCEEDED',
      detail: '',
      finishedAt: new Date().toISOString(),
    };
    await writeFile(scheduleRecordPath(dataDir), `${JSON.stringify(line)}\n`);
    return {
      root,
      dataDir,
      args: ['schedule', '--at-minute', '0', '--data-dir', dataDir, '--source', `cloudtrail=${trail}`],
    };
  }

  it('a first Ctrl-C finishes the current run, records it, and stops', async () => {
    const { root, dataDir, args } = await behind();
    try {
      const io = interruptibleIO();
      const done = main(args, io);
      const name = await firstRunning(dataDir);
      io.interrupt();
      expect(await done).toBe(0);
      const record = await readExecutionRecord(dataDir, name);
      expect(record?.status).toBe('SUCCEEDED');
      const executions = await readdir(path.join(dataDir, 'orchestration', 'executions'));
      expect(executions.filter((f) => f.endsWith('.json'))).toEqual([`${name}.json`]);
      expect(io.stdout()).toMatch(new RegExp(`hourly ${name.replace('hourly-', '')} SUCCEEDED`));
      expect(io.stderr()).toContain('stopping after the current run');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('a second Ctrl-C aborts the run; the aborted hour is not recorded and may be run again', async () => {
    const { root, dataDir, args } = await behind();
    try {
      const io = interruptibleIO();
      const done = main(args, io);
      const name = await firstRunning(dataDir);
      io.interrupt();
      io.interrupt();
      expect(await done).toBe(0);
      const record = await readExecutionRecord(dataDir, name);
      expect(record?.status, JSON.stringify({ record, out: io.stdout(), err: io.stderr() })).toBe('ABORTED');
      expect(await readFile(scheduleRecordPath(dataDir), 'utf8')).not.toContain(name.replace('hourly-', ''));

      const again = captureIO();
      const hour = name.replace('hourly-', '');
      const trail = args[args.length - 1]?.replace('cloudtrail=', '') ?? '';
      expect(
        await main(
          ['run', 'hourly', '--hour', hour, '--data-dir', dataDir, '--source', `cloudtrail=${trail}`],
          again,
        ),
      ).toBe(0);
      expect(again.stdout() + again.stderr()).not.toContain('already ran');
      expect((await readExecutionRecord(dataDir, name))?.status).toBe('SUCCEEDED');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
