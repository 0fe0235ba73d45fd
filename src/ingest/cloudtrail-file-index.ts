import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { HOUR_MS } from './hours.ts';

/** A CloudTrail log file with what identifies its content for fingerprints. */
export interface SourceFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** Delivery time from the file name (`..._20261127T1305Z_...`), when it has one. */
  readonly deliveredAt?: Date;
}

const DELIVERY = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_/;
const LOG_FILE = /\.json(\.gz)?$/i;

/**
 * Finds the CloudTrail files that can hold events of a time window, without walking the
 * whole bucket: only the day folders of the window's days (and of the `lateness` after it) are
 * listed, so an hourly load opens the same number of folders with a day or with years of
 * history. A file can hold events of hours before its delivery time; `lateness` bounds how
 * long after an event its file may arrive.
 *
 * @example
 * ```ts
 * const files = await filesForWindow(root, new Date('2026-11-27T13:00Z'), new Date('2026-11-27T14:00Z'), 3);
 * ```
 */
export async function filesForWindow(
  root: string,
  from: Date,
  to: Date,
  latenessHours: number,
): Promise<SourceFile[]> {
  const until = new Date(to.getTime() + latenessHours * HOUR_MS);
  const firstDay = new Date(from.getTime() - HOUR_MS).toISOString().slice(0, 10);
  const lastDay = until.toISOString().slice(0, 10);
  const trails = await trailRegionDirs(root);
  const out: SourceFile[] = [];
  for (const dir of trails) {
    for (const day of await dayDirsBetween(dir, firstDay, lastDay)) {
      const dayDir = path.join(dir, ...day.split('-'));
      let names: string[];
      try {
        names = await readdir(dayDir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      for (const name of names) {
        if (!LOG_FILE.test(name)) continue;
        const deliveredAt = deliveryTime(name);
        // A file delivered before the window holds no event of it (events precede delivery).
        if (deliveredAt && (deliveredAt < from || deliveredAt >= until)) continue;
        const file = path.join(dayDir, name);
        const info = await stat(file);
        if (!info.isFile()) continue;
        out.push({
          path: file,
          size: info.size,
          mtimeMs: info.mtimeMs,
          ...(deliveredAt ? { deliveredAt } : {}),
        });
      }
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The delivery time a CloudTrail file name carries, if it has the standard form. */
export function deliveryTime(name: string): Date | undefined {
  const m = DELIVERY.exec(name);
  if (!m) return undefined;
  const t = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00Z`);
  return Number.isNaN(t.getTime()) ? undefined : t;
}

/** `AWSLogs/[o-org/]<account>/CloudTrail/<region>` folders under the root. */
async function trailRegionDirs(root: string): Promise<string[]> {
  const logs = path.join(root, 'AWSLogs');
  const out: string[] = [];
  const accountsIn = async (dir: string): Promise<void> => {
    for (const name of await listDirs(dir)) {
      if (/^o-[a-z0-9]{10,32}$/.test(name)) await accountsIn(path.join(dir, name));
      else if (/^\d{12}$/.test(name)) {
        const trail = path.join(dir, name, 'CloudTrail');
        for (const region of await listDirs(trail)) out.push(path.join(trail, region));
      }
    }
  };
  await accountsIn(logs);
  return out.sort();
}

async function listDirs(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The `yyyy/mm/dd` folders of a trail Region folder within [first, last] ('YYYY-MM-DD'), listed, not guessed. */
async function dayDirsBetween(regionDir: string, first: string, last: string): Promise<string[]> {
  const out: string[] = [];
  for (const y of await listDirs(regionDir)) {
    if (!/^\d{4}$/.test(y) || y < first.slice(0, 4) || y > last.slice(0, 4)) continue;
    for (const m of await listDirs(path.join(regionDir, y))) {
      const ym = `${y}-${m}`;
      if (!/^\d{2}$/.test(m) || ym < first.slice(0, 7) || ym > last.slice(0, 7)) continue;
      for (const d of await listDirs(path.join(regionDir, y, m))) {
        const day = `${ym}-${d}`;
        if (/^\d{2}$/.test(d) && day >= first && day <= last) out.push(day);
      }
    }
  }
  return out.sort();
}
