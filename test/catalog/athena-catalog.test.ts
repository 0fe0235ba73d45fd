import { readFileSync } from 'node:fs';
import { HiveSQL, TrinoSQL } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';
import { curatedTableDdl } from '../../src/catalog/athena/curated-table-ddl.ts';
import { glueTableInput } from '../../src/catalog/athena/glue-table-input.ts';
import { type HiveType, parseHiveType, toHiveType } from '../../src/catalog/hive-types.ts';
import { defineTable } from '../../src/catalog/table-definition.ts';
import { TABLES } from '../../src/catalog/tables/index.ts';
import {
  CLOUDTRAIL_LOGS_COLUMNS,
  type CloudTrailLogsOptions,
  cloudTrailEventsRawViewSql,
  cloudTrailLogsDdl,
  cloudTrailLogsTableInput,
} from '../../src/sources/cloudtrail/raw-athena.ts';
import { CLOUDTRAIL_EVENTS_RAW_VIEW_SQL } from '../../src/sources/cloudtrail/raw-duckdb-views.ts';
import { CLOUDTRAIL_RECORD } from '../../src/sources/cloudtrail/schema.ts';
import { cloudtrailEvents } from '../../src/sources/cloudtrail/tables/cloudtrail-events.ts';
import { expectValidRequest, validateRequest } from '../support/aws-model-validator.ts';
import { REAL_FIXTURES_URL } from '../support/fixture-dirs.ts';

// dt-sql-parser's Trino grammar has no Hive DDL (CREATE EXTERNAL TABLE, ROW FORMAT, TBLPROPERTIES):
// Athena runs DDL with Hive's grammar, so DDL is checked with the Hive grammar and views with Trino's.
const hive = new HiveSQL();
const trino = new TrinoSQL();

const ORG_TRAIL: CloudTrailLogsOptions = {
  bucket: 'org-trail-bucket',
  prefix: 'trails/main',
  organizationId: 'o-abcdefghij',
  accounts: ['111122223333', '444455556666'],
  regions: ['us-east-1', 'eu-west-1'],
  startDate: '2026-01-01',
};
const TARGET = { bucket: 'lake-bucket', prefix: 'lakeq', database: 'lakeq' };

const fixture = (name: string) => readFileSync(new URL(`athena/ddl/${name}`, REAL_FIXTURES_URL), 'utf8');

/** Field names of a struct type, recursively, lower-cased: `a`, `a.b`, … */
function fieldPaths(type: HiveType, path = ''): string[] {
  if (type.kind === 'array') return fieldPaths(type.element, path);
  if (type.kind !== 'struct') return [];
  return type.fields.flatMap((f) => {
    const p = `${path}${f.name.toLowerCase()}`;
    return [p, ...fieldPaths(f.type, `${p}.`)];
  });
}

