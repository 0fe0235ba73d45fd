import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { timeWindow } from '../../src/query/param-types.ts';
import { DPU_HOURS_SQL, jobFilter, jobName, rounded, rowLimit, startedIn } from './glue-sql.ts';

export interface LongestRunsRow {
  job_name: string;
  job_run_id: string;
  attempt: number | null;
  job_run_state: string;
  /** ISO time, UTC */
  started_on: string;
  completed_on: string | null;
  execution_seconds: number;
  /** Execution time as a share of the run's timeout (1 = hit the timeout), null without a timeout. */
  timeout_used: number | null;
  /** 2 decimals */
  dpu_hours: number | null;
  /** USD to the cent */
  estimated_cost_usd: number | null;
}

/** The longest Glue job runs of a window. */
export default defineQuery({
  id: 'glue/longest-runs',
  version: '1.1.0',
  title: 'Longest Glue job runs',
  description:
    'Glue job run attempts started in [from, to) with the longest execution time, with the share of their ' +
    'timeout they used, DPU-hours (2 decimals) and estimated cost (USD to the cent); longest first.',
  example: { from: '2026-11-01', to: '2026-11-08', limit: '20' },
  engines: ['duckdb', 'athena'],
  params: timeWindow({ job_name: jobName.optional(), limit: rowLimit(20) }),
  build: ({ from, to, job_name, limit }, context) => sql<LongestRunsRow>`
    select job_name, job_run_id, attempt, job_run_state, started_on, completed_on, execution_seconds,
      execution_seconds / (60e0 * nullif(timeout_minutes, 0)) as timeout_used,
      ${rounded(DPU_HOURS_SQL)} as dpu_hours,
      ${rounded(sql`estimated_cost_usd`)} as estimated_cost_usd
    from ${sql.table('glue_job_runs')}
    where execution_seconds is not null
      and ${startedIn(from, to, context)}${jobFilter(job_name)}
    order by execution_seconds desc, job_name, job_run_id
    limit ${sql.lit(limit)}`,
});
