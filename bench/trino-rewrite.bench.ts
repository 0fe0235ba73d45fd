/**
 * Trino → DuckDB rewrite: how long the local engine's compile-time rewrite (parse the Trino SQL, rewrite
 * the tree, print DuckDB SQL: `localSqlCandidates`) takes for a 100-line analyst query, beside how long
 * the query itself runs on the local engine, in one process.
 *
 * Goal (from the issue): the rewrite adds at most 5 ms to compiling a 100-line query (median).
 * `LAKEQ_BENCH_REWRITE_RUNS` rewrites are timed after a warm-up (default 200), the query runs
 * `LAKEQ_BENCH_ROUNDS` times (default 3) over 50,000 generated rows.
 *
 *   node bench/trino-rewrite.bench.ts
 */
import { CompiledQuery } from 'kysely';
import { createDuckDbEngine } from '../src/engines/duckdb/duckdb-engine.ts';
import { localSqlCandidates } from '../src/engines/duckdb/duckdb-local-sql.ts';
import { type BenchResult, envInt, log, median, ms, ratio, type SummaryRow, table, timed } from './lib.ts';

const GOAL_MS = 5;
const ROWS = 50_000;

/** A query the way analysts write them for Athena: CTEs, JSON, lambdas, UNNEST, WITHIN GROUP, zones. */
export const HUNDRED_LINE_QUERY = `WITH events AS (
  SELECT
    id,
    from_unixtime(1700000000 + id * 37) AS event_time,
    CASE id % 4 WHEN 0 THEN 'CreateInstance' WHEN 1 THEN 'DeleteInstance' WHEN 2 THEN 'ListInstances' ELSE 'DescribeInstance' END AS event_name,
    'account-' || CAST(id % 7 AS varchar) AS account_id,
    json_format(CAST(MAP(ARRAY['instanceArn', 'region'], ARRAY['arn:aws:sso:::instance/ssoins-' || CAST(id % 13 AS varchar), 'us-east-1']) AS JSON)) AS request_parameters,
    MAP(ARRAY['ip', 'agent'], ARRAY['10.0.' || CAST(id % 250 AS varchar) || '.1', 'aws-cli/2.' || CAST(id % 9 AS varchar)]) AS context,
    ARRAY[id % 3, id % 5, id % 11] AS scores,
    IF(id % 17 = 0, 'AccessDenied', NULL) AS error_code
  FROM UNNEST(sequence(1, ${ROWS})) AS t(id)
),
parsed AS (
  SELECT
    id,
    event_time,
    event_time AT TIME ZONE 'America/New_York' AS local_time,
    event_name,
    account_id,
    json_extract_scalar(request_parameters, '$.instanceArn') AS instance_arn,
    json_extract_scalar(request_parameters, '$["region"]') AS region,
    element_at(context, 'ip') AS source_ip,
    regexp_extract(element_at(context, 'agent'), 'aws-cli/(\\d+)\\.(\\d+)', 2) AS cli_minor,
    transform(scores, x -> x * 10) AS scaled,
    filter(scores, x -> x > 1) AS high,
    reduce(scores, 0, (s, x) -> s + x, s -> s) AS total,
    zip_with(scores, scores, (a, b) -> a * b) AS squares,
    any_match(scores, x -> x = 0) AS has_zero,
    array_max(scores) AS top_score,
    date_format(event_time, '%Y-%m-%d %H:%i') AS minute_text,
    to_iso8601(event_time) AS iso_time,
    split_part(instance_arn, '/', 2) AS instance_id,
    url_extract_host('https://' || region || '.console.aws.amazon.com/') AS console_host,
    error_code
  FROM events
  WHERE event_time >= TIMESTAMP '2023-11-14 00:00:00 UTC'
),
per_day AS (
  SELECT
    date_trunc('day', event_time) AS day,
    account_id,
    count_if(event_name = 'CreateInstance') AS created,
    count_if(event_name = 'DeleteInstance') AS deleted,
    approx_distinct(instance_arn) AS instances,
    listagg(DISTINCT event_name, ',') WITHIN GROUP (ORDER BY event_name) AS names,
    max_by(source_ip, id) AS last_ip,
    array_agg(DISTINCT cli_minor) AS cli_minors,
    sum(total) AS score_total,
    count(*) FILTER (WHERE error_code IS NOT NULL) AS errors
  FROM parsed
  GROUP BY 1, 2
),
context_keys AS (
  SELECT k, count(*) AS n
  FROM events
  CROSS JOIN UNNEST(context) AS c(k, v)
  GROUP BY k
),
hours AS (
  SELECT
    hour(local_time) AS local_hour,
    day_of_week(local_time) AS dow,
    count(*) AS n,
    avg(cardinality(high)) AS avg_high,
    arbitrary(region) AS region
  FROM parsed
  GROUP BY 1, 2
)
SELECT
  d.day,
  d.account_id,
  d.created,
  d.deleted,
  d.created - d.deleted AS net,
  d.instances,
  d.names,
  d.last_ip,
  array_join(array_sort(d.cli_minors), '|') AS cli_minors,
  d.score_total,
  d.errors,
  date_diff('day', TIMESTAMP '2023-11-01 00:00:00', CAST(d.day AS timestamp)) AS days_in,
  format('%s/%d', d.account_id, d.created) AS label,
  (SELECT sum(n) FROM context_keys) AS context_entries,
  (SELECT max(n) FROM hours) AS busiest_hour_events,
  typeof(d.created) AS created_type,
  CAST(d.day AS date) AS day_date,
  year_of_week(d.day) AS iso_year,
  week_of_year(d.day) AS iso_week,
  concat_ws('-', d.account_id, CAST(d.instances AS varchar)) AS key,
  greatest(d.created, d.deleted) AS larger,
  coalesce(nullif(d.errors, 0), -1) AS errors_or_none,
  try(d.score_total / d.errors) AS score_per_error,
  bitwise_and(d.created, 1) AS odd_created,
  from_base(to_base(d.created, 16), 16) AS created_again,
  regexp_like(d.names, 'Create') AS any_create,
  strpos(d.names, ',') AS first_comma,
  lpad(CAST(d.deleted AS varchar), 4, '0') AS deleted_padded
FROM per_day d
WHERE d.created + d.deleted > 0
ORDER BY d.day, d.account_id`;

