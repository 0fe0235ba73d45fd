import { z } from 'zod';
import { hiveString, s3Location } from '../../catalog/athena/athena-sql.ts';
import { type GlueTableInput, glueColumns } from '../../catalog/athena/glue-table-input.ts';
import { type HiveType, parseHiveType, toHiveType, toTrinoType } from '../../catalog/hive-types.ts';
import type { SourceAws, SourceOnAws } from '../source-definition.ts';
import { cloudtrailEvents } from './tables/cloudtrail-events.ts';

/**
 * The raw CloudTrail table on Athena (`cloudtrail_logs`, the S3 trail read in place with
 * partition projection) and the `cloudtrail_events_raw` view over it that gives the local
 * engine's columns, so a load transform's SQL is the same on both engines.
 */

export const CLOUDTRAIL_LOGS_TABLE = 'cloudtrail_logs';
export const CLOUDTRAIL_EVENTS_RAW_VIEW = 'cloudtrail_events_raw';
export const CLOUDTRAIL_JSON_SERDE = 'org.apache.hive.hcatalog.data.JsonSerDe';
export const CLOUDTRAIL_INPUT_FORMAT = 'com.amazon.emr.cloudtrail.CloudTrailInputFormat';
export const CLOUDTRAIL_OUTPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';

const USER_IDENTITY =
  'struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,' +
  'username:string,identityprovider:string,credentialid:string,onbehalfof:struct<userid:string,identitystorearn:string>,' +
  'sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,' +
  'sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>,' +
  'ec2roledelivery:string,sourceidentity:string,webidfederationdata:string>>';

/**
 * The columns of the Athena docs' CloudTrail table, lower case as Athena stores them, plus the
 * record fields the Lake-shaped view needs (`eventcategory`, `managementevent`,
 * `sessioncredentialfromconsole`, `identityprovider`, `credentialid`, `sourceidentity`).
 * `webidfederationdata` is a string (the docs declare a map or struct) so it keeps the JSON
 * text, as the local engine does; the JSON SerDe reads an object into a string column as its text.
 */
export const CLOUDTRAIL_LOGS_COLUMNS: readonly { readonly name: string; readonly type: string }[] = [
  { name: 'eventversion', type: 'string' },
  { name: 'useridentity', type: USER_IDENTITY },
  { name: 'eventtime', type: 'string' },
  { name: 'eventsource', type: 'string' },
  { name: 'eventname', type: 'string' },
  { name: 'awsregion', type: 'string' },
  { name: 'sourceipaddress', type: 'string' },
  { name: 'useragent', type: 'string' },
  { name: 'errorcode', type: 'string' },
  { name: 'errormessage', type: 'string' },
  { name: 'requestparameters', type: 'string' },
  { name: 'responseelements', type: 'string' },
  { name: 'additionaleventdata', type: 'string' },
  { name: 'requestid', type: 'string' },
  { name: 'eventid', type: 'string' },
  { name: 'readonly', type: 'string' },
  { name: 'resources', type: 'array<struct<arn:string,accountid:string,type:string>>' },
  { name: 'eventtype', type: 'string' },
  { name: 'apiversion', type: 'string' },
  { name: 'recipientaccountid', type: 'string' },
  { name: 'serviceeventdetails', type: 'string' },
  { name: 'sharedeventid', type: 'string' },
  { name: 'vpcendpointid', type: 'string' },
  { name: 'eventcategory', type: 'string' },
  { name: 'managementevent', type: 'string' },
  { name: 'sessioncredentialfromconsole', type: 'string' },
  {
    name: 'tlsdetails',
    type: 'struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>',
  },
];

/** The projected partition keys, in path order. `date` is the trail's `yyyy/MM/dd` folder. */
export const CLOUDTRAIL_LOGS_PARTITION_KEYS = ['account', 'region', 'date'] as const;

export interface CloudTrailLogsOptions {
  /** The trail's bucket. */
  readonly bucket: string;
  /** The trail's S3 key prefix (the folder above `AWSLogs/`), if it has one. */
  readonly prefix?: string;
  /** For an organization trail: its id, which the trail puts after `AWSLogs/`. */
  readonly organizationId?: string;
  /** The 12-digit account ids to project. */
  readonly accounts: readonly string[];
  /** The Regions to project, such as `eu-west-1`. */
  readonly regions: readonly string[];
  /** The first day with logs, `YYYY/MM/DD` or `YYYY-MM-DD` (UTC). */
  readonly startDate: string;
}

