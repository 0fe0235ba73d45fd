/**
 * Part 0 of the load benchmark: each contender in its own process, as a user runs it, in the
 * same run (rounds alternated), medians compared as ratios:
 *
 * - naive COPY: `bench/duckdb-child.ts` running `baselineCopySql` (read_json of the glob with
 *   lakeq's record type, `COPY … PARTITION_BY (dt, hour)`; no dedup, no atomic switch, no ledger);
 * - lakeq load: `node bin/lakeq.js load --from --to --source cloudtrail=… --data-dir <fresh>`
 *   (the state machine, every guarantee, the local SPICE refresh), with `LAKEQ_STEP_TIMINGS` so
 *   it reports where its time went per step;
 * - first answer: that load plus `lakeq query run identity-center/instance-churn` over what it
 *   loaded, against DuckDB's `read_json` query over the raw files (instance-churn's baseline);
 * - `lakeq sql` over the raw view `cloudtrail_events_raw` (the same counts), against that query.
 *
 * Wall time is the parent's (spawn to exit); CPU time and peak RSS are the child's own.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { INSTANCE_LIFECYCLE, SSO_SOURCE } from '../queries/identity-center/identity-center-sql.ts';
import type { BenchSample } from './dataset.ts';
import { typedBaselineSql } from './instance-churn.bench.ts';
import { log, median, ms, type SummaryRow, table } from './lib.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

interface ProcessRun {
  wallMs: number;
  cpuMs: number;
  maxRssKb: number;
  stdout: string;
  code: number | null;
}

function runChild(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<ProcessRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0)
        log(
          `  child ${args.slice(0, 3).join(' ')} exited ${code}: ${stderr.split('\n').slice(-3).join(' | ')}`,
        );
      resolve({ wallMs, cpuMs: Number.NaN, maxRssKb: Number.NaN, stdout, code });
    });
  });
}

/** A DuckDB statement in its own process (`bench/duckdb-child.ts`). */
async function duckdbChild(
  sql: string,
  dir: string,
): Promise<ProcessRun & { rowsChanged: number; first: Record<string, unknown> }> {
  const file = path.join(dir, 'statement.sql');
  await writeFile(file, sql);
  const run = await runChild(['bench/duckdb-child.ts', file]);
  const line = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as {
    rowsChanged: number;
    first: Record<string, unknown>;
    cpuMs: number;
    maxRssKb: number;
  };
  return {
    ...run,
    cpuMs: line.cpuMs,
    maxRssKb: line.maxRssKb,
    rowsChanged: line.rowsChanged,
    first: line.first ?? {},
  };
}

interface Steps {
  process: { wallMs: number; cpuMs: number; maxRssKb: number };
  steps: Record<string, { calls: number; wallMs: number; cpuMs: number }>;
}