describe('cloudtrail_logs (raw, partition projection)', () => {
  const ddl = cloudTrailLogsDdl(ORG_TRAIL);

  it('is DDL the Hive grammar accepts, as are the fixtures it follows', () => {
    expect(hive.validate(fixture('cloudtrail__cloudtrail-logs__08.sql'))).toEqual([]);
    expect(hive.validate(ddl)).toEqual([]);
    expect(trino.validate(ddl).length).toBeGreaterThan(0); // not Trino: Athena's DDL is Hive's
  });

  it('projects account, Region and day over the organization trail layout', () => {
    expect(ddl).toContain('PARTITIONED BY (`account` string, `region` string, `date` string)');
    expect(ddl).toContain("ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'");
    expect(ddl).toContain("STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'");
    expect(ddl).toContain("LOCATION 's3://org-trail-bucket/trails/main/AWSLogs/o-abcdefghij/'");
    for (const prop of [
      "'projection.enabled'='true'",
      "'projection.account.type'='enum'",
      "'projection.account.values'='111122223333,444455556666'",
      "'projection.region.values'='us-east-1,eu-west-1'",
      "'projection.date.type'='date'",
      "'projection.date.format'='yyyy/MM/dd'",
      "'projection.date.interval'='1'",
      "'projection.date.interval.unit'='DAYS'",
      "'projection.date.range'='2026/01/01,NOW'",
      `'storage.location.template'='s3://org-trail-bucket/trails/main/AWSLogs/o-abcdefghij/\${account}/CloudTrail/\${region}/\${date}'`,
    ])
      expect(ddl).toContain(prop);
    const single = cloudTrailLogsDdl({ ...ORG_TRAIL, prefix: undefined, organizationId: undefined });
    expect(single).toContain(`'s3://org-trail-bucket/AWSLogs/\${account}/CloudTrail/\${region}/\${date}'`);
  });

  it("has every column and struct field of the Athena docs' table, lower case", () => {
    const ours = new Map(CLOUDTRAIL_LOGS_COLUMNS.map((c) => [c.name, parseHiveType(c.type)]));
    const columns =
      /\(([\s\S]*)\)\s*PARTITIONED BY/.exec(fixture('cloudtrail__cloudtrail-logs__08.sql'))?.[1] ?? '';
    const docs = [...columns.matchAll(/^\s{4}(\w+)\s+(STRING|STRUCT|ARRAY|struct)/gm)].map((m) =>
      m[1]?.toLowerCase(),
    );
    expect(docs.length).toBe(24);
    for (const name of docs) expect(ours.has(name ?? ''), name).toBe(true);
    const docIdentity = parseHiveType(
      /userIdentity (STRUCT<[\s\S]*?>\s*>),\s*eventTime/.exec(
        fixture('cloudtrail__cloudtrail-logs__08.sql'),
      )?.[1] ?? '',
    );
    const ourIdentity = fieldPaths(ours.get('useridentity') ?? parseHiveType('string'));
    for (const path of fieldPaths(docIdentity)) expect(ourIdentity).toContain(path);
    // What the Lake-shaped view needs beyond the docs' table.
    for (const name of ['eventcategory', 'managementevent', 'sessioncredentialfromconsole'])
      expect(ours.has(name)).toBe(true);
  });

  it('rejects inputs that would make a broken table', () => {
    expect(() => cloudTrailLogsDdl({ ...ORG_TRAIL, accounts: [] })).toThrow(/at least one account/);
    expect(() => cloudTrailLogsDdl({ ...ORG_TRAIL, accounts: ['1234'] })).toThrow(/12 digits/);
    expect(() => cloudTrailLogsDdl({ ...ORG_TRAIL, regions: ['Ireland'] })).toThrow(/Region/);
    expect(() => cloudTrailLogsDdl({ ...ORG_TRAIL, organizationId: 'abc' })).toThrow(/organization id/);
    expect(() => cloudTrailLogsDdl({ ...ORG_TRAIL, startDate: '01/01/2026' })).toThrow(/YYYY\/MM\/DD/);
    expect(() => cloudTrailLogsDdl({ ...ORG_TRAIL, startDate: '2026/02/30' })).toThrow(/YYYY\/MM\/DD/);
    expect(() => cloudTrailLogsDdl({ ...ORG_TRAIL, bucket: 'Bad_Bucket' })).toThrow(/bucket name/);
    expect(() => cloudTrailLogsDdl({ ...ORG_TRAIL, prefix: "it's" })).toThrow(/path segment/);
  });
});

