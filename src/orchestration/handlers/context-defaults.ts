import type { PartitionSwitchTarget } from '../../ingest/athena/partition-switch-plan.ts';

/** The names the local runner gives the account-specific placeholders of the catalog. */
export const LOCAL_TARGET: PartitionSwitchTarget = {
  bucket: 'lakeq-local',
  prefix: 'lakeq',
  database: 'lakeq',
  workGroup: 'lakeq',
};

/** Athena writes at most 100 partitions per statement; Glue takes at most 100 per batch call. */
export const ATHENA_MAX_PARTITIONS_PER_BATCH = 100;

/** SPICE full refreshes per dataset per rolling 24 h on QuickSight Enterprise (as local-spice.ts). */
export const DEFAULT_SPICE_QUOTA_PER_DAY = 32;
