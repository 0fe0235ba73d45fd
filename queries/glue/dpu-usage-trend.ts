import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { timeWindow } from '../../src/query/param-types.ts';
import { DPU_HOURS_SQL, rounded, startedIn } from './glue-sql.ts';

export interface DpuUsageTrendRow {
  /** UTC day of StartedOn, 'YYYY-MM-DD'. */
  day: string;
  /** glueetl, gluestreaming, pythonshell, glueray, or 'unknown'. */
  job_type: string;
  runs: number;
  /** 2 decimals */
  dpu_hours: number;
  /** USD to the cent */
  estimated_cost_usd: number;
}

/** DPU-hours per day and job type: the trend of Glue capacity used. */
export default defineQuery({
  id: 'glue/dpu-usage-trend',
  version: '1.1.0',
  title: 'Glue DPU usage trend',
  description:
    'DPU-hours (2 decimals) and estimated cost (USD to the cent) per UTC day of StartedOn and job type (Spark ETL, streaming, Python shell, ' +
    'Ray) for Glue runs started in [from, to), with the number of run attempts.',
  example: { from: '2026-11-01', to: '2026-11-08' },
  engines: ['duckdb', 'athena'],
  params: timeWindow({}),
  build: ({ from, to }, context) => sql<DpuUsageTrendRow>`
    select
      date_format(started_on, '%Y-%m-%d') as day,
      coalesce(job_type, 'unknown') as job_type,
      count(*) as runs,
      ${rounded(sql`coalesce(sum(${DPU_HOURS_SQL}), 0e0)`)} as dpu_hours,
      ${rounded(sql`coalesce(sum(estimated_cost_usd), 0e0)`)} as estimated_cost_usd
    from ${sql.table('glue_job_runs')}
    where ${startedIn(from, to, context)}
    group by date_format(started_on, '%Y-%m-%d'), coalesce(job_type, 'unknown')
    order by day, job_type`,
});
