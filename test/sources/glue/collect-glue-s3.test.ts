import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCapturedGlueApi } from '../../../src/sources/glue/collect/captured-api.ts';
import { existingGlueHours } from '../../../src/sources/glue/collect/hour-files.ts';
import { DEFAULT_GLUE_PRICES } from '../../../src/sources/glue/collect/prices.ts';
import type { GlueJobRunRecord } from '../../../src/sources/glue/collect/records.ts';
import { collectGlue } from '../../../src/sources/glue/collect.ts';
import { writeGlueSample } from '../../../src/sources/glue/sample.ts';
import { localFolderStore } from '../../../src/storage/local-folder-store.ts';
import { objectLocation } from '../../../src/storage/object-store.ts';
import { s3ObjectStore } from '../../../src/storage/s3-object-store.ts';
import { type FakeS3, fakeS3, s3Mock } from '../../orchestration/fake-s3.ts';
import { expectValidRequest } from '../../support/aws-model-validator.ts';

const LAKE = 'lake';
const PREFIX = 'lakeq/raw/glue/';
const client = () => new S3Client({ region: 'us-east-1' });

let dir: string;
let s3: FakeS3;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-glue-s3-'));
  s3 = fakeS3();
});
afterEach(async () => {
  s3Mock.reset();
  await rm(dir, { recursive: true, force: true });
});

const calls = (operation: string) => s3.calls.filter((c) => c.operation === operation);
const body = (key: string) => s3.buckets.get(LAKE)?.get(key)?.body;

/** Every file under a folder, by its `/`-separated path relative to it. */
async function filesOf(root: string, rel = ''): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(path.join(root, rel), { withFileTypes: true })) {
    const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) for (const [k, v] of await filesOf(root, child)) out.set(k, v);
    else out.set(child, await readFile(path.join(root, child), 'utf8'));
  }
  return out;
}

