import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

it('LAKEQ_STEP_TIMINGS: totals per step and a timeline of every call, written at exit', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'lakeq-timings-'));
  const out = path.join(dir, 't.json');
  const module = path.resolve(import.meta.dirname, '../../src/ingest/step-timings.ts');
  const script = `const { timed } = await import(${JSON.stringify(module)});
    const wait = (ms) => new Promise((r) => setTimeout(r, ms));
    await Promise.all([timed('a', () => wait(30)), timed('b', () => wait(10))]);
    await timed('a', () => wait(5));`;
  try {
    execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, LAKEQ_STEP_TIMINGS: out },
    });
    const written = JSON.parse(await readFile(out, 'utf8')) as {
      process: { wallMs: number; cpuMs: number; maxRssKb: number };
      steps: Record<string, { calls: number; wallMs: number }>;
      spans: [string, number, number][];
    };
    expect(written.steps.a?.calls).toBe(2);
    expect(written.steps.b?.calls).toBe(1);
    expect(written.spans.map((s) => s[0]).sort()).toEqual(['a', 'a', 'b']);
    const [first, , last] = [...written.spans].sort((x, y) => x[1] - y[1]);
    for (const [, start, end] of written.spans) expect(end).toBeGreaterThanOrEqual(start);
    // The two calls at once overlap in the timeline; the third starts after the first ends.
    expect(last?.[1]).toBeGreaterThanOrEqual(first?.[2] ?? Number.POSITIVE_INFINITY);
    expect(written.process.maxRssKb).toBeGreaterThan(0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
