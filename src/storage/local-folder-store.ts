import { randomUUID } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LakeqError } from '../engines/engine.ts';
import { type AppendLog, checkKey, type ObjectStore, type StoredObject } from './object-store.ts';
import { withSpaceReserve } from './space-reserve.ts';

/**
 * The object store of a local data folder: a key is a file path under the folder. Objects are
 * written to a temporary file and renamed into place; a log is one file appended to.
 *
 * @example
 * ```ts
 * const store = localFolderStore('./lakeq-data');
 * await store.appendLog({ file: 'ledger/runs.ndjson', prefix: 'ledger/' }, '{"runId":"r1"}\n');
 * ```
 */
export function localFolderStore(root: string): ObjectStore {
  const file = (key: string) => path.join(root, ...checkKey(key).split('/'));
  const readText = async (f: string): Promise<string | undefined> => {
    try {
      return await readFile(f, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };
  const list = async (prefix: string): Promise<StoredObject[]> => {
    checkKey(prefix, 'prefix');
    // Walk only the folder the prefix names, then keep the keys that start with it.
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/') + 1) : '';
    const out: StoredObject[] = [];
    const walk = async (dir: string, keyPrefix: string): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return;
        throw error;
      }
      for (const entry of entries) {
        const key = `${keyPrefix}${entry.name}`;
        if (entry.isDirectory()) {
          if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`))
            await walk(path.join(dir, entry.name), `${key}/`);
        } else if (entry.isFile() && key.startsWith(prefix)) {
          const info = await stat(path.join(dir, entry.name)).catch(() => undefined);
          if (info) out.push({ key, size: info.size, lastModified: info.mtime });
        }
      }
    };
    await walk(folder === '' ? root : path.join(root, ...folder.slice(0, -1).split('/')), folder);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  };
  return {
    root,
    get: (key) => readText(file(key)),
    put: async (key, body) => {
      const target = file(key);
      await mkdir(path.dirname(target), { recursive: true });
      const temp = `${target}.${randomUUID()}.tmp`;
      try {
        await writeFile(temp, body);
        await rename(temp, target);
      } catch (error) {
        throw writeError(target, error);
      } finally {
        await rm(temp, { force: true });
      }
    },
    list,
    deletePrefix: async (prefix) => {
      if (checkKey(prefix, 'prefix') === '')
        throw new LakeqError('BAD_KEY', `refusing to delete everything in ${root} (deletePrefix of "")`);
      const objects = await list(prefix);
      for (const o of objects) await rm(path.join(root, ...o.key.split('/')), { force: true });
      if (prefix.endsWith('/')) await rm(file(prefix.slice(0, -1)), { recursive: true, force: true });
      return objects.length;
    },
    appendLog: async (log: AppendLog, text: string) => {
      if (text === '') return;
      const target = file(log.file);
      await mkdir(path.dirname(target), { recursive: true });
      // A crash mid-append leaves a line without its newline: start on a fresh line, so the
      // torn one stays alone (and skipped) instead of swallowing the first new line.
      const handle = await open(target, 'a+');
      try {
        const { size } = await handle.stat();
        const last = Buffer.alloc(1);
        if (size > 0) await handle.read(last, 0, 1, size - 1);
        const body = size > 0 && last[0] !== 0x0a ? `\n${text}` : text;
        if (log.useSpaceReserve) {
          // A write cut short by a full disk is taken back before the retry: no line twice.
          await withSpaceReserve(
            root,
            () => handle.write(body),
            () => handle.truncate(size),
          );
        } else await handle.write(body);
      } catch (error) {
        throw writeError(target, error);
      } finally {
        await handle.close();
      }
    },
    readLog: async (log: AppendLog) => (await readText(file(log.file))) ?? '',
  };
}

/** A failed write as one line naming the file (`…/plans/r1.json: no space left on device`). */
function writeError(file: string, error: unknown): unknown {
  const e = error as NodeJS.ErrnoException;
  if (!e?.code || error instanceof LakeqError) return error;
  const what = e.code === 'ENOSPC' ? 'no space left on device' : e.message.replace(/,.*$/, '');
  return new LakeqError('WRITE_FAILED', `could not write ${file}: ${what}`, { cause: error });
}

/**
 * A store given as a data folder (what callers outside the handlers pass) or as a store.
 *
 * @example
 * ```ts
 * await readLedger(storeAt('./lakeq-data')) // the same as readLedger('./lakeq-data')
 * ```
 */
export function storeAt(where: string | ObjectStore): ObjectStore {
  return typeof where === 'string' ? localFolderStore(where) : where;
}
