import type { LakeqDashboard } from '../src/dashboards/dashboard-definition.ts';
import glueJobs from './glue-jobs.ts';
import glueMetrics from './glue-metrics.ts';
import identityCenterChurn from './identity-center-churn.ts';
import pipelineHealth from './pipeline-health.ts';
import securityLake from './security-lake.ts';
import tpcdsCbo from './tpcds-cbo.ts';

/** Every dashboard, in the order the local page lists them and deploy publishes them. */
export const DASHBOARDS: readonly LakeqDashboard[] = [
  identityCenterChurn,
  glueJobs,
  glueMetrics,
  pipelineHealth,
  tpcdsCbo,
  securityLake,
];
