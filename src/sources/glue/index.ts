import type { SourceDefinition } from '../source-definition.ts';
import { glueAws } from './raw-athena.ts';
import { COLLECTED_RELATIONS } from './schema.ts';
import { glueJobMetrics } from './tables/glue-job-metrics.ts';
import { glueJobRuns } from './tables/glue-job-runs.ts';

/**
 * AWS Glue: job runs (GetJobRuns) and their CloudWatch metrics, collected from the APIs (or
 * captured responses locally) into hourly NDJSON files, and the tables loaded from them.
 */
export const glueSource: SourceDefinition = {
  name: 'glue',
  title: 'Glue',
  inputs: 'collected',
  input: {
    defaultFolder: 'glue-api',
    description: 'captured Glue API responses: jobs/, job-runs/, metrics/ (AWS CLI output)',
  },
  rawSources: COLLECTED_RELATIONS.map((r) => r.source),
  rawRelations: COLLECTED_RELATIONS.map((r) => r.relation),
  tables: [glueJobRuns, glueJobMetrics],
  local: async () => (await import('./raw-duckdb.ts')).localGlueRelations,
  list: async () => (await import('./list.ts')).glueListing,
  collect: async () => (await import('./collect-local.ts')).collectLocalGlue,
  aws: glueAws,
  sample: { options: [], writer: async () => (await import('./sample.ts')).glueSampleWriter },
};
