import { cloudtrailEvents } from '../../sources/cloudtrail/tables/cloudtrail-events.ts';
import { identityCenterInstanceChurnHourly } from '../../sources/cloudtrail/tables/identity-center-instance-churn-hourly.ts';
import type { TableDefinition } from '../table-definition.ts';
import { glueJobMetrics } from './glue-job-metrics.ts';
import { glueJobRuns } from './glue-job-runs.ts';

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