describe('cloudtrail_events_raw (view over cloudtrail_logs)', () => {
  const view = cloudTrailEventsRawViewSql();

  it('is Trino SQL', () => {
    expect(trino.validate(view)).toEqual([]);
    expect(view).toMatch(/^CREATE OR REPLACE VIEW cloudtrail_events_raw AS SELECT\n/);
    expect(view).toMatch(/\nFROM cloudtrail_logs$/);
  });

  it('has the columns of the local view, in its order', () => {
    const aliases = (sql: string) =>
      [...sql.matchAll(/ AS (\w+),?\n/g)].map((m) => m[1]).filter((a) => a !== 'SELECT');
    const local = aliases(`${CLOUDTRAIL_EVENTS_RAW_VIEW_SQL}\n`);
    expect(local.length).toBe(27);
    expect(aliases(`${view}\n`)).toEqual(local);
    // the table's columns, then the day folder both views expose for pruning
    expect(local).toEqual([...cloudtrailEvents.columns.map((c) => c.name), 'sourceDay']);
  });

  it('gives userIdentity the fields of the local struct, in order', () => {
    const names = (spec: unknown): unknown =>
      typeof spec === 'object' && spec !== null && !Array.isArray(spec)
        ? Object.entries(spec).map(([k, v]) => (typeof v === 'object' ? { [k]: names(v) } : k))
        : spec;
    const tree = (type: HiveType): unknown =>
      type.kind === 'struct'
        ? type.fields.map((f) => (f.type.kind === 'struct' ? { [f.name]: tree(f.type) } : f.name))
        : type;
    const identity = cloudtrailEvents.columns.find((c) => c.name === 'userIdentity')?.type ?? '';
    expect(tree(parseHiveType(identity))).toEqual(names(CLOUDTRAIL_RECORD.userIdentity));
  });

  it('converts each column by name, never by position', () => {
    expect(view).toContain(
      '  transform(resources, x0 -> CASE WHEN x0 IS NULL THEN NULL ELSE CAST(ROW(x0.accountid, x0.type, x0.arn) ' +
        'AS row(accountId varchar, type varchar, arn varchar)) END) AS resources,\n',
    );
    // The docs' struct has mfaAuthenticated first; the local struct has creationDate first.
    expect(view).toContain(
      'CASE WHEN useridentity.sessioncontext.attributes IS NULL THEN NULL ELSE CAST(ROW(' +
        'useridentity.sessioncontext.attributes.creationdate, useridentity.sessioncontext.attributes.mfaauthenticated) ' +
        'AS row(creationDate varchar, mfaAuthenticated varchar)) END',
    );
    expect(view).toContain(
      "  try(CAST(from_iso8601_timestamp(eventtime) AT TIME ZONE 'UTC' AS timestamp)) AS eventTime,\n",
    );
    expect(view).toContain(
      "  try(transform_values(CAST(json_parse(requestparameters) AS map(varchar, json)), (k, v) -> coalesce(json_extract_scalar(v, '$'), json_format(v)))) AS requestParameters,\n",
    );
    expect(view).toContain('  try_cast(readonly AS boolean) AS readOnly,\n');
    expect(view).toContain(
      '  try_cast(sessioncredentialfromconsole AS boolean) AS sessionCredentialFromConsole,\n  "date" AS sourceDay\n',
    );
    expect(view).toContain('  eventid AS eventID,\n');
  });
});

