import { randomUUID } from 'node:crypto';
import { link, mkdir, open, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LakeqError } from '../engines/engine.ts';

/** Locks this process holds: its own pid in a lock file must not count as a dead owner. */
const HELD = new Set<string>();

/**
 * One loader at a time per data folder: a lock file holding the owner's pid. A lock whose
 * process is gone (a killed load) is taken over.
 */
export function acquireLoadLock(dataDir: string): Promise<() => Promise<void>> {
  return acquireLock(dataDir, 'load', 'lakeq load');
}

/**
 * A lock file `<dataDir>/.lakeq-<name>.lock` holding the owner's pid; `what` names the owner in
 * the error a second taker gets. Returns the release function.
 *
 * The lock is created whole and at once: the pid is written to a private file that is then
 * hard-linked to the lock's name (link fails if the name exists), so no one ever reads an
 * empty lock. A stale lock (its pid is gone) is removed only by the one process holding the
 * short-lived `.takeover` guard, and only if it is still the very file (same inode) that was
 * judged stale, so two processes taking over at once cannot both end up holding it.
 *
 * @example
 * ```ts
 * const release = await acquireLock(dataDir, 'scheduler', 'lakeq schedule');
 * try { ... } finally { await release(); }
 * ```
 */
export async function acquireLock(dataDir: string, name: string, what: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, `.lakeq-${name}.lock`);
  if (HELD.has(file)) {
    throw new LakeqError(
      `${name.toUpperCase()}_RUNNING`,
      `another ${what} in this process is running on ${dataDir}`,
    );
  }
  await mkdir(dataDir, { recursive: true });
  const mine = `${file}.${process.pid}.${randomUUID()}`;
  await writeFile(mine, String(process.pid));
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (await linkOrExists(mine, file)) {
        HELD.add(file);
        return async () => {
          HELD.delete(file);
          await rm(file, { force: true });
        };
      }
      const held = await readOwner(file);
      if (held === undefined) continue; // released meanwhile: try again
      if (held.pid > 0 && held.pid !== process.pid && isAlive(held.pid)) {
        throw new LakeqError(
          `${name.toUpperCase()}_RUNNING`,
          `another ${what} (pid ${held.pid}) is running on ${dataDir}; wait for it or stop it`,
        );
      }
      if (!(await removeIfStill(file, held.ino, mine))) await sleep(5 + Math.random() * 20);
    }
  } finally {
    await rm(mine, { force: true });
  }
  throw new LakeqError('LOAD_LOCK', `could not take the lock ${file}: other processes kept taking it over`);
}

/** Hard-links `from` to `to`: true if it now exists as ours, false if `to` already existed. */
async function linkOrExists(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** The lock's owner pid (0 when the file does not hold one) and inode; undefined if it is gone. */
async function readOwner(file: string): Promise<{ pid: number; ino: number } | undefined> {
  try {
    // One open file for both: the pid read and the inode judged stale must be the same file's,
    // or a lock taken over meanwhile could be removed as the dead one.
    const handle = await open(file, 'r');
    try {
      const [text, info] = [await handle.readFile('utf8'), await handle.stat()];
      const pid = Number(text.trim());
      return { pid: Number.isInteger(pid) ? pid : 0, ino: info.ino };
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Removes the stale lock `file` if it is still inode `ino`, under the `.takeover` guard. False
 * when another process holds the guard (the caller waits and looks again).
 */
async function removeIfStill(file: string, ino: number, mine: string): Promise<boolean> {
  const guard = `${file}.takeover`;
  if (!(await linkOrExists(mine, guard))) {
    const owner = await readOwner(guard);
    // A guard left by a process that died inside the few lines below.
    if (owner && !(owner.pid > 0 && isAlive(owner.pid))) await rm(guard, { force: true });
    return false;
  }
  try {
    const now = await stat(file).catch(() => undefined);
    if (now?.ino === ino) await rm(file, { force: true });
    return true;
  } finally {
    await rm(guard, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
