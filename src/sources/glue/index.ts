import type { SourceDefinition } from '../source-definition.ts';
import { COLLECTED_RELATIONS } from './schema.ts';
import { glueJobMetrics } from './tables/glue-job-metrics.ts';
import { glueJobRuns } from './tables/glue-job-runs.ts';

/**
 * AWS Glue: job runs (GetJobRuns) and their CloudWatch metrics, collected from the APIs (or
 * captured responses locally) into hourly NDJSON files, and the tables loaded from them.
 */
export const glueSource: SourceDefinition = {
  name: 'glue',
  inputs: 'collected',
  rawSources: COLLECTED_RELATIONS.map((r) => r.source),
  rawRelations: COLLECTED_RELATIONS.map((r) => r.relation),
  tables: [glueJobRuns, glueJobMetrics],
};
