/**
 * The CloudWatch `Glue` namespace job metrics the collector asks for: the concrete names of the
 * AWS Glue guide's metric table (shared fixture glue/cloudwatch-metrics/glue_job_metrics.csv; a
 * test checks this list against it). The table's `glue.{executorId}.…` rows are templates for
 * per-executor series, whose ids are not known in advance: the `glue.ALL.…` aggregates stand in.
 */

/** One metric: its name, `Type` dimension, the statistic to request and its unit. */
export interface GlueMetricDefinition {
  readonly name: string;
  /** The `Type` dimension: `count` (aggregate deltas) or `gauge` (point-in-time values). */
  readonly type: 'count' | 'gauge';
  /** The CloudWatch statistic requested (the guide's "Valid Statistics": SUM → Sum). */
  readonly stat: 'Sum' | 'Average' | 'Maximum';
  readonly unit: string;
}

/** The namespace of Glue job metrics. */
export const GLUE_METRIC_NAMESPACE = 'Glue';

const m = (
  name: string,
  type: GlueMetricDefinition['type'],
  stat: GlueMetricDefinition['stat'],
  unit: string,
): GlueMetricDefinition => ({ name, type, stat, unit });

/**
 * The job metrics collected per run (dimensions JobName, JobRunId, Type).
 *
 * @example
 * ```ts
 * GLUE_JOB_METRICS.find((d) => d.name === 'glue.driver.aggregate.bytesRead');
 * // { name: 'glue.driver.aggregate.bytesRead', type: 'count', stat: 'Sum', unit: 'Bytes' }
 * ```
 */
export const GLUE_JOB_METRICS: readonly GlueMetricDefinition[] = [
  m('glue.driver.aggregate.bytesRead', 'count', 'Sum', 'Bytes'),
  m('glue.driver.aggregate.elapsedTime', 'count', 'Sum', 'Milliseconds'),
  m('glue.driver.aggregate.numCompletedStages', 'count', 'Sum', 'Count'),
  m('glue.driver.aggregate.numCompletedTasks', 'count', 'Sum', 'Count'),
  m('glue.driver.aggregate.numFailedTasks', 'count', 'Sum', 'Count'),
  m('glue.driver.aggregate.numKilledTasks', 'count', 'Sum', 'Count'),
  m('glue.driver.aggregate.recordsRead', 'count', 'Sum', 'Count'),
  m('glue.driver.aggregate.shuffleBytesWritten', 'count', 'Sum', 'Bytes'),
  m('glue.driver.aggregate.shuffleLocalBytesRead', 'count', 'Sum', 'Bytes'),
  m('glue.driver.BlockManager.disk.diskSpaceUsed_MB', 'gauge', 'Average', 'Megabytes'),
  m('glue.driver.ExecutorAllocationManager.executors.numberAllExecutors', 'gauge', 'Average', 'Count'),
  m('glue.driver.ExecutorAllocationManager.executors.numberMaxNeededExecutors', 'gauge', 'Maximum', 'Count'),
  m('glue.driver.jvm.heap.usage', 'gauge', 'Average', 'Percentage'),
  m('glue.ALL.jvm.heap.usage', 'gauge', 'Average', 'Percentage'),
  m('glue.driver.jvm.heap.used', 'gauge', 'Average', 'Bytes'),
  m('glue.ALL.jvm.heap.used', 'gauge', 'Average', 'Bytes'),
  m('glue.driver.s3.filesystem.read_bytes', 'gauge', 'Sum', 'Bytes'),
  m('glue.ALL.s3.filesystem.read_bytes', 'gauge', 'Sum', 'Bytes'),
  m('glue.driver.s3.filesystem.write_bytes', 'gauge', 'Sum', 'Bytes'),
  m('glue.ALL.s3.filesystem.write_bytes', 'gauge', 'Sum', 'Bytes'),
  m('glue.driver.system.cpuSystemLoad', 'gauge', 'Average', 'Percentage'),
  m('glue.ALL.system.cpuSystemLoad', 'gauge', 'Average', 'Percentage'),
];

/**
 * The unit of a metric name, or null when the name is not one of GLUE_JOB_METRICS.
 *
 * @example
 * ```ts
 * glueMetricUnit('glue.driver.aggregate.elapsedTime'); // 'Milliseconds'
 * ```
 */
export function glueMetricUnit(name: string): string | null {
  return GLUE_JOB_METRICS.find((d) => d.name === name)?.unit ?? null;
}
