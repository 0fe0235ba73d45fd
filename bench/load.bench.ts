/**
 * The load: raw CloudTrail files to the hour-partitioned Parquet tables.
 *
 * 1. Throughput over the cached sample (`LAKEQ_BENCH_EVENTS`, default 1,000,000 events):
 *    - lakeq: `runLoad({ dataDir, roots: { cloudtrail }, from, to })` of the sample's window into a fresh
 *      data folder (both curated tables, as `lakeq load` does);
 *    - baseline: one DuckDB statement over the same files (a glob), `COPY (SELECT <cloudtrail_events'
 *      columns>, dt, hour FROM <read_json with lakeq's record struct type, unnest(Records), the column
 *      conversions of lakeq's `cloudtrail_events_raw` view>) TO ... (FORMAT parquet, PARTITION_BY (dt, hour),
 *      COMPRESSION zstd)`, on a fresh DuckDB instance. No dedup, no sort: DuckDB's floor for the same
 *      conversion.
 *    Each runs `LAKEQ_BENCH_ROUNDS` times (default 3; order alternated; a fresh temp folder each round);
 *    medians are compared as `ratio = lakeq events/s / COPY events/s` (goal >= 0.8). Correctness: the
 *    rows of lakeq's `cloudtrail_events` (counted through `openLocalEngine`) must equal the baseline's
 *    rows minus the duplicates lakeq's transform drops (same eventID, account, source, name and time).
 * 2. Files touched by one hourly load (the last hour of a day, with the scheduler's 2 h look-back) over a
 *    trail folder with 1 day of logs and over the same folder with 59 earlier days (hard links of the
 *    day's files under earlier date folders, renamed for their day): `fs/promises` `open`, `readdir` and
 *    `stat` calls under the trail folder (counted by patching `node:fs/promises` and
 *    `syncBuiltinESMExports()`, which re-binds the named imports of lakeq's modules), and the files
 *    DuckDB reads (the load plan's source files). Goal: the same numbers with 60 days as with 1.
 *    Correctness: both loads write the same rows.
 *
 * CPU time (user + system of the whole process, DuckDB's threads included) is printed next to wall time.
 * A mismatch or a failed load makes the run fail (exit code 1); speed never does.
 */
