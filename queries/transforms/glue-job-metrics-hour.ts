import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { timeWindow } from '../../src/query/param-types.ts';
import { GLUE_JOB_METRICS } from '../../src/sources/glue/schema.ts';
import { collectedDays, partitionColumns, typedColumns } from './transform-sql.ts';

const columns = GLUE_JOB_METRICS.columns.map((c) => sql.ref(c.name));

/** The load of `glue_job_metrics`: collected datapoints of a window, one per series and time. */
export default defineQuery({
  id: 'transforms/glue-job-metrics-hour',
  version: '1.0.0',
  title: 'Load: Glue job metrics into hour partitions',
  description:
    'Collected CloudWatch datapoints of Glue jobs with metric_time in [from, to), typed, one row per job, run, ' +
    'metric, statistic and time (a repeated datapoint kept once), plus the partition keys dt and hour.',
  example: { from: '2026-11-01T00', to: '2026-11-01T01' },
  // A load writes tables: CloudTrail Lake only reads.
  engines: ['duckdb', 'athena'],
  params: timeWindow({}),
  build: ({ from, to }) => sql<Record<string, unknown>>`
    select ${sql.join(columns)},
      ${partitionColumns('metric_time')}
    from (
      select *, row_number() over (
        partition by ${sql.join(GLUE_JOB_METRICS.key.map((k) => sql.ref(k)))}
        order by "value" desc nulls last, unit, metric_type
      ) as point_copy
      from (
        select ${typedColumns(GLUE_JOB_METRICS.columns)}
        from ${sql.table(GLUE_JOB_METRICS.relation)}
        where ${collectedDays(from, to)}
      ) c
      where metric_time >= ${from} and metric_time < ${to} and metric_name is not null
    ) m
    where point_copy = 1`,
});
