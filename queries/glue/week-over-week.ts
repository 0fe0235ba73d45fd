import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery } from '../../src/query/define-query.ts';
import { isoTime } from '../../src/query/param-types.ts';
import { dayPartitions } from '../cloudtrail/cloudtrail-sql.ts';
import { rounded, rowLimit } from './glue-sql.ts';

const WEEK_MS = 7 * 86_400_000;

/** Hours and USD to 2 decimals. */
export interface WeekOverWeekRow {
  job_name: string;
  runs_previous: number;
  runs_current: number;
  runtime_hours_previous: number;
  runtime_hours_current: number;
  /** current − previous runtime, hours */
  runtime_growth_hours: number;
  cost_usd_previous: number;
  cost_usd_current: number;
  /** current − previous estimated cost, USD */
  cost_growth_usd: number;
}

/** Glue jobs whose runtime or cost grew most: the 7 days before `to` against the 7 days before those. */
export default defineQuery({
  id: 'glue/week-over-week',
  version: '1.1.0',
  title: 'Glue jobs growing week over week',
  description:
    'Per Glue job, runs, runtime (hours of execution) and estimated cost of the 7 days before `to` against ' +
    'the 7 days before those (by StartedOn), for jobs whose runtime or cost grew; largest cost growth first. ' +
    'Hours and USD to 2 decimals.',
  example: { to: '2026-11-08' },
  engines: ['duckdb', 'athena'],
  params: z
    .object({ to: isoTime.describe('end of the current week, exclusive (date, hour or ISO time, UTC)') })
    .extend({ limit: rowLimit(50) })
    .strict(),
  build: ({ to, limit }, context) => {
    const mid = new Date(to.getTime() - WEEK_MS);
    const from = new Date(to.getTime() - 2 * WEEK_MS);
    const current = sql`started_on >= ${mid}`;
    return sql<WeekOverWeekRow>`
    select job_name, runs_previous, runs_current,
      ${rounded(sql`w.runtime_hours_previous`)} as runtime_hours_previous,
      ${rounded(sql`w.runtime_hours_current`)} as runtime_hours_current,
      ${rounded(sql`w.runtime_hours_current - w.runtime_hours_previous`)} as runtime_growth_hours,
      ${rounded(sql`w.cost_usd_previous`)} as cost_usd_previous,
      ${rounded(sql`w.cost_usd_current`)} as cost_usd_current,
      ${rounded(sql`w.cost_usd_current - w.cost_usd_previous`)} as cost_growth_usd
    from (
      select job_name,
        count_if(not (${current})) as runs_previous,
        count_if(${current}) as runs_current,
        coalesce(sum(case when not (${current}) then execution_seconds end), 0) / 3600e0 as runtime_hours_previous,
        coalesce(sum(case when ${current} then execution_seconds end), 0) / 3600e0 as runtime_hours_current,
        coalesce(sum(case when not (${current}) then estimated_cost_usd end), 0e0) as cost_usd_previous,
        coalesce(sum(case when ${current} then estimated_cost_usd end), 0e0) as cost_usd_current
      from ${sql.table('glue_job_runs')}
      where started_on >= ${from} and started_on < ${to}${dayPartitions(from, to, context)}
      group by job_name
    ) w
    where w.runtime_hours_current > w.runtime_hours_previous or w.cost_usd_current > w.cost_usd_previous
    -- Ordered by the exact growth, not the rounded output.
    order by w.cost_usd_current - w.cost_usd_previous desc, w.runtime_hours_current - w.runtime_hours_previous desc,
      job_name
    limit ${sql.lit(limit)}`;
  },
});