import fs, { linkSync, mkdirSync, readdirSync } from 'node:fs';
import fsp, { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { CompiledQuery } from 'kysely';
import { openLocalEngine } from '../src/catalog/duckdb/local-engine.ts';
import type { LoadPlan } from '../src/ingest/load-plan.ts';
import type { LoadSummary } from '../src/ingest/local-load.ts';
import { runLoad } from '../src/ingest/run-load.ts';
import { CLOUDTRAIL_EVENTS_RAW_VIEW_SQL } from '../src/sources/cloudtrail/raw-duckdb-views.ts';
import { writeCloudTrailSample } from '../src/sources/cloudtrail/sample.ts';
import { CLOUDTRAIL_RECORD_SQL_TYPE } from '../src/sources/cloudtrail/schema.ts';
import { cloudtrailEvents } from '../src/sources/cloudtrail/tables/cloudtrail-events.ts';
import { type BenchSample, ensureSample } from './dataset.ts';
import { type BenchResult, envInt, log, median, ms, ratio, type SummaryRow, table } from './lib.ts';
import { runProcessBench } from './load-process.ts';

const GOAL_RATIO = 0.8;
const MAX_OBJECT_BYTES = 1 << 30;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** CPU time (user + system, all threads of this process) since `start`, ms. */
const cpuSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const firstLine = (error: unknown) =>
  ((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '').trim();
const perSecond = (events: number, wallMs: number) => (wallMs > 0 ? (events * 1000) / wallMs : Number.NaN);
const rate = (value: number) =>
  Number.isFinite(value) ? `${Math.round(value).toLocaleString('en-US')}/s` : '-';
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const tempDir = (prefix: string) => mkdtemp(path.join(os.tmpdir(), `lakeq-bench-${prefix}-`));

async function folderBytes(root: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const rel of await readdir(root, { recursive: true })) {
    const info = await stat(path.join(root, rel));
    if (info.isFile()) {
      files++;
      bytes += info.size;
    }
  }
  return { files, bytes };
}

// ---------------------------------------------------------------------------------------------
// Counting lakeq's file-system calls

interface FsCounts {
  open: number;
  readdir: number;
  /** Names returned by the `readdir` calls. */
  readdirEntries: number;
  stat: number;
  /** Distinct paths opened. */
  readonly opened: Set<string>;
}

const newCounts = (): FsCounts => ({ open: 0, readdir: 0, readdirEntries: 0, stat: 0, opened: new Set() });

/**
 * Runs `fn` with `open`, `readdir` and `stat` (`fs/promises`, and the synchronous `openSync`, `statSync`,
 * `lstatSync`) counted for paths under `root`. lakeq's modules import these by name; `syncBuiltinESMExports()` makes the patched
 * functions what those bindings see (and the originals again afterwards).
 */
async function countingFs<T>(root: string, fn: () => Promise<T>): Promise<{ value: T; counts: FsCounts }> {
  const counts = newCounts();
  const under = (p: unknown) => {
    const s = String(p);
    return s === root || s.startsWith(root + path.sep);
  };
  const original = { open: fsp.open, readdir: fsp.readdir, stat: fsp.stat };
  const patched = fsp as unknown as Record<
    'open' | 'readdir' | 'stat',
    (...args: unknown[]) => Promise<unknown>
  >;
  patched.open = (...args) => {
    if (under(args[0])) {
      counts.open++;
      counts.opened.add(String(args[0]));
    }
    return (original.open as (...a: unknown[]) => Promise<unknown>)(...args);
  };
  patched.readdir = async (...args) => {
    const counted = under(args[0]);
    if (counted) counts.readdir++;
    const result = await (original.readdir as (...a: unknown[]) => Promise<unknown[]>)(...args);
    if (counted) counts.readdirEntries += result.length;
    return result;
  };
  patched.stat = (...args) => {
    if (under(args[0])) counts.stat++;
    return (original.stat as (...a: unknown[]) => Promise<unknown>)(...args);
  };
  // The head checks and the planner's stats are synchronous calls.
  const originalSync = { openSync: fs.openSync, statSync: fs.statSync, lstatSync: fs.lstatSync };
  const patchedSync = fs as unknown as Record<
    'openSync' | 'statSync' | 'lstatSync',
    (...args: unknown[]) => unknown
  >;
  patchedSync.openSync = (...args) => {
    if (under(args[0])) {
      counts.open++;
      counts.opened.add(String(args[0]));
    }
    return (originalSync.openSync as (...a: unknown[]) => unknown)(...args);
  };
  for (const name of ['statSync', 'lstatSync'] as const) {
    patchedSync[name] = (...args) => {
      if (under(args[0])) counts.stat++;
      return (originalSync[name] as (...a: unknown[]) => unknown)(...args);
    };
  }
  syncBuiltinESMExports();
  try {
    return { value: await fn(), counts };
  } finally {
    Object.assign(fsp, original);
    Object.assign(fs, originalSync);
    syncBuiltinESMExports();
  }
}

/** The source files the plan's batches give DuckDB to read (the raw view's file lists), distinct. */
function duckDbFiles(plan: LoadPlan | undefined): { distinct: number; listed: number } {
  const distinct = new Set<string>();
  let listed = 0;
  for (const batch of plan?.batches ?? []) {
    const files = new Set(batch.partitions.flatMap((p) => p.files.map((f) => f.path)));
    listed += files.size;
    for (const f of files) distinct.add(f);
  }
  return { distinct: distinct.size, listed };
}

// ---------------------------------------------------------------------------------------------
// One lakeq load, timed, with where its time went

interface LakeqLoad {
  wallMs: number;
  cpuMs: number;
  summary: LoadSummary | undefined;
  plan: LoadPlan | undefined;
  /** Until the plan was made: query versions, lock, ledger, `planLoad` (the file index). */
  planMs: number;
  /** Wall time per table, from the plan (or the previous table's last batch) to its last batch. */
  tableMs: Map<string, number>;
  /** Wall time of each batch, per table (the first includes opening the load engine). */
  batchMs: Map<string, number[]>;
  counts: FsCounts;
  /** Rows of `cloudtrail_events`, counted through `openLocalEngine`. */
  eventRows: number;
  error?: string;
}

async function lakeqLoad(cloudtrailRoot: string, from: Date, to: Date, now: Date): Promise<LakeqLoad> {
  const dataDir = await tempDir('load-data');
  const tableMs = new Map<string, number>();
  const batchMs = new Map<string, number[]>();
  let plan: LoadPlan | undefined;
  let planAt = Number.NaN;
  let mark = Number.NaN;
  let currentTable = '';
  let tableStart = Number.NaN;
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    const { value, counts } = await countingFs(cloudtrailRoot, () =>
      runLoad({
        dataDir,
        roots: { cloudtrail: cloudtrailRoot },
        from,
        to,
        now,
        onPlan: (p) => {
          plan = p;
          planAt = performance.now();
          mark = planAt;
          tableStart = planAt;
        },
        onProgress: (progress) => {
          const t = performance.now();
          if (progress.table !== currentTable) {
            currentTable = progress.table;
            tableStart = mark;
          }
          const list = batchMs.get(progress.table) ?? [];
          list.push(t - mark);
          batchMs.set(progress.table, list);
          tableMs.set(progress.table, t - tableStart);
          mark = t;
        },
      }),
    );
    const wallMs = performance.now() - started;
    const cpuMs = cpuSince(cpu);
    const summary = value.summary;
    const engine = await openLocalEngine(
      { sources: { cloudtrail: cloudtrailRoot }, dataDir },
      { raw: false },
    );
    let eventRows: number;
    try {
      const { rows } = await engine.execute<{ n: unknown }>(
        CompiledQuery.raw(`select count(*) as n from ${ident(cloudtrailEvents.name)}`),
      );
      eventRows = Number(rows[0]?.n ?? Number.NaN);
    } finally {
      await engine.close();
    }
    const failed = !summary || summary.failed > 0;
    return {
      wallMs,
      cpuMs,
      summary,
      plan,
      planMs: planAt - started,
      tableMs,
      batchMs,
      counts,
      eventRows,
      ...(failed ? { error: summary?.errors.join('; ') || 'no summary' } : {}),
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The baseline: one COPY statement

/** `cloudtrail_events_raw`'s SELECT (lakeq's own text) over `read_json` of a glob instead of the view. */
export function rawEventsSelect(glob: string): string {
  const head = 'CREATE OR REPLACE VIEW cloudtrail_events_raw AS ';
  const tail = 'FROM cloudtrail_raw';
  if (!CLOUDTRAIL_EVENTS_RAW_VIEW_SQL.startsWith(head) || !CLOUDTRAIL_EVENTS_RAW_VIEW_SQL.endsWith(tail))
    throw new Error('cloudtrail_events_raw view SQL changed shape: update bench/load.bench.ts');
  const select = CLOUDTRAIL_EVENTS_RAW_VIEW_SQL.slice(head.length, -tail.length);
  // The file name only when the view uses it (`cloudtrail_raw`'s `source_file` and `source_day`,
  // the file's day folder; columns the COPY does not write are not computed).
  const day = /\bsource_day\b/.test(select);
  const filename = day || /\bsource_file\b/.test(select);
  const fileColumns = `${filename ? ', filename AS source_file' : ''}${
    day ? `, regexp_extract(filename, '([0-9]{4}/[0-9]{2}/[0-9]{2})/[^/]*$', 1) AS source_day` : ''
  }`;
  return `${select}FROM (
    SELECT unnest(Records) AS r${fileColumns}
    FROM read_json(${sqlString(glob)}, columns = {Records: ${sqlString(`${CLOUDTRAIL_RECORD_SQL_TYPE}[]`)}},
      format = 'unstructured', ${filename ? 'filename = true, ' : ''}maximum_object_size = ${MAX_OBJECT_BYTES})
  )`;
}

export function baselineCopySql(glob: string, out: string): string {
  const columns = cloudtrailEvents.columns.map((c) => ident(c.name)).join(', ');
  return `COPY (
    SELECT ${columns}, strftime(eventTime, '%Y-%m-%d') AS dt, strftime(eventTime, '%H') AS hour
    FROM (${rawEventsSelect(glob)})
  ) TO ${sqlString(out)} (FORMAT parquet, PARTITION_BY (dt, hour), COMPRESSION zstd)`;
}

interface BaselineLoad {
  wallMs: number;
  cpuMs: number;
  rows: number;
  files: number;
  bytes: number;
  /** Rows lakeq's transform drops (copies of an event), counted over the output; first round only. */
  duplicates?: number;
  /** Rows without eventTime (lakeq's window leaves them out); first round only. */
  noTime?: number;
}

async function baselineLoad(glob: string, countDuplicates: boolean): Promise<BaselineLoad> {
  const dir = await tempDir('copy');
  const out = path.join(dir, 'cloudtrail_events');
  try {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    try {
      const result = await con.run(baselineCopySql(glob, out));
      const rows = Number(result.rowsChanged);
      const wallMs = performance.now() - started;
      const cpuMs = cpuSince(cpu);
      const written = await folderBytes(out);
      const measured: BaselineLoad = { wallMs, cpuMs, rows, files: written.files, bytes: written.bytes };
      if (!countDuplicates) return measured;
      const check = await con.runAndReadAll(`SELECT
          count(*) AS n,
          count(*) FILTER (WHERE eventTime IS NULL) AS no_time,
          count(*) FILTER (WHERE eventID IS NULL) AS no_id,
          count(DISTINCT (eventID, recipientAccountId, eventSource, eventName, eventTime))
            FILTER (WHERE eventID IS NOT NULL) AS distinct_events
        FROM read_parquet(${sqlString(path.join(out, '**', '*.parquet'))})`);
      const row = check.getRowObjectsJS()[0] ?? {};
      const n = Number(row.n);
      const kept = Number(row.no_id) + Number(row.distinct_events);
      return { ...measured, duplicates: n - kept, noTime: Number(row.no_time) };
    } finally {
      con.closeSync();
      instance.closeSync();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Part 2: the trail folders with 1 and 60 days

const HISTORY_DAYS = 60;
/** The day the hourly load runs in (its last hour); the history goes back 59 days from it (into September). */
const DAY_ONE = '2026-11-07';

interface TrailFolders {
  readonly root: string;
  readonly oneDay: string;
  readonly sixtyDays: string;
  readonly files: { oneDay: number; sixtyDays: number };
  readonly buildMs: number;
}

const compact = (day: string) => day.replace(/-/g, '');

/**
 * (a) one day of the generator's logs (1 account, 2 Regions, 20 events/hour; late records of the last hour
 * land in the next day's folder); (b) the same files (hard links) plus, for each of the 59 days before,
 * the day's files linked under that day's folder with the day in their names rewritten.
 */
async function buildTrailFolders(): Promise<TrailFolders> {
  const started = performance.now();
  const root = await tempDir('history');
  const oneDay = path.join(root, 'one-day');
  const sixtyDays = path.join(root, 'sixty-days');
  await writeCloudTrailSample({
    out: oneDay,
    from: new Date(`${DAY_ONE}T00:00:00Z`),
    to: new Date(Date.parse(`${DAY_ONE}T00:00:00Z`) + DAY),
    accounts: 1,
    eventsPerHour: 20,
    seed: 1,
  });
  const rels = readdirSync(oneDay, { recursive: true, encoding: 'utf8' }).filter((rel) =>
    rel.endsWith('.json.gz'),
  );
  const dayPath = path.join(...DAY_ONE.split('-'));
  let linked = 0;
  const linkTo = (rel: string, target: string) => {
    const to = path.join(sixtyDays, target);
    mkdirSync(path.dirname(to), { recursive: true });
    linkSync(path.join(oneDay, rel), to);
    linked++;
  };
  for (const rel of rels) linkTo(rel, rel);
  const ofDay = rels.filter((rel) => path.dirname(rel).endsWith(path.sep + dayPath));
  for (let k = 1; k < HISTORY_DAYS; k++) {
    const day = new Date(Date.parse(`${DAY_ONE}T00:00:00Z`) - k * DAY).toISOString().slice(0, 10);
    for (const rel of ofDay) {
      const dir = path.dirname(rel).slice(0, -dayPath.length) + path.join(...day.split('-'));
      const name = path.basename(rel).replace(`_${compact(DAY_ONE)}T`, `_${compact(day)}T`);
      linkTo(rel, path.join(dir, name));
    }
  }
  return {
    root,
    oneDay,
    sixtyDays,
    files: { oneDay: rels.length, sixtyDays: linked },
    buildMs: performance.now() - started,
  };
}

interface HourlyLoad {
  wallMs: number;
  cpuMs: number;
  counts: FsCounts;
  duckdb: { distinct: number; listed: number };
  rows: number;
  partitions: number;
  error?: string;
}

async function hourlyLoad(root: string): Promise<HourlyLoad> {
  const hour = Date.parse(`${DAY_ONE}T23:00:00Z`);
  const load = await lakeqLoad(
    root,
    new Date(hour - 2 * HOUR),
    new Date(hour + HOUR),
    // The scheduler's run five minutes after the hour.
    new Date(hour + HOUR + 5 * 60_000),
  );
  return {
    wallMs: load.wallMs,
    cpuMs: load.cpuMs,
    counts: load.counts,
    duckdb: duckDbFiles(load.plan),
    rows: load.eventRows,
    partitions: load.summary?.loaded ?? 0,
    ...(load.error ? { error: load.error } : {}),
  };
}

// ---------------------------------------------------------------------------------------------

export async function runLoadBench(): Promise<BenchResult> {
  const target = envInt('LAKEQ_BENCH_EVENTS', 1_000_000);
  const rounds = envInt('LAKEQ_BENCH_ROUNDS', 3);
  log(`\n== load over ~${target} raw events (${rounds} rounds, order alternated) ==`);
  const sample: BenchSample = await ensureSample(target, log);
  const folder = sample.folder;
  const events = sample.summary.events;
  const from = new Date(sample.summary.from);
  const to = new Date(sample.summary.to);
  const glob = path.join(folder, 'AWSLogs', '**', '*.json.gz');
  log(
    `data: ${events} events, ${sample.summary.files} files, ${(sample.bytes / 1e6).toFixed(0)} MB gzipped; ` +
      `window [${sample.summary.from}, ${sample.summary.to}); temp folders in ${os.tmpdir()}; load average ${loadAverage()}`,
  );
  const problems: string[] = [];

  // 0. Whole processes, as a user runs them.
  const whole = await runProcessBench(sample, rounds, baselineCopySql);
  problems.push(...whole.problems);
  if (process.env.LAKEQ_BENCH_LOAD_PARTS === '0') {
    for (const p of problems) log(`!!! MISMATCH: ${p}`);
    return { rows: whole.rows, failed: problems.length > 0 };
  }

  // 1. Throughput.
  const lakeqRuns: LakeqLoad[] = [];
  const baseRuns: BaselineLoad[] = [];
  let lakeqBroken = false;
  const runLakeq = async (round: number) => {
    if (lakeqBroken) return;
    try {
      // Every hour of the window counts as finished, whatever the machine's clock says.
      const m = await lakeqLoad(folder, from, to, new Date(to.getTime() + DAY));
      if (m.error) {
        lakeqBroken = true;
        problems.push(`lakeq load failed: ${m.error}`);
        return;
      }
      lakeqRuns.push(m);
      const s = m.summary!;
      const tables = [...m.tableMs].map(([t, v]) => `${t} ${ms(v)}`).join(', ');
      log(
        `  round ${round}: lakeq runLoad        ${ms(m.wallMs).padStart(7)}  cpu ${ms(m.cpuMs).padStart(7)}  ` +
          `${rate(perSecond(events, m.wallMs))}  (${s.loaded} partitions, ${m.eventRows} cloudtrail_events rows, ` +
          `${mb(s.bytes)}; plan ${ms(m.planMs)}, ${tables}; ${m.counts.open} head checks of ${m.counts.opened.size} files)`,
      );
    } catch (error) {
      lakeqBroken = true;
      problems.push(`lakeq load failed: ${firstLine(error)}`);
      log(`!!! lakeq load failed: ${firstLine(error)}`);
    }
  };
  const runBaseline = async (round: number) => {
    const m = await baselineLoad(glob, baseRuns.length === 0);
    baseRuns.push(m);
    log(
      `  round ${round}: baseline COPY        ${ms(m.wallMs).padStart(7)}  cpu ${ms(m.cpuMs).padStart(7)}  ` +
        `${rate(perSecond(events, m.wallMs))}  (${m.rows} rows, ${m.files} files, ${mb(m.bytes)}` +
        `${m.duplicates !== undefined ? `; ${m.duplicates} duplicates, ${m.noTime} without eventTime` : ''})`,
    );
  };
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? [runLakeq, runBaseline] : [runBaseline, runLakeq];
    for (const run of order) await run(i + 1);
  }

  const lakeqMs = median(lakeqRuns.map((r) => r.wallMs));
  const baseMs = median(baseRuns.map((r) => r.wallMs));
  const lakeqRate = perSecond(events, lakeqMs);
  const baseRate = perSecond(events, baseMs);
  const first = baseRuns[0]!;
  log('');
  log(
    table(
      ['contender (medians)', 'wall', 'cpu', 'events/s', 'output', 'lakeq/COPY events/s', 'cpu COPY/lakeq'],
      [
        [
          'baseline COPY ... PARTITION_BY',
          ms(baseMs),
          ms(median(baseRuns.map((r) => r.cpuMs))),
          rate(baseRate),
          `${first.files} files, ${mb(first.bytes)}`,
          '1.00',
          '1.00',
        ],
        ...(lakeqRuns.length > 0
          ? [
              [
                'lakeq runLoad',
                ms(lakeqMs),
                ms(median(lakeqRuns.map((r) => r.cpuMs))),
                rate(lakeqRate),
                `${lakeqRuns[0]!.summary!.loaded} partitions, ${mb(lakeqRuns[0]!.summary!.bytes)}`,
                ratio(lakeqRate, baseRate),
                ratio(median(baseRuns.map((r) => r.cpuMs)), median(lakeqRuns.map((r) => r.cpuMs))),
              ],
            ]
          : []),
      ],
    ),
  );
  if (lakeqRuns.length > 0) {
    const tableNames = [...lakeqRuns[0]!.tableMs.keys()];
    const parts = [
      `plan ${ms(median(lakeqRuns.map((r) => r.planMs)))}`,
      ...tableNames.map((t) => {
        const batches = lakeqRuns.flatMap((r) => r.batchMs.get(t) ?? []);
        return (
          `${t} ${ms(median(lakeqRuns.map((r) => r.tableMs.get(t) ?? Number.NaN)))} ` +
          `(${lakeqRuns[0]!.batchMs.get(t)?.length ?? 0} batches, median ${ms(median(batches))})`
        );
      }),
    ];
    const c = lakeqRuns[0]!.counts;
    log(`lakeq load split (medians): ${parts.join('; ')}`);
    log(
      `lakeq file-system calls under the sample folder: ${c.open} opens (head checks) of ${c.opened.size} distinct files, ` +
        `${c.stat} stat, ${c.readdir} readdir; DuckDB read ${duckDbFiles(lakeqRuns[0]!.plan).listed} files ` +
        `(${duckDbFiles(lakeqRuns[0]!.plan).distinct} distinct) in the batches' views; load average ${loadAverage()}`,
    );
  }

  // Correctness: lakeq's cloudtrail_events = the COPY's rows minus the copies lakeq's transform drops.
  const duplicates = first.duplicates ?? 0;
  const noTime = first.noTime ?? 0;
  const expected = first.rows - duplicates - noTime;
  for (const [i, r] of lakeqRuns.entries()) {
    if (r.eventRows !== expected)
      problems.push(
        `round ${i + 1}: lakeq cloudtrail_events has ${r.eventRows} rows, baseline ${first.rows} - ${duplicates} duplicates` +
          `${noTime > 0 ? ` - ${noTime} without eventTime` : ''} = ${expected}`,
      );
  }
  for (const [i, r] of baseRuns.entries())
    if (r.rows !== first.rows)
      problems.push(`baseline round ${i + 1}: ${r.rows} rows, round 1: ${first.rows}`);
  if (first.rows !== events)
    log(`note: the baseline wrote ${first.rows} rows, the generator reports ${events} events`);
  if (lakeqRuns.length > 0 && problems.length === 0)
    log(
      `check: lakeq cloudtrail_events rows = baseline rows - duplicates = ${first.rows} - ${duplicates}` +
        `${noTime > 0 ? ` - ${noTime}` : ''} = ${expected}`,
    );

  // 2. Files touched by an hourly load: 1 day vs 60 days of history.
  log(`\n-- hourly load (${DAY_ONE}T23 with 2 h look-back): 1 day vs ${HISTORY_DAYS} days of history --`);
  const trails = await buildTrailFolders();
  log(
    `trail folders: ${trails.files.oneDay} files (1 day) and ${trails.files.sixtyDays} files (${HISTORY_DAYS} days, ` +
      `hard links), built in ${ms(trails.buildMs)}`,
  );
  const hourly: { oneDay: HourlyLoad[]; sixtyDays: HourlyLoad[] } = { oneDay: [], sixtyDays: [] };
  try {
    for (let i = 0; i < rounds; i++) {
      const order: ('oneDay' | 'sixtyDays')[] =
        i % 2 === 0 ? ['oneDay', 'sixtyDays'] : ['sixtyDays', 'oneDay'];
      for (const which of order) {
        const m = await hourlyLoad(trails[which]);
        if (m.error) problems.push(`hourly load (${which}) failed: ${m.error}`);
        hourly[which].push(m);
        log(
          `  round ${i + 1}: ${(which === 'oneDay' ? '1 day' : `${HISTORY_DAYS} days`).padEnd(8)} ${ms(m.wallMs).padStart(7)}` +
            `  cpu ${ms(m.cpuMs).padStart(7)}  opens ${m.counts.open}, readdir ${m.counts.readdir} ` +
            `(${m.counts.readdirEntries} names), stat ${m.counts.stat}, DuckDB files ${m.duckdb.distinct}; ` +
            `${m.partitions} partitions, ${m.rows} rows`,
        );
      }
    }
  } finally {
    await rm(trails.root, { recursive: true, force: true });
  }
  const one = hourly.oneDay[0]!;
  const sixty = hourly.sixtyDays[0]!;
  const figures: [string, (h: HourlyLoad) => number][] = [
    ['files opened (open calls)', (h) => h.counts.open],
    ['distinct files opened', (h) => h.counts.opened.size],
    ['files DuckDB reads (plan)', (h) => h.duckdb.distinct],
    ['stat calls', (h) => h.counts.stat],
    ['readdir calls', (h) => h.counts.readdir],
    ['names listed by readdir', (h) => h.counts.readdirEntries],
    ['wall time (median)', () => Number.NaN],
  ];
  log('');
  log(
    table(
      ['hourly load', '1 day', `${HISTORY_DAYS} days`, `${HISTORY_DAYS} d / 1 d`],
      figures.map(([label, f]) =>
        label.startsWith('wall')
          ? [
              label,
              ms(median(hourly.oneDay.map((h) => h.wallMs))),
              ms(median(hourly.sixtyDays.map((h) => h.wallMs))),
              ratio(
                median(hourly.sixtyDays.map((h) => h.wallMs)),
                median(hourly.oneDay.map((h) => h.wallMs)),
              ),
            ]
          : [label, String(f(one)), String(f(sixty)), ratio(f(sixty), f(one))],
      ),
    ),
  );
  for (const which of ['oneDay', 'sixtyDays'] as const) {
    for (const h of hourly[which]) {
      const ref = hourly[which][0]!;
      if (h.counts.open !== ref.counts.open || h.duckdb.distinct !== ref.duckdb.distinct)
        log(`note: the counts of the ${which} loads differ between rounds`);
    }
  }
  if (one.rows !== sixty.rows || one.rows === 0)
    problems.push(`hourly load: ${one.rows} rows with 1 day, ${sixty.rows} with ${HISTORY_DAYS} days`);
  const sameFiles = one.counts.open === sixty.counts.open && one.duckdb.distinct === sixty.duckdb.distinct;

  for (const p of problems) log(`!!! MISMATCH: ${p}`);

  const rows: SummaryRow[] = [
    ...whole.rows,
    {
      bench: 'load',
      metric: `runLoad, ${Math.round(events / 1000)}k events`,
      lakeq: Number.isFinite(lakeqMs) ? `${rate(lakeqRate)} (${ms(lakeqMs)})` : 'failed',
      baseline: `COPY ${rate(baseRate)} (${ms(baseMs)})`,
      ratio: `lakeq/COPY ${ratio(lakeqRate, baseRate)}`,
      goal: `>= ${GOAL_RATIO}`,
      met: Number.isFinite(lakeqRate) ? lakeqRate / baseRate >= GOAL_RATIO : false,
    },
    {
      bench: 'load',
      metric: `hourly load: files opened, 1 vs ${HISTORY_DAYS} days`,
      lakeq: `${sixty.counts.open} opened, DuckDB ${sixty.duckdb.distinct} (${HISTORY_DAYS} d)`,
      baseline: `${one.counts.open} opened, DuckDB ${one.duckdb.distinct} (1 d)`,
      ratio: `60d/1d ${ratio(sixty.counts.open, one.counts.open)}`,
      goal: 'equal',
      met: sameFiles,
    },
  ];
  if (problems.length > 0) {
    rows.push({
      bench: 'load',
      metric: 'MISMATCH or failure',
      lakeq: problems[0]!.length > 50 ? `${problems[0]!.slice(0, 47)}...` : problems[0]!,
      baseline: String(expected),
      ratio: '-',
      goal: 'equal',
      met: false,
    });
  }
  return { rows, failed: problems.length > 0 };
}

if (import.meta.main) {
  const result = await runLoadBench();
  if (result.failed) process.exitCode = 1;
}
