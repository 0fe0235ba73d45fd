import type { SourceFile } from '../../ingest/source-file.ts';
import type { FolderLister, SourceListing } from '../source-definition.ts';
import { LOCAL_SECURITY_LAKE_LISTER } from './list-local.ts';
import {
  isSecurityLakeRawSource,
  SECURITY_LAKE_RAW_SOURCES,
  SECURITY_LAKE_TABLES,
  type SecurityLakeSourceName,
  securityLakeFolder,
} from './schema.ts';

const PARQUET = /\.parquet$/i;

/**
 * The files of some Security Lake sources for each day (both source versions, every Region and account),
 * keyed by the day's first hour (`2026-11-27T00`): a day's table partition is loaded from every
 * file of its `eventDay`, and a file added later in the day changes the day's fingerprint.
 * Only the `eventDay` folders of the days asked for are listed.
 *
 * @example
 * ```ts
 * const byHour = await lakeFilesByDay('/lake', ['SH_FINDINGS'], [new Date('2026-11-27T00:00Z')]);
 * byHour.get('2026-11-27T00') // [{ path: '/lake/aws/SH_FINDINGS/2.0/region=us-east-1/accountId=…/eventDay=20261127/….parquet', … }]
 * ```
 */
export async function lakeFilesByDay(
  root: string,
  sources: readonly SecurityLakeSourceName[],
  hours: readonly Date[],
  lister: FolderLister = LOCAL_SECURITY_LAKE_LISTER,
): Promise<Map<string, SourceFile[]>> {
  const days = [...new Set(hours.map((h) => h.toISOString().slice(0, 10)))].sort();
  const out = new Map<string, SourceFile[]>();
  if (days.length === 0) return out;
  const accountDirs: string[] = [];
  for (const table of SECURITY_LAKE_TABLES.filter((t) => sources.includes(t.source))) {
    const base = lister.join(root, ...securityLakeFolder(table));
    for (const region of await lister.folders(base)) {
      if (!region.startsWith('region=')) continue;
      for (const account of await lister.folders(lister.join(base, region)))
        if (account.startsWith('accountId=')) accountDirs.push(lister.join(base, region, account));
    }
  }
  for (const day of days) {
    const files: SourceFile[] = [];
    for (const dir of accountDirs) {
      const dayDir = lister.join(dir, `eventDay=${day.replace(/-/g, '')}`);
      for (const f of await lister.files(dayDir, (name) => PARQUET.test(name)))
        files.push({ path: lister.join(dayDir, f.name), size: f.size, mtimeMs: f.mtimeMs });
    }
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    if (files.length > 0) out.set(`${day}T00`, files);
  }
  return out;
}

/**
 * Security Lake's listing for the planner (`SourceDefinition.list`): each day's files of the
 * sources a raw source reads (`SECURITY_LAKE_RAW_SOURCES`), in the day's first hour. An `s3://` root (the Security Lake bucket) is listed with the given lister, else
 * with the default S3 lister.
 *
 * @example
 * ```ts
 * await securityLakeListing.filesByHour({ raw: 'security-lake-findings', root: '/lake', hours, latenessHours: 3 });
 * ```
 */
export const securityLakeListing: SourceListing = {
  filesByHour: async ({ raw, root, hours, lister }) => {
    if (!isSecurityLakeRawSource(raw)) throw new Error(`the Security Lake source has no raw source "${raw}"`);
    let folders: FolderLister = LOCAL_SECURITY_LAKE_LISTER;
    if (root.startsWith('s3://')) {
      // Loaded only for an S3 root, so local loads do not load the AWS SDK.
      folders = lister ?? (await import('../cloudtrail/list-s3.ts')).defaultS3CloudTrailLister();
    }
    return lakeFilesByDay(
      root,
      SECURITY_LAKE_RAW_SOURCES[raw],
      hours.filter((h) => h.toISOString().slice(11, 13) === '00'),
      folders,
    );
  },
};
