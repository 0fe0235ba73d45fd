import type { TableDefinition } from '../table-definition.ts';
import { cloudtrailEvents } from './cloudtrail-events.ts';
import { glueJobMetrics } from './glue-job-metrics.ts';
import { glueJobRuns } from './glue-job-runs.ts';
import { identityCenterInstanceChurnHourly } from './identity-center-instance-churn-hourly.ts';

/** Every curated table, in load order: a table comes after the tables its transform reads. */
export const TABLES: readonly TableDefinition[] = [
  cloudtrailEvents,
  identityCenterInstanceChurnHourly,
  glueJobRuns,
  glueJobMetrics,
];

export function tableByName(name: string): TableDefinition | undefined {
  return TABLES.find((t) => t.name === name);
}
