import type { EngineCapabilities } from '../engine.ts';

/** The embedded engine writes any number of partitions in one statement. */
export const DUCKDB_CAPABILITIES: EngineCapabilities = {
  maxPartitionsPerWrite: Number.POSITIVE_INFINITY,
  supportsParameters: true,
  supportsInsertOverwrite: false,
  supportsWrites: true,
  supportsExplain: true,
  hourPartitionedTables: true,
  readsDataFolder: true,
};
