import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery } from '../../src/query/define-query.ts';

export interface CboComparisonRow {
  run_id: string;
  engine: string;
  scale_factor: number | null;
  query_id: string;
  /** ok, mismatch (the modes returned different rows) or failed. */
  status: string;
  /** Median total time without the cost-based optimizer (written join order / no column statistics), ms. */
  off_ms: number | null;
  /** Median total time with it, ms. */
  on_ms: number | null;
  /** off_ms / on_ms, 3 decimals: above 1 the optimizer helped; null unless ok. */
  speedup: number | null;
  /** Whether the two modes joined the tables in a different order. */
  plan_changed: boolean;
  off_join_order: string | null;
  on_join_order: string | null;
  /** Athena bytes scanned per run in each mode (null on DuckDB). */
  off_bytes: number | null;
  on_bytes: number | null;
}

const RUN_ID = /^\d{8}T\d{6}Z-(duckdb|athena)$/;

/** The CBO comparison of each TPC-DS query in one run of `lakeq tpcds compare`: times, speedup, join orders. */
export default defineQuery({
  id: 'tpcds/cbo-comparison',
  version: '1.0.0',
  title: 'TPC-DS cost-based optimizer comparison',
  description:
    'Per TPC-DS query of one comparison run (the latest unless `run` names one): the median time without and with ' +
    'the cost-based optimizer, the speedup (off / on), whether the join order changed and both join orders, bytes scanned, ' +
    'and whether both modes returned the same rows. Reads tpcds_cbo_runs, written by lakeq tpcds compare.',
  example: {},
  engines: ['duckdb', 'athena'],
  params: z.object({
    run: z
      .string()
      .regex(RUN_ID, 'a run id like 20261202T031500Z-duckdb')
      .optional()
      .describe('the comparison run (default: the latest)'),
  }),
  build: ({ run }) => {
    const which =
      run === undefined
        ? sql`run_id = (select max(run_id) from ${sql.table('tpcds_cbo_runs')})`
        : sql`run_id = ${run}`;
    return sql<CboComparisonRow>`
    with runs as (
      select * from ${sql.table('tpcds_cbo_runs')} where ${which}
    ),
    per_query as (
      select
        run_id,
        max(engine) as engine,
        max(scale_factor) as scale_factor,
        query_id,
        case when count_if(status = 'failed') > 0 then 'failed'
             when count_if(status = 'mismatch') > 0 then 'mismatch' else 'ok' end as status,
        approx_percentile(case when mode = 'cbo-off' then total_ms end, 0.5) as off_ms,
        approx_percentile(case when mode = 'cbo-on' then total_ms end, 0.5) as on_ms,
        max(case when mode = 'cbo-off' then join_order end) as off_join_order,
        max(case when mode = 'cbo-on' then join_order end) as on_join_order,
        avg(case when mode = 'cbo-off' then bytes_scanned end) as off_bytes,
        avg(case when mode = 'cbo-on' then bytes_scanned end) as on_bytes
      from runs
      group by run_id, query_id
    )
    select
      run_id, engine, scale_factor, query_id, status, off_ms, on_ms,
      case when status = 'ok' and on_ms > 0 then round(off_ms / on_ms, 3) end as speedup,
      coalesce(off_join_order <> on_join_order, false) as plan_changed,
      off_join_order, on_join_order, off_bytes, on_bytes
    from per_query
    order by query_id`;
  },
});
