import type { SourceFile } from '../../ingest/source-file.ts';
import type { SourceListing } from '../source-definition.ts';
import { type CollectedFolderLister, LOCAL_COLLECTED_LISTER } from './list-local.ts';
import { type IdentityCenterRelation, identityCenterRelation, isIdentityCenterSource } from './schema.ts';

const JSON_FILE = /\.json$/i;

/**
 * The snapshot files of each hour (keyed `2026-11-27T00`), listed, with size and mtime for
 * fingerprints: a snapshot is in its day's first hour, so only `…T00` hours ever have one. An hour
 * with no file has no entry; only `*.json` files count, so the collector's temporary files never
 * show. An `s3://` root needs an S3 `lister`.
 *
 * @example
 * ```ts
 * const byHour = await snapshotFilesByHour('/d/raw/identity-center', IDENTITY_CENTER_USERS, [new Date('2026-11-27T00:00Z')]);
 * byHour.get('2026-11-27T00') // [{ path: '…/users/dt=2026-11-27/hour=00/users.json', size: 812, mtimeMs: … }]
 * ```
 */
export async function snapshotFilesByHour(
  root: string,
  relation: IdentityCenterRelation,
  hours: readonly Date[],
  lister: CollectedFolderLister = LOCAL_COLLECTED_LISTER,
): Promise<Map<string, SourceFile[]>> {
  if (root.startsWith('s3://') && lister === LOCAL_COLLECTED_LISTER)
    throw new Error(`${relation.relation}: listing ${root} needs an S3 lister`);
  const out = new Map<string, SourceFile[]>();
  for (const hour of hours) {
    const iso = hour.toISOString();
    // Only a day's first hour holds its snapshot: the others are not even listed.
    if (iso.slice(11, 13) !== '00') continue;
    const dir = lister.join(root, relation.folder, `dt=${iso.slice(0, 10)}`, 'hour=00');
    const listed = await lister.files(dir, (name) => JSON_FILE.test(name));
    const files = [...listed]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((f) => ({ path: lister.join(dir, f.name), size: f.size, mtimeMs: f.mtimeMs }));
    if (files.length > 0) out.set(iso.slice(0, 13), files);
  }
  return out;
}

/**
 * Identity Center's listing for the planner (`SourceDefinition.list`): each day's snapshot file of
 * the relation a table reads, in the day's first hour. An `s3://` root is listed with the given
 * lister, else with CloudTrail's default S3 lister (the same ListObjectsV2 listing).
 *
 * @example
 * ```ts
 * await identityCenterListing.filesByHour({ raw: 'identity-center-users', root: '/d/raw/identity-center', hours, latenessHours: 3 });
 * ```
 */
export const identityCenterListing: SourceListing = {
  filesByHour: async ({ raw, root, hours, lister }) => {
    if (!isIdentityCenterSource(raw))
      throw new Error(`the Identity Center source has no raw source "${raw}"`);
    let folders: CollectedFolderLister = LOCAL_COLLECTED_LISTER;
    if (root.startsWith('s3://')) {
      // Loaded only for an S3 root, so local loads do not load the AWS SDK.
      folders = lister ?? (await import('../cloudtrail/list-s3.ts')).defaultS3CloudTrailLister();
    }
    return snapshotFilesByHour(root, identityCenterRelation(raw), hours, folders);
  },
};
