/**
 * Instance churn over ~1M raw CloudTrail events (`LAKEQ_BENCH_EVENTS`, default 1,000,000).
 *
 * - baseline: DuckDB's own `read_json` over the same files with the same record struct type and
 *   options as lakeq's `cloudtrail_raw` view (a glob instead of the file list, no `filename`) and the
 *   query's filters, counting created and deleted instances: a raw read of the same files.
 * - baseline auto (only with `LAKEQ_BENCH_AUTO=1`, slow): the same with `read_json_auto`'s detection.
 * - lakeq raw view: the local engine (the source folder's scan, head checks and views) and
 *   `runQuery(engine, instance-churn, { from, to })` with `cloudtrail_events` mapped to the raw view
 *   `cloudtrail_events_raw`: the same work as the baseline, through lakeq.
 * - lakeq load: `runLoad` of the window into a fresh data folder (raw files to the hour-partitioned
 *   Parquet tables); once per run, it takes a while.
 * - lakeq query: `openLocalEngine({ sources, dataDir })` and `runQuery(engine, instance-churn, ...)` over
 *   the loaded tables, as `lakeq query run` does.
 *
 * Each timed contender but the load runs `LAKEQ_BENCH_ROUNDS` times (default 3), the order rotated each
 * round; medians are compared as `ratio = baseline / lakeq` (goal >= 0.8). Every lakeq path's created and
 * deleted totals must equal the baseline's and the generator's plan: a mismatch, or a lakeq path that
 * fails, makes the run fail (exit code 1). Speed never does.
 */
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { INSTANCE_LIFECYCLE, SSO_SOURCE } from '../queries/identity-center/identity-center-sql.ts';
import churn from '../queries/identity-center/instance-churn.ts';
import { openLocalEngine } from '../src/catalog/duckdb/local-engine.ts';
import { createDuckDbEngine, type DuckDbEngine } from '../src/engines/duckdb/duckdb-engine.ts';
import { runLoad } from '../src/ingest/run-load.ts';
import { runQuery } from '../src/query/run-query.ts';
import { LocalCloudTrailSource } from '../src/sources/cloudtrail/raw-duckdb.ts';
import { CLOUDTRAIL_RECORD_SQL_TYPE } from '../src/sources/cloudtrail/schema.ts';
import { type BenchSample, DATA_DIR, ensureSample } from './dataset.ts';
import { type BenchResult, envInt, log, median, ms, ratio, type SummaryRow, table, timed } from './lib.ts';

const GOAL_RATIO = 0.8;
const MAX_OBJECT_BYTES = 1 << 30;

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

interface Counts {
  created: number;
  deleted: number;
}

interface Measurement {
  counts: Counts;
  /** Open: lakeq's engine (scan, views); the baseline's DuckDB instance. ms. */
  openMs: number;
  queryMs: number;
  totalMs: number;
  /** CPU time of the process (all threads, DuckDB's and libuv's included) over open and query, ms. */
  cpuMs: number;
}

/** CPU time (user + system, all threads of this process) since `start`, ms. */
const cpuSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

const timestamp = (iso: string) => `TIMESTAMP ${sqlString(iso.replace('T', ' ').replace('Z', ''))}`;

/** The instance-churn filters on a raw record `r`, as the query states them. */
function churnFilter(from: string, to: string): string {
  return `r.eventSource = ${sqlString(SSO_SOURCE)}
      AND r.eventName IN (${INSTANCE_LIFECYCLE.map(sqlString).join(', ')})
      AND r.errorCode IS NULL
      AND try_cast(r.eventTime AS TIMESTAMP) >= ${timestamp(from)}
      AND try_cast(r.eventTime AS TIMESTAMP) < ${timestamp(to)}`;
}

const COUNTS = `count_if(r.eventName = 'CreateInstance') AS created, count_if(r.eventName = 'DeleteInstance') AS deleted`;