/** The trail's root (`s3://…/AWSLogs/[o-id/]`) and the projection's location template. */
export function cloudTrailLogsLocation(opts: CloudTrailLogsOptions): { root: string; template: string } {
  if (opts.organizationId !== undefined && !/^o-[a-z0-9]{10,32}$/.test(opts.organizationId))
    throw new Error(`organizationId "${opts.organizationId}" is not an organization id (o-…)`);
  const root = s3Location(opts.bucket, opts.prefix, 'AWSLogs', opts.organizationId);
  return { root, template: `${root}\${account}/CloudTrail/\${region}/\${date}` };
}

/**
 * The table properties that project the partitions: accounts and Regions as enums, the day as a
 * date from `startDate` to now. No partition is ever registered for this table.
 *
 * @example
 * ```ts
 * cloudTrailLogsProjection({ bucket: 'trail', accounts: ['111122223333'], regions: ['eu-west-1'], startDate: '2026/01/01' })
 * // { 'projection.enabled': 'true', 'projection.account.type': 'enum', …, 'projection.date.range': '2026/01/01,NOW',
 * //   'storage.location.template': 's3://trail/AWSLogs/${account}/CloudTrail/${region}/${date}' }
 * ```
 */
export function cloudTrailLogsProjection(opts: CloudTrailLogsOptions): Record<string, string> {
  if (opts.accounts.length === 0) throw new Error('cloudtrail_logs needs at least one account to project');
  if (opts.regions.length === 0) throw new Error('cloudtrail_logs needs at least one Region to project');
  for (const a of opts.accounts) if (!/^\d{12}$/.test(a)) throw new Error(`account "${a}" is not 12 digits`);
  for (const r of opts.regions)
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(r)) throw new Error(`"${r}" is not an AWS Region name`);
  const start = /^(\d{4})[/-](\d{2})[/-](\d{2})$/.exec(opts.startDate);
  const day = start ? new Date(`${start[1]}-${start[2]}-${start[3]}T00:00:00Z`) : undefined;
  if (!start || !day || Number.isNaN(day.getTime()) || day.getUTCDate() !== Number(start[3]))
    throw new Error(`startDate "${opts.startDate}" is not a YYYY/MM/DD day`);
  return {
    'projection.enabled': 'true',
    'projection.account.type': 'enum',
    'projection.account.values': [...new Set(opts.accounts)].join(','),
    'projection.region.type': 'enum',
    'projection.region.values': [...new Set(opts.regions)].join(','),
    'projection.date.type': 'date',
    'projection.date.format': 'yyyy/MM/dd',
    'projection.date.interval': '1',
    'projection.date.interval.unit': 'DAYS',
    'projection.date.range': `${start[1]}/${start[2]}/${start[3]},NOW`,
    'storage.location.template': cloudTrailLogsLocation(opts).template,
  };
}

/**
 * `CREATE EXTERNAL TABLE cloudtrail_logs` over an S3 trail, with partition projection over
 * account, Region and day (Hive DDL, as Athena takes DDL).
 *
 * @example
 * ```ts
 * cloudTrailLogsDdl({ bucket: 'org-trail', organizationId: 'o-abcdefghij', accounts: ['111122223333'],
 *   regions: ['us-east-1', 'eu-west-1'], startDate: '2026-01-01' })
 * // CREATE EXTERNAL TABLE `cloudtrail_logs` (…) PARTITIONED BY (`account` string, `region` string, `date` string)
 * // ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe' … LOCATION 's3://org-trail/AWSLogs/o-abcdefghij/'
 * // TBLPROPERTIES ('projection.enabled'='true', …)
 * ```
 */
export function cloudTrailLogsDdl(opts: CloudTrailLogsOptions): string {
  const columns = CLOUDTRAIL_LOGS_COLUMNS.map((c) => `  \`${c.name}\` ${toHiveType(parseHiveType(c.type))}`);
  const keys = CLOUDTRAIL_LOGS_PARTITION_KEYS.map((k) => `\`${k}\` string`);
  const props = Object.entries(cloudTrailLogsProjection(opts)).map(
    ([k, v]) => `  ${hiveString(k)}=${hiveString(v)}`,
  );
  return [
    `CREATE EXTERNAL TABLE \`${CLOUDTRAIL_LOGS_TABLE}\` (`,
    columns.join(',\n'),
    ')',
    `PARTITIONED BY (${keys.join(', ')})`,
    `ROW FORMAT SERDE ${hiveString(CLOUDTRAIL_JSON_SERDE)}`,
    `STORED AS INPUTFORMAT ${hiveString(CLOUDTRAIL_INPUT_FORMAT)}`,
    `OUTPUTFORMAT ${hiveString(CLOUDTRAIL_OUTPUT_FORMAT)}`,
    `LOCATION ${hiveString(cloudTrailLogsLocation(opts).root)}`,
    `TBLPROPERTIES (\n${props.join(',\n')}\n)`,
  ].join('\n');
}

