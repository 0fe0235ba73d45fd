import { type ObjectStore, objectLocation } from '../../../storage/object-store.ts';
import { IDENTITY_CENTER_RELATIONS, type IdentityCenterRelation, snapshotKey } from '../schema.ts';
import { parseSnapshot, recordKey, snapshotNdjson } from './records.ts';

/**
 * The daily snapshot files under the collected root, read and written through an ObjectStore (a
 * folder locally, an S3 prefix on AWS). A file is written (atomically) only when its bytes
 * change, because the planner fingerprints source files by (path, size, mtime).
 */

/**
 * Whether the snapshot of `day` exists (its instances file does: the collector writes it whenever
 * it writes a snapshot, empty or not).
 *
 * @example
 * ```ts
 * await hasSnapshot(store, '2026-11-27') // true after a collection that day
 * ```
 */
export async function hasSnapshot(store: ObjectStore, day: string): Promise<boolean> {
  const key = snapshotKey(IDENTITY_CENTER_RELATIONS[0] as IdentityCenterRelation, day);
  return (await store.list(key)).some((o) => o.key === key);
}

/**
 * Writes one relation's file of the snapshot of `day`: the new records, plus the records of the
 * day's earlier file that `keepOld` accepts and that no new record replaces (what a failed part
 * of this collection could not read again: an unreachable account, a failed ListUsers). Answers
 * whether the file changed, and its location.
 *
 * @example
 * ```ts
 * await writeSnapshotFile(store, IDENTITY_CENTER_USERS, '2026-11-27', users, (old) => failed.has(old.instance_arn), warnings)
 * // { changed: true, location: '/d/raw/identity-center/users/dt=2026-11-27/hour=00/users.json', kept: 0 }
 * ```
 */
export async function writeSnapshotFile(
  store: ObjectStore,
  relation: IdentityCenterRelation,
  day: string,
  records: readonly object[],
  keepOld: (old: Record<string, unknown>) => boolean,
  warnings: string[],
): Promise<{ changed: boolean; location: string; kept: number }> {
  const key = snapshotKey(relation, day);
  const location = objectLocation(store, key);
  const current = await store.get(key);
  const byKey = new Map<string, object>();
  let kept = 0;
  for (const old of parseSnapshot(relation, current, location, warnings)) {
    if (!keepOld(old)) continue;
    byKey.set(recordKey(relation, old), old);
    kept++;
  }
  for (const record of records) {
    const k = recordKey(relation, record);
    if (byKey.delete(k)) kept--;
    byKey.set(k, record);
  }
  const body = snapshotNdjson(relation, byKey.values());
  if (current === body) return { changed: false, location, kept };
  await store.put(key, body);
  return { changed: true, location, kept };
}
