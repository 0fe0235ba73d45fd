/**
 * Instance churn over ~1M raw CloudTrail events (`LAKEQ_BENCH_EVENTS`, default 1,000,000).
 *
 * - baseline (typed): DuckDB's own `read_json` over the same files with the same record struct type
 *   and options lakeq's `cloudtrail_raw` view uses (a glob instead of the file list, no `filename`),
 *   the same filters, counting created and deleted instances: a raw read of the same files.
 * - baseline (auto, only with `LAKEQ_BENCH_AUTO=1`: slow): the same count with `read_json_auto`'s schema
 *   detection over every file instead of a given type.
 * - lakeq: `openLocalEngine` over the folder (file scan, head checks, views) then
 *   `runQuery(engine, instance-churn, { from, to })` over the whole window; open and query timed apart.
 *
 * Each is measured `LAKEQ_BENCH_ROUNDS` times (default 3), the order rotated each round; medians are
 * compared as `ratio = baseline / lakeq` (goal >= 0.8). lakeq's created and deleted totals must equal
 * the baseline's (and the generator's plan): a mismatch is a failure (exit code 1), speed never is.
 */
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { INSTANCE_LIFECYCLE, SSO_SOURCE } from '../queries/identity-center/identity-center-sql.ts';
import churn from '../queries/identity-center/instance-churn.ts';
import { CLOUDTRAIL_RECORD_SQL_TYPE } from '../src/catalog/cloudtrail-schema.ts';
import { openLocalEngine } from '../src/catalog/duckdb/local-engine.ts';
import { runQuery } from '../src/query/run-query.ts';
import { type BenchSample, ensureSample } from './dataset.ts';
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
  /** Open (lakeq: scan and views; baseline: the DuckDB instance), ms. */
  openMs: number;
  queryMs: number;
  totalMs: number;
  /** CPU time of the process (all threads, DuckDB's included) over open and query, ms. */
  cpuMs: number;
}

/** CPU time (user + system, all threads of this process) since `start`, ms. */
const cpuSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

