import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { timeWindow } from '../../src/query/param-types.ts';
import { DPU_HOURS_SQL, jobFilter, jobName, rounded, rowLimit, startedIn } from './glue-sql.ts';

export interface MostExpensiveRunsRow {
  job_name: string;
  job_run_id: string;
  attempt: number | null;
  job_run_state: string;
  /** ISO time, UTC */
  started_on: string;
  execution_seconds: number | null;
  worker_type: string | null;
  number_of_workers: number | null;
  execution_class: string | null;
  /** 2 decimals */
  dpu_hours: number | null;
  /** USD to the cent */
  estimated_cost_usd: number;
}

/** The Glue job runs with the highest estimated cost in a window. */
export default defineQuery({
  id: 'glue/most-expensive-runs',
  version: '1.1.0',
  title: 'Most expensive Glue job runs',
  description:
    'Glue job run attempts started in [from, to) with the highest estimated cost, with their capacity ' +
    '(worker type and count, execution class) and DPU-hours (2 decimals; cost to the cent); most expensive first.',
  example: { from: '2026-11-01', to: '2026-11-08', limit: '20' },
  engines: ['duckdb', 'athena'],
  params: timeWindow({ job_name: jobName.optional(), limit: rowLimit(20) }),
  build: ({ from, to, job_name, limit }, context) => sql<MostExpensiveRunsRow>`
    select job_name, job_run_id, attempt, job_run_state, started_on, execution_seconds, worker_type,
      number_of_workers, execution_class,
      ${rounded(DPU_HOURS_SQL)} as dpu_hours,
      ${rounded(sql`estimated_cost_usd`)} as estimated_cost_usd
    from ${sql.table('glue_job_runs')} r
    where estimated_cost_usd is not null
      and ${startedIn(from, to, context)}${jobFilter(job_name)}
    order by r.estimated_cost_usd desc, job_name, job_run_id
    limit ${sql.lit(limit)}`,
});
