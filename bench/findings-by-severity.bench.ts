/**
 * `security-lake/findings-by-severity` over a month of generated Security Lake findings, source
 * versions 1 and 2 mixed (`--version both`: version 1 up to the middle day, 2 from it),
 * `LAKEQ_BENCH_ACCOUNTS` accounts (default 40) in two Regions.
 *
 * - baseline: DuckDB reading the same Parquet directly: `read_parquet` of each version's glob
 *   (`union_by_name`), the fields the query needs taken from each version's own columns, and the
 *   query's latest-record-per-finding-and-day count, written by hand for DuckDB.
 * - lakeq: the local engine (the lake folder's scan and footer checks, the per-Region raw tables,
 *   the ocsf_findings view compiled from its Trino definition) and `runQuery(engine,
 *   findings-by-severity, { from, to })`.
 *
 * Each contender opens its engine and runs the query `LAKEQ_BENCH_ROUNDS` times (default 3), the order
 * rotated each round; the medians of the query alone and of open + query are compared as
 * `ratio = baseline / lakeq` (goal >= 0.9). lakeq's rows must equal the baseline's, or the run fails.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import bySeverity from '../queries/security-lake/findings-by-severity.ts';
import { openLocalEngine } from '../src/catalog/duckdb/local-engine.ts';
import { runQuery } from '../src/query/run-query.ts';
import { writeSecurityLakeSample } from '../src/sources/security-lake/sample.ts';
import { DATA_DIR } from './dataset.ts';
import { type BenchResult, envInt, log, median, ms, ratio, type SummaryRow, table, timed } from './lib.ts';

const GOAL_RATIO = 0.9;
const FROM = '2026-10-01';
const TO = '2026-11-01';

type Row = {
  day: string;
  severity_id: number;
  severity: string;
  active_findings: number;
  findings: number;
  records: number;
};

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The query by hand for DuckDB over the two versions' files. */
function baselineSql(lake: string): string {
  const glob = (v: string) => sqlString(path.join(lake, 'aws', 'SH_FINDINGS', v, '*', '*', '*', '*.parquet'));
  return `
    with f as (
      select make_timestamp(time * 1000) as t, finding.uid as uid, severity_id, severity,
        unmapped['RecordState'] as record_state, finding.modified_time as modified, '1.0' as v
      from read_parquet(${glob('1.0')}, union_by_name = true)
      union all
      select make_timestamp(time * 1000), finding_info.uid, severity_id, severity,
        coalesce(unmapped['RecordState'], case activity_id when 3 then 'ARCHIVED' when 1 then 'ACTIVE' when 2 then 'ACTIVE' end),
        finding_info.modified_time, '2.0'
      from read_parquet(${glob('2.0')}, union_by_name = true)
    ), l as (
      select strftime(t, '%Y-%m-%d') as day, severity_id, severity, record_state,
        row_number() over (partition by uid, date_trunc('day', t) order by t desc, modified desc, v desc) as newest
      from f where t >= TIMESTAMP '${FROM} 00:00:00' and t < TIMESTAMP '${TO} 00:00:00' and uid is not null
    )
    select day, severity_id, severity,
      count(*) filter (where newest = 1 and record_state = 'ACTIVE') as active_findings,
      count(*) filter (where newest = 1) as findings,
      count(*) as records
    from l group by day, severity_id, severity order by day, severity_id desc`;
}

const normalize = (rows: readonly Record<string, unknown>[]) =>
  JSON.stringify(
    rows.map((r) => [
      String(r.day),
      Number(r.severity_id),
      r.severity,
      Number(r.active_findings),
      Number(r.findings),
      Number(r.records),
    ]),
  );

async function ensureLake(accounts: number): Promise<{ lake: string; records: number }> {
  const lake = path.join(DATA_DIR, `security-lake-${accounts}a-${FROM}`);
  const marker = `${lake}.json`;
  try {
    // The marker holds the count only: the folder is known, and no absolute path is written down.
    return { lake, records: (JSON.parse(await readFile(marker, 'utf8')) as { records: number }).records };
  } catch {
    await mkdir(DATA_DIR, { recursive: true });
    log(`writing a month of Security Lake findings (${accounts} accounts, both versions) to ${lake}…`);
    const summary = await writeSecurityLakeSample({
      out: lake,
      from: new Date(`${FROM}T00:00:00Z`),
      to: new Date(`${TO}T00:00:00Z`),
      accounts,
      versions: 'both',
      sources: ['SH_FINDINGS'],
    });
    const records = Object.values(summary.records).reduce((a, b) => a + b, 0);
    await writeFile(marker, JSON.stringify({ records }));
    return { lake, records };
  }
}

