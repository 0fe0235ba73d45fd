import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { LakeqError } from '../../engines/engine.ts';
import { floorHour, HOUR_MS, hourKey } from '../../ingest/hours.ts';
import { acquireLock } from '../../ingest/load-lock.ts';

/** The outcome of one scheduled hourly run, as the scheduler logs and records it. */
export interface HourRunResult {
  /** ABORTED: stopped by a second Ctrl-C; not recorded, so the next start runs that hour again. */
  readonly status: 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'ABORTED';
  /** One short phrase: partitions loaded, datasets refreshed, or the error. */
  readonly detail: string;
}

/** Time as the scheduler sees it; tests pass a fake one to simulate hours and downtime. */
export interface SchedulerClock {
  now(): Date;
  /** Resolves after `ms`, or early (without error) when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export interface SchedulerOptions {
  readonly dataDir: string;
  /** Minute past each hour at which the previous hour is loaded (default 5: CloudTrail delivers within ~5 min). */
  readonly atMinute?: number;
  /** Most missed hours caught up after a downtime (default 48); older ones are left to `lakeq backfill`. */
  readonly maxCatchUpHours?: number;
  readonly runHour: (hour: Date) => Promise<HourRunResult>;
  readonly log: (line: string) => void;
  readonly signal: AbortSignal;
  readonly clock?: SchedulerClock;
}

export const realClock: SchedulerClock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    }),
};

interface ScheduleRecord {
  readonly hour: string;
  readonly status: HourRunResult['status'];
  readonly detail: string;
  readonly finishedAt: string;
}

export function scheduleRecordPath(dataDir: string): string {
  return path.join(dataDir, 'ledger', 'schedule.ndjson');
}

/**
 * Runs the hourly job on a laptop or a VM: at `atMinute` past each hour it runs the hour that
 * just finished. On start it catches up the hours missed while it was down (from its record
 * in the ledger folder). A lock keeps a second scheduler on the same data folder from running.
 * `signal` (a first Ctrl-C, or SIGTERM) stops it after the current hour's run; aborting that
 * run is the caller's business (`runHour` is given its own signal), and an aborted hour is not
 * recorded, so it runs again on the next start. One log line per run.
 *
 * @example
 * ```ts
 * await runScheduler({ dataDir, runHour: (h) => runHourly(h), log: console.log, signal });
 * // 2026-11-27T14:05:02Z hourly 2026-11-27T13 SUCCEEDED 48 partitions, 1 dataset refreshed
 * ```
 */
export async function runScheduler(options: SchedulerOptions): Promise<void> {
  const clock = options.clock ?? realClock;
  const atMinute = options.atMinute ?? 5;
  if (!Number.isInteger(atMinute) || atMinute < 0 || atMinute > 59) {
    throw new LakeqError('BAD_OPTION', `--at-minute must be 0 to 59 (got ${atMinute})`, { usage: true });
  }
  const release = await acquireLock(options.dataDir, 'scheduler', 'lakeq schedule');
  try {
    let last = await lastScheduledHour(options.dataDir);
    while (!options.signal.aborted) {
      const now = clock.now();
      // The hour that may run now: the previous hour, once `atMinute` has passed.
      const due = new Date(floorHour(new Date(now.getTime() - atMinute * 60_000)).getTime() - HOUR_MS);
      const maxCatchUp = options.maxCatchUpHours ?? 48;
      let next = last ? new Date(last.getTime() + HOUR_MS) : due;
      if (due.getTime() - next.getTime() >= maxCatchUp * HOUR_MS) {
        const skipped = new Date(due.getTime() - (maxCatchUp - 1) * HOUR_MS);
        options.log(
          `${stamp(now)} catch-up limited to ${maxCatchUp} hours: run lakeq backfill --from ${hourKey(next)} --to ${hourKey(skipped)} for the rest`,
        );
        next = skipped;
      }
      while (next.getTime() <= due.getTime() && !options.signal.aborted) {
        const result = await runOne(options, next);
        options.log(`${stamp(clock.now())} hourly ${hourKey(next)} ${result.status} ${result.detail}`);
        if (result.status === 'ABORTED') break;
        await record(options.dataDir, next, result, clock.now());
        last = next;
        next = new Date(next.getTime() + HOUR_MS);
      }
      if (options.signal.aborted) break;
      const wakeAt = floorHour(clock.now()).getTime() + HOUR_MS + atMinute * 60_000;
      await clock.sleep(Math.max(0, wakeAt - clock.now().getTime()), options.signal);
    }
  } finally {
    await release();
  }
}

async function runOne(options: SchedulerOptions, hour: Date): Promise<HourRunResult> {
  try {
    return await options.runHour(hour);
  } catch (error) {
    return { status: 'FAILED', detail: error instanceof Error ? error.message : String(error) };
  }
}

async function record(dataDir: string, hour: Date, result: HourRunResult, now: Date): Promise<void> {
  const file = scheduleRecordPath(dataDir);
  await mkdir(path.dirname(file), { recursive: true });
  const row: ScheduleRecord = {
    hour: hourKey(hour),
    status: result.status,
    detail: result.detail,
    finishedAt: now.toISOString(),
  };
  await appendFile(file, `${JSON.stringify(row)}\n`);
}

/** The last hour the scheduler ran (whatever its outcome: a failed hour is retried by the next load's lookback). */
async function lastScheduledHour(dataDir: string): Promise<Date | undefined> {
  let text: string;
  try {
    text = await readFile(scheduleRecordPath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let last: Date | undefined;
  for (const line of text.split('\n')) {
    try {
      const row = JSON.parse(line) as ScheduleRecord;
      const hour = new Date(`${row.hour}:00:00Z`);
      if (!Number.isNaN(hour.getTime()) && (!last || hour > last)) last = hour;
    } catch {
      // a line cut short by a kill
    }
  }
  return last;
}

function stamp(t: Date): string {
  return `${t.toISOString().slice(0, 19)}Z`;
}
