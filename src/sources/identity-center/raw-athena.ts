import { hiveString, s3Location } from '../../catalog/athena/athena-sql.ts';
import type { CuratedTableTarget } from '../../catalog/athena/curated-table-ddl.ts';
import { type GlueTableInput, glueColumns } from '../../catalog/athena/glue-table-input.ts';
import { parseHiveType, toHiveType } from '../../catalog/hive-types.ts';
import { PARTITION_KEYS } from '../../catalog/table-definition.ts';
import type { AwsCommon, SourceAws, SourceOnAws } from '../source-definition.ts';
import { IDENTITY_CENTER_RELATIONS, type IdentityCenterRelation, rawColumnType } from './schema.ts';

/**
 * The collected Identity Center relations on Athena: external tables over the collector's NDJSON
 * snapshot files at `s3://bucket/prefix/raw/identity-center/<relation>/`, with the same columns as
 * the local views (timestamps as ISO text, then `dt` and `hour`), partitions projected: `dt` by
 * day from the first snapshot day, `hour` only `00` (a snapshot is in its day's first hour), so no
 * partition is ever registered and a transform's `dt` filter lists only those days.
 */

export const JSON_SERDE = 'org.apache.hive.hcatalog.data.JsonSerDe';
export const TEXT_INPUT_FORMAT = 'org.apache.hadoop.mapred.TextInputFormat';
export const TEXT_OUTPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';

export interface SnapshotTableOptions {
  /** The first day with snapshot files, `YYYY-MM-DD` or `YYYY/MM/DD` (UTC). */
  readonly startDate: string;
}

/**
 * `s3://bucket/prefix/raw/identity-center/<folder>/`: where the collector writes a relation's files.
 *
 * @example
 * ```ts
 * snapshotTableLocation(IDENTITY_CENTER_USERS, { bucket: 'lake', prefix: 'lakeq' }) // 's3://lake/lakeq/raw/identity-center/users/'
 * ```
 */
export function snapshotTableLocation(
  relation: IdentityCenterRelation,
  target: Omit<CuratedTableTarget, 'database'>,
): string {
  return s3Location(target.bucket, target.prefix, 'raw/identity-center', relation.folder);
}

/**
 * The table properties that project `dt` (days from `startDate` to now) and `hour` (`00` only).
 *
 * @example
 * ```ts
 * snapshotProjection(IDENTITY_CENTER_USERS, { bucket: 'lake', prefix: '' }, { startDate: '2026-01-01' })
 * // { 'projection.enabled': 'true', 'projection.dt.type': 'date', …, 'projection.hour.type': 'enum',
 * //   'projection.hour.values': '00', 'storage.location.template': 's3://lake/raw/identity-center/users/dt=${dt}/hour=${hour}/' }
 * ```
 */
