import { defineTable } from '../../../catalog/table-definition.ts';
import { GLUE_JOB_METRICS } from '../schema.ts';

/** `glue_job_metrics`: CloudWatch `Glue` namespace datapoints of job runs, placed by datapoint time. */
export const glueJobMetrics = defineTable({
  name: 'glue_job_metrics',
  description:
    'CloudWatch metrics of AWS Glue job runs (Glue namespace, per JobName, JobRunId and Type), one row per ' +
    'datapoint, hour-partitioned by the datapoint time (dt, hour in UTC).',
  columns: GLUE_JOB_METRICS.columns,
  location: 'curated/glue_job_metrics',
  input: { source: 'glue-job-metrics' },
  transform: { queryId: 'transforms/glue-job-metrics-hour' },
  sortKey: ['metric_time', 'job_name', 'job_run_id', 'metric_name', 'statistic'],
});
