import { parseHiveType, toHiveType } from '../hive-types.ts';
import type { TableDefinition } from '../table-definition.ts';
import { hiveString, s3Location } from './athena-sql.ts';

/** Where lakeq's curated tables live on AWS. */
export interface CuratedTableTarget {
  readonly bucket: string;
  /** Key prefix of the lake in the bucket (may be empty); a table is at `<prefix>/<location>/`. */
  readonly prefix: string;
  /** The Glue database. */
  readonly database: string;
}

/** `s3://bucket/prefix/<table location>/`: the table's root folder. */
export function curatedTableLocation(
  def: TableDefinition,
  target: Omit<CuratedTableTarget, 'database'>,
): string {
  return s3Location(target.bucket, target.prefix, def.location);
}

/** Parquet compression codec name as Athena and Parquet writers spell it. */
export function parquetCompression(def: TableDefinition): string {
  return def.format.compression.toUpperCase();
}

const quoteName = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/**
 * `CREATE EXTERNAL TABLE` for a curated table (Hive DDL, as Athena takes DDL): Parquet,
 * partitioned by `dt` and `hour`, **without** partition projection: each hour is registered in
 * the catalog, so a reload can point it at a fresh prefix (see partition-switch-plan.ts).
 * Column names are lower case, as Glue stores them.
 *
 * @example
 * ```ts
 * curatedTableDdl(identityCenterInstanceChurnHourly, { bucket: 'lake', prefix: 'lakeq', database: 'lakeq' })
 * // CREATE EXTERNAL TABLE `lakeq`.`identity_center_instance_churn_hourly` (
 * //   `account_id` string COMMENT 'the account the calls were recorded in', …)
 * // COMMENT '…' PARTITIONED BY (`dt` string COMMENT '…', `hour` string COMMENT '…') STORED AS PARQUET
 * // LOCATION 's3://lake/lakeq/curated/identity_center_instance_churn_hourly/'
 * // TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD')
 * ```
 */
export function curatedTableDdl(def: TableDefinition, target: CuratedTableTarget): string {
  const column = (c: { readonly name: string; readonly type: string; readonly comment: string }) =>
    `  ${quoteName(c.name.toLowerCase())} ${toHiveType(parseHiveType(c.type))} COMMENT ${hiveString(c.comment)}`;
  const keys = def.partitionKeys.map(
    (k) => `${quoteName(k.name)} ${k.type} COMMENT ${hiveString(k.comment)}`,
  );
  return [
    `CREATE EXTERNAL TABLE ${quoteName(target.database)}.${quoteName(def.name)} (`,
    def.columns.map(column).join(',\n'),
    ')',
    `COMMENT ${hiveString(def.description)}`,
    `PARTITIONED BY (${keys.join(', ')})`,
    'STORED AS PARQUET',
    `LOCATION ${hiveString(curatedTableLocation(def, target))}`,
    `TBLPROPERTIES ('classification'='parquet', 'parquet.compression'=${hiveString(parquetCompression(def))})`,
  ].join('\n');
}