describe('curated tables', () => {
  it.each(TABLES.map((t) => [t.name, t] as const))('%s: Hive DDL without projection', (_, table) => {
    const ddl = curatedTableDdl(table, TARGET);
    expect(hive.validate(ddl)).toEqual([]);
    expect(ddl).toMatch(new RegExp(`^CREATE EXTERNAL TABLE \`lakeq\`\\.\`${table.name}\` \\(\n`));
    expect(ddl).toContain('PARTITIONED BY (`dt` string COMMENT');
    expect(ddl).toContain(", `hour` string COMMENT 'UTC hour of the partition, \\'HH\\'')");
    expect(ddl).toContain('\nSTORED AS PARQUET\n');
    expect(ddl).toContain(`\nLOCATION 's3://lake-bucket/lakeq/${table.location}/'\n`);
    expect(ddl).toContain("TBLPROPERTIES ('classification'='parquet', 'parquet.compression'='ZSTD')");
    expect(ddl).not.toContain('projection');
    for (const c of table.columns)
      expect(ddl).toContain(`  \`${c.name.toLowerCase()}\` ${toHiveType(parseHiveType(c.type))} COMMENT '`);
  });

  it.each(TABLES.map((t) => [t.name, t] as const))('%s: Glue TableInput AWS accepts', (_, table) => {
    const TableInput = glueTableInput(table, TARGET);
    expectValidRequest('glue', 'CreateTable', { DatabaseName: 'lakeq', TableInput });
    expectValidRequest('glue', 'UpdateTable', { DatabaseName: 'lakeq', TableInput });
    expect(TableInput).toMatchObject({
      Name: table.name,
      TableType: 'EXTERNAL_TABLE',
      Parameters: { EXTERNAL: 'TRUE', classification: 'parquet', 'parquet.compression': 'ZSTD' },
      PartitionKeys: [
        { Name: 'dt', Type: 'string' },
        { Name: 'hour', Type: 'string' },
      ],
      StorageDescriptor: {
        Location: `s3://lake-bucket/lakeq/${table.location}/`,
        InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
        SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
      },
    });
    expect(TableInput.StorageDescriptor.Columns).toEqual(
      table.columns.map((c) => ({ Name: c.name.toLowerCase(), Type: c.type, Comment: c.comment })),
    );
  });

  it('clips a long comment to what Glue takes, on one line, and escapes quotes in DDL', () => {
    const table = defineTable({
      name: 'wordy',
      description: "A table whose comments run long; it's a test.",
      columns: [{ name: 'Note', type: 'string', comment: `it's ${'very '.repeat(80)}\nlong 🎉` }],
      location: 'curated/wordy',
      input: { source: 'cloudtrail' },
      transform: { queryId: 'transforms/wordy' },
      sortKey: ['Note'],
    });
    const TableInput = glueTableInput(table, TARGET);
    const [column] = TableInput.StorageDescriptor.Columns;
    expect(column?.Comment?.length).toBe(255);
    expect(column?.Comment).toMatch(/^it's very very .*…$/);
    expectValidRequest('glue', 'CreateTable', { DatabaseName: 'lakeq', TableInput });
    // A raw 300-character comment is what AWS would reject.
    const unclipped = {
      ...TableInput,
      StorageDescriptor: {
        ...TableInput.StorageDescriptor,
        Columns: [{ Name: 'note', Type: 'string', Comment: 'x'.repeat(300) }],
      },
    };
    expect(
      validateRequest('glue', 'CreateTable', { DatabaseName: 'lakeq', TableInput: unclipped }),
    ).not.toEqual([]);
    expect(hive.validate(curatedTableDdl(table, TARGET))).toEqual([]);
  });

  it('the raw table as a Glue TableInput carries its projection', () => {
    const TableInput = cloudTrailLogsTableInput(ORG_TRAIL);
    expectValidRequest('glue', 'CreateTable', { DatabaseName: 'lakeq', TableInput });
    expectValidRequest('glue', 'UpdateTable', { DatabaseName: 'lakeq', TableInput });
    expect(TableInput.PartitionKeys.map((k) => k.Name)).toEqual(['account', 'region', 'date']);
    expect(TableInput.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.date.range': '2026/01/01,NOW',
      'storage.location.template': `s3://org-trail-bucket/trails/main/AWSLogs/o-abcdefghij/\${account}/CloudTrail/\${region}/\${date}`,
    });
    expect(TableInput.StorageDescriptor).toMatchObject({
      Location: 's3://org-trail-bucket/trails/main/AWSLogs/o-abcdefghij/',
      InputFormat: 'com.amazon.emr.cloudtrail.CloudTrailInputFormat',
      SerdeInfo: { SerializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
    });
    expect(TableInput.StorageDescriptor.Columns.map((c) => `${c.Name} ${c.Type}`)).toEqual(
      CLOUDTRAIL_LOGS_COLUMNS.map((c) => `${c.name} ${c.type}`),
    );
  });
});
