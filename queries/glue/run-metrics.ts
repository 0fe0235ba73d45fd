import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery } from '../../src/query/define-query.ts';
import { timeWindow } from '../../src/query/param-types.ts';
import { dayPartitions } from '../cloudtrail/cloudtrail-sql.ts';

export interface RunMetricsRow {
  job_name: string;
  metric_name: string;
  /** 'count' or 'gauge' */
  metric_type: string;
  statistic: string;
  unit: string | null;
  /** ISO time, UTC */
  metric_time: string;
  value: number;
}

/** The CloudWatch metrics of one Glue job run. */
export default defineQuery({
  id: 'glue/run-metrics',
  version: '1.0.0',
  title: 'Metrics of a Glue job run',
  description:
    'The CloudWatch datapoints (Glue namespace) of one job run with metric_time in [from, to): elapsed time, ' +
    'records and bytes read, executors, memory and CPU load…; per metric in time order.',
  example: { job_run_id: 'jr_0123456789abcdef', from: '2026-11-01', to: '2026-11-02' },
  engines: ['duckdb', 'athena'],
  params: timeWindow({
    job_run_id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,255}$/, 'a job run id such as jr_0123…')
      .describe('the job run id (jr_…)'),
  }),
  build: ({ from, to, job_run_id }, context) => sql<RunMetricsRow>`
    select job_name, metric_name, metric_type, statistic, unit, metric_time, "value"
    from ${sql.table('glue_job_metrics')}
    where job_run_id = ${job_run_id}
      and metric_time >= ${from} and metric_time < ${to}${dayPartitions(from, to, context)}
    order by metric_name, statistic, metric_time`,
});
