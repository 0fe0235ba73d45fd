import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCapturedGlueApi } from '../../../src/sources/glue/collect/captured-api.ts';
import { DEFAULT_GLUE_PRICES } from '../../../src/sources/glue/collect/prices.ts';
import type { GlueJobMetricRecord, GlueJobRunRecord } from '../../../src/sources/glue/collect/records.ts';
import { collectGlue } from '../../../src/sources/glue/collect.ts';
import { writeGlueSample } from '../../../src/sources/glue/sample.ts';

const from = new Date('2026-11-01T00:00:00Z');
const to = new Date('2026-11-03T00:00:00Z');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-glue-sample-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function filesOf(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (rel: string) => {
    for (const entry of await readdir(path.join(root, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) await walk(child);
      else out.set(child, await readFile(path.join(root, child), 'utf8'));
    }
  };
  await walk('');
  return out;
}

async function readAll<T>(root: string): Promise<T[]> {
  const rows: T[] = [];
  for (const text of (await filesOf(root)).values()) {
    for (const line of text.split('\n')) if (line) rows.push(JSON.parse(line) as T);
  }
  return rows;
}

describe('writeGlueSample', () => {
  it('is deterministic: the same options give the same bytes; another seed differs', async () => {
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    const c = path.join(dir, 'c');
    const sa = await writeGlueSample({ out: a, from, to, seed: 7 });
    const sb = await writeGlueSample({ out: b, from, to, seed: 7 });
    await writeGlueSample({ out: c, from, to, seed: 8 });
    expect(sb).toEqual(sa);
    const fa = await filesOf(a);
    const fb = await filesOf(b);
    expect([...fb.keys()].sort()).toEqual([...fa.keys()].sort());
    for (const [file, text] of fa) expect(fb.get(file), file).toBe(text);
    expect(fa.size).toBe(sa.files);
    const fc = await filesOf(c);
    expect([...fa].some(([file, text]) => fc.get(file) !== text)).toBe(true);
  });

  it('is varied: every job type, many states, retries, flex, auto scaling, running runs; collected cleanly', async () => {
    const out = path.join(dir, 'variety');
    const summary = await writeGlueSample({
      out,
      from,
      to,
      seed: 3,
      accountId: '444455556666',
      region: 'eu-west-1',
    });
    const api = await openCapturedGlueApi(out);
    expect(api.warnings).toEqual([]);
    const root = path.join(dir, 'variety-raw');
    const result = await collectGlue({
      api,
      root,
      from,
      to,
      prices: DEFAULT_GLUE_PRICES,
      region: 'eu-west-1',
      accountId: '444455556666',
      now: to,
    });
    expect(result.warnings).toEqual([]);
    expect(result.runs).toBe(summary.runs);
    expect(result.metricPoints).toBe(summary.metricPoints);

    const runs = await readAll<GlueJobRunRecord>(path.join(root, 'job-runs'));
    expect(runs).toHaveLength(summary.runs);
    expect(new Set(runs.map((r) => r.job_run_id)).size).toBe(runs.length);
    expect(new Set(runs.map((r) => r.job_type))).toEqual(
      new Set(['glueetl', 'gluestreaming', 'pythonshell', 'glueray']),
    );
    const states = new Set(runs.map((r) => r.job_run_state));
    for (const s of ['SUCCEEDED', 'FAILED', 'TIMEOUT', 'RUNNING', 'STOPPED', 'ERROR'])
      expect(states, s).toContain(s);

    // A retry points at an attempt that exists, of the same job, and started after it ended.
    const byId = new Map(runs.map((r) => [r.job_run_id, r]));
    const retries = runs.filter((r) => r.attempt > 0);
    expect(retries.length).toBeGreaterThan(0);
    for (const retry of retries) {
      const previous = byId.get(retry.previous_run_id ?? '');
      expect(previous?.job_name).toBe(retry.job_name);
      expect(previous?.job_run_state).toBe('FAILED');
      expect(Date.parse(retry.started_on)).toBeGreaterThan(Date.parse(previous?.completed_on ?? ''));
    }

    const failed = runs.filter((r) => r.job_run_state === 'FAILED');
    for (const r of failed) expect(r.error_message?.length ?? 0).toBeGreaterThan(10);

    // FLEX and auto scaling runs report DPUSeconds, below ExecutionTime × MaxCapacity.
    const finished = (r: GlueJobRunRecord) => r.completed_on !== null && (r.execution_seconds ?? 0) > 0;
    const flex = runs.filter((r) => r.execution_class === 'FLEX' && finished(r));
    expect(flex.length).toBeGreaterThan(0);
    for (const r of [
      ...flex,
      ...runs.filter((x) => x.job_name === 'clickstream-hourly-compaction' && finished(x)),
    ]) {
      expect(r.dpu_seconds).toBeLessThan((r.execution_seconds ?? 0) * (r.max_capacity ?? 0));
    }
    for (const r of flex) expect(r.estimated_cost_usd).toBeCloseTo(((r.dpu_seconds ?? 0) / 3600) * 0.29, 10);
    // Other runs: ExecutionTime × MaxCapacity.
    const pyshell = runs.filter((r) => r.job_type === 'pythonshell' && finished(r));
    expect(new Set(pyshell.map((r) => r.max_capacity))).toEqual(new Set([0.0625, 1]));
    for (const r of pyshell) expect(r.dpu_seconds).toBe((r.execution_seconds ?? 0) * (r.max_capacity ?? 0));
    expect(runs.find((r) => r.job_type === 'glueray')).toMatchObject({
      worker_type: 'Z.2X',
      number_of_workers: 5,
    });
    expect(new Set(runs.map((r) => r.worker_type))).toEqual(new Set(['G.1X', 'G.2X', 'Z.2X', null]));

    // Still running at `to`: the streaming job and the slow last hourly run.
    const running = runs.filter((r) => r.job_run_state === 'RUNNING').map((r) => r.job_type);
    expect(running.sort()).toEqual(['glueetl', 'gluestreaming']);

    // Schedules: the hourly jobs run every hour of the window (24 × 2 first attempts each).
    for (const job of ['clickstream-hourly-compaction', 'inventory-sync-pyshell']) {
      expect(runs.filter((r) => r.job_name === job && r.attempt === 0)).toHaveLength(48);
    }
    for (const r of runs) {
      expect(Date.parse(r.started_on)).toBeGreaterThanOrEqual(from.getTime());
      expect(Date.parse(r.started_on)).toBeLessThan(to.getTime());
      expect([r.region, r.account_id]).toEqual(['eu-west-1', '444455556666']);
    }

    // Metrics only for Spark runs (glueetl, gluestreaming).
    const points = await readAll<GlueJobMetricRecord>(path.join(root, 'job-metrics'));
    expect(points).toHaveLength(summary.metricPoints);
    const sparkRuns = new Set(
      runs.filter((r) => r.job_type === 'glueetl' || r.job_type === 'gluestreaming').map((r) => r.job_run_id),
    );
    for (const p of points) expect(sparkRuns.has(p.job_run_id)).toBe(true);
  });

  it('writes some runs twice: an older running state in snapshots and the final state in the pages', async () => {
    const out = path.join(dir, 'twice');
    await writeGlueSample({ out, from, to, seed: 5 });
    const files = await filesOf(out);
    const statesById = new Map<string, string[]>();
    for (const [file, text] of files) {
      if (!file.startsWith('job-runs/')) continue;
      for (const run of (JSON.parse(text) as { JobRuns: { Id: string; JobRunState: string }[] }).JobRuns) {
        statesById.set(run.Id, [...(statesById.get(run.Id) ?? []), run.JobRunState]);
      }
    }
    const twice = [...statesById.values()].filter((s) => s.length === 2);
    expect(twice.length).toBeGreaterThan(0);
    for (const states of twice) expect(states).toContain('RUNNING');
    // Pages are newest first and 25 runs at most.
    const pages = [...files].filter(([f]) => f.startsWith('job-runs/clickstream-hourly-compaction/'));
    expect(pages.length).toBeGreaterThan(1);
    for (const [, text] of pages) {
      const runs = (JSON.parse(text) as { JobRuns: { StartedOn: string }[] }).JobRuns;
      expect(runs.length).toBeLessThanOrEqual(25);
      const times = runs.map((r) => Date.parse(r.StartedOn));
      expect([...times].sort((x, y) => y - x)).toEqual(times);
    }
  });

  it('refuses an empty window and a bad account id', async () => {
    await expect(writeGlueSample({ out: path.join(dir, 'x'), from: to, to: from })).rejects.toThrow(
      /empty window/,
    );
    await expect(writeGlueSample({ out: path.join(dir, 'x'), from, to, accountId: '12' })).rejects.toThrow(
      /12 digits/,
    );
  });
});