/** A lakeq CLI command in its own process, with its step timings. */
async function lakeqChild(
  args: readonly string[],
  dir: string,
): Promise<ProcessRun & { steps: Steps | undefined }> {
  const file = path.join(dir, `steps-${Date.now()}.json`);
  const run = await runChild(['bin/lakeq.js', ...args], { LAKEQ_STEP_TIMINGS: file });
  const steps = JSON.parse(await readFile(file, 'utf8').catch(() => 'null')) as Steps | null;
  return {
    ...run,
    cpuMs: steps?.process.cpuMs ?? Number.NaN,
    maxRssKb: steps?.process.maxRssKb ?? Number.NaN,
    steps: steps ?? undefined,
  };
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const mbOf = (kb: number) => (Number.isFinite(kb) ? `${Math.round(kb / 1024)} MB` : '-');

/** instance-churn's counts over the raw view, as `lakeq sql` runs them. */
function rawViewChurnSql(from: string, to: string): string {
  const ts = (iso: string) => `TIMESTAMP ${sqlString(iso.replace('T', ' ').replace('Z', ''))}`;
  return `SELECT count_if(eventName = 'CreateInstance') AS created, count_if(eventName = 'DeleteInstance') AS deleted
    FROM cloudtrail_events_raw
    WHERE eventSource = ${sqlString(SSO_SOURCE)} AND eventName IN (${INSTANCE_LIFECYCLE.map(sqlString).join(', ')})
      AND errorCode IS NULL AND eventTime >= ${ts(from)} AND eventTime < ${ts(to)}`;
}

interface Round {
  copy: ProcessRun & { rowsChanged: number };
  load: ProcessRun & { steps: Steps | undefined };
  query: ProcessRun;
  rawQuery: ProcessRun & { first: Record<string, unknown> };
  lakeqSql: ProcessRun;
}

/**
 * Runs part 0 and prints its tables; answers the summary rows and the problems found (a failed
 * lakeq process, counts that differ).
 */
export async function runProcessBench(
  sample: BenchSample,
  rounds: number,
  baselineCopySql: (glob: string, out: string) => string,
): Promise<{ rows: SummaryRow[]; problems: string[] }> {
  const { from, to } = sample.summary;
  const folder = sample.folder;
  const glob = path.join(folder, 'AWSLogs', '**', '*.json.gz');
  const events = sample.summary.events;
  log(`\n-- whole processes, as a user runs them (${rounds} rounds, order alternated) --`);
  const problems: string[] = [];
  const results: Round[] = [];
  for (let i = 0; i < rounds; i++) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lakeq-bench-process-'));
    try {
      const copy = async () => duckdbChild(baselineCopySql(glob, path.join(dir, 'copy')), dir);
      const load = async () =>
        lakeqChild(
          [
            'load',
            '--from',
            from,
            '--to',
            to,
            '--source',
            `cloudtrail=${folder}`,
            '--data-dir',
            path.join(dir, 'data'),
          ],
          dir,
        );
      let c: Round['copy'];
      let l: Round['load'];
      if (i % 2 === 0) {
        c = await copy();
        l = await load();
      } else {
        l = await load();
        c = await copy();
      }
      if (l.code !== 0) problems.push(`round ${i + 1}: lakeq load exited ${l.code}`);
      const query = await lakeqChild(
        [
          'query',
          'run',
          'identity-center/instance-churn',
          '--param',
          `from=${from}`,
          '--param',
          `to=${to}`,
          '--format',
          'json',
          '--data-dir',
          path.join(dir, 'data'),
          '--source',
          `cloudtrail=${folder}`,
        ],
        dir,
      );
      const rawQuery = await duckdbChild(typedBaselineSql(glob, from, to), dir);
      const lakeqSql = await lakeqChild(
        [
          'sql',
          rawViewChurnSql(from, to),
          '--format',
          'json',
          '--source',
          `cloudtrail=${folder}`,
          '--data-dir',
          path.join(dir, 'empty'),
        ],
        dir,
      );
      // The same answer three ways: the loaded table, the raw view, DuckDB over the raw files.
      const churn = (JSON.parse(query.stdout || '[]') as { created: number; deleted: number }[]).reduce(
        (s, r) => ({ created: s.created + Number(r.created), deleted: s.deleted + Number(r.deleted) }),
        { created: 0, deleted: 0 },
      );
      const viaRaw = (JSON.parse(lakeqSql.stdout || '[]') as { created: number; deleted: number }[])[0];
      const base = { created: Number(rawQuery.first.created), deleted: Number(rawQuery.first.deleted) };
      if (churn.created !== base.created || churn.deleted !== base.deleted)
        problems.push(
          `round ${i + 1}: lakeq query ${JSON.stringify(churn)}, DuckDB over raw files ${JSON.stringify(base)}`,
        );
      if (Number(viaRaw?.created) !== base.created || Number(viaRaw?.deleted) !== base.deleted)
        problems.push(
          `round ${i + 1}: lakeq sql over the raw view ${JSON.stringify(viaRaw)}, DuckDB ${JSON.stringify(base)}`,
        );
      results.push({ copy: c, load: l, query, rawQuery, lakeqSql });
      log(
        `  round ${i + 1}: naive COPY ${ms(c.wallMs)} (cpu ${ms(c.cpuMs)}, ${mbOf(c.maxRssKb)}); lakeq load ${ms(l.wallMs)} ` +
          `(cpu ${ms(l.cpuMs)}, ${mbOf(l.maxRssKb)}); query ${ms(query.wallMs)}; DuckDB raw query ${ms(rawQuery.wallMs)}; ` +
          `lakeq sql raw ${ms(lakeqSql.wallMs)}; load average ${os
            .loadavg()
            .map((x) => x.toFixed(1))
            .join(' ')}`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const med = (f: (r: Round) => number) => median(results.map(f));
  // Ratios paired within a round (both contenders saw the same load on the machine), then the median.
  const paired = (base: (r: Round) => number, lakeq: (r: Round) => number) =>
    median(results.map((r) => base(r) / lakeq(r)));
  const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');
  const wallRatio = paired(
    (r) => r.copy.wallMs,
    (r) => r.load.wallMs,
  );
  const cpuRatio = paired(
    (r) => r.copy.cpuMs,
    (r) => r.load.cpuMs,
  );
  const firstRatio = paired(
    (r) => r.rawQuery.wallMs,
    (r) => r.load.wallMs + r.query.wallMs,
  );
  const firstCpuRatio = paired(
    (r) => r.rawQuery.cpuMs,
    (r) => r.load.cpuMs + r.query.cpuMs,
  );
  const sqlRatio = paired(
    (r) => r.rawQuery.wallMs,
    (r) => r.lakeqSql.wallMs,
  );
  const sqlCpuRatio = paired(
    (r) => r.rawQuery.cpuMs,
    (r) => r.lakeqSql.cpuMs,
  );
  const copyWall = med((r) => r.copy.wallMs);
  const copyCpu = med((r) => r.copy.cpuMs);
  const loadWall = med((r) => r.load.wallMs);
  const loadCpu = med((r) => r.load.cpuMs);
  const firstWall = med((r) => r.load.wallMs + r.query.wallMs);
  const firstCpu = med((r) => r.load.cpuMs + r.query.cpuMs);
  const rawWall = med((r) => r.rawQuery.wallMs);
  const rawCpu = med((r) => r.rawQuery.cpuMs);
  const sqlWall = med((r) => r.lakeqSql.wallMs);
  const sqlCpu = med((r) => r.lakeqSql.cpuMs);
  log('');
  log(
    table(
      ['process (medians)', 'wall', 'cpu', 'peak RSS', 'baseline', 'wall ratio', 'cpu ratio', 'goal'],
      [
        [
          'naive COPY … PARTITION_BY',
          ms(copyWall),
          ms(copyCpu),
          mbOf(med((r) => r.copy.maxRssKb)),
          '-',
          '1.00',
          '1.00',
          '-',
        ],
        [
          'lakeq load',
          ms(loadWall),
          ms(loadCpu),
          mbOf(med((r) => r.load.maxRssKb)),
          'naive COPY',
          fmt(wallRatio),
          fmt(cpuRatio),
          '>= 1.0',
        ],
        [
          'first answer: load + query run',
          ms(firstWall),
          ms(firstCpu),
          mbOf(med((r) => r.query.maxRssKb)),
          'DuckDB raw query',
          fmt(firstRatio),
          fmt(firstCpuRatio),
          '-',
        ],
        [
          'DuckDB read_json query (raw files)',
          ms(rawWall),
          ms(rawCpu),
          mbOf(med((r) => r.rawQuery.maxRssKb)),
          '-',
          '1.00',
          '1.00',
          '-',
        ],
        [
          'lakeq sql over cloudtrail_events_raw',
          ms(sqlWall),
          ms(sqlCpu),
          mbOf(med((r) => r.lakeqSql.maxRssKb)),
          'DuckDB raw query',
          fmt(sqlRatio),
          fmt(sqlCpuRatio),
          '>= 0.9',
        ],
      ],
    ),
  );
  log(
    `(ratios: baseline / lakeq within each round, their median; above 1 is lakeq faster; ${events} events, ${sample.summary.files} files)`,
  );
  // Where the load's time went, per step (medians over rounds), the rest is the process itself.
  const names = new Set(results.flatMap((r) => Object.keys(r.load.steps?.steps ?? {})));
  const stepRows = [...names].map((name) => {
    const of = (r: Round) => r.load.steps?.steps[name];
    return {
      name,
      calls: of(results[0] as Round)?.calls ?? 0,
      wall: med((r) => of(r)?.wallMs ?? 0),
      cpu: med((r) => of(r)?.cpuMs ?? 0),
    };
  });
  stepRows.sort((a, b) => b.cpu - a.cpu);
  // A step inside another (`… (in read files)`) is shown but not summed.
  const summed = stepRows.filter((s) => !s.name.includes('(in ')).reduce((n, s) => n + s.cpu, 0);
  const rest = Math.max(0, loadCpu - summed);
  log('');
  log(
    table(
      ['lakeq load step (medians)', 'calls', 'wall', 'cpu', 'cpu share'],
      [
        ...stepRows.map((s) => [
          s.name,
          String(s.calls),
          ms(s.wall),
          ms(s.cpu),
          `${((100 * s.cpu) / loadCpu).toFixed(0)}%`,
        ]),
        [
          '(the rest: start-up, state machine, …)',
          '-',
          '-',
          ms(rest),
          `${((100 * rest) / loadCpu).toFixed(0)}%`,
        ],
      ],
    ),
  );
  const rows: SummaryRow[] = [
    {
      bench: 'load',
      metric: `lakeq load process, ${Math.round(events / 1000)}k events`,
      lakeq: `${ms(loadWall)} (cpu ${ms(loadCpu)})`,
      baseline: `COPY ${ms(copyWall)} (cpu ${ms(copyCpu)})`,
      ratio: `wall ${fmt(wallRatio)}, cpu ${fmt(cpuRatio)}`,
      goal: '>= 1.0',
      met: wallRatio >= 1 && cpuRatio >= 1,
    },
    {
      bench: 'load',
      metric: 'first answer (load + query run)',
      lakeq: ms(firstWall),
      baseline: `read_json query ${ms(rawWall)}`,
      ratio: `wall ${fmt(firstRatio)}`,
      goal: '-',
      met: true,
    },
    {
      bench: 'load',
      metric: 'lakeq sql over cloudtrail_events_raw',
      lakeq: ms(sqlWall),
      baseline: `read_json query ${ms(rawWall)}`,
      ratio: `wall ${fmt(sqlRatio)}`,
      goal: '>= 0.9',
      met: sqlRatio >= 0.9,
    },
  ];
  return { rows, problems };
}
