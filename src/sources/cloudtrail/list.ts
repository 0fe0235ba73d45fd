import { HOUR_MS } from '../../ingest/hours.ts';
import type { SourceFile } from '../../ingest/source-file.ts';
import { type CloudTrailLister, LOCAL_CLOUDTRAIL_LISTER } from './list-local.ts';

const DELIVERY = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_/;
const LOG_FILE = /\.json(\.gz)?$/i;

/**
 * Finds the CloudTrail files that can hold events of a time window, without walking the
 * whole bucket: only the day folders of the window's days (and of the `lateness` after it) are
 * listed, so an hourly load opens the same number of folders with a day or with years of
 * history. A file can hold events of hours before its delivery time; `lateness` bounds how
 * long after an event its file may arrive. `root` is a folder, or an `s3://bucket/prefix` URI
 * (listed with `lister`, or with a default S3 client when none is given).
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
  lister?: CloudTrailLister,
): Promise<SourceFile[]> {
  const list = lister ?? (await defaultLister(root));
  const until = new Date(to.getTime() + latenessHours * HOUR_MS);
  const firstDay = new Date(from.getTime() - HOUR_MS).toISOString().slice(0, 10);
  const lastDay = until.toISOString().slice(0, 10);
  const trails = await trailRegionDirs(list, root);
  const out: SourceFile[] = [];
  for (const dir of trails) {
    for (const day of await dayDirsBetween(list, dir, firstDay, lastDay)) {
      const dayDir = list.join(dir, ...day.split('-'));
      const kept = (name: string) => {
        if (!LOG_FILE.test(name)) return false;
        const deliveredAt = deliveryTime(name);
        // A file delivered before the window holds no event of it (events precede delivery).
        return !(deliveredAt && (deliveredAt < from || deliveredAt >= until));
      };
      for (const file of await list.files(dayDir, kept)) {
        const deliveredAt = deliveryTime(file.name);
        out.push({
          path: list.join(dayDir, file.name),
          size: file.size,
          mtimeMs: file.mtimeMs,
          ...(deliveredAt ? { deliveredAt } : {}),
        });
      }
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function defaultLister(root: string): Promise<CloudTrailLister> {
  if (!root.startsWith('s3://')) return LOCAL_CLOUDTRAIL_LISTER;
  // Loaded only for an S3 root, so local loads do not load the AWS SDK.
  const { defaultS3CloudTrailLister } = await import('./list-s3.ts');
  return defaultS3CloudTrailLister();
}

/** The delivery time a CloudTrail file name carries, if it has the standard form. */
export function deliveryTime(name: string): Date | undefined {
  const m = DELIVERY.exec(name);
  if (!m) return undefined;
  const t = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00Z`);
  return Number.isNaN(t.getTime()) ? undefined : t;
}

/** `AWSLogs/[o-org/]<account>/CloudTrail/<region>` folders under the root. */
async function trailRegionDirs(list: CloudTrailLister, root: string): Promise<string[]> {
  const logs = list.join(root, 'AWSLogs');
  const out: string[] = [];
  const accountsIn = async (dir: string): Promise<void> => {
    for (const name of await list.folders(dir)) {
      if (/^o-[a-z0-9]{10,32}$/.test(name)) await accountsIn(list.join(dir, name));
      else if (/^\d{12}$/.test(name)) {
        const trail = list.join(dir, name, 'CloudTrail');
        for (const region of await list.folders(trail)) out.push(list.join(trail, region));
      }
    }
  };
  await accountsIn(logs);
  return out.sort();
}

/** The `yyyy/mm/dd` folders of a trail Region folder within [first, last] ('YYYY-MM-DD'), listed, not guessed. */
async function dayDirsBetween(
  list: CloudTrailLister,
  regionDir: string,
  first: string,
  last: string,
): Promise<string[]> {
  const out: string[] = [];
  for (const y of await list.folders(regionDir)) {
    if (!/^\d{4}$/.test(y) || y < first.slice(0, 4) || y > last.slice(0, 4)) continue;
    for (const m of await list.folders(list.join(regionDir, y))) {
      const ym = `${y}-${m}`;
      if (!/^\d{2}$/.test(m) || ym < first.slice(0, 7) || ym > last.slice(0, 7)) continue;
      for (const d of await list.folders(list.join(regionDir, y, m))) {
        const day = `${ym}-${d}`;
        if (/^\d{2}$/.test(d) && day >= first && day <= last) out.push(day);
      }
    }
  }
  return out.sort();
}
