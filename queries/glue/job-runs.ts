import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { timeWindow } from '../../src/query/param-types.ts';
import { jobFilter, jobName, rounded, rowLimit, startedIn } from './glue-sql.ts';

export interface JobRunsRow {
  job_name: string;
  job_run_id: string;
  attempt: number | null;
  previous_run_id: string | null;
  trigger_name: string | null;
  job_run_state: string;
  job_type: string | null;
  /** ISO time, UTC */
  started_on: string;
  completed_on: string | null;
  execution_seconds: number | null;
  worker_type: string | null;
  number_of_workers: number | null;
  max_capacity: number | null;
  dpu_seconds: number | null;
  glue_version: string | null;
  execution_class: string | null;
  error_message: string | null;
  /** USD to the cent */
  estimated_cost_usd: number | null;
  region: string;
  account_id: string | null;
}

/** Glue job run attempts started in a window, in their latest state. */
export default defineQuery({
  id: 'glue/job-runs',
  version: '1.1.0',
  title: 'Glue job runs',
  description:
    'AWS Glue job run attempts with StartedOn in [from, to), optionally of one job, in their latest state: ' +
    'state, times, capacity, DPU-seconds and estimated cost (USD to the cent); in start order.',
  example: { from: '2026-11-01', to: '2026-11-08' },
  engines: ['duckdb', 'athena'],
  params: timeWindow({ job_name: jobName.optional(), limit: rowLimit(10_000) }),
  build: ({ from, to, job_name, limit }, context) => sql<JobRunsRow>`
    select job_name, job_run_id, attempt, previous_run_id, trigger_name, job_run_state, job_type,
      started_on, completed_on, execution_seconds, worker_type, number_of_workers, max_capacity,
      dpu_seconds, glue_version, execution_class, error_message,
      ${rounded(sql`estimated_cost_usd`)} as estimated_cost_usd, region, account_id
    from ${sql.table('glue_job_runs')}
    where ${startedIn(from, to, context)}${jobFilter(job_name)}
    order by started_on, job_name, job_run_id
    limit ${sql.lit(limit)}`,
});
