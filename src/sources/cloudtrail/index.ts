import type { SourceDefinition } from '../source-definition.ts';
import { cloudTrailAws } from './raw-athena.ts';
import { cloudtrailEvents } from './tables/cloudtrail-events.ts';
import { identityCenterInstanceChurnHourly } from './tables/identity-center-instance-churn-hourly.ts';

/**
 * AWS CloudTrail: the log files a trail delivers, read where they land (a folder in the S3
 * layout locally, the trail's bucket on AWS), and the tables derived from its events.
 */
export const cloudtrailSource: SourceDefinition = {
  name: 'cloudtrail',
  title: 'CloudTrail',
  inputs: 'delivered',
  input: { defaultFolder: 'cloudtrail', description: 'CloudTrail logs in the S3 layout' },
  rawSources: ['cloudtrail'],
  // cloudtrail_raw is the local views' record-per-row base (raw-duckdb-views.ts); Athena has the other two.
  rawRelations: ['cloudtrail_raw', 'cloudtrail_logs', 'cloudtrail_events_raw'],
  tables: [cloudtrailEvents, identityCenterInstanceChurnHourly],
  local: async () => (await import('./raw-duckdb.ts')).localCloudTrailRelations,
  list: async () => (await import('./list-hours.ts')).cloudTrailListing,
  aws: cloudTrailAws,
  sample: {
    options: [
      { name: 'accounts', default: 3 },
      { name: 'events-per-hour', default: 40 },
    ],
    writer: async () => (await import('./sample.ts')).cloudTrailSampleWriter,
  },
};
