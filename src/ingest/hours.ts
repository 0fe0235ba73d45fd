/** All time in lakeq is UTC. An hour partition is `dt='YYYY-MM-DD'`, `hour='HH'`. */

export const HOUR_MS = 3_600_000;

export interface HourPartition {
  readonly dt: string;
  readonly hour: string;
}

/** Start of the UTC hour holding `t`. */
export function floorHour(t: Date): Date {
  return new Date(Math.floor(t.getTime() / HOUR_MS) * HOUR_MS);
}

/** The hour key, the one format the CLI prints and parses: `2026-11-27T13` for the hour starting at `t`. */
export function hourKey(t: Date): string {
  return t.toISOString().slice(0, 13);
}

export function partitionOf(t: Date): HourPartition {
  const iso = t.toISOString();
  return { dt: iso.slice(0, 10), hour: iso.slice(11, 13) };
}

/**
 * The start of a partition's hour: `partitionOf`'s inverse.
 *
 * @example
 * ```ts
 * partitionStart({ dt: '2026-11-27', hour: '13' }) // 2026-11-27T13:00:00.000Z
 * ```
 */
export function partitionStart(p: HourPartition): Date {
  return new Date(`${p.dt}T${p.hour}:00:00Z`);
}

/** `dt=2026-11-27/hour=13`, the partition's path inside its table. */
export function partitionPath(p: HourPartition): string {
  return `dt=${p.dt}/hour=${p.hour}`;
}

/**
 * The hours of `[from, to)`, each starting on the hour: a window includes its start and
 * excludes its end. `from` is rounded down and `to` up, so a window never loses a part hour.
 */
export function hoursIn(from: Date, to: Date): Date[] {
  const out: Date[] = [];
  for (let t = floorHour(from).getTime(); t < to.getTime(); t += HOUR_MS) out.push(new Date(t));
  return out;
}

/** The hours of `[from, to)` that have finished by `now`: the current hour is never loaded as final. */
export function finishedHoursIn(from: Date, to: Date, now: Date): Date[] {
  const current = floorHour(now).getTime();
  return hoursIn(from, to).filter((h) => h.getTime() < current);
}
