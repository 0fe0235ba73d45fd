import type { SourceDefinition } from '../source-definition.ts';
import { securityLakeAws } from './raw-athena.ts';
import { SECURITY_LAKE_DATABASE_PREFIX } from './schema.ts';
import { OCSF_VIEWS } from './schema-views.ts';
import { securityFindingsDaily } from './tables/security-findings-daily.ts';
import { securityLakeActivityDaily } from './tables/security-lake-activity-daily.ts';

/**
 * Amazon Security Lake: OCSF Parquet in Security Lake's S3 layout, read where it is delivered
 * (a folder locally, the Security Lake bucket and its Glue tables on AWS), the OCSF views that
 * hide the source version, and the daily findings table.
 */
export const securityLakeSource: SourceDefinition = {
  name: 'security-lake',
  title: 'Security Lake',
  inputs: 'delivered',
  input: {
    defaultFolder: 'security-lake',
    description:
      'Amazon Security Lake OCSF Parquet in its S3 layout (aws/<SOURCE>/<version>/region=…/accountId=…/eventDay=…/)',
    optional: true,
  },
  rawSources: ['security-lake-findings', 'security-lake-activity'],
  rawRelations: OCSF_VIEWS.map((v) => v.name),
  rawRelationPrefixes: [SECURITY_LAKE_DATABASE_PREFIX],
  dayPartitions: true,
  tables: [securityFindingsDaily, securityLakeActivityDaily],
  local: async () => (await import('./raw-duckdb.ts')).localSecurityLakeRelations,
  list: async () => (await import('./list.ts')).securityLakeListing,
  aws: securityLakeAws,
  sample: {
    options: [
      { name: 'accounts', default: 3 },
      { name: 'events-per-hour', default: 40 },
    ],
    choices: [{ name: 'version', values: ['1', '2', 'both'], default: 'both' }],
    writer: async () => (await import('./sample.ts')).securityLakeSampleWriter,
  },
};
