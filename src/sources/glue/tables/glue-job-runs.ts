import { defineTable } from '../../../catalog/table-definition.ts';
import { GLUE_JOB_RUNS } from '../schema.ts';

/**
 * `glue_job_runs`: one row per Glue job run attempt, placed by its `started_on` hour, so a run's
 * row stays in one partition while its state changes; the latest state wins on reload.
 */
export const glueJobRuns = defineTable({
  name: 'glue_job_runs',
  description:
    'AWS Glue job run attempts (GetJobRuns) with state, times, capacity, DPU-seconds and estimated cost, ' +
    'hour-partitioned by StartedOn (dt, hour in UTC), one row per run id in its latest state.',
  columns: GLUE_JOB_RUNS.columns,
  location: 'curated/glue_job_runs',
  input: { source: 'glue-job-runs' },
  transform: { queryId: 'transforms/glue-job-runs-hour' },
  sortKey: ['started_on', 'job_name', 'job_run_id'],
});
