import { hiveString, s3Location } from '../../catalog/athena/athena-sql.ts';
import type { CuratedTableTarget } from '../../catalog/athena/curated-table-ddl.ts';
import { type GlueTableInput, glueColumns } from '../../catalog/athena/glue-table-input.ts';
import { parseHiveType, toHiveType } from '../../catalog/hive-types.ts';
import { PARTITION_KEYS } from '../../catalog/table-definition.ts';
import type { AwsCommon, SourceAws, SourceOnAws } from '../source-definition.ts';
import { COLLECTED_RELATIONS, type CollectedRelation, rawColumnType } from './schema.ts';

/**
 * The collected Glue relations on Athena: external tables over the collector's NDJSON files at
 * `s3://bucket/prefix/raw/glue/job-runs/` and `…/job-metrics/`, with the same columns as the
 * local views (timestamps as ISO text, then `dt` and `hour`), partitions projected on `dt` and
 * `hour`, so no partition is ever registered and a transform's `dt` filter lists only those days.
 */

export const JSON_SERDE = 'org.apache.hive.hcatalog.data.JsonSerDe';
export const TEXT_INPUT_FORMAT = 'org.apache.hadoop.mapred.TextInputFormat';
export const TEXT_OUTPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';

export interface CollectedTableOptions {
  /** The first day with collected files, `YYYY-MM-DD` or `YYYY/MM/DD` (UTC). */
  readonly startDate: string;
}

/**
 * `s3://bucket/prefix/raw/glue/<folder>/`: where the collector writes a relation's files.
 *
 * @example
 * ```ts
 * collectedTableLocation(GLUE_JOB_RUNS, { bucket: 'lake', prefix: 'lakeq' }) // 's3://lake/lakeq/raw/glue/job-runs/'
 * ```
 */
export function collectedTableLocation(
  relation: CollectedRelation,
  target: Omit<CuratedTableTarget, 'database'>,
): string {
  return s3Location(target.bucket, target.prefix, 'raw/glue', relation.folder);
}

/**
 * The table properties that project `dt` (days from `startDate` to now) and `hour` (00–23).
 *
 * @example
 * ```ts
 * collectedProjection(GLUE_JOB_RUNS, { bucket: 'lake', prefix: '' }, { startDate: '2026-01-01' })
 * // { 'projection.enabled': 'true', 'projection.dt.type': 'date', 'projection.dt.range': '2026-01-01,NOW', …,
 * //   'storage.location.template': 's3://lake/raw/glue/job-runs/dt=${dt}/hour=${hour}/' }
 * ```
 */
export function collectedProjection(
  relation: CollectedRelation,
  target: Omit<CuratedTableTarget, 'database'>,
  options: CollectedTableOptions,
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
    'projection.hour.type': 'integer',
    'projection.hour.range': '0,23',
    'projection.hour.digits': '2',
    'storage.location.template': `${collectedTableLocation(relation, target)}dt=\${dt}/hour=\${hour}/`,
  };
}

const quoteName = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/**
 * `CREATE EXTERNAL TABLE` of a collected relation (Hive DDL, as Athena takes DDL).
 *
 * @example
 * ```ts
 * collectedTableDdl(GLUE_JOB_RUNS, { bucket: 'lake', prefix: 'lakeq', database: 'lakeq' }, { startDate: '2026-01-01' })
 * // CREATE EXTERNAL TABLE `lakeq`.`glue_job_runs_collected` (`job_name` string, …, `started_on` string, …)
 * // PARTITIONED BY (`dt` string, `hour` string) ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe' …
 * // LOCATION 's3://lake/lakeq/raw/glue/job-runs/' TBLPROPERTIES ('projection.enabled'='true', …)
 * ```
 */
