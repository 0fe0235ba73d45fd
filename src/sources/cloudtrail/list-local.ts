import { type Dirent, lstatSync, type Stats, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** A file of a folder, as a lister reports it. */
export interface ListedFile {
  readonly name: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * How the folders of the CloudTrail layout are listed: a local folder (the default) or an S3
 * prefix (`s3CloudTrailLister` of list-s3.ts, ListObjectsV2 with a `/` delimiter). Paths are the lister's own:
 * file paths locally, `s3://bucket/key` URIs on S3.
 *
 * @example
 * ```ts
 * await filesForWindow('s3://org-trail/', from, to, 3, s3CloudTrailLister({ client: () => s3 }));
 * ```
 */
export interface CloudTrailLister {
  join(dir: string, ...names: string[]): string;
  /** The names of the sub-folders of `dir`; none when it does not exist. */
  folders(dir: string): Promise<string[]>;
  /** The files directly in `dir` whose name `keep` accepts; none when it does not exist. */
  files(dir: string, keep: (name: string) => boolean): Promise<ListedFile[]>;
}

/**
 * The local folder lister: readdir, and a (synchronous) stat for the files kept. Only real folders are walked
 * (a symbolic link to a folder is not followed: it could lead anywhere, or in a circle). An
 * entry that is kept but is not a regular file (a FIFO, a folder or a dangling link named like
 * a log) is listed all the same, with its own size, so the head check names it with its
 * reason instead of the load dropping it without a word or failing on it.
 *
 * @example
 * ```ts
 * await LOCAL_CLOUDTRAIL_LISTER.folders('./lakeq-data/raw/cloudtrail/AWSLogs') // ['111122223333']
 * ```
 */
export const LOCAL_CLOUDTRAIL_LISTER: CloudTrailLister = {
  join: (dir, ...names) => path.join(dir, ...names),
  folders: listDirs,
  files: async (dir, keep) => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const out: ListedFile[] = [];
    for (const entry of entries) {
      if (!keep(entry.name)) continue;
      const file = path.join(dir, entry.name);
      // A link to a regular file is read like one; anything else keeps its own (lstat) size.
      // Synchronous: a stat is microseconds, a promise's thread-pool round trip several times that
      // (a week's plan stats ~20k files, one after another).
      let info: Stats;
      try {
        info = statSync(file);
      } catch {
        info = lstatSync(file);
      }
      out.push({ name: entry.name, size: info.size, mtimeMs: info.mtimeMs });
    }
    return out;
  },
};

async function listDirs(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
