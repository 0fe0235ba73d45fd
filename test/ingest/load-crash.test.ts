import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../src/ingest/run-load.ts';
import { writeCloudTrailSample } from '../../src/sources/cloudtrail/sample.ts';
import { contentDigests } from '../support/partition-contents.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FROM = '2026-11-02T00';
const TO = '2026-11-02T12';
let dir: string;
let trail: string;

/**
 * Partition files of a data folder → a digest of their rows (a half-written file fails to read);
 * staging files and folders listed apart.
 */
async function snapshot(dataDir: string): Promise<{ files: Map<string, string>; staging: string[] }> {
  const staging: string[] = [];
  const curated = path.join(dataDir, 'curated');
  const rels = (await readdir(curated, { recursive: true }).catch(() => [])) as string[];
  for (const rel of rels)
    if (rel.split(path.sep).some((part) => part.startsWith('.staging-'))) staging.push(rel);
  return { files: await contentDigests(curated), staging };
}

function loadProcess(dataDir: string, force: boolean) {
  const args = [
    'bin/lakeq.js',
    'load',
    '--from',
    FROM,
    '--to',
    TO,
    '--source',
    `cloudtrail=${trail}`,
    '--data-dir',
    dataDir,
    // One hour per batch: partitions are switched one after another during the run, not all at the end.
    '--batch-hours',
    '1',
  ];
  if (force) args.push('--force');
  return spawn(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
}

/**
 * Kill delays: growing from 100 ms (before the process has switched anything) to about 9.7 s
 * (well into the run even on a busy machine; a run that ends sooner is not waited for), with
 * deterministic jitter so a failure can be replayed.
 */
function* delays(seed: number): Generator<number> {
  let s = seed;
  for (let i = 0; ; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    yield 100 + i * 450 + (s % 200);
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-crash-'));
  trail = path.join(dir, 'trail');
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a load killed with SIGKILL at random points', () => {
  it('leaves every partition absent, old or new, and a re-run completes it', async () => {
    const from = new Date(`${FROM}:00:00Z`);
    const to = new Date(`${TO}:00:00Z`);
    const dataDir = path.join(dir, 'data');
    await writeCloudTrailSample({ out: trail, from, to, accounts: 1, eventsPerHour: 150, seed: 1 });
    await runLoad({ dataDir, roots: { cloudtrail: trail }, from, to });
    const old = (await snapshot(dataDir)).files;
    expect(old.size).toBeGreaterThan(10);

    // New deliveries for every hour: every partition has a new version to switch to.
    await writeCloudTrailSample({ out: trail, from, to, accounts: 2, eventsPerHour: 150, seed: 2 });
    const reference = path.join(dir, 'reference');
    await runLoad({ dataDir: reference, roots: { cloudtrail: trail }, from, to });
    const fresh = (await snapshot(reference)).files;
    // (The churn table may not change in an hour without new Identity Center calls.)
    for (const [file, sum] of fresh) {
      if (file.startsWith('cloudtrail_events') && old.has(file)) expect(old.get(file), file).not.toBe(sum);
    }

    const delay = delays(20261127);
    const seen = { old: 0, new: 0, absent: 0 };
    for (let i = 0; i < 22; i++) {
      const child = loadProcess(dataDir, i % 2 === 1);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const ms = delay.next().value as number;
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, ms))]);
      child.kill('SIGKILL');
      await exited;
      const now = (await snapshot(dataDir)).files;
      for (const file of new Set([...old.keys(), ...fresh.keys(), ...now.keys()])) {
        const sum = now.get(file);
        if (sum === undefined) {
          expect(old.has(file) && fresh.has(file), `${file} vanished after kill ${i} at ${ms} ms`).toBe(
            false,
          );
          seen.absent++;
        } else if (sum === old.get(file)) seen.old++;
        else {
          expect(sum, `${file} after kill ${i} at ${ms} ms is neither old nor new`).toBe(fresh.get(file));
          seen.new++;
        }
      }
    }
    // The kills landed both before and after partitions were switched.
    expect(seen.old).toBeGreaterThan(0);
    expect(seen.new).toBeGreaterThan(0);

    const { summary } = await runLoad({ dataDir, roots: { cloudtrail: trail }, from, to });
    expect(summary?.failed).toBe(0);
    const final = await snapshot(dataDir);
    expect(final.files).toEqual(fresh);
    expect(final.staging).toEqual([]);
  }, 600_000);
});
