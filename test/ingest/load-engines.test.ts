import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import type { LocalLoadEngine } from '../../src/catalog/duckdb/local-engine.ts';
import { defaultLoadConcurrency, LoadEngines, loadEngineThreads } from '../../src/ingest/load-engines.ts';

/** Every load engine opened in this file, in order (the real ones, counted). */
const opened = vi.hoisted(() => [] as Promise<unknown>[]);
vi.mock('../../src/catalog/duckdb/local-engine.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/catalog/duckdb/local-engine.ts')>();
  return {
    ...original,
    openLocalLoadEngine: (...args: Parameters<typeof original.openLocalLoadEngine>) => {
      const engine = original.openLocalLoadEngine(...args);
      opened.push(engine);
      return engine;
    },
  };
});

const isOpen = async (w: LocalLoadEngine) =>
  w.engine.execute(CompiledQuery.raw('SELECT 1')).then(
    () => true,
    () => false,
  );

describe('the load engines', () => {
  it('run two batches at once on a machine of two cores or more, sharing the cores among them', () => {
    const cores = availableParallelism();
    expect(defaultLoadConcurrency()).toBe(Math.min(2, cores));
    expect(loadEngineThreads(1)).toBe(cores);
    expect(loadEngineThreads(2)).toBe(Math.max(1, Math.floor(cores / 2)));
    expect(loadEngineThreads(cores * 4)).toBe(1);
  });

  it('open with the threads asked for, without keeping insertion order (nothing a load writes depends on it), keeping freed memory for the next batch', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'lakeq-load-engines-'));
    const engines = new LoadEngines({ dataDir, threads: 1 });
    try {
      const settings = await engines.use(async ({ engine }) => {
        const { rows } = await engine.execute<{ threads: unknown; ordered: unknown; flushAbove: unknown }>(
          CompiledQuery.raw(
            `SELECT current_setting('threads') AS threads, current_setting('preserve_insertion_order') AS ordered,
              current_setting('allocator_bulk_deallocation_flush_threshold') AS "flushAbove"`,
          ),
        );
        return rows[0];
      });
      expect(Number(settings?.threads)).toBe(1);
      expect(settings?.ordered).toBe(false);
      // Not flushed to the OS when a batch's tables are dropped (DuckDB's default: above 512 MiB).
      expect(String(settings?.flushAbove)).toMatch(/^1(\.0)? ?TiB$/);
    } finally {
      await engines.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('open ahead when asked (during planning), hand each concurrent batch its own, and close those never used', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'lakeq-load-engines-'));
    const engines = new LoadEngines({ dataDir, threads: 1 });
    const before = opened.length;
    try {
      engines.prepare(2);
      engines.prepare(2);
      // Opening started at once, before any batch asked, and no more than asked for.
      expect(opened.length - before).toBe(2);
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const first = engines.use(async (w) => {
        await held;
        return w;
      });
      const second = engines.use(async (w) => w);
      const a = await second;
      release();
      const b = await first;
      expect(a).not.toBe(b);
      expect(opened.length - before).toBe(2);
      // Kept for the next batches: no new engine while one is idle.
      const third = await engines.use(async (w) => w);
      expect([a, b]).toContain(third);
      expect(opened.length - before).toBe(2);
      expect(await isOpen(third)).toBe(true);
    } finally {
      await engines.close();
    }
    const unused = new LoadEngines({ dataDir, threads: 1 });
    const mark = opened.length;
    unused.prepare(2);
    await unused.close();
    const pending = (await Promise.all(opened.slice(mark))) as LocalLoadEngine[];
    expect(pending).toHaveLength(2);
    for (const w of pending) expect(await isOpen(w)).toBe(false);
    await expect(unused.use(async () => 1)).rejects.toThrow(/closed/);
    await rm(dataDir, { recursive: true, force: true });
  });
});

describe("a stage's last batch", () => {
  it('gets the most threads for its statements once no batch of its stage is left to start; the others keep their share', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'lakeq-load-engines-'));
    const engines = new LoadEngines({ dataDir, threads: 1, maxThreads: 3 });
    const threads = async ({ engine }: LocalLoadEngine) => {
      const { rows } = await engine.execute<{ t: unknown }>(
        CompiledQuery.raw(`SELECT current_setting('threads') AS t`),
      );
      return Number(rows[0]?.t);
    };
    const stage = { key: 'r1\ncloudtrail_events', batches: 3 };
    try {
      // Batches 1 and 2 run together; 3 starts last (while 2 still runs) and gets 3 threads.
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const first = await engines.use(threads, stage);
      const second = engines.use(async (w) => {
        const during = await threads(w);
        await held;
        return [during, await threads(w)];
      }, stage);
      const third = await engines.use(threads, stage);
      release();
      expect(first).toBe(1);
      expect(await second).toEqual([1, 1]);
      expect(third).toBe(3);
      // The engine goes back to its share for the next stage's first batch, and without a stage.
      expect(await engines.use(threads, { key: 'r1\nchurn', batches: 2 })).toBe(1);
      expect(await engines.use(threads)).toBe(1);
      // A stage of one batch (an hourly run's) is its own last.
      expect(await engines.use(threads, { key: 'r2\ncloudtrail_events', batches: 1 })).toBe(3);
    } finally {
      await engines.close();
      await rm(dataDir, { recursive: true, force: true });
    }
    // Without maxThreads (or with the user's threads) an engine never changes its threads.
    const fixed = new LoadEngines({ dataDir, threads: 2 });
    try {
      expect(await fixed.use(threads, { key: 'x', batches: 1 })).toBe(2);
    } finally {
      await fixed.close();
    }
  });
});