describe('collectGlue into S3', () => {
  it('writes the same hour objects under the prefix as into a folder, and nothing when collected again', async () => {
    const from = new Date('2026-11-01T00:00:00Z');
    const to = new Date('2026-11-01T12:00:00Z');
    const captured = path.join(dir, 'captured');
    const summary = await writeGlueSample({ out: captured, from, to, seed: 5 });
    const api = await openCapturedGlueApi(captured);
    const options = {
      api,
      from,
      to,
      prices: DEFAULT_GLUE_PRICES,
      region: 'us-east-1',
      accountId: null,
      now: to,
    };

    const folder = path.join(dir, 'raw-glue');
    const local = await collectGlue({ ...options, root: folder });
    // No trailing slash: the store adds it.
    const store = s3ObjectStore({ root: `s3://${LAKE}/lakeq/raw/glue`, client, maxKeys: 3 });
    const first = await collectGlue({ ...options, root: store });

    expect(first.warnings).toEqual([]);
    expect(first.runs).toBe(summary.runs);
    expect(first.metricPoints).toBe(summary.metricPoints);
    expect(first.touchedHours).toEqual(local.touchedHours);

    // Every object is under the prefix, with the bytes the folder collection wrote at the same path.
    const files = await filesOf(folder);
    expect(files.size).toBeGreaterThan(2);
    expect(s3.keys(LAKE)).toEqual([...files.keys()].map((k) => `${PREFIX}${k}`).sort());
    for (const [rel, text] of files) expect(body(`${PREFIX}${rel}`), rel).toBe(text);
    expect(calls('PutObject')).toHaveLength(files.size);
    expect(calls('PutObject').every((c) => (c.input as { Key: string }).Key.startsWith(PREFIX))).toBe(true);

    // `files`: the full locations, s3:// for the store, absolute paths for the folder.
    expect(first.files).toEqual([...files.keys()].map((k) => `s3://${LAKE}/${PREFIX}${k}`).sort());
    expect(local.files).toEqual([...files.keys()].map((k) => path.join(folder, ...k.split('/'))).sort());
    for (const f of local.files) expect(path.isAbsolute(f)).toBe(true);

    // One line per run attempt, each id once.
    const runs = [...files]
      .filter(([k]) => k.startsWith('job-runs/'))
      .flatMap(([, text]) => text.split('\n').filter(Boolean))
      .map((l) => JSON.parse(l) as GlueJobRunRecord);
    expect(runs).toHaveLength(summary.runs);
    expect(new Set(runs.map((r) => r.job_run_id)).size).toBe(summary.runs);

    // Collected again, later: objects read, none written, LastModified unchanged.
    const stamped = new Map(s3.keys(LAKE).map((k) => [k, s3.buckets.get(LAKE)?.get(k)?.lastModified]));
    s3.now = new Date('2026-11-27T18:00:00Z');
    const before = s3.calls.length;
    const again = await collectGlue({ ...options, root: store });
    const secondCalls = s3.calls.slice(before);
    expect(secondCalls.filter((c) => c.operation === 'PutObject')).toEqual([]);
    expect(secondCalls.some((c) => c.operation === 'GetObject')).toBe(true);
    // Each hour object is read at most once per collection (the run hours serve both the look for
    // unfinished runs and the merge).
    const gets = secondCalls
      .filter((c) => c.operation === 'GetObject')
      .map((c) => (c.input as { Key: string }).Key);
    expect(gets.length).toBe(new Set(gets).size);
    expect(again.files).toEqual([]);
    expect(again.touchedHours).toEqual([]);
    expect(again.runs).toBe(summary.runs);
    for (const [k, at] of stamped) expect(s3.buckets.get(LAKE)?.get(k)?.lastModified).toBe(at);

    // Every request stayed inside the bucket and prefix, and is one S3 accepts.
    for (const c of s3.calls) {
      expect(['GetObject', 'PutObject', 'ListObjectsV2']).toContain(c.operation);
      const input = c.input as { Bucket: string; Key?: string; Prefix?: string };
      expect(input.Bucket).toBe(LAKE);
      expect(input.Key ?? input.Prefix).toMatch(/^lakeq\/raw\/glue\/job-(runs|metrics)\//);
      expectValidRequest('s3', c.operation, c.input);
    }
  });

  it('replaces a running run’s line when a later collection sees it finish: one line, one PutObject', async () => {
    const captured = path.join(dir, 'captured');
    const put = async (rel: string, content: unknown) => {
      const file = path.join(captured, rel);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify(content));
    };
    const run = {
      Id: 'jr_1',
      JobName: 'report',
      Attempt: 0,
      JobRunState: 'RUNNING',
      StartedOn: '2026-11-01T12:50:00Z',
      LastModifiedOn: '2026-11-01T12:50:30Z',
      ExecutionTime: 0,
      MaxCapacity: 0.0625,
    };
    // Python shell: no Spark metrics, so only run files are written.
    await put('jobs/jobs.json', {
      Jobs: [{ Name: 'report', Command: { Name: 'pythonshell' }, Timeout: 60 }],
    });
    await put('job-runs/1-running.json', { JobRuns: [run] });
    const store = s3ObjectStore({ root: `s3://${LAKE}/lakeq/raw/glue/`, client });
    const key = 'job-runs/dt=2026-11-01/hour=12/job-runs.json';
    // A line left by something else is dropped with a warning naming the object.
    s3.put(LAKE, `${PREFIX}${key}`, 'not json\n');
    const collect = async (from: string, to: string) =>
      collectGlue({
        api: await openCapturedGlueApi(captured),
        root: store,
        from: new Date(from),
        to: new Date(to),
        prices: DEFAULT_GLUE_PRICES,
        region: 'us-east-1',
        accountId: null,
        now: new Date(to),
      });

    const first = await collect('2026-11-01T12:00:00Z', '2026-11-01T13:00:00Z');
    expect(first.warnings).toEqual([`s3://${LAKE}/${PREFIX}${key}:1: not a collected Glue record, dropped`]);
    expect(first.files).toEqual([`s3://${LAKE}/${PREFIX}${key}`]);
    const lines1 = (body(`${PREFIX}${key}`) ?? '').split('\n').filter(Boolean);
    expect(lines1.map((l) => (JSON.parse(l) as GlueJobRunRecord).job_run_state)).toEqual(['RUNNING']);

    await put('job-runs/2-finished.json', {
      JobRuns: [
        {
          ...run,
          JobRunState: 'SUCCEEDED',
          CompletedOn: '2026-11-01T13:10:00Z',
          LastModifiedOn: '2026-11-01T13:10:00Z',
          ExecutionTime: 1190,
        },
      ],
    });
    const before = s3.calls.length;
    const second = await collect('2026-11-01T13:00:00Z', '2026-11-01T14:00:00Z');
    expect(second.warnings).toEqual([]);
    // The run started before the window: its hour is the one touched.
    expect(second.touchedHours).toEqual(['2026-11-01T12:00:00.000Z']);
    expect(second.files).toEqual([`s3://${LAKE}/${PREFIX}${key}`]);
    const puts = s3.calls.slice(before).filter((c) => c.operation === 'PutObject');
    expect(puts.map((c) => (c.input as { Key: string }).Key)).toEqual([`${PREFIX}${key}`]);
    const lines2 = (body(`${PREFIX}${key}`) ?? '').split('\n').filter(Boolean);
    expect(lines2).toHaveLength(1);
    expect(JSON.parse(lines2[0] ?? '{}')).toMatchObject({
      job_run_id: 'jr_1',
      job_run_state: 'SUCCEEDED',
      completed_on: '2026-11-01T13:10:00.000Z',
      execution_seconds: 1190,
      dpu_seconds: 1190 * 0.0625,
    });
    expect(s3.keys(LAKE)).toEqual([`${PREFIX}${key}`]);
  });
});

