import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { timeWindow } from '../../src/query/param-types.ts';
import { DPU_HOURS_SQL, FAILED_STATES_SQL, rounded, startedIn } from './glue-sql.ts';

export interface CostByJobRow {
  /** UTC day of StartedOn, 'YYYY-MM-DD'. */
  day: string;
  job_name: string;
  /** Run attempts started that day. */
  runs: number;
  /** Attempts that ended FAILED, ERROR or TIMEOUT. */
  failed_runs: number;
  /** Sum of DPU-seconds / 3600, to 2 decimals (runs without DPU-seconds yet count 0). */
  dpu_hours: number;
  /** Sum of the runs' estimated cost, USD to the cent (runs without an estimate count 0). */
  estimated_cost_usd: number;
}

/** Glue cost per day and job: runs, failures, DPU-hours and estimated cost. */
export default defineQuery({
  id: 'glue/cost-by-job',
  version: '1.1.0',
  title: 'Glue cost by job',
  description:
    'Per UTC day of StartedOn and Glue job, for runs started in [from, to): run attempts, failed attempts ' +
    '(FAILED, ERROR or TIMEOUT), DPU-hours (2 decimals) and estimated cost in USD (to the cent).',
  example: { from: '2026-11-01', to: '2026-11-08' },
  engines: ['duckdb', 'athena'],
  params: timeWindow({}),
  build: ({ from, to }, context) => sql<CostByJobRow>`
    select
      date_format(started_on, '%Y-%m-%d') as day,
      job_name,
      count(*) as runs,
      count_if(${FAILED_STATES_SQL}) as failed_runs,
      ${rounded(sql`coalesce(sum(${DPU_HOURS_SQL}), 0e0)`)} as dpu_hours,
      ${rounded(sql`coalesce(sum(estimated_cost_usd), 0e0)`)} as estimated_cost_usd
    from ${sql.table('glue_job_runs')}
    where ${startedIn(from, to, context)}
    group by date_format(started_on, '%Y-%m-%d'), job_name
    order by day, job_name`,
});
