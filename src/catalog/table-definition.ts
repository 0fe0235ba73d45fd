/**
 * A curated table: what lakeq writes, hour-partitioned Parquet. From one definition come the
 * DuckDB view over the local files, the Athena/Glue DDL and `TableInput`, and the Kysely type.
 */

/**
 * The raw source names curated tables can read, one key per name. Each source declares its own
 * in its `schema.ts` (`declare module '../../catalog/table-definition.ts' { interface
 * RawSourceNames { cloudtrail: true } }`), so a new source adds names without editing this file
 * and a misspelt `input: { source }` still fails to compile.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in each source's schema.ts
export interface RawSourceNames {}

/**
 * A raw source a curated table can read: the CloudTrail log files, or the collector's hourly
 * NDJSON files of Glue job runs and metrics (see src/sources/glue/schema.ts).
 *
 * @example
 * ```ts
 * const input: TableDefinition['input'] = { source: 'glue-job-runs' satisfies RawSourceName };
 * ```
 */
export type RawSourceName = keyof RawSourceNames;

/** The hour partition keys, in order: `dt='YYYY-MM-DD'`, `hour='HH'` (UTC). */
export const PARTITION_KEYS = [
  { name: 'dt', type: 'string', comment: "UTC day of the partition, 'YYYY-MM-DD'" },
  { name: 'hour', type: 'string', comment: "UTC hour of the partition, 'HH'" },
] as const;

export interface TableColumn {
  readonly name: string;
  /** The column's Hive type, as the Glue Data Catalog stores it (`string`, `bigint`, `map<string,string>`…). */
  readonly type: string;
  readonly comment: string;
}

export interface TableDefinition {
  /** The table's name in the local catalog and in the Glue database. */
  readonly name: string;
  readonly description: string;
  readonly columns: readonly TableColumn[];
  /** Always the hour partition keys; kept on the definition so DDL reads from one place. */
  readonly partitionKeys: typeof PARTITION_KEYS;
  /** Path of the table under the data folder (local) or the bucket prefix (S3), no slashes at the ends. */
  readonly location: string;
  readonly format: { readonly kind: 'parquet'; readonly compression: 'zstd' | 'snappy' };
  /**
   * What the transform reads: a raw source (the CloudTrail logs, or the collected Glue job runs
   * or metrics), or another curated table (loaded first).
   */
  readonly input: { readonly source: RawSourceName } | { readonly table: string };
  /**
   * The library query whose rows load a partition (it gets `from` and `to` of the hour). With
   * `localCopiesCheck` (SQL over a local load batch's raw relations answering one row `copies`):
   * a batch whose check answers 0 runs the transform with `copies: 'absent'` (the query's
   * deduplication left out, as it has nothing to remove).
   */
  readonly transform: { readonly queryId: string; readonly localCopiesCheck?: string };
  /**
   * Columns that order rows in a partition file on Athena (the UNLOAD's ORDER BY). Local loads
   * write unsorted in one parallel COPY and detect changes by a checksum of the rows instead
   * (`stageBatch`): sorting each hour cost more than the whole write.
   */
  readonly sortKey: readonly string[];
}

/**
 * Declares a curated table. The definition is checked here so a typo fails at import.
 *
 * @example
 * ```ts
 * defineTable({
 *   name: 'identity_center_instance_churn_hourly',
 *   description: 'Instances created and deleted per hour, account and Region.',
 *   columns: [{ name: 'account_id', type: 'string', comment: 'AWS account' }, ...],
 *   location: 'curated/identity_center_instance_churn_hourly',
 *   transform: { queryId: 'identity-center/instance-churn-hourly' },
 *   sortKey: ['account_id', 'region'],
 * })
 * ```
 */
export function defineTable(
  spec: Omit<TableDefinition, 'partitionKeys' | 'format'> & { format?: TableDefinition['format'] },
): TableDefinition {
  if (!/^[a-z][a-z0-9_]*$/.test(spec.name))
    throw new Error(`table name "${spec.name}" must be lower_snake_case`);
  const names = new Set<string>();
  for (const c of spec.columns) {
    const lower = c.name.toLowerCase();
    // Glue and Athena fold column names to lower case, so two names differing in case collide.
    if (names.has(lower)) throw new Error(`table ${spec.name}: column ${c.name} is defined twice`);
    if (lower === 'dt' || lower === 'hour')
      throw new Error(`table ${spec.name}: ${c.name} is a partition key`);
    names.add(lower);
  }
  for (const k of spec.sortKey) {
    if (!names.has(k.toLowerCase())) throw new Error(`table ${spec.name}: sort key ${k} is not a column`);
  }
  return Object.freeze({
    ...spec,
    partitionKeys: PARTITION_KEYS,
    format: spec.format ?? { kind: 'parquet' as const, compression: 'zstd' as const },
  });
}
