import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { timeWindow } from '../../src/query/param-types.ts';
import { TERMINAL_RUN_STATES } from '../../src/sources/glue/collect/run-state.ts';
import { GLUE_JOB_RUNS } from '../../src/sources/glue/schema.ts';
import { collectedDays, partitionColumns, typedColumns } from './transform-sql.ts';

const columns = GLUE_JOB_RUNS.columns.map((c) => sql.ref(c.name));

/**
 * The load of `glue_job_runs`: the collected run attempts that started in a window, one row per
 * run id in its latest state, with the hour partition of its `started_on`.
 */
export default defineQuery({
  id: 'transforms/glue-job-runs-hour',
  version: '1.0.0',
  title: 'Load: Glue job runs into hour partitions',
  description:
    'Collected Glue job run attempts with started_on in [from, to), typed, one row per run id: a terminal ' +
    'state beats a running one, else the latest last_modified_on wins; plus the partition keys dt and hour.',
  example: { from: '2026-11-01T00', to: '2026-11-01T01' },
  // A load writes tables: CloudTrail Lake only reads.
  engines: ['duckdb', 'athena'],
  params: timeWindow({}),
  build: ({ from, to }) => sql<Record<string, unknown>>`
    select ${sql.join(columns)},
      ${partitionColumns('started_on')}
    from (
      select *, row_number() over (
        partition by ${sql.join(GLUE_JOB_RUNS.key.map((k) => sql.ref(k)))}
        order by case when job_run_state in (${sql.join([...TERMINAL_RUN_STATES].map((s) => sql.lit(s)))}) then 0 else 1 end,
          last_modified_on desc nulls last, completed_on desc nulls last, job_run_state,
          execution_seconds desc nulls last, dpu_seconds desc nulls last
      ) as run_copy
      from (
        select ${typedColumns(GLUE_JOB_RUNS.columns)}
        from ${sql.table(GLUE_JOB_RUNS.relation)}
        where ${collectedDays(from, to)}
      ) c
      where started_on >= ${from} and started_on < ${to} and job_run_id is not null
    ) r
    where run_copy = 1`,
});
