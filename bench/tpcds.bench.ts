/**
 * TPC-DS: the generator, the 99 queries through lakeq against the same SQL on raw DuckDB, and
 * the cost-based-optimizer comparison, in one process.
 *
 * - generate: `lakeq tpcds generate` at `LAKEQ_BENCH_TPCDS_SF` (default 1) into a temporary
 *   folder: seconds and rows per second; the row counts must be dsdgen's.
 * - queries: each of the 99 queries (or `LAKEQ_BENCH_TPCDS_QUERIES=2,82`) through lakeq (catalog,
 *   compile, Trino rewrite, result conversion) and its rewritten SQL on a bare DuckDB connection
 *   over the same Parquet views; goal: raw/lakeq ≥ 0.95. Both must return the same number of
 *   rows, and at SF1 every query must return rows.
 * - cbo: `lakeq tpcds compare`'s DuckDB harness over the same queries, `LAKEQ_BENCH_ROUNDS` timed
 *   runs per mode (default 1): the speedups' geometric mean, and Q82's times.
 *
 *   node bench/tpcds.bench.ts            (or npm run bench -- tpcds)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { compareCbo, geometricMean } from '../src/benchmarks/tpcds/cbo-compare.ts';
import { duckDbCboBackend } from '../src/benchmarks/tpcds/duckdb-cbo.ts';
import { openLocalEngine } from '../src/catalog/duckdb/local-engine.ts';
import { localSqlCandidates } from '../src/engines/duckdb/duckdb-local-sql.ts';
import { installTrinoCompat } from '../src/engines/duckdb/duckdb-trino-compat.ts';
import { compileQuery } from '../src/query/compile-query.ts';
import type { LibraryQuery } from '../src/query/define-query.ts';
import { loadQuery } from '../src/query/registry.ts';
import { runQuery } from '../src/query/run-query.ts';
import { tpcdsViewSql } from '../src/sources/tpcds/raw-duckdb.ts';
import { rowCounts } from '../src/sources/tpcds/sample/row-counts.ts';
import { generateTpcds } from '../src/sources/tpcds/sample.ts';
import { TPCDS_TABLES } from '../src/sources/tpcds/schema.ts';
import { type BenchResult, envInt, log, median, ms, ratio, type SummaryRow, table, timed } from './lib.ts';

export async function runTpcdsBench(): Promise<BenchResult> {
  const sf = Number(process.env.LAKEQ_BENCH_TPCDS_SF ?? '1');
  const rounds = envInt('LAKEQ_BENCH_ROUNDS', 1);
  const numbers = (process.env.LAKEQ_BENCH_TPCDS_QUERIES ?? '')
    .split(',')
    .filter((s) => s.trim() !== '')
    .map(Number);
  const ids = (numbers.length > 0 ? numbers : Array.from({ length: 99 }, (_, i) => i + 1)).map(
    (n) => `tpcds/q${String(n).padStart(2, '0')}`,
  );
  log(`\n== tpcds: generate SF${sf}, ${ids.length} queries through lakeq and raw DuckDB, CBO off/on ==`);
  const dir = await mkdtemp(path.join(tmpdir(), 'lakeq-bench-tpcds-'));
  const rows: SummaryRow[] = [];
  let failed = false;
  try {
    const gen = await generateTpcds({ out: dir, sf, seed: 1 });
    const expected = Object.values(rowCounts(sf)).reduce((s, n) => s + n, 0);
    if (gen.rows !== expected) {
      log(`!!! generated ${gen.rows} rows, expected ${expected}`);
      failed = true;
    }
    const seconds = gen.ms / 1000;
    log(
      `generated ${gen.rows.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s (${Math.round(gen.rows / seconds).toLocaleString('en-US')} rows/s)`,
    );
    rows.push({
      bench: 'tpcds',
      metric: `generate SF${sf} (${gen.rows.toLocaleString('en-US')} rows)`,
      lakeq: `${seconds.toFixed(1)} s, ${Math.round(gen.rows / seconds).toLocaleString('en-US')} rows/s`,
      baseline: '-',
      ratio: '-',
      goal: 'SF1 in a few minutes',
      met: sf !== 1 ? undefined : seconds < 600,
    });

    const engine = await openLocalEngine({ sources: { tpcds: dir } });
    const instance = await DuckDBInstance.create(':memory:');
    const raw = await instance.connect();
    await installTrinoCompat(async (sql: string) => {
      await raw.run(sql);
    });
    for (const t of TPCDS_TABLES) await raw.run(tpcdsViewSql(t, dir, true));
    const queries = (await Promise.all(ids.map((id) => loadQuery(id)))) as LibraryQuery[];
    const lakeqMs: number[] = [];
    const rawMs: number[] = [];
    const perQuery: string[][] = [];
    let empty = 0;
    for (const query of queries) {
      const duck = localSqlCandidates(compileQuery(query, {}, engine).compiled)[0]?.sql ?? '';
      // A warm-up of each first, so neither side pays for reading the files cold.
      await runQuery(engine, query, {});
      await raw.runAndReadAll(duck);
      const l = await timed(() => runQuery(engine, query, {}));
      const r = await timed(async () => (await raw.runAndReadAll(duck)).getRowObjects());
      if (l.value.rows.length !== r.value.length) {
        log(`!!! ${query.id}: lakeq ${l.value.rows.length} rows, raw DuckDB ${r.value.length}`);
        failed = true;
      }
      if (l.value.rows.length === 0) empty++;
      lakeqMs.push(l.ms);
      rawMs.push(r.ms);
      perQuery.push([query.id, ms(l.ms), ms(r.ms), String(l.value.rows.length)]);
    }
    log(table(['query', 'lakeq', 'raw DuckDB', 'rows'], perQuery));
    if (sf >= 1 && empty > 0) {
      log(`!!! ${empty} queries returned no rows at SF${sf}`);
      failed = true;
    }
    const lakeqTotal = lakeqMs.reduce((s, v) => s + v, 0);
    const rawTotal = rawMs.reduce((s, v) => s + v, 0);
    rows.push({
      bench: 'tpcds',
      metric: `${queries.length} queries, total (median ${ms(median(lakeqMs))})`,
      lakeq: ms(lakeqTotal),
      baseline: `raw DuckDB ${ms(rawTotal)}`,
      ratio: `raw/lakeq ${ratio(rawTotal, lakeqTotal)}`,
      goal: 'raw/lakeq ≥ 0.95',
      met: rawTotal / lakeqTotal >= 0.95,
    });
    raw.closeSync();
    instance.closeSync();

    const results = await compareCbo(duckDbCboBackend(engine), { queries, runs: rounds });
    await engine.close();
    const ok = results.filter((r) => r.status === 'ok');
    const bad = results.filter((r) => r.status !== 'ok');
    for (const r of bad) log(`!!! ${r.queryId} ${r.status}: ${r.error}`);
    if (bad.length > 0) failed = true;
    log(
      table(
        ['query', 'cbo-off', 'cbo-on', 'speedup', 'plan changed'],
        results.map((r) => [
          r.queryId,
          ms(r.offMs),
          ms(r.onMs),
          r.status === 'ok' ? `${r.speedup.toFixed(2)}×` : r.status,
          r.planChanged ? 'yes' : 'no',
        ]),
      ),
    );
    const geo = geometricMean(ok.map((r) => r.speedup));
    const q82 = results.find((r) => r.queryId === 'tpcds/q82');
    rows.push({
      bench: 'tpcds',
      metric: `CBO off/on, ${ok.length} queries, ${ok.filter((r) => r.planChanged).length} plans changed`,
      lakeq: `geomean ${geo.toFixed(2)}×`,
      baseline: q82 ? `q82 ${ms(q82.offMs)} → ${ms(q82.onMs)}` : '-',
      ratio: `off/on ${geo.toFixed(2)}`,
      goal: 'informational',
      met: undefined,
    });
  } catch (error) {
    log(`!!! ${error instanceof Error ? error.message : String(error)}`);
    failed = true;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { rows, failed };
}

if (import.meta.main) {
  const result = await runTpcdsBench();
  log(
    table(
      ['bench', 'measurement', 'lakeq', 'baseline', 'ratio', 'goal'],
      result.rows.map((r) => [r.bench, r.metric, r.lakeq, r.baseline, r.ratio, r.goal]),
    ),
  );
  if (result.failed) process.exitCode = 1;
}
