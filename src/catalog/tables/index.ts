import { cloudtrailEvents } from '../../sources/cloudtrail/tables/cloudtrail-events.ts';
import { identityCenterInstanceChurnHourly } from '../../sources/cloudtrail/tables/identity-center-instance-churn-hourly.ts';
import { glueJobMetrics } from '../../sources/glue/tables/glue-job-metrics.ts';
import { glueJobRuns } from '../../sources/glue/tables/glue-job-runs.ts';
import type { TableDefinition } from '../table-definition.ts';

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