/** The typed read lakeq's `cloudtrail_raw` makes, over a glob. */
export function typedBaselineSql(glob: string, from: string, to: string): string {
  return `SELECT ${COUNTS} FROM (
    SELECT unnest(Records) AS r
    FROM read_json(${sqlString(glob)}, columns = {Records: ${sqlString(`${CLOUDTRAIL_RECORD_SQL_TYPE}[]`)}},
      format = 'unstructured', maximum_object_size = ${MAX_OBJECT_BYTES})
  ) WHERE ${churnFilter(from, to)}`;
}

/**
 * The same with DuckDB's schema detection. With the default sampling (32 files) detection misses keys
 * of rarer events and the read fails ("has unknown key"), so every file is sampled: a second pass.
 */
export function autoBaselineSql(glob: string, from: string, to: string): string {
  return `SELECT ${COUNTS} FROM (
    SELECT unnest(Records) AS r FROM read_json_auto(${sqlString(glob)}, maximum_object_size = ${MAX_OBJECT_BYTES},
      sample_size = -1, maximum_sample_files = -1)
  ) WHERE ${churnFilter(from, to)}`;
}

async function measureBaseline(sql: string): Promise<Measurement> {
  const cpu = process.cpuUsage();
  const open = await timed(() => DuckDBInstance.create(':memory:'));
  const instance = open.value;
  const con = await instance.connect();
  try {
    const query = await timed(async () => (await con.runAndReadAll(sql)).getRowObjectsJS());
    const row = query.value[0] ?? {};
    return {
      counts: { created: Number(row.created ?? Number.NaN), deleted: Number(row.deleted ?? Number.NaN) },
      openMs: open.ms,
      queryMs: query.ms,
      totalMs: open.ms + query.ms,
      cpuMs: cpuSince(cpu),
    };
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

/** lakeq's local engine over the raw files only, `cloudtrail_events` read from the raw view. */
async function openRawViewEngine(folder: string): Promise<DuckDbEngine> {
  const source = new LocalCloudTrailSource(folder);
  return createDuckDbEngine({
    tableNames: { cloudtrail_events: 'cloudtrail_events_raw' },
    setup: (run, warn) => source.setup(run, warn),
    recover: (error, run, warn) => source.recover(error, run, warn),
  });
}

async function measureLakeq(
  openEngine: () => Promise<DuckDbEngine>,
  from: string,
  to: string,
): Promise<Measurement> {
  const cpu = process.cpuUsage();
  const open = await timed(openEngine);
  const engine = open.value;
  try {
    const query = await timed(() => runQuery(engine, churn, { from, to }));
    for (const w of engine.warnings()) log(`  lakeq warning: ${w.message}`);
    const counts = query.value.rows.reduce<Counts>(
      (sum, row) => ({
        created: sum.created + Number(row.created),
        deleted: sum.deleted + Number(row.deleted),
      }),
      { created: 0, deleted: 0 },
    );
    return { counts, openMs: open.ms, queryMs: query.ms, totalMs: open.ms + query.ms, cpuMs: cpuSince(cpu) };
  } finally {
    await engine.close();
  }
}

interface Contender {
  readonly label: string;
  readonly measure: () => Promise<Measurement>;
  readonly results: Measurement[];
  /** A contender whose failure is tolerated (left out of the rounds) rather than fatal. */
  readonly optional?: boolean;
  error?: string;
}

type Key = 'openMs' | 'queryMs' | 'totalMs' | 'cpuMs';
const med = (c: Contender, key: Key) => median(c.results.map((r) => r[key]));

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const countsText = (c: Counts) => `${c.created} created + ${c.deleted} deleted = ${c.created + c.deleted}`;
const firstLine = (error: unknown) =>
  ((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '').trim();

export async function runInstanceChurn(): Promise<BenchResult> {
  const target = envInt('LAKEQ_BENCH_EVENTS', 1_000_000);
  const rounds = envInt('LAKEQ_BENCH_ROUNDS', 3);
  log(`\n== instance churn over ~${target} raw events (${rounds} rounds, order rotated) ==`);
  const sample: BenchSample = await ensureSample(target, log);
  const { from, to } = sample.summary;
  const folder = sample.folder;
  const glob = path.join(folder, 'AWSLogs', '**', '*.json.gz');
  log(
    `data: ${sample.summary.events} events, ${sample.summary.files} files, ` +
      `${(sample.bytes / 1e6).toFixed(0)} MB gzipped; window [${from}, ${to}); load average ${loadAverage()}`,
  );
  const problems: string[] = [];

  // The load (raw files to the curated Parquet tables): once, into a fresh data folder.
  const dataDir = path.join(DATA_DIR, `lakeq-data-${target}`);
  await rm(dataDir, { recursive: true, force: true });
  const loadCpu = process.cpuUsage();
  let loadMs = Number.NaN;
  let loadCpuMs = Number.NaN;
  try {
    const load = await timed(() =>
      runLoad({
        dataDir,
        roots: { cloudtrail: folder },
        from: new Date(from),
        to: new Date(to),
        // Every hour of the window counts as finished, whatever the machine's clock says.
        now: new Date(Date.parse(to) + 24 * 3_600_000),
      }),
    );
    loadMs = load.ms;
    loadCpuMs = cpuSince(loadCpu);
    const s = load.value.summary;
    log(
      `  lakeq load: ${ms(loadMs)} (cpu ${ms(loadCpuMs)}): ${s?.loaded ?? 0} partitions, ${s?.rows ?? 0} rows, ` +
        `${s?.sourceFiles ?? 0} source files, ${s?.failed ?? 0} failed, ${s?.quarantined.length ?? 0} quarantined`,
    );
    if (!s || s.failed > 0) problems.push(`lakeq load failed: ${s?.errors.join('; ') ?? 'no summary'}`);
  } catch (error) {
    problems.push(`lakeq load failed: ${firstLine(error)}`);
  }

  const typed: Contender = {
    label: 'baseline read_json (typed)',
    measure: () => measureBaseline(typedBaselineSql(glob, from, to)),
    results: [],
  };
  const rawView: Contender = {
    label: 'lakeq raw view',
    measure: () => measureLakeq(() => openRawViewEngine(folder), from, to),
    results: [],
  };
  const curated: Contender = {
    label: 'lakeq query (loaded tables)',
    measure: () =>
      measureLakeq(() => openLocalEngine({ sources: { cloudtrail: folder }, dataDir }), from, to),
    results: [],
  };
  const auto: Contender = {
    label: 'baseline read_json_auto',
    measure: () => measureBaseline(autoBaselineSql(glob, from, to)),
    results: [],
    optional: true,
  };
  const contenders = [typed, rawView, curated, ...(process.env.LAKEQ_BENCH_AUTO === '1' ? [auto] : [])];
  for (let i = 0; i < rounds; i++) {
    const live = contenders.filter((c) => c.error === undefined);
    for (let j = 0; j < live.length; j++) {
      const c = live[(i + j) % live.length]!;
      try {
        const m = await c.measure();
        c.results.push(m);
        log(
          `  round ${i + 1}: ${c.label.padEnd(28)} open ${ms(m.openMs).padStart(7)}  query ${ms(m.queryMs).padStart(7)}` +
            `  total ${ms(m.totalMs).padStart(7)}  cpu ${ms(m.cpuMs).padStart(7)}  (${countsText(m.counts)})`,
        );
      } catch (error) {
        if (c === typed) throw error;
        c.error = firstLine(error);
        log(`!!! ${c.label} failed: ${c.error}`);
        if (!c.optional) problems.push(`${c.label} failed: ${c.error}`);
      }
    }
  }

  const measured = contenders.filter((c) => c.results.length > 0);
  const base = med(typed, 'totalMs');
  log('');
  log(
    table(
      ['contender (medians)', 'open', 'query', 'total', 'cpu', 'baseline/this', 'cpu ratio'],
      measured.map((c) => [
        c.label,
        ms(med(c, 'openMs')),
        ms(med(c, 'queryMs')),
        ms(med(c, 'totalMs')),
        ms(med(c, 'cpuMs')),
        ratio(base, med(c, 'totalMs')),
        ratio(med(typed, 'cpuMs'), med(c, 'cpuMs')),
      ]),
    ),
  );
  const firstAnswer = loadMs + med(curated, 'totalMs');
  if (Number.isFinite(firstAnswer)) {
    log(
      `lakeq first answer = load + query = ${ms(firstAnswer)}: baseline/lakeq ${ratio(base, firstAnswer)}; ` +
        `cpu ${ratio(med(typed, 'cpuMs'), loadCpuMs + med(curated, 'cpuMs'))}`,
    );
  }
  // Rounds run the contenders back to back: per-round ratios show how noisy the machine was.
  const paired = typed.results.map((t, i) => t.totalMs / (rawView.results[i]?.totalMs ?? Number.NaN));
  log(
    `per-round baseline/raw view: ${paired.map((p) => p.toFixed(2)).join(' ')} ` +
      `(a wide spread means a noisy machine); load average ${loadAverage()}`,
  );

  // Correctness: each lakeq path's totals must be what the raw read counts and what the generator planned.
  const expected = typed.results[0]!.counts;
  const plan = sample.summary.identityCenter;
  for (const c of measured) {
    for (const m of c.results) {
      if (m.counts.created !== expected.created || m.counts.deleted !== expected.deleted)
        problems.push(`${c.label}: ${countsText(m.counts)}, baseline (typed): ${countsText(expected)}`);
    }
  }
  if (plan.created !== expected.created || plan.deleted !== expected.deleted)
    problems.push(`generator plan: ${countsText(plan)}, baseline (typed): ${countsText(expected)}`);
  if (expected.created + expected.deleted === 0)
    problems.push('no instance churn at all: nothing was measured');
  for (const p of problems) log(`!!! MISMATCH: ${p}`);
  if (problems.length === 0)
    log(`check: every lakeq path = baseline = generator plan: ${countsText(expected)}`);

  const events = `${Math.round(sample.summary.events / 1000)}k events`;
  const row = (metric: string, lakeqMs: number, detail: string, goal: boolean): SummaryRow => ({
    bench: 'instance-churn',
    metric,
    lakeq: Number.isFinite(lakeqMs) ? `${ms(lakeqMs)}${detail}` : 'failed',
    baseline: `read_json ${ms(base)}`,
    ratio: `baseline/lakeq ${ratio(base, lakeqMs)}`,
    goal: goal ? `>= ${GOAL_RATIO}` : '-',
    met: goal && Number.isFinite(lakeqMs) ? base / lakeqMs >= GOAL_RATIO : goal ? false : undefined,
  });
  const rows: SummaryRow[] = [
    row(
      `query, loaded tables, ${events}`,
      med(curated, 'totalMs'),
      ` (open ${ms(med(curated, 'openMs'))})`,
      true,
    ),
    row('first answer: load + query', firstAnswer, ` (load ${ms(loadMs)})`, true),
    row('raw view: open + query', med(rawView, 'totalMs'), ` (open ${ms(med(rawView, 'openMs'))})`, true),
  ];
  if (auto.results.length > 0) {
    rows.push({
      bench: 'instance-churn',
      metric: 'baseline read_json_auto',
      lakeq: '-',
      baseline: `read_json_auto ${ms(med(auto, 'totalMs'))}`,
      ratio: `typed/auto ${ratio(base, med(auto, 'totalMs'))}`,
      goal: '-',
      met: undefined,
    });
  }
  if (problems.length > 0) {
    rows.push({
      bench: 'instance-churn',
      metric: 'MISMATCH or failure',
      lakeq: problems[0]!.length > 50 ? `${problems[0]!.slice(0, 47)}...` : problems[0]!,
      baseline: countsText(expected),
      ratio: '-',
      goal: 'equal',
      met: false,
    });
  }
  return { rows, failed: problems.length > 0 };
}

if (import.meta.main) {
  const result = await runInstanceChurn();
  if (result.failed) process.exitCode = 1;
}
