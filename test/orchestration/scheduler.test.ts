import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hourKey } from '../../src/ingest/hours.ts';
import {
  type HourRunResult,
  runScheduler,
  type SchedulerClock,
  scheduleRecordPath,
} from '../../src/orchestration/scheduler/scheduler.ts';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'lakeq-sched-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** A clock that jumps forward when the scheduler sleeps. */
function fakeClock(start: string): SchedulerClock & { slept: number[] } {
  let t = Date.parse(start);
  const slept: number[] = [];
  return {
    slept,
    now: () => new Date(t),
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

function harness(stopAfter: number) {
  const controller = new AbortController();
  const hours: string[] = [];
  const lines: string[] = [];
  const runHour = async (hour: Date): Promise<HourRunResult> => {
    hours.push(hourKey(hour));
    if (hours.length >= stopAfter) controller.abort();
    return { status: 'SUCCEEDED', detail: 'ok' };
  };
  return { controller, hours, lines, runHour, log: (l: string) => lines.push(l) };
}

describe('lakeq schedule', () => {
  it('runs the previous hour at the set minute, then each following hour', async () => {
    const h = harness(3);
    const clock = fakeClock('2026-11-27T13:10:00Z');
    await runScheduler({
      dataDir,
      atMinute: 5,
      clock,
      runHour: h.runHour,
      log: h.log,
      signal: h.controller.signal,
    });
    expect(h.hours).toEqual(['2026-11-27T12', '2026-11-27T13', '2026-11-27T14']);
    // it woke at 14:05 and 15:05
    expect(clock.slept).toEqual([55 * 60_000, 60 * 60_000]);
    expect(h.lines).toHaveLength(3);
    expect(h.lines[1]).toBe('2026-11-27T14:05:00Z hourly 2026-11-27T13 SUCCEEDED ok');
  });

  it('before the set minute, the previous hour waits', async () => {
    const h = harness(1);
    const clock = fakeClock('2026-11-27T13:02:00Z');
    await runScheduler({
      dataDir,
      atMinute: 5,
      clock,
      runHour: h.runHour,
      log: h.log,
      signal: h.controller.signal,
    });
    expect(h.hours).toEqual(['2026-11-27T11']);
  });

  it('catches up the hours missed while down, in order, from its record', async () => {
    const first = harness(1);
    await runScheduler({
      dataDir,
      clock: fakeClock('2026-11-27T09:10:00Z'),
      runHour: first.runHour,
      log: first.log,
      signal: first.controller.signal,
    });
    expect(first.hours).toEqual(['2026-11-27T08']);
    // down from 09:10 to 13:20
    const later = harness(4);
    await runScheduler({
      dataDir,
      clock: fakeClock('2026-11-27T13:20:00Z'),
      runHour: later.runHour,
      log: later.log,
      signal: later.controller.signal,
    });
    expect(later.hours).toEqual(['2026-11-27T09', '2026-11-27T10', '2026-11-27T11', '2026-11-27T12']);
    const recorded = (await readFile(scheduleRecordPath(dataDir), 'utf8')).trim().split('\n');
    expect(recorded).toHaveLength(5);
  });

  it('limits the catch-up and says how to backfill the rest', async () => {
    const h = harness(2);
    const seed = harness(1);
    await runScheduler({
      dataDir,
      clock: fakeClock('2026-11-20T01:10:00Z'),
      runHour: seed.runHour,
      log: seed.log,
      signal: seed.controller.signal,
    });
    await runScheduler({
      dataDir,
      maxCatchUpHours: 2,
      clock: fakeClock('2026-11-27T13:10:00Z'),
      runHour: h.runHour,
      log: h.log,
      signal: h.controller.signal,
    });
    expect(h.hours).toEqual(['2026-11-27T11', '2026-11-27T12']);
    expect(h.lines[0]).toContain('lakeq backfill --from 2026-11-20T01 --to 2026-11-27T11');
  });

  it('a failing hour is logged and recorded, and the next hour still runs', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    let calls = 0;
    await runScheduler({
      dataDir,
      clock: fakeClock('2026-11-27T13:10:00Z'),
      runHour: async () => {
        calls++;
        if (calls === 2) controller.abort();
        if (calls === 1) throw new Error('Athena throttled beyond retries');
        return { status: 'SUCCEEDED', detail: 'ok' };
      },
      log: (l) => lines.push(l),
      signal: controller.signal,
    });
    expect(lines[0]).toMatch(/hourly 2026-11-27T12 FAILED Athena throttled beyond retries$/);
    expect(lines[1]).toMatch(/hourly 2026-11-27T13 SUCCEEDED/);
  });

  it('two schedulers on one data folder: the second refuses, the first runs', async () => {
    const controller = new AbortController();
    let release: () => void = () => {};
    const blocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    let ran = 0;
    const first = runScheduler({
      dataDir,
      clock: fakeClock('2026-11-27T13:10:00Z'),
      runHour: async () => {
        ran++;
        await blocked;
        controller.abort();
        return { status: 'SUCCEEDED', detail: 'ok' };
      },
      log: () => {},
      signal: controller.signal,
    });
    await new Promise((r) => setTimeout(r, 50));
    const second = runScheduler({
      dataDir,
      clock: fakeClock('2026-11-27T13:10:00Z'),
      runHour: async () => ({ status: 'SUCCEEDED', detail: 'second' }),
      log: () => {},
      signal: new AbortController().signal,
    });
    await expect(second).rejects.toMatchObject({ code: 'SCHEDULER_RUNNING' });
    release();
    await first;
    expect(ran).toBe(1);
  });
});
