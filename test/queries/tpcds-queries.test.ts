import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CboBackend, compareCbo } from '../../src/benchmarks/tpcds/cbo-compare.ts';
import { cboRunId, writeCboRuns } from '../../src/benchmarks/tpcds/cbo-runs-table.ts';
import { DUCKDB_WRITTEN_ORDER_OPTIMIZERS, duckDbCboBackend } from '../../src/benchmarks/tpcds/duckdb-cbo.ts';
import { openLocalEngine } from '../../src/catalog/duckdb/local-engine.ts';
import { main } from '../../src/cli/main.ts';
import type { LakeqSettings } from '../../src/config/lakeq-config.ts';
import { compileTarget } from '../../src/engines/compile-targets.ts';
import type { DuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.ts';
import { compileQuery } from '../../src/query/compile-query.ts';
import type { LibraryQuery } from '../../src/query/define-query.ts';
import { listQueryIds, loadQuery } from '../../src/query/registry.ts';
import { runQuery } from '../../src/query/run-query.ts';
import { generateTpcds } from '../../src/sources/tpcds/sample.ts';
import { captureIO } from '../support/capture-io.ts';
import { REAL_FIXTURES_URL } from '../support/fixture-dirs.ts';

const athena = compileTarget('athena', { aws: { athena: {} } } as unknown as LakeqSettings);
const ids = Array.from({ length: 99 }, (_, i) => `tpcds/q${String(i + 1).padStart(2, '0')}`);
let dir: string;
let root: string;
let engine: DuckDbEngine;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-tpcds-q-'));
  root = path.join(dir, 'raw', 'tpcds');
  await generateTpcds({ out: root, sf: 0.01, seed: 1 });
  engine = await openLocalEngine({ sources: { tpcds: root }, dataDir: dir });
}, 300_000);

