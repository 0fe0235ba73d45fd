import { createHash } from 'node:crypto';
import { LakeqError } from '../engines/engine.ts';
import { floorHour, HOUR_MS, hourKey } from '../ingest/hours.ts';
import { isoTime } from '../query/param-types.ts';

/**
 * Execution names. A state machine run is named after its window, so a duplicate trigger for
 * the same hour collapses: Step Functions refuses a second StartExecution with a name already
 * used (ExecutionAlreadyExists, for 90 days), and the local runner keeps a record of names under
 * the data folder and refuses them the same way (execution-records.ts). Whoever starts a run
 * passes the name: `lakeq run`, the local scheduler, and on AWS the launcher the schedule calls
 * (EventBridge Scheduler cannot format a name itself: it only inserts the scheduled time, whose
 * colons execution names forbid).
 */

/** Step Functions: 1-80 characters, none of whitespace, `<>{}[]?*"#%\^|~\`$&,;:/` or controls. */
const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;
const isControl = (c: string) => {
  const code = c.charCodeAt(0);
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
};

/**
 * The hour an hourly run scheduled at `time` loads: the finished hour before it.
 *
 * @example
 * ```ts
 * loadedHour(new Date('2026-11-27T14:05:00Z')) // 2026-11-27T13:00:00.000Z
 * ```
 */
export function loadedHour(time: Date): Date {
  return new Date(floorHour(time).getTime() - HOUR_MS);
}

/**
 * The window `[from, to)` of an hourly run: the loaded hour and the `lookbackHours` before it
 * (late CloudTrail deliveries land in earlier hours).
 *
 * @example
 * ```ts
 * hourlyWindow(new Date('2026-11-27T14:05:00Z'), 2) // { hour: 13:00, from: 11:00, to: 14:00 }
 * ```
 */
export function hourlyWindow(time: Date, lookbackHours: number): { hour: Date; from: Date; to: Date } {
  if (!Number.isInteger(lookbackHours) || lookbackHours < 0 || lookbackHours > 168) {
    throw new LakeqError(
      'BAD_INPUT',
      `lookbackHours must be an integer from 0 to 168 (got ${lookbackHours})`,
      {
        usage: true,
      },
    );
  }
  const hour = loadedHour(time);
  return {
    hour,
    from: new Date(hour.getTime() - lookbackHours * HOUR_MS),
    to: new Date(hour.getTime() + HOUR_MS),
  };
}

/**
 * `hourly-2026-11-27T13`: the name of the hourly run that loads that hour.
 *
 * @example
 * ```ts
 * hourlyExecutionName(new Date('2026-11-27T13:00:00Z')) // 'hourly-2026-11-27T13'
 * ```
 */
export function hourlyExecutionName(hour: Date): string {
  return `hourly-${hourKey(hour)}`;
}

/**
 * The name of a backfill run: its window, its tables and options (hashed) and the millisecond it
 * was started, so a backfill can be run again at once (say after one that failed) but a trigger
 * repeated in the same millisecond collapses (and two different ones, say with and without
 * `allowShrink`, do not). A stamp to the second made a load run right after a failed one of the
 * same window a silent DUPLICATE.
 *
 * @example
 * ```ts
 * backfillExecutionName(new Date('2026-11-01'), new Date('2026-11-08'), undefined, new Date('2026-11-27T13:05:01.250Z'))
 * // 'backfill-2026-11-01T00-2026-11-08T00-20261127T130501.250Z'
 * ```
 */
export function backfillExecutionName(
  from: Date,
  to: Date,
  tables: readonly string[] | undefined,
  now: Date,
  flags: { readonly force?: boolean; readonly allowShrink?: boolean } = {},
): string {
  const stamp = now.toISOString().replace(/[-:]/g, '');
  const set = [flags.force ? 'force' : '', flags.allowShrink ? 'allow-shrink' : ''].filter(Boolean);
  const scope =
    (tables && tables.length > 0) || set.length > 0
      ? `-${createHash('sha256')
          .update([...(tables ?? [])].sort().join(',') + (set.length > 0 ? `|${set.join(',')}` : ''))
          .digest('hex')
          .slice(0, 8)}`
      : '';
  return `backfill-${hourKey(from)}-${hourKey(to)}${scope}-${stamp}`;
}

/**
 * Refuses a name Step Functions would refuse.
 *
 * @example
 * ```ts
 * checkExecutionName('hourly-2026-11-27T13') // ok
 * checkExecutionName('hourly 13:00')         // throws BAD_EXECUTION_NAME
 * ```
 */
export function checkExecutionName(name: string): void {
  if (name.length < 1 || name.length > 80 || FORBIDDEN.test(name) || [...name].some(isControl)) {
    throw new LakeqError(
      'BAD_EXECUTION_NAME',
      `execution name "${name}" must be 1-80 characters without spaces or any of <>{}[]?*"#%\\^|~\`$&,;:/`,
      { usage: true },
    );
  }
}

/**
 * Parses a time of a state machine input (a date, an hour or an ISO time, UTC).
 *
 * @example
 * ```ts
 * parseInputTime('time', '2026-11-27T14:05:00Z') // Date
 * ```
 */
export function parseInputTime(field: string, value: unknown): Date {
  const parsed = isoTime.safeParse(value);
  if (!parsed.success) {
    throw new LakeqError('BAD_INPUT', `"${field}": ${parsed.error.issues[0]?.message ?? 'not a time'}`, {
      usage: true,
    });
  }
  return parsed.data;
}