export async function runTrinoRewrite(): Promise<BenchResult> {
  const runs = envInt('LAKEQ_BENCH_REWRITE_RUNS', 200);
  const rounds = envInt('LAKEQ_BENCH_ROUNDS', 3);
  const lines = HUNDRED_LINE_QUERY.split('\n').length;
  log(`\n== trino-rewrite: a ${lines}-line Trino query, rewritten ${runs} times, run ${rounds} times ==`);
  const query = CompiledQuery.raw(HUNDRED_LINE_QUERY);

  const cold = await timed(() => localSqlCandidates(query));
  for (let i = 0; i < 20; i++) localSqlCandidates(query); // warm-up
  const rewriteMs: number[] = [];
  for (let i = 0; i < runs; i++) rewriteMs.push((await timed(() => localSqlCandidates(query))).ms);

  const engine = await createDuckDbEngine({});
  let failed = false;
  const runMs: number[] = [];
  let rows = -1;
  try {
    for (let i = 0; i < rounds; i++) {
      const { value, ms: t } = await timed(() => engine.execute(query));
      runMs.push(t);
      if (rows !== -1 && value.rows.length !== rows) failed = true;
      rows = value.rows.length;
      // 50,000 events every 37 s from 2023-11-14 22:13:20 UTC span 22 days, 7 accounts each.
      const first = value.rows[0] as Record<string, unknown> | undefined;
      if (first?.created_type !== 'bigint' || rows < 7 * 21) failed = true;
    }
  } catch (error) {
    log(
      `!!! the query failed on the local engine: ${error instanceof Error ? error.message : String(error)}`,
    );
    failed = true;
  } finally {
    await engine.close();
  }
  if (failed) log(`!!! MISMATCH: unexpected result (${rows} rows)`);

  const rewrite = median(rewriteMs);
  const run = median(runMs);
  log(
    table(
      ['step', 'median', 'min', 'max', 'note'],
      [
        [
          'rewrite (parse + rewrite + print)',
          `${rewrite.toFixed(2)} ms`,
          `${Math.min(...rewriteMs).toFixed(2)} ms`,
          `${Math.max(...rewriteMs).toFixed(2)} ms`,
          `${runs} runs after a warm-up; the first, cold: ${cold.ms.toFixed(1)} ms`,
        ],
        [
          'query run (execute, rewrite included)',
          ms(run),
          ms(Math.min(...runMs)),
          ms(Math.max(...runMs)),
          `${rows} rows`,
        ],
      ],
    ),
  );
  const summary: SummaryRow[] = [
    {
      bench: 'trino-rewrite',
      metric: `rewrite of a ${lines}-line query (run: ${ms(run)})`,
      lakeq: `${rewrite.toFixed(2)} ms`,
      baseline: `run ${ms(run)}`,
      ratio: `rewrite/run ${ratio(rewrite, run)}`,
      goal: `<= ${GOAL_MS} ms`,
      met: rewrite <= GOAL_MS,
    },
  ];
  return { rows: summary, failed };
}

if (import.meta.main) {
  const result = await runTrinoRewrite();
  if (result.failed) process.exitCode = 1;
}