/** The instance-churn filters on a raw record `r`, as the query states them. */
function churnFilter(from: string, to: string): string {
  return `r.eventSource = ${sqlString(SSO_SOURCE)}
      AND r.eventName IN (${INSTANCE_LIFECYCLE.map(sqlString).join(', ')})
      AND r.errorCode IS NULL
      AND try_cast(r.eventTime AS TIMESTAMP) >= TIMESTAMP ${sqlString(from.replace('T', ' ').replace('Z', ''))}
      AND try_cast(r.eventTime AS TIMESTAMP) < TIMESTAMP ${sqlString(to.replace('T', ' ').replace('Z', ''))}`;
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

async function measureLakeq(folder: string, from: string, to: string): Promise<Measurement> {
  const cpu = process.cpuUsage();
  const open = await timed(() => openLocalEngine({ sources: { cloudtrail: folder } }));
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
}

const med = (results: readonly Measurement[], key: 'openMs' | 'queryMs' | 'totalMs' | 'cpuMs') =>
  median(results.map((r) => r[key]));

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const countsText = (c: Counts) => `${c.created} created + ${c.deleted} deleted = ${c.created + c.deleted}`;

export async function runInstanceChurn(): Promise<BenchResult> {
  const target = envInt('LAKEQ_BENCH_EVENTS', 1_000_000);
  const rounds = envInt('LAKEQ_BENCH_ROUNDS', 3);
  const withAuto = process.env.LAKEQ_BENCH_AUTO === '1';
  log(`\n== instance churn over ~${target} raw events (${rounds} rounds, order rotated) ==`);
  const sample: BenchSample = await ensureSample(target, log);
  const { from, to } = sample.summary;
  const glob = path.join(sample.folder, 'AWSLogs', '**', '*.json.gz');
  log(
    `data: ${sample.summary.events} events, ${sample.summary.files} files, ` +
      `${(sample.bytes / 1e6).toFixed(0)} MB gzipped; window [${from}, ${to}); load average ${loadAverage()}`,
  );

  const typed: Contender = {
    label: 'baseline read_json (typed)',
    measure: () => measureBaseline(typedBaselineSql(glob, from, to)),
    results: [],
  };
  const auto: Contender = {
    label: 'baseline read_json_auto',
    measure: () => measureBaseline(autoBaselineSql(glob, from, to)),
    results: [],
  };
  const lakeq: Contender = {
    label: 'lakeq open + instance-churn',
    measure: () => measureLakeq(sample.folder, from, to),
    results: [],
  };
  const contenders = withAuto ? [typed, lakeq, auto] : [typed, lakeq];
  let lakeqError: string | undefined;
  for (let i = 0; i < rounds && lakeqError === undefined; i++) {
    const order = contenders.map((_, j) => contenders[(i + j) % contenders.length]!);
    for (const c of order) {
      try {
        const m = await c.measure();
        c.results.push(m);
        log(
          `  round ${i + 1}: ${c.label.padEnd(28)} open ${ms(m.openMs).padStart(7)}  query ${ms(m.queryMs).padStart(7)}` +
            `  total ${ms(m.totalMs).padStart(7)}  cpu ${ms(m.cpuMs).padStart(7)}  (${countsText(m.counts)})`,
        );
      } catch (error) {
        const message = (error as Error).message.split('\n')[0] ?? String(error);
        if (c === typed) throw error;
        if (c === lakeq) {
          lakeqError = message;
          log(`!!! lakeq failed: ${message}`);
          break;
        }
        log(`  ${c.label} failed, left out: ${message}`);
        contenders.splice(contenders.indexOf(auto), 1);
      }
    }
  }
  if (lakeqError !== undefined) {
    return {
      rows: [
        {
          bench: 'instance-churn',
          metric: 'ERROR: lakeq query failed',
          lakeq: lakeqError.length > 50 ? `${lakeqError.slice(0, 47)}...` : lakeqError,
          baseline: `read_json ${ms(med(typed.results, 'totalMs'))}`,
          ratio: '-',
          goal: `>= ${GOAL_RATIO}`,
          met: false,
        },
      ],
      failed: true,
    };
  }

  const typedTotal = med(typed.results, 'totalMs');
  const lakeqTotal = med(lakeq.results, 'totalMs');
  log('');
  log(
    table(
      ['contender (medians)', 'open', 'query', 'total', 'cpu', 'baseline/this', 'cpu ratio'],
      contenders.map((c) => [
        c.label,
        ms(med(c.results, 'openMs')),
        ms(med(c.results, 'queryMs')),
        ms(med(c.results, 'totalMs')),
        ms(med(c.results, 'cpuMs')),
        ratio(typedTotal, med(c.results, 'totalMs')),
        ratio(med(typed.results, 'cpuMs'), med(c.results, 'cpuMs')),
      ]),
    ),
  );
  log(
    `ratio = baseline (typed) / lakeq = ${ratio(typedTotal, lakeqTotal)} (goal >= ${GOAL_RATIO}); ` +
      `query only ${ratio(med(typed.results, 'queryMs'), med(lakeq.results, 'queryMs'))}; ` +
      `cpu time ${ratio(med(typed.results, 'cpuMs'), med(lakeq.results, 'cpuMs'))}; load average ${loadAverage()}`,
  );

  // Correctness: lakeq's totals must be what the raw read counts (and what the generator planned).
  const expected = typed.results[0]!.counts;
  const plan = sample.summary.identityCenter;
  const problems: string[] = [];
  for (const c of contenders) {
    for (const m of c.results) {
      if (m.counts.created !== expected.created || m.counts.deleted !== expected.deleted)
        problems.push(`${c.label}: ${countsText(m.counts)}, baseline (typed): ${countsText(expected)}`);
    }
  }
  if (plan.created !== expected.created || plan.deleted !== expected.deleted)
    problems.push(`generator plan: ${countsText(plan)}, baseline (typed): ${countsText(expected)}`);
  if (expected.created + expected.deleted === 0)
    problems.push('no instance churn at all: nothing was measured');
  if (problems.length > 0) {
    for (const p of problems) log(`!!! MISMATCH: ${p}`);
  } else {
    log(`check: lakeq = baseline = generator plan: ${countsText(expected)}`);
  }

  const rows: SummaryRow[] = [
    {
      bench: 'instance-churn',
      metric: `open + query, ${Math.round(sample.summary.events / 1000)}k events`,
      lakeq: `${ms(lakeqTotal)} (open ${ms(med(lakeq.results, 'openMs'))})`,
      baseline: `read_json ${ms(typedTotal)}`,
      ratio: `baseline/lakeq ${ratio(typedTotal, lakeqTotal)}`,
      goal: `>= ${GOAL_RATIO}`,
      met: typedTotal / lakeqTotal >= GOAL_RATIO,
    },
    {
      bench: 'instance-churn',
      metric: 'cpu time, open + query',
      lakeq: ms(med(lakeq.results, 'cpuMs')),
      baseline: `read_json ${ms(med(typed.results, 'cpuMs'))}`,
      ratio: `baseline/lakeq ${ratio(med(typed.results, 'cpuMs'), med(lakeq.results, 'cpuMs'))}`,
      goal: '-',
      met: undefined,
    },
  ];
  if (contenders.includes(auto)) {
    const autoTotal = med(auto.results, 'totalMs');
    rows.push({
      bench: 'instance-churn',
      metric: 'vs read_json_auto',
      lakeq: ms(lakeqTotal),
      baseline: `read_json_auto ${ms(autoTotal)}`,
      ratio: `baseline/lakeq ${ratio(autoTotal, lakeqTotal)}`,
      goal: '-',
      met: undefined,
    });
  }
  if (problems.length > 0) {
    rows.push({
      bench: 'instance-churn',
      metric: 'MISMATCH (counts)',
      lakeq: countsText(lakeq.results[0]?.counts ?? { created: Number.NaN, deleted: Number.NaN }),
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
