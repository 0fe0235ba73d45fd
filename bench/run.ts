/**
 * `npm run bench`: runs the benchmarks in sequence and prints a summary table. Figures are ratios
 * against baselines measured in the same run; a slow run never fails. The exit code is 1 only when a
 * benchmark's correctness check fails (e.g. lakeq's counts differ from the baseline's).
 *
 *   npm run bench                         all benchmarks
 *   npm run bench -- cli-startup          only the named ones (cli-startup, findings-by-severity, instance-churn, load, trino-rewrite, tpcds)
 *   LAKEQ_BENCH_EVENTS=200000 npm run bench   quicker instance-churn and load runs (default 1000000)
 *   LAKEQ_BENCH_TPCDS_SF=0.01 npm run bench -- tpcds   the TPC-DS bench on a small scale (default SF1)
 */
import os from 'node:os';
import { runCliStartup } from './cli-startup.bench.ts';
import { runFindingsBySeverity } from './findings-by-severity.bench.ts';
import { runInstanceChurn } from './instance-churn.bench.ts';
import { type BenchResult, log, type SummaryRow, table } from './lib.ts';
import { runLoadBench } from './load.bench.ts';
import { runTpcdsBench } from './tpcds.bench.ts';
import { runTrinoRewrite } from './trino-rewrite.bench.ts';

const BENCHMARKS: Readonly<Record<string, () => Promise<BenchResult>>> = {
  'cli-startup': runCliStartup,
  'findings-by-severity': runFindingsBySeverity,
  'instance-churn': runInstanceChurn,
  load: runLoadBench,
  'trino-rewrite': runTrinoRewrite,
  tpcds: runTpcdsBench,
};

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}\n`,
  );
  process.exit(2);
}
const names = requested.length > 0 ? requested : Object.keys(BENCHMARKS);

const cpus = os.cpus();
log(
  `lakeq benchmarks, ${new Date().toISOString()}; node ${process.version}, ${os.platform()} ${os.arch()}, ` +
    `${cpus.length} x ${cpus[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
);

const rows: SummaryRow[] = [];
let failed = false;
for (const name of names) {
  const result = await BENCHMARKS[name]!();
  rows.push(...result.rows);
  failed ||= result.failed;
}

log('\n== summary (medians; ratios against baselines measured in this run) ==');
log(
  table(
    ['bench', 'measurement', 'lakeq', 'baseline', 'ratio', 'goal', 'met'],
    rows.map((r) => [
      r.bench,
      r.metric,
      r.lakeq,
      r.baseline,
      r.ratio,
      r.goal,
      r.met === undefined ? '' : r.met ? 'yes' : 'no',
    ]),
  ),
);
if (failed) {
  log(
    '\nFAILED: lakeq could not run a benchmark or its results were wrong (see the lines marked !!! above). ' +
      'Speed alone never fails the benchmarks.',
  );
  process.exitCode = 1;
}
