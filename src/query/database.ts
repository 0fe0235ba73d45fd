import type { CloudTrailEventsTable, CloudTrailLogsTable } from '../sources/cloudtrail/schema.ts';

/** Timestamps as queries compare them with Date parameters and as rows return them (ISO text). */
type Time = Date | string;

/** `glue_job_runs`: one row per Glue job run attempt, in its latest state. */
export interface GlueJobRunsTable {
  job_name: string;
  job_run_id: string;
  attempt: number | null;
  previous_run_id: string | null;
  trigger_name: string | null;
  /** STARTING, RUNNING, STOPPING, STOPPED, SUCCEEDED, FAILED, TIMEOUT, ERROR, WAITING, EXPIRED */
  job_run_state: string;
  /** glueetl, gluestreaming, pythonshell, glueray */
  job_type: string | null;
  started_on: Time;
  completed_on: Time | null;
  last_modified_on: Time | null;
  execution_seconds: number | null;
  worker_type: string | null;
  number_of_workers: number | null;
  max_capacity: number | null;
  dpu_seconds: number | null;
  glue_version: string | null;
  /** STANDARD or FLEX */
  execution_class: string | null;
  timeout_minutes: number | null;
  error_message: string | null;
  estimated_cost_usd: number | null;
  region: string;
  account_id: string | null;
  dt: string;
  hour: string;
}

/** `glue_job_metrics`: one row per CloudWatch datapoint of a Glue job run (or of the job, `ALL`). */
export interface GlueJobMetricsTable {
  job_name: string;
  job_run_id: string;
  metric_name: string;
  /** 'count' or 'gauge' */
  metric_type: string;
  metric_time: Time;
  value: number;
  unit: string | null;
  statistic: string;
  region: string;
  account_id: string | null;
  dt: string;
  hour: string;
}

/** A collected relation: the curated columns with timestamps as the collector's ISO text. */
type Collected<T> = {
  [K in keyof T]: T[K] extends Time ? string : T[K] extends Time | null ? string | null : T[K];
};

/**
 * The tables and views queries can refer to, for Kysely's type checking. Timestamps are
 * typed as `Date | string` where queries compare them with Date parameters.
 */
export interface Database {
  cloudtrail_events: Omit<CloudTrailEventsTable, 'eventTime'> & {
    eventTime: Date | string;
    dt: string;
    hour: string;
  };
  cloudtrail_events_raw: Omit<CloudTrailEventsTable, 'eventTime'> & { eventTime: Date | string };
  cloudtrail_logs: CloudTrailLogsTable;
  glue_job_runs: GlueJobRunsTable;
  glue_job_metrics: GlueJobMetricsTable;
  glue_job_runs_collected: Collected<GlueJobRunsTable>;
  glue_job_metrics_collected: Collected<GlueJobMetricsTable>;
}
