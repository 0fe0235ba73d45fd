import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLoadLock, acquireLock } from '../../src/ingest/load-lock.ts';

const LOCK_MODULE = pathToFileURL(path.resolve('src/ingest/load-lock.ts')).href;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-lock-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A pid that belonged to a process which has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

/**
 * Starts a process that, at `startAt`, tries to take the load lock and says what happened; a
 * winner holds the lock until `release()` (its stdin closes), so a late starter cannot take it
 * after the winner let go, however slowly the processes start.
 */
function contender(
  dataDir: string,
  startAt: number,
): { said: Promise<string>; release: () => Promise<void> } {
  const script = `
    const { acquireLoadLock } = await import(${JSON.stringify(LOCK_MODULE)});
    await new Promise((r) => setTimeout(r, Math.max(0, ${startAt} - Date.now())));
    let release;
    try {
      release = await acquireLoadLock(${JSON.stringify(dataDir)});
      process.stdout.write('got');
    } catch (e) { process.stdout.write('busy: ' + e.message); }
    process.stdin.resume();
    process.stdin.on('end', async () => { if (release) await release(); process.exit(0); });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script]);
  let out = '';
  const said = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      resolve(out);
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return {
    said,
    release: async () => {
      child.stdin.end();
      await closed;
    },
  };
}

describe('the load lock', () => {
  it('refuses a second taker while its owner lives, naming the pid, and is free again after release', async () => {
    const dir = path.join(root, 'live');
    const release = await acquireLoadLock(dir);
    await expect(acquireLoadLock(dir)).rejects.toThrow(/another lakeq load in this process is running/);
    const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      await release();
      await writeFile(path.join(dir, '.lakeq-load.lock'), String(owner.pid));
      await expect(acquireLoadLock(dir)).rejects.toThrow(
        new RegExp(`another lakeq load \\(pid ${owner.pid}\\) is running on`),
      );
    } finally {
      owner.kill();
    }
  });

  it('takes over a lock left by a dead process, or an empty one, and leaves no helper files behind', async () => {
    for (const content of [String(deadPid()), '']) {
      const dir = path.join(root, `stale-${content || 'empty'}`);
      await rm(dir, { recursive: true, force: true });
      const release = await acquireLock(dir, 'load', 'lakeq load');
      await release();
      await writeFile(path.join(dir, '.lakeq-load.lock'), content);
      const again = await acquireLoadLock(dir);
      expect(await readFile(path.join(dir, '.lakeq-load.lock'), 'utf8')).toBe(String(process.pid));
      await again();
      expect(await readdir(dir)).toEqual([]);
    }
  });

  it('gives a stale lock to exactly one of several processes taking it over at once', async () => {
    for (let trial = 0; trial < 6; trial++) {
      const dir = path.join(root, `race-${trial}`);
      await rm(dir, { recursive: true, force: true });
      await acquireLoadLock(dir).then((release) => release());
      await writeFile(path.join(dir, '.lakeq-load.lock'), String(deadPid()));
      const startAt = Date.now() + 1500;
      const contenders = [0, 1, 2, 3].map(() => contender(dir, startAt));
      const results = await Promise.all(contenders.map((c) => c.said));
      await Promise.all(contenders.map((c) => c.release()));
      expect(
        results.filter((r) => r === 'got'),
        results.join(' | '),
      ).toHaveLength(1);
      for (const r of results.filter((x) => x !== 'got'))
        expect(r).toMatch(/^busy: another lakeq load \(pid \d+\)/);
    }
  }, 60_000);
});