export function collectedTableDdl(
  relation: CollectedRelation,
  target: CuratedTableTarget,
  options: CollectedTableOptions,
): string {
  const columns = relation.columns.map(
    (c) => `  ${quoteName(c.name)} ${toHiveType(parseHiveType(rawColumnType(c)))}`,
  );
  const keys = PARTITION_KEYS.map((k) => `${quoteName(k.name)} ${k.type}`);
  const props = Object.entries({
    classification: 'json',
    ...collectedProjection(relation, target, options),
  }).map(([k, v]) => `  ${hiveString(k)}=${hiveString(v)}`);
  return [
    `CREATE EXTERNAL TABLE ${quoteName(target.database)}.${quoteName(relation.relation)} (`,
    columns.join(',\n'),
    ')',
    `PARTITIONED BY (${keys.join(', ')})`,
    `ROW FORMAT SERDE ${hiveString(JSON_SERDE)}`,
    `STORED AS INPUTFORMAT ${hiveString(TEXT_INPUT_FORMAT)}`,
    `OUTPUTFORMAT ${hiveString(TEXT_OUTPUT_FORMAT)}`,
    `LOCATION ${hiveString(collectedTableLocation(relation, target))}`,
    `TBLPROPERTIES (\n${props.join(',\n')}\n)`,
  ].join('\n');
}

/**
 * The Glue `TableInput` of a collected relation: the table `collectedTableDdl` creates.
 *
 * @example
 * ```ts
 * await glue.send(new CreateTableCommand({ DatabaseName: 'lakeq',
 *   TableInput: collectedTableInput(GLUE_JOB_RUNS, { bucket: 'lake', prefix: 'lakeq' }, { startDate: '2026-01-01' }) }));
 * ```
 */
export function collectedTableInput(
  relation: CollectedRelation,
  target: Omit<CuratedTableTarget, 'database'>,
  options: CollectedTableOptions,
): GlueTableInput {
  return {
    Name: relation.relation,
    Description: `Glue collector NDJSON files (${relation.folder}), read in place; partitions projected by dt and hour.`,
    TableType: 'EXTERNAL_TABLE',
    Parameters: {
      EXTERNAL: 'TRUE',
      classification: 'json',
      ...collectedProjection(relation, target, options),
    },
    PartitionKeys: glueColumns(PARTITION_KEYS),
    StorageDescriptor: {
      Columns: glueColumns(relation.columns.map((c) => ({ ...c, type: rawColumnType(c) }))),
      Location: collectedTableLocation(relation, target),
      InputFormat: TEXT_INPUT_FORMAT,
      OutputFormat: TEXT_OUTPUT_FORMAT,
      Compressed: false,
      StoredAsSubDirectories: false,
      SerdeInfo: { SerializationLibrary: JSON_SERDE, Parameters: { 'serialization.format': '1' } },
    },
  };
}

/**
 * The DDL of every collected relation, in order (runs, metrics).
 *
 * @example
 * ```ts
 * collectedTablesDdl({ bucket: 'lake', prefix: '', database: 'lakeq' }, { startDate: '2026-01-01' }).length // 2
 * ```
 */
export function collectedTablesDdl(target: CuratedTableTarget, options: CollectedTableOptions): string[] {
  return COLLECTED_RELATIONS.map((r) => collectedTableDdl(r, target, options));
}

/** Glue on AWS: the collected tables over the data bucket's `raw/glue/`, projected from the start date. */
function glueOnAws(common: AwsCommon): SourceOnAws {
  const options = { startDate: common.startDate };
  return {
    tableInputs: () => COLLECTED_RELATIONS.map((r) => collectedTableInput(r, common.target, options)),
    tableDdl: () => collectedTablesDdl(common.target, options),
    views: () => [],
  };
}

/**
 * Glue's AWS side (`SourceDefinition.aws`): the collector's hour files live in the data bucket, so
 * it needs no settings of its own and no read access besides the lake's.
 *
 * @example
 * ```ts
 * glueAws.fromSection(undefined, { target: { bucket: 'lake', prefix: 'lakeq', database: 'lakeq' }, startDate: '2026-01-01' })
 *   .tableInputs().map((t) => t.Name) // ['glue_job_runs_collected', 'glue_job_metrics_collected']
 * ```
 */
export const glueAws: SourceAws = {
  ddlDescribe:
    'the raw Glue collector tables (glue_job_runs_collected, glue_job_metrics_collected over ' +
    's3://<data-bucket>/<data-prefix>/raw/glue/, projected from --start-date)',
  fromSection: (_section, common) => glueOnAws(common),
  fromFlags: (_flags, common) => glueOnAws(common),
};