/**
 * The Glue `TableInput` of the raw `cloudtrail_logs` table: the same table as
 * `cloudTrailLogsDdl`, with the partition projection in its Parameters.
 *
 * @example
 * ```ts
 * cloudTrailLogsTableInput({ bucket: 'trail', accounts: ['111122223333'], regions: ['eu-west-1'], startDate: '2026/01/01' })
 * // { Name: 'cloudtrail_logs', TableType: 'EXTERNAL_TABLE', PartitionKeys: [account, region, date],
 * //   Parameters: { 'projection.enabled': 'true', …, 'storage.location.template': 's3://trail/AWSLogs/${account}/…' } }
 * ```
 */
export function cloudTrailLogsTableInput(opts: CloudTrailLogsOptions): GlueTableInput {
  return {
    Name: CLOUDTRAIL_LOGS_TABLE,
    Description:
      'CloudTrail log files of the trail, read in place; partitions projected by account, Region and day.',
    TableType: 'EXTERNAL_TABLE',
    Parameters: { EXTERNAL: 'TRUE', classification: 'cloudtrail', ...cloudTrailLogsProjection(opts) },
    PartitionKeys: CLOUDTRAIL_LOGS_PARTITION_KEYS.map((k) => ({ Name: k, Type: 'string' })),
    StorageDescriptor: {
      Columns: glueColumns(CLOUDTRAIL_LOGS_COLUMNS),
      Location: cloudTrailLogsLocation(opts).root,
      InputFormat: CLOUDTRAIL_INPUT_FORMAT,
      OutputFormat: CLOUDTRAIL_OUTPUT_FORMAT,
      Compressed: false,
      StoredAsSubDirectories: false,
      SerdeInfo: { SerializationLibrary: CLOUDTRAIL_JSON_SERDE, Parameters: { 'serialization.format': '1' } },
    },
  };
}

/**
 * Converts a raw column (or a field of one) to the view's type. Structs are rebuilt field by
 * field by name, because a Trino row cast is positional and the raw struct's fields come in
 * another order; a NULL struct stays NULL instead of becoming a row of NULLs.
 */
function convert(source: string, target: HiveType, depth: number): string {
  switch (target.kind) {
    case 'struct': {
      const fields = target.fields.map((f) => convert(`${source}.${f.name.toLowerCase()}`, f.type, depth));
      return `CASE WHEN ${source} IS NULL THEN NULL ELSE CAST(ROW(${fields.join(', ')}) AS ${toTrinoType(target)}) END`;
    }
    case 'array': {
      const x = `x${depth}`;
      return `transform(${source}, ${x} -> ${convert(x, target.element, depth + 1)})`;
    }
    case 'map':
      // Top-level keys; scalars as their text, nested objects and arrays as JSON text. try():
      // text that is not a JSON object gives NULL, as DuckDB's json_transform does locally.
      return (
        `try(transform_values(CAST(json_parse(${source}) AS map(varchar, json)), ` +
        `(k, v) -> coalesce(json_extract_scalar(v, '$'), json_format(v))))`
      );
    case 'primitive':
      if (target.name === 'timestamp')
        return `try(CAST(from_iso8601_timestamp(${source}) AT TIME ZONE 'UTC' AS timestamp))`;
      if (target.name === 'boolean') return `try_cast(${source} AS boolean)`;
      if (target.name === 'string') return source;
      break;
    default:
      break;
  }
  throw new Error(`cloudtrail_events_raw: no conversion from the raw text to ${toHiveType(target)}`);
}

/**
 * `CREATE OR REPLACE VIEW cloudtrail_events_raw` over `cloudtrail_logs` (Trino SQL): the
 * columns and types of the local view of the same name, which are `cloudtrail_events`' columns
 * (CloudTrail Lake's): `eventTime` a UTC timestamp, `requestParameters` a map, booleans, structs.
 *
 * Its last column, `sourceDay`, is the projected `date` partition ('yyyy/MM/dd', the day of the
 * files' folder): a filter on it lets Athena read only those days' folders, which an
 * `eventTime` filter alone cannot. The local view has the same column.
 *
 * @example
 * ```ts
 * await athena.execute(CompiledQuery.raw(cloudTrailEventsRawViewSql()));
 * // CREATE OR REPLACE VIEW cloudtrail_events_raw AS SELECT eventversion AS eventVersion, …
 * //   try(CAST(from_iso8601_timestamp(eventtime) AT TIME ZONE 'UTC' AS timestamp)) AS eventTime, …
 * ```
 */
