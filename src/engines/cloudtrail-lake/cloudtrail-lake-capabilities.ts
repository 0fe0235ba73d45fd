import type { EngineCapabilities } from '../engine.ts';

/**
 * What CloudTrail Lake can do: run SELECT statements only, so it writes no partitions
 * (`maxPartitionsPerWrite` 0). StartQuery's QueryParameters belong to saved queries, so `?`
 * values are inlined as literals. Kept apart from the engine so compiling needs no AWS SDK.
 */
export const CLOUDTRAIL_LAKE_CAPABILITIES: EngineCapabilities = {
  maxPartitionsPerWrite: 0,
  supportsParameters: false,
  supportsInsertOverwrite: false,
  supportsWrites: false,
  supportsExplain: false,
  hourPartitionedTables: false,
  readsDataFolder: false,
};
