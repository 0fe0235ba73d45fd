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

/** `identity_center_instances`: one row per Identity Center instance and snapshot day. */
export interface IdentityCenterInstancesTable {
  account_id: string | null;
  region: string;
  instance_arn: string;
  identity_store_id: string | null;
  owner_account_id: string | null;
  /** ORGANIZATION or ACCOUNT; null when the organization is unknown */
  instance_type: string | null;
  organization_id: string | null;
  name: string | null;
  /** ACTIVE, CREATE_IN_PROGRESS, CREATE_FAILED, DELETE_IN_PROGRESS */
  status: string | null;
  status_reason: string | null;
  created_date: Time | null;
  primary_region: string | null;
  permission_sets_enabled: boolean | null;
  encryption_key_type: string | null;
  /** The snapshot day. */
  dt: string;
  /** Always '00'. */
  hour: string;
}

/** Where an instance's rows come from. */
interface OfInstance {
  instance_arn: string;
  identity_store_id: string | null;
  account_id: string | null;
  region: string;
  dt: string;
  hour: string;
}

/** `identity_center_users`: one row per identity store user and snapshot day. */
export interface IdentityCenterUsersTable extends OfInstance {
  user_id: string;
  user_name: string | null;
  display_name: string | null;
  user_status: string | null;
  /** Lower-cased addresses, primary first; keyed hashes when `emails_hashed`. */
  emails: string[];
  primary_email: string | null;
  email_count: number;
  emails_hashed: boolean;
  created_at: Time | null;
  updated_at: Time | null;
}

/** `identity_center_applications`: one row per application and snapshot day. */
export interface IdentityCenterApplicationsTable extends OfInstance {
  application_arn: string;
  application_account: string | null;
  name: string | null;
  description: string | null;
  status: string | null;
  application_provider_arn: string | null;
  visibility: string | null;
  sign_in_origin: string | null;
  created_date: Time | null;
  created_from: string | null;
}

/** `identity_center_application_assignments`: one row per application, principal and snapshot day. */
export interface IdentityCenterApplicationAssignmentsTable extends OfInstance {
  application_arn: string;
  /** USER or GROUP */
  principal_type: string;
  principal_id: string;
}

/** `security_findings_daily`: the latest state of each Security Hub finding per day (Security Lake). */
export interface SecurityFindingsDailyTable {
  finding_uid: string;
  account_id: string;
  region: string;
  /** '1.0' or '2.0' */
  source_version: string;
  class_uid: number;
  product_name: string | null;
  finding_title: string | null;
  severity: string | null;
  severity_id: number | null;
  workflow_status: string | null;
  record_state: string | null;
  compliance_status: string | null;
  control_id: string | null;
  resource_type: string | null;
  resource_uid: string | null;
  first_observed: Time | null;
  last_observed: Time | null;
  remediation_url: string | null;
  updated_at: Time;
  updates: number;
  dt: string;
  hour: string;
}

/** `security_lake_activity_daily`: Security Lake signals per day, account, Region, signal, name and principal. */
export interface SecurityLakeActivityDailyTable {
  account_id: string;
  region: string;
  /** api_error, root_activity, console_sign_in_without_mfa or rejected_flow */
  signal: string;
  name: string | null;
  principal: string | null;
  events: number;
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
  identity_center_instances: IdentityCenterInstancesTable;
  identity_center_users: IdentityCenterUsersTable;
  identity_center_applications: IdentityCenterApplicationsTable;
  identity_center_application_assignments: IdentityCenterApplicationAssignmentsTable;
  identity_center_instances_collected: Collected<IdentityCenterInstancesTable>;
  identity_center_users_collected: Collected<IdentityCenterUsersTable>;
  identity_center_applications_collected: Collected<IdentityCenterApplicationsTable>;
  identity_center_application_assignments_collected: Collected<IdentityCenterApplicationAssignmentsTable>;
  security_findings_daily: SecurityFindingsDailyTable;
  security_lake_activity_daily: SecurityLakeActivityDailyTable;
}