export function cloudTrailEventsRawViewSql(sourceTable: string = CLOUDTRAIL_LOGS_TABLE): string {
  const raw = new Set(CLOUDTRAIL_LOGS_COLUMNS.map((c) => c.name));
  const select = cloudtrailEvents.columns.map((c) => {
    const source = c.name.toLowerCase();
    if (!raw.has(source))
      throw new Error(`cloudtrail_events_raw: ${CLOUDTRAIL_LOGS_TABLE} has no column ${source}`);
    return `  ${convert(source, parseHiveType(c.type), 0)} AS ${c.name}`;
  });
  select.push('  "date" AS sourceDay');
  return `CREATE OR REPLACE VIEW ${CLOUDTRAIL_EVENTS_RAW_VIEW} AS SELECT\n${select.join(',\n')}\nFROM ${sourceTable}`;
}

/**
 * The `trail` section of lakeq.deploy.json: the trail's bucket, key prefix and organization, the
 * accounts and Regions to project, the first day with logs. The prefix is kept in one form for
 * every user of it (DDL, IAM scopes, the Lambda's trail root): no slashes at the ends.
 */
export const TRAIL_SECTION = z
  .object({
    bucket: z.string().min(3),
    prefix: z.string().optional(),
    organizationId: z.string().optional(),
    accounts: z.array(z.string()).min(1),
    regions: z.array(z.string()).min(1),
    startDate: z.string(),
  })
  .strict()
  .transform((t): CloudTrailLogsOptions => {
    const prefix = (t.prefix ?? '').replace(/^\/+|\/+$/g, '');
    return {
      bucket: t.bucket,
      ...(prefix ? { prefix } : {}),
      ...(t.organizationId ? { organizationId: t.organizationId } : {}),
      accounts: t.accounts,
      regions: t.regions,
      startDate: t.startDate,
    };
  });

/** CloudTrail on AWS for a trail: `cloudtrail_logs` over its bucket, the view over it, its read scope and root. */
function cloudTrailOnAws(trail: CloudTrailLogsOptions): SourceOnAws {
  return {
    tableInputs: () => [cloudTrailLogsTableInput(trail)],
    tableDdl: () => [cloudTrailLogsDdl(trail)],
    views: () => [{ name: CLOUDTRAIL_EVENTS_RAW_VIEW, sql: cloudTrailEventsRawViewSql() }],
    readScope: `s3://${trail.bucket}/${[trail.prefix, 'AWSLogs'].filter(Boolean).join('/')}/`,
    root: `s3://${trail.bucket}${trail.prefix ? `/${trail.prefix}` : ''}`,
  };
}

const list = (s: string | undefined) =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * CloudTrail's AWS side (`SourceDefinition.aws`): the trail read in place, configured by the
 * `trail` section of lakeq.deploy.json or by `lakeq ddl --trail-bucket … --accounts … --regions …`.
 *
 * @example
 * ```ts
 * cloudTrailAws.fromFlags({ 'trail-bucket': 'trail', accounts: '111122223333', regions: 'eu-west-1' }, common).tableDdl()
 * // ['CREATE EXTERNAL TABLE `cloudtrail_logs` (…) … TBLPROPERTIES (…)']
 * ```
 */
export const cloudTrailAws: SourceAws = {
  section: { key: 'trail', schema: TRAIL_SECTION },
  ddlFlags: [
    { flag: 'trail-bucket', placeholder: 'B', required: true },
    { flag: 'accounts', placeholder: '111122223333,...', required: true },
    { flag: 'regions', placeholder: 'us-east-1,...', required: true },
    { flag: 'trail-prefix', placeholder: 'P' },
    { flag: 'organization', placeholder: 'o-...' },
  ],
  ddlDescribe:
    "the raw cloudtrail_logs table (partition projection over the trail's bucket), the cloudtrail_events_raw view",
  root: { describe: "the trail's s3://bucket[/prefix]" },
  iamName: 'Trail',
  fromSection: (section) => cloudTrailOnAws(TRAIL_SECTION.parse(section)),
  fromFlags: (flags, common) =>
    cloudTrailOnAws({
      bucket: flags['trail-bucket'] ?? '',
      ...(flags['trail-prefix'] ? { prefix: flags['trail-prefix'] } : {}),
      ...(flags.organization ? { organizationId: flags.organization } : {}),
      accounts: list(flags.accounts),
      regions: list(flags.regions),
      startDate: common.startDate,
    }),
};
