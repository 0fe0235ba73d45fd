import { HOUR_MS, hourKey } from '../../ingest/hours.ts';
import type { SourceFile } from '../../ingest/source-file.ts';
import type { SourceListing } from '../source-definition.ts';
import { filesForWindow } from './list.ts';

/**
 * CloudTrail's listing for the planner (`SourceDefinition.list`): the log files delivered from
 * the first hour to the last one (and the lateness after it), each counted in every hour it can
 * hold events of. One listing serves every CloudTrail table of a plan.
 *
 * @example
 * ```ts
 * const byHour = await cloudTrailListing.filesByHour({ raw: 'cloudtrail', root, hours, latenessHours: 3 });
 * ```
 */
export const cloudTrailListing: SourceListing = {
  filesByHour: async ({ root, hours, latenessHours, lister }) => {
    let first: number | undefined;
    let last: number | undefined;
    for (const h of hours) {
      const t = h.getTime();
      first = first === undefined ? t : Math.min(first, t);
      last = last === undefined ? t : Math.max(last, t);
    }
    if (first === undefined || last === undefined) return new Map();
    const files = await filesForWindow(
      root,
      new Date(first),
      new Date(last + HOUR_MS),
      latenessHours,
      lister,
    );
    return indexByHour(files, latenessHours);
  },
};

/**
 * The files that can hold events of each hour: a file delivered at t holds events of the hours
 * in (t − 1 h − lateness, t]. A file whose name carries no time can hold any hour of its
 * folder's day.
 */
function indexByHour(files: readonly SourceFile[], latenessHours: number): Map<string, SourceFile[]> {
  const out = new Map<number, SourceFile[]>();
  // By hour start first (a file lands in ~5 hours, a week has ~20k files), keyed as text once.
  const add = (hour: number, f: SourceFile) => {
    const list = out.get(hour);
    if (list) list.push(f);
    else out.set(hour, [f]);
  };
  for (const f of files) {
    if (f.deliveredAt) {
      const t = f.deliveredAt.getTime();
      const last = Math.floor(t / HOUR_MS) * HOUR_MS;
      for (let h = last; h > t - (1 + latenessHours) * HOUR_MS; h -= HOUR_MS) add(h, f);
    } else {
      const day = /(\d{4})[\\/](\d{2})[\\/](\d{2})[\\/][^\\/]*$/.exec(f.path);
      const start = day ? Date.parse(`${day[1]}-${day[2]}-${day[3]}T00:00:00Z`) : Number.NaN;
      if (!Number.isNaN(start)) for (let h = start; h < start + 24 * HOUR_MS; h += HOUR_MS) add(h, f);
    }
  }
  return new Map([...out].map(([hour, list]) => [hourKey(new Date(hour)), list]));
}
