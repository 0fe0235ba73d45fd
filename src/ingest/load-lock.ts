import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { LakeqError } from '../engines/engine.ts';

/**
 * One loader at a time per data folder: a lock file holding the owner's pid. A lock whose
 * process is gone (a killed load) is taken over.
 */
export async function acquireLoadLock(dataDir: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, '.lakeq-load.lock');
  await mkdir(dataDir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new LakeqError(
          'LOAD_RUNNING',
          `another lakeq load (pid ${owner}) is writing to ${dataDir}; wait for it or stop it`,
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
