import { randomUUID } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LakeqError } from '../engines/engine.ts';
import { type AppendLog, checkKey, type ObjectStore, type StoredObject } from './object-store.ts';

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
      await appendFile(target, text);
    },
    readLog: async (log: AppendLog) => (await readText(file(log.file))) ?? '',
  };
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