export function snapshotProjection(
  relation: IdentityCenterRelation,
  target: Omit<CuratedTableTarget, 'database'>,
  options: SnapshotTableOptions,
): Record<string, string> {
  const m = /^(\d{4})[/-](\d{2})[/-](\d{2})$/.exec(options.startDate);
  const day = m ? new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`) : undefined;
  if (!m || !day || Number.isNaN(day.getTime()) || day.getUTCDate() !== Number(m[3]))
    throw new Error(`${relation.relation}: startDate "${options.startDate}" is not a YYYY-MM-DD day`);
  return {
    'projection.enabled': 'true',
    'projection.dt.type': 'date',
    'projection.dt.format': 'yyyy-MM-dd',
    'projection.dt.interval': '1',
    'projection.dt.interval.unit': 'DAYS',
    'projection.dt.range': `${m[1]}-${m[2]}-${m[3]},NOW`,
    'projection.hour.type': 'enum',
    'projection.hour.values': '00',
    'storage.location.template': `${snapshotTableLocation(relation, target)}dt=\${dt}/hour=\${hour}/`,
  };
}

const quoteName = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/**
 * `CREATE EXTERNAL TABLE` of a collected relation (Hive DDL, as Athena takes DDL).
 *
 * @example
 * ```ts
 * snapshotTableDdl(IDENTITY_CENTER_USERS, { bucket: 'lake', prefix: 'lakeq', database: 'lakeq' }, { startDate: '2026-01-01' })
 * // CREATE EXTERNAL TABLE `lakeq`.`identity_center_users_collected` (`instance_arn` string, …, `emails` array<string>, …)
 * // PARTITIONED BY (`dt` string, `hour` string) ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe' …
 * ```
 */
export function snapshotTableDdl(
  relation: IdentityCenterRelation,
  target: CuratedTableTarget,
  options: SnapshotTableOptions,
): string {
  const columns = relation.columns.map(
    (c) => `  ${quoteName(c.name)} ${toHiveType(parseHiveType(rawColumnType(c)))}`,
  );
  const keys = PARTITION_KEYS.map((k) => `${quoteName(k.name)} ${k.type}`);
  const props = Object.entries({
    classification: 'json',
    ...snapshotProjection(relation, target, options),
  }).map(([k, v]) => `  ${hiveString(k)}=${hiveString(v)}`);
  return [
    `CREATE EXTERNAL TABLE ${quoteName(target.database)}.${quoteName(relation.relation)} (`,
    columns.join(',\n'),
    ')',
    `PARTITIONED BY (${keys.join(', ')})`,
    `ROW FORMAT SERDE ${hiveString(JSON_SERDE)}`,
    `STORED AS INPUTFORMAT ${hiveString(TEXT_INPUT_FORMAT)}`,
    `OUTPUTFORMAT ${hiveString(TEXT_OUTPUT_FORMAT)}`,
    `LOCATION ${hiveString(snapshotTableLocation(relation, target))}`,
    `TBLPROPERTIES (\n${props.join(',\n')}\n)`,
  ].join('\n');
}

/**
 * The Glue `TableInput` of a collected relation: the table `snapshotTableDdl` creates.
 *
 * @example
 * ```ts
 * await glue.send(new CreateTableCommand({ DatabaseName: 'lakeq',
 *   TableInput: snapshotTableInput(IDENTITY_CENTER_USERS, { bucket: 'lake', prefix: 'lakeq' }, { startDate: '2026-01-01' }) }));
 * ```
 */
export function snapshotTableInput(
  relation: IdentityCenterRelation,
  target: Omit<CuratedTableTarget, 'database'>,
  options: SnapshotTableOptions,
): GlueTableInput {
  return {
    Name: relation.relation,
    Description: `Identity Center collector NDJSON snapshots (${relation.folder}), read in place; partitions projected by dt (hour 00).`,
    TableType: 'EXTERNAL_TABLE',
    Parameters: {
      EXTERNAL: 'TRUE',
      classification: 'json',
      ...snapshotProjection(relation, target, options),
    },
    PartitionKeys: glueColumns(PARTITION_KEYS),
    StorageDescriptor: {
      Columns: glueColumns(relation.columns.map((c) => ({ ...c, type: rawColumnType(c) }))),
      Location: snapshotTableLocation(relation, target),
      InputFormat: TEXT_INPUT_FORMAT,
      OutputFormat: TEXT_OUTPUT_FORMAT,
      Compressed: false,
      StoredAsSubDirectories: false,
      SerdeInfo: { SerializationLibrary: JSON_SERDE, Parameters: { 'serialization.format': '1' } },
    },
  };
}

/**
 * The DDL of every collected Identity Center relation, in order (instances, users, applications, assignments).
 *
 * @example
 * ```ts
 * snapshotTablesDdl({ bucket: 'lake', prefix: '', database: 'lakeq' }, { startDate: '2026-01-01' }).length // 4
 * ```
 */
export function snapshotTablesDdl(target: CuratedTableTarget, options: SnapshotTableOptions): string[] {
  return IDENTITY_CENTER_RELATIONS.map((r) => snapshotTableDdl(r, target, options));
}

function identityCenterOnAws(common: AwsCommon): SourceOnAws {
  const options = { startDate: common.startDate };
  return {
    tableInputs: () => IDENTITY_CENTER_RELATIONS.map((r) => snapshotTableInput(r, common.target, options)),
    tableDdl: () => snapshotTablesDdl(common.target, options),
    views: () => [],
  };
}

/**
 * Identity Center's AWS side (`SourceDefinition.aws`): the collector's snapshot files live in the
 * data bucket, so the raw tables need no settings of their own and no read access besides the lake's.
 *
 * @example
 * ```ts
 * identityCenterAws.fromSection(undefined, { target: { bucket: 'lake', prefix: 'lakeq', database: 'lakeq' }, startDate: '2026-01-01' })
 *   .tableInputs().map((t) => t.Name) // ['identity_center_instances_collected', …]
 * ```
 */
export const identityCenterAws: SourceAws = {
  ddlDescribe:
    'the raw Identity Center snapshots (identity_center_*_collected, by day, over ' +
    's3://<data-bucket>/<data-prefix>/raw/identity-center/)',
  fromSection: (_section, common) => identityCenterOnAws(common),
  fromFlags: (_flags, common) => identityCenterOnAws(common),
};
