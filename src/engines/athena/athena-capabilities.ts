import type { EngineCapabilities } from '../engine.ts';

/**
 * What Athena can do. One INSERT/CTAS writes at most 100 partitions (HIVE_TOO_MANY_OPEN_PARTITIONS),
 * and a partition is replaced by writing a fresh prefix and switching its catalog location,
 * not by INSERT OVERWRITE. Kept apart from the engine so compiling needs no AWS SDK.
 */
export const ATHENA_CAPABILITIES: EngineCapabilities = {
  maxPartitionsPerWrite: 100,
  supportsParameters: true,
  supportsInsertOverwrite: false,
  supportsWrites: true,
  supportsExplain: true,
  hourPartitionedTables: true,
  readsDataFolder: false,
};
