import { hiveString, s3Location } from '../catalog/athena/athena-sql.ts';
import type { CuratedTableTarget } from '../catalog/athena/curated-table-ddl.ts';
import { type GlueTableInput, glueColumns } from '../catalog/athena/glue-table-input.ts';
import { parseHiveType, toHiveType } from '../catalog/hive-types.ts';
import { PARTITION_KEYS } from '../catalog/table-definition.ts';
import { type CollectedRelation, rawColumnType } from './collected-relation.ts';
import type { AwsCommon, SourceOnAws } from './source-definition.ts';

/**
 * A collected source's relations on Athena: external tables over the collector's NDJSON files at
 * `s3://bucket/prefix/<rawFolder>/<relation folder>/`, with the same columns as the local views
 * (timestamps as ISO text, then `dt` and `hour`), partitions projected on `dt` and `hour`, so no
 * partition is ever registered and a transform's `dt` filter lists only those days.
 */

export const JSON_SERDE = 'org.apache.hive.hcatalog.data.JsonSerDe';
export const TEXT_INPUT_FORMAT = 'org.apache.hadoop.mapred.TextInputFormat';
export const TEXT_OUTPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';

export interface CollectedTableOptions {
  /** The first day with collected files, `YYYY-MM-DD` or `YYYY/MM/DD` (UTC). */
  readonly startDate: string;
}

/** Where and how a collected source lays out its files. */
export interface CollectedLayout {
  /** The folder under the data prefix: `raw/glue`. */
  readonly rawFolder: string;
  /** `hourly`: a file per hour (`hour` 00–23); `daily`: a snapshot per day, in hour `00`. */
  readonly partitions: 'hourly' | 'daily';
  /** The Glue table's description. */
  readonly describe: (relation: CollectedRelation) => string;
}

/**
 * `s3://bucket/prefix/<rawFolder>/<folder>/`: where the collector writes a relation's files.
 *
 * @example
 * ```ts
 * collectedTableLocation(GLUE_JOB_RUNS, { bucket: 'lake', prefix: 'lakeq' }, GLUE_LAYOUT) // 's3://lake/lakeq/raw/glue/job-runs/'
 * ```
 */
export function collectedTableLocation(
  relation: CollectedRelation,
  target: Omit<CuratedTableTarget, 'database'>,
  layout: CollectedLayout,
): string {
  return s3Location(target.bucket, target.prefix, layout.rawFolder, relation.folder);
}

/**
 * The table properties that project `dt` (days from `startDate` to now) and `hour` (00–23, or
 * only `00` for daily snapshots).
 *
 * @example
 * ```ts
 * collectedProjection(GLUE_JOB_RUNS, { bucket: 'lake', prefix: '' }, { startDate: '2026-01-01' }, GLUE_LAYOUT)
 * // { 'projection.enabled': 'true', 'projection.dt.type': 'date', 'projection.dt.range': '2026-01-01,NOW', …,
 * //   'storage.location.template': 's3://lake/raw/glue/job-runs/dt=${dt}/hour=${hour}/' }
 * ```
 */
