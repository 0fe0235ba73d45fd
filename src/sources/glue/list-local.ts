import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * How a collected root is listed: a local folder, or an `s3://bucket/prefix` URI with an S3
 * lister (the CloudTrail S3 lister of ../cloudtrail/list-s3.ts fits). Paths are the lister's own.
 */
export interface CollectedFolderLister {
  join(dir: string, ...names: string[]): string;
  /** The files directly in `dir` whose name `keep` accepts; none when `dir` does not exist. */
  files(
    dir: string,
    keep: (name: string) => boolean,
  ): Promise<readonly { readonly name: string; readonly size: number; readonly mtimeMs: number }[]>;
}

/** The local folder lister: readdir and stat; a file replaced or removed meanwhile is left out. */
export const LOCAL_COLLECTED_LISTER: CollectedFolderLister = {
  join: (dir, ...names) => path.join(dir, ...names),
  files: async (dir, keep) => {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      throw error;
    }
    const out: { name: string; size: number; mtimeMs: number }[] = [];
    for (const name of names.filter(keep)) {
      const info = await stat(path.join(dir, name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      });
      if (info?.isFile()) out.push({ name, size: info.size, mtimeMs: info.mtimeMs });
    }
    return out;
  },
};
