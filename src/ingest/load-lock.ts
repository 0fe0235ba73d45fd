import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
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
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      HELD.add(file);
      return async () => {
        HELD.delete(file);
        await rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new LakeqError(
          `${name.toUpperCase()}_RUNNING`,
          `another ${what} (pid ${owner}) is running on ${dataDir}; wait for it or stop it`,
        );
      }
      await rm(file, { force: true });
    }
  }
  throw new LakeqError('LOAD_LOCK', `could not take the load lock ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