afterAll(async () => {
  await engine?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the TPC-DS queries', () => {
  it('are tpcds/q01 … tpcds/q99, each the benchmark’s text as pbench renders it, with a title and question', async () => {
    expect((await listQueryIds()).filter((id) => /^tpcds\/q\d\d$/.test(id))).toEqual(ids);
    for (const [i, id] of ids.entries()) {
      const query = (await loadQuery(id)) as LibraryQuery;
      const file = `tpcds/queries-presto/query_${String(i + 1).padStart(2, '0')}.sql`;
      const text = (await readFile(new URL(file, REAL_FIXTURES_URL), 'utf8')).trimEnd().replace(/;$/, '');
      expect(compileQuery(query, {}, athena).compiled.sql, id).toBe(text);
      expect(query.title).toMatch(new RegExp(`^TPC-DS Q${i + 1}: .{10,}`));
      expect(query.description).toMatch(/\?/);
    }
  });

  it('all 99 run on the local engine over SF0.01', { timeout: 600_000 }, async () => {
    const failed: string[] = [];
    let withRows = 0;
    for (const id of ids) {
      try {
        const run = await runQuery(engine, (await loadQuery(id)) as LibraryQuery, {});
        if (run.rows.length > 0) withRows++;
      } catch (error) {
        failed.push(`${id}: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    expect(failed).toEqual([]);
    // At SF0.01 (one store, 180 items) some selective queries find nothing; at SF1 every one does (bench/tpcds).
    expect(withRows).toBeGreaterThan(70);
  });

  it('lakeq query run tpcds/q82 runs a benchmark query by its library id', async () => {
    const io = captureIO();
    expect(
      await main(['query', 'run', 'tpcds/q82', '--source', `tpcds=${root}`, '--format', 'csv'], io),
    ).toBe(0);
    expect(io.stdout().split('\n')[0]).toBe('i_item_id,i_item_desc,i_current_price');
    const q3 = captureIO();
    expect(
      await main(['query', 'run', 'tpcds/q03', '--source', `tpcds=${root}`, '--format', 'csv'], q3),
    ).toBe(0);
    expect(q3.stdout().split('\n')[0]).toBe('d_year,brand_id,brand,sum_agg');
  });
});

describe('lakeq tpcds compare on DuckDB', () => {
  it('joins Q82 in written order with the optimizers off, and reorders it with them on; both give the same rows', async () => {
    expect(DUCKDB_WRITTEN_ORDER_OPTIMIZERS).toEqual(['join_order', 'build_side_probe_side']);
    const q82 = (await loadQuery('tpcds/q82')) as LibraryQuery;
    const [result] = await compareCbo(duckDbCboBackend(engine), { queries: [q82], runs: 1 });
    expect(result?.status).toBe('ok');
    expect(result?.joinOrder['cbo-off']).toBe('item ⋈ inventory ⋈ date_dim ⋈ store_sales');
    expect(result?.joinOrder['cbo-on']).not.toBe(result?.joinOrder['cbo-off']);
    expect(result?.planChanged).toBe(true);
    expect(result?.runs).toHaveLength(2);
    expect(new Set(result?.runs.map((r) => r.resultHash)).size).toBe(1);
    expect(result?.speedup).toBeGreaterThan(0);
  });

  it('fails a query whose two modes return different rows, and records and reports it', async () => {
    const real = duckDbCboBackend(engine);
    // The injected difference: with the optimizer on, the first row goes missing.
    const broken: CboBackend = {
      ...real,
      run: async (query, mode) => {
        const r = await real.run(query, mode);
        return mode === 'cbo-on' && query.id === 'tpcds/q07' ? { ...r, rows: r.rows.slice(1) } : r;
      },
    };
    const queries = (await Promise.all(
      ['tpcds/q07', 'tpcds/q42'].map((id) => loadQuery(id)),
    )) as LibraryQuery[];
    const results = await compareCbo(broken, { queries, runs: 2 });
    expect(results.map((r) => r.status)).toEqual(['mismatch', 'ok']);
    expect(results[0]?.error).toMatch(
      /the modes returned different rows: cbo-off [0-9a-f]{12} \(\d+ rows\) vs cbo-on/,
    );
    expect(results[0]?.speedup).toBeNaN();

    const startedAt = new Date('2026-12-02T03:15:00Z');
    const info = {
      runId: cboRunId(startedAt, 'duckdb'),
      startedAt,
      engine: 'duckdb',
      scaleFactor: 0.01,
    } as const;
    expect(info.runId).toBe('20261202T031500Z-duckdb');
    const written = await writeCboRuns(engine, root, info, results);
    expect(written.rows).toBe(8);
    await expect(writeCboRuns(engine, root, info, results)).rejects.toThrow(/already recorded/);

    const io = captureIO();
    expect(await main(['tpcds', 'report', '--source', `tpcds=${root}`, '--data-dir', dir], io)).toBe(0);
    const out = io.stdout();
    expect(out).toContain('TPC-DS SF0.01 on duckdb, run 20261202T031500Z-duckdb');
    expect(out).toMatch(/^q07 .* mismatch/m);
    expect(out).toMatch(/^q42 .*×/m);
    expect(out).toContain('not compared: q07 (mismatch)');
    expect(out).toMatch(/overall: 1 queries compared/);

    const shown = captureIO();
    const args = [
      'query',
      'run',
      'tpcds/cbo-comparison',
      '--source',
      `tpcds=${root}`,
      '--data-dir',
      dir,
      '--format',
      'json',
    ];
    expect(await main(args, shown)).toBe(0);
    const rows = JSON.parse(shown.stdout()) as { query_id: string; status: string; speedup: number | null }[];
    expect(rows.map((r) => [r.query_id, r.status])).toEqual([
      ['tpcds/q07', 'mismatch'],
      ['tpcds/q42', 'ok'],
    ]);
    expect(rows[0]?.speedup).toBeNull();
  }, 120_000);

  it('lakeq tpcds compare prints the comparison, records it, and exits 0 when every query matched', async () => {
    const io = captureIO();
    const code = await main(
      [
        'tpcds',
        'compare',
        '--queries',
        'q02,q82',
        '--runs',
        '3',
        '--source',
        `tpcds=${root}`,
        '--data-dir',
        dir,
      ],
      io,
    );
    expect(io.stderr()).toMatch(/recorded 12 runs in tpcds_cbo_runs/);
    expect(code).toBe(0);
    expect(io.stdout()).toMatch(/^q82 +\d+ +\d+ +[\d.]+× +yes$/m);
    expect(io.stdout()).toContain('q82 join order');
    expect(io.stdout()).toContain('without the optimizer: item ⋈ inventory ⋈ date_dim ⋈ store_sales');
  }, 120_000);

  it('refuses to compare before anything is generated, and an unknown query number', async () => {
    const empty = captureIO();
    const elsewhere = path.join(dir, 'nothing');
    expect(await main(['tpcds', 'compare', '--data-dir', elsewhere], empty)).toBe(1);
    expect(empty.stderr()).toMatch(/^lakeq: no TPC-DS tables in .*: run lakeq tpcds generate --sf 1 first$/m);
    const bad = captureIO();
    expect(await main(['tpcds', 'compare', '--queries', 'q100', '--source', `tpcds=${root}`], bad)).toBe(2);
    expect(bad.stderr().split('\n')[0]).toMatch(/--queries takes TPC-DS query numbers 1-99/);
  });
});