describe('existingGlueHours on a store', () => {
  it('finds the hour files of one table in a window, listed day by day or whole, and ignores strays', async () => {
    const store = s3ObjectStore({ root: `s3://${LAKE}/lakeq/raw/glue/`, client, maxKeys: 2 });
    const keys = [
      'job-runs/dt=2026-10-01/hour=05/job-runs.json',
      'job-runs/dt=2026-11-01/hour=00/job-runs.json',
      'job-runs/dt=2026-11-01/hour=23/job-runs.json',
      'job-runs/dt=2026-11-02/hour=07/job-runs.json',
      'job-runs/dt=2026-11-02/hour=07/job-runs.json.tmp',
      'job-runs/dt=2026-11-02/hour=24/job-runs.json',
      'job-runs/dt=2026-11-03/hour=01/other.json',
      'job-metrics/dt=2026-11-02/hour=08/job-metrics.json',
    ];
    for (const k of keys) s3.put(LAKE, `${PREFIX}${k}`, '{}\n');
    const h = (iso: string) => Date.parse(iso);

    // 2 days: listed day by day (two prefixes).
    expect(
      await existingGlueHours(store, 'job-runs', h('2026-11-01T00:00Z'), h('2026-11-02T08:00Z')),
    ).toEqual([h('2026-11-01T00:00Z'), h('2026-11-01T23:00Z'), h('2026-11-02T07:00Z')]);
    expect(
      calls('ListObjectsV2')
        .map((c) => (c.input as { Prefix: string }).Prefix)
        .filter((p, i, a) => a.indexOf(p) === i),
    ).toEqual([`${PREFIX}job-runs/dt=2026-11-01/`, `${PREFIX}job-runs/dt=2026-11-02/`]);
    // The window's end is exclusive, its start inclusive.
    expect(
      await existingGlueHours(store, 'job-runs', h('2026-11-01T23:00Z'), h('2026-11-02T07:00Z')),
    ).toEqual([h('2026-11-01T23:00Z')]);

    // Two months: the whole table, one listing.
    const listsBefore = calls('ListObjectsV2').length;
    expect(
      await existingGlueHours(store, 'job-runs', h('2026-10-01T00:00Z'), h('2026-12-01T00:00Z')),
    ).toEqual([
      h('2026-10-01T05:00Z'),
      h('2026-11-01T00:00Z'),
      h('2026-11-01T23:00Z'),
      h('2026-11-02T07:00Z'),
    ]);
    const prefixes = new Set(
      calls('ListObjectsV2')
        .slice(listsBefore)
        .map((c) => (c.input as { Prefix: string }).Prefix),
    );
    expect([...prefixes]).toEqual([`${PREFIX}job-runs/`]);
    expect(
      await existingGlueHours(store, 'job-metrics', h('2026-11-02T00:00Z'), h('2026-11-03T00:00Z')),
    ).toEqual([h('2026-11-02T08:00Z')]);

    // The same in a folder.
    const folder = path.join(dir, 'glue');
    const local = localFolderStore(folder);
    for (const k of keys) await local.put(k, '{}\n');
    expect(
      await existingGlueHours(folder, 'job-runs', h('2026-10-01T00:00Z'), h('2026-12-01T00:00Z')),
    ).toEqual([
      h('2026-10-01T05:00Z'),
      h('2026-11-01T00:00Z'),
      h('2026-11-01T23:00Z'),
      h('2026-11-02T07:00Z'),
    ]);
    expect(
      await existingGlueHours(folder, 'job-runs', h('2026-11-02T00:00Z'), h('2026-11-03T00:00Z')),
    ).toEqual([h('2026-11-02T07:00Z')]);
  });

  it('names a key’s location: s3:// for S3, an absolute path for a folder', async () => {
    const key = 'job-runs/dt=2026-11-01/hour=12/job-runs.json';
    expect(objectLocation(s3ObjectStore({ root: `s3://${LAKE}/lakeq`, client }), key)).toBe(
      `s3://${LAKE}/lakeq/${key}`,
    );
    expect(objectLocation(s3ObjectStore({ root: `s3://${LAKE}`, client }), key)).toBe(`s3://${LAKE}/${key}`);
    const relative = path.relative(process.cwd(), path.join(dir, 'glue'));
    const file = objectLocation(localFolderStore(relative), key);
    expect(file).toBe(path.join(dir, 'glue', 'job-runs', 'dt=2026-11-01', 'hour=12', 'job-runs.json'));
    await localFolderStore(relative).put(key, 'x');
    expect((await stat(file)).isFile()).toBe(true);
    expect(() => objectLocation(localFolderStore(dir), '../x')).toThrow(/not a store key/);
  });
});