export async function runFindingsBySeverity(): Promise<BenchResult> {
  const accounts = envInt('LAKEQ_BENCH_ACCOUNTS', 40);
  const rounds = envInt('LAKEQ_BENCH_ROUNDS', 3);
  const { lake, records } = await ensureLake(accounts);
  log(`\n== findings-by-severity: ${records} finding records, a month, source versions 1 and 2 ==`);
  const times = {
    lakeq: { open: [] as number[], query: [] as number[] },
    baseline: { open: [] as number[], query: [] as number[] },
  };
  let failed = false;
  let expected: string | undefined;
  const contenders = {
    lakeq: async () => {
      const open = await timed(() => openLocalEngine({ sources: { 'security-lake': lake } }, { threads: 2 }));
      try {
        const q = await timed(() => runQuery(open.value, bySeverity, { from: FROM, to: TO }));
        return { openMs: open.ms, queryMs: q.ms, rows: q.value.rows as unknown as Row[] };
      } finally {
        await open.value.close();
      }
    },
    baseline: async () => {
      const open = await timed(async () => {
        const db = await DuckDBInstance.create(':memory:', { threads: '2' });
        return { db, con: await db.connect() };
      });
      try {
        const q = await timed(async () =>
          (await open.value.con.runAndReadAll(baselineSql(lake))).getRowObjectsJson(),
        );
        return { openMs: open.ms, queryMs: q.ms, rows: q.value as unknown as Row[] };
      } finally {
        open.value.con.closeSync();
        open.value.db.closeSync();
      }
    },
  };
  const order = Object.keys(contenders) as (keyof typeof contenders)[];
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 === 0 ? order : [...order].reverse()) {
      try {
        const result = await contenders[name]();
        times[name].open.push(result.openMs);
        times[name].query.push(result.queryMs);
        const got = normalize(result.rows);
        if (name === 'baseline') expected ??= got;
        else if (expected !== undefined && got !== expected) {
          log(`!!! lakeq's rows differ from the baseline's (round ${round + 1})`);
          failed = true;
        }
        if (result.rows.length === 0) {
          log(`!!! ${name} found no findings`);
          failed = true;
        }
      } catch (error) {
        log(`!!! ${name} failed: ${(error as Error).message}`);
        failed = true;
      }
    }
  }
  const q = { lakeq: median(times.lakeq.query), baseline: median(times.baseline.query) };
  const total = {
    lakeq: median(times.lakeq.open.map((o, i) => o + (times.lakeq.query[i] ?? 0))),
    baseline: median(times.baseline.open.map((o, i) => o + (times.baseline.query[i] ?? 0))),
  };
  log(
    table(
      ['contender', 'open (median)', 'query (median)'],
      [
        ['lakeq ocsf_findings view', ms(median(times.lakeq.open)), ms(q.lakeq)],
        ['DuckDB read_parquet', ms(median(times.baseline.open)), ms(q.baseline)],
      ],
    ),
  );
  const rows: SummaryRow[] = [
    {
      bench: 'findings-by-severity',
      metric: 'query, a month of findings (v1 + v2)',
      lakeq: ms(q.lakeq),
      baseline: `DuckDB read_parquet ${ms(q.baseline)}`,
      ratio: `baseline/lakeq ${ratio(q.baseline, q.lakeq)}`,
      goal: `>= ${GOAL_RATIO}`,
      met: q.lakeq > 0 ? q.baseline / q.lakeq >= GOAL_RATIO : undefined,
    },
    {
      bench: 'findings-by-severity',
      metric: 'open + query',
      lakeq: ms(total.lakeq),
      baseline: `DuckDB read_parquet ${ms(total.baseline)}`,
      ratio: `baseline/lakeq ${ratio(total.baseline, total.lakeq)}`,
      goal: 'informational',
      met: undefined,
    },
  ];
  return { rows, failed };
}
