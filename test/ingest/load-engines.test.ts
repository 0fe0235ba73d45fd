import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { defaultLoadConcurrency, LoadEngines, loadEngineThreads } from '../../src/ingest/load-engines.ts';

describe('the load engines', () => {
  it('run two batches at once on a machine of two cores or more, sharing the cores among them', () => {
    const cores = availableParallelism();
    expect(defaultLoadConcurrency()).toBe(Math.min(2, cores));
    expect(loadEngineThreads(1)).toBe(cores);
    expect(loadEngineThreads(2)).toBe(Math.max(1, Math.floor(cores / 2)));
    expect(loadEngineThreads(cores * 4)).toBe(1);
  });

  it('open with the threads asked for and without keeping insertion order (nothing a load writes depends on it)', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'lakeq-load-engines-'));
    const engines = new LoadEngines({ dataDir, threads: 1 });
    try {
      const settings = await engines.use(async ({ engine }) => {
        const { rows } = await engine.execute<{ threads: unknown; ordered: unknown }>(
          CompiledQuery.raw(
            `SELECT current_setting('threads') AS threads, current_setting('preserve_insertion_order') AS ordered`,
          ),
        );
        return rows[0];
      });
      expect(Number(settings?.threads)).toBe(1);
      expect(settings?.ordered).toBe(false);
    } finally {
      await engines.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
