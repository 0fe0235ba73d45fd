import type { SourceFile } from '../../ingest/source-file.ts';
import type { SourceListing } from '../source-definition.ts';
import { type CollectedFolderLister, LOCAL_COLLECTED_LISTER } from './list-local.ts';
import { type CollectedRelation, collectedRelation, isCollectedSource } from './schema.ts';

const JSON_FILE = /\.json$/i;

/**
 * The collected files of each hour (keyed `2026-11-27T13`), listed, with size and mtime for
 * fingerprints. An hour with no file has no entry. Only `*.json` files count, so the
 * collector's temporary files never show. An `s3://` root needs an S3 `lister`.
 *
 * @example
 * ```ts
 * const byHour = await collectedFilesByHour('/data/raw/glue', GLUE_JOB_RUNS, [new Date('2026-11-27T13:00Z')]);
 * byHour.get('2026-11-27T13') // [{ path: '…/job-runs/dt=2026-11-27/hour=13/job-runs.json', size: 812, mtimeMs: … }]
 * ```
 */
export async function collectedFilesByHour(
  root: string,
  relation: CollectedRelation,
  hours: readonly Date[],
  lister: CollectedFolderLister = LOCAL_COLLECTED_LISTER,
): Promise<Map<string, SourceFile[]>> {
  if (root.startsWith('s3://') && lister === LOCAL_COLLECTED_LISTER)
    throw new Error(`${relation.relation}: listing ${root} needs an S3 lister`);
  const out = new Map<string, SourceFile[]>();
  for (const hour of hours) {
    const iso = hour.toISOString();
    const dir = lister.join(root, relation.folder, `dt=${iso.slice(0, 10)}`, `hour=${iso.slice(11, 13)}`);
    const listed = await lister.files(dir, (name) => JSON_FILE.test(name));
    const files = [...listed]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((f) => ({ path: lister.join(dir, f.name), size: f.size, mtimeMs: f.mtimeMs }));
    if (files.length > 0) out.set(iso.slice(0, 13), files);
  }
  return out;
}

/**
 * Glue's listing for the planner (`SourceDefinition.list`): each hour's collected file of the
 * relation a table reads. An `s3://` root is listed with the given lister, else with CloudTrail's
 * default S3 lister (the same ListObjectsV2 listing).
 *
 * @example
 * ```ts
 * await glueListing.filesByHour({ raw: 'glue-job-runs', root: '/data/raw/glue', hours, latenessHours: 3 });
 * ```
 */
export const glueListing: SourceListing = {
  filesByHour: async ({ raw, root, hours, lister }) => {
    if (!isCollectedSource(raw)) throw new Error(`the Glue source has no raw source "${raw}"`);
    let folders: CollectedFolderLister = LOCAL_COLLECTED_LISTER;
    if (root.startsWith('s3://')) {
      // Loaded only for an S3 root, so local loads do not load the AWS SDK.
      folders = lister ?? (await import('../cloudtrail/list-s3.ts')).defaultS3CloudTrailLister();
    }
    return collectedFilesByHour(root, collectedRelation(raw), hours, folders);
  },
};
