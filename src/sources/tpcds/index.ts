import type { SourceDefinition } from '../source-definition.ts';
import { tpcdsAws } from './raw-athena.ts';
import { TPCDS_CBO_RUNS, TPCDS_TABLES } from './schema.ts';

/**
 * TPC-DS: the benchmark's 24 tables, generated at a scale factor by `lakeq tpcds generate`
 * (`sample.ts`) into `<dataDir>/raw/tpcds`, read by their TPC-DS names, and `tpcds_cbo_runs`,
 * the cost-based-optimizer comparisons `lakeq tpcds compare` records. Not loaded by the hourly
 * ETL: it has no curated tables, no listing and no collector, and `npm start` does not generate it.
 */
export const tpcdsSource: SourceDefinition = {
  name: 'tpcds',
  title: 'TPC-DS',
  inputs: 'generated',
  input: { defaultFolder: 'tpcds', description: 'the generated TPC-DS tables (lakeq tpcds generate)' },
  rawSources: [],
  rawRelations: [...TPCDS_TABLES, TPCDS_CBO_RUNS],
  tables: [],
  local: async () => (await import('./raw-duckdb.ts')).localTpcdsRelations,
  aws: tpcdsAws,
};