export function collectedProjection(
  relation: CollectedRelation,
  target: Omit<CuratedTableTarget, 'database'>,
  options: CollectedTableOptions,
  layout: CollectedLayout,
): Record<string, string> {
  const m = /^(\d{4})[/-](\d{2})[/-](\d{2})$/.exec(options.startDate);
  const day = m ? new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`) : undefined;
  if (!m || !day || Number.isNaN(day.getTime()) || day.getUTCDate() !== Number(m[3]))
    throw new Error(`${relation.relation}: startDate "${options.startDate}" is not a YYYY-MM-DD day`);
  const hours: Record<string, string> =
    layout.partitions === 'hourly'
      ? { 'projection.hour.type': 'integer', 'projection.hour.range': '0,23', 'projection.hour.digits': '2' }
      : { 'projection.hour.type': 'enum', 'projection.hour.values': '00' };
  return {
    'projection.enabled': 'true',
    'projection.dt.type': 'date',
    'projection.dt.format': 'yyyy-MM-dd',
    'projection.dt.interval': '1',
    'projection.dt.interval.unit': 'DAYS',
    'projection.dt.range': `${m[1]}-${m[2]}-${m[3]},NOW`,
    ...hours,
    'storage.location.template': `${collectedTableLocation(relation, target, layout)}dt=\${dt}/hour=\${hour}/`,
  };
}

const quoteName = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/**
 * `CREATE EXTERNAL TABLE` of a collected relation (Hive DDL, as Athena takes DDL).
 *
 * @example
 * ```ts
 * collectedTableDdl(GLUE_JOB_RUNS, { bucket: 'lake', prefix: 'lakeq', database: 'lakeq' }, { startDate: '2026-01-01' }, GLUE_LAYOUT)
 * // CREATE EXTERNAL TABLE `lakeq`.`glue_job_runs_collected` (`job_name` string, …, `started_on` string, …)
 * // PARTITIONED BY (`dt` string, `hour` string) ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe' …
 * // LOCATION 's3://lake/lakeq/raw/glue/job-runs/' TBLPROPERTIES ('projection.enabled'='true', …)
 * ```
 */
export function collectedTableDdl(
  relation: CollectedRelation,
  target: CuratedTableTarget,
  options: CollectedTableOptions,
  layout: CollectedLayout,
): string {
  const columns = relation.columns.map(
    (c) => `  ${quoteName(c.name)} ${toHiveType(parseHiveType(rawColumnType(c)))}`,
  );
  const keys = PARTITION_KEYS.map((k) => `${quoteName(k.name)} ${k.type}`);
  const props = Object.entries({
    classification: 'json',
    ...collectedProjection(relation, target, options, layout),
  }).map(([k, v]) => `  ${hiveString(k)}=${hiveString(v)}`);
  return [
    `CREATE EXTERNAL TABLE ${quoteName(target.database)}.${quoteName(relation.relation)} (`,
    columns.join(',\n'),
    ')',
    `PARTITIONED BY (${keys.join(', ')})`,
    `ROW FORMAT SERDE ${hiveString(JSON_SERDE)}`,
    `STORED AS INPUTFORMAT ${hiveString(TEXT_INPUT_FORMAT)}`,
    `OUTPUTFORMAT ${hiveString(TEXT_OUTPUT_FORMAT)}`,
    `LOCATION ${hiveString(collectedTableLocation(relation, target, layout))}`,
    `TBLPROPERTIES (\n${props.join(',\n')}\n)`,
  ].join('\n');
}

/**
 * The Glue `TableInput` of a collected relation: the table `collectedTableDdl` creates.
 *
 * @example
 * ```ts
 * await glue.send(new CreateTableCommand({ DatabaseName: 'lakeq',
 *   TableInput: collectedTableInput(GLUE_JOB_RUNS, { bucket: 'lake', prefix: 'lakeq' }, { startDate: '2026-01-01' }, GLUE_LAYOUT) }));
 * ```
 */
export function collectedTableInput(
  relation: CollectedRelation,
  target: Omit<CuratedTableTarget, 'database'>,
  options: CollectedTableOptions,
  layout: CollectedLayout,
): GlueTableInput {
  return {
    Name: relation.relation,
    Description: layout.describe(relation),
    TableType: 'EXTERNAL_TABLE',
    Parameters: {
      EXTERNAL: 'TRUE',
      classification: 'json',
      ...collectedProjection(relation, target, options, layout),
    },
    PartitionKeys: glueColumns(PARTITION_KEYS),
    StorageDescriptor: {
      Columns: glueColumns(relation.columns.map((c) => ({ ...c, type: rawColumnType(c) }))),
      Location: collectedTableLocation(relation, target, layout),
      InputFormat: TEXT_INPUT_FORMAT,
      OutputFormat: TEXT_OUTPUT_FORMAT,
      Compressed: false,
      StoredAsSubDirectories: false,
      SerdeInfo: { SerializationLibrary: JSON_SERDE, Parameters: { 'serialization.format': '1' } },
    },
  };
}

/**
 * A collected source on AWS (`SourceOnAws`): its tables over the data bucket, projected from the
 * start date; it reads in place and needs no views.
 *
 * @example
 * ```ts
 * collectedOnAws(COLLECTED_RELATIONS, GLUE_LAYOUT, common).tableInputs().map((t) => t.Name)
 * ```
 */
export function collectedOnAws(
  relations: readonly CollectedRelation[],
  layout: CollectedLayout,
  common: AwsCommon,
): SourceOnAws {
  const options = { startDate: common.startDate };
  return {
    tableInputs: () => relations.map((r) => collectedTableInput(r, common.target, options, layout)),
    tableDdl: () => relations.map((r) => collectedTableDdl(r, common.target, options, layout)),
    views: () => [],
  };
}
