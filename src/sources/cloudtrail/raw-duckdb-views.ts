import { CLOUDTRAIL_RECORD, CLOUDTRAIL_RECORD_SQL_TYPE, jsonTransformSpec } from './schema.ts';

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const fileList = (files: readonly string[]) => `[${files.map(sqlString).join(', ')}]`;

/** A CloudTrail file is one JSON object; a busy trail's file can be tens of MB uncompressed. */
const MAX_OBJECT_BYTES = 1 << 30;

/**
 * Reads each file's `Records` as JSON values, one row per record (`j`) with its `source_file` and
 * `source_day` (see `SOURCE_DAY_SQL`).
 * Parsing into JSON and converting with `json_transform` afterwards costs about half the CPU of
 * `read_json` with the record type over many small files, and is lenient where the typed read
 * fails: a field of an unexpected shape is NULL, a record that is not an object has every field
 * NULL (so no usable eventTime: the load counts it). A file that is not JSON, whose top level is
 * not an object (`records = true`: without it DuckDB reads a top-level array as the records), or
 * whose `Records` is not an array, still fails the read and is named (and left out) by the
 * caller; an object without `Records` gives no record.
 * `files`: a list literal, or an expression that gives one when bound.
 */
function recordsJsonSql(files: string): string {
  return `SELECT unnest(Records) AS j, source_file, source_day FROM (
      SELECT Records, filename AS source_file, ${SOURCE_DAY_SQL} AS source_day
      FROM read_json(${files}, columns = {Records: 'JSON[]'},
        format = 'unstructured', records = true, filename = true, maximum_object_size = ${MAX_OBJECT_BYTES}))`;
}

/**
 * The day folder of a file ('yyyy/MM/dd'), as CloudTrail's layout names it: `sourceDay`. Made
 * once a file, while its records are one row (a regular expression per record was 0.13 s of
 * each 143k-record day's transform, on one thread).
 */
const SOURCE_DAY_SQL = `regexp_extract(filename, '([0-9]{4}/[0-9]{2}/[0-9]{2})/[^/]*$', 1)`;

const RECORD_SPEC = () => sqlString(JSON.stringify(jsonTransformSpec(CLOUDTRAIL_RECORD)));

const EMPTY_RAW = `SELECT CAST(NULL AS ${CLOUDTRAIL_RECORD_SQL_TYPE}) AS r, CAST(NULL AS VARCHAR) AS source_file,
  CAST(NULL AS VARCHAR) AS source_day WHERE false`;

/** The table macro `cloudtrail_raw` reads in a scan (see `cloudTrailScanSql`). */
const RECORDS_MACRO = 'lakeq_cloudtrail_records';
/** The scalar macro that gives the scan's file list to `RECORDS_MACRO`. */
const FILES_MACRO = 'lakeq_cloudtrail_files';
/** The scalar macro that converts a record of a scan (see `cloudTrailRecordMacroSql`). */
const RECORD_MACRO = 'lakeq_cloudtrail_record';

/** The record's fields (`cloudtrail_raw`'s `r`; the other raw views' columns are these fields, lower-cased in `cloudtrail_logs`). */
export const CLOUDTRAIL_RECORD_FIELDS = Object.keys(CLOUDTRAIL_RECORD);

/**
 * The macro that converts each record of a scan, `lakeq_cloudtrail_record(j)`: all of the
 * record's fields (without `fields`), or only `fields`, the rest NULL, with the same struct type.
 * Converting only the fields a query reads takes a third less CPU over a million records (the
 * instance-churn counts need 4 of 31 fields). With `temp`, the connection's own macro, which
 * DuckDB takes before the database's when it binds the views for that connection's query.
 *
 * @example
 * ```ts
 * cloudTrailRecordMacroSql(new Set(['eventName']), true)
 * // CREATE OR REPLACE TEMP MACRO lakeq_cloudtrail_record(j) AS CAST(json_transform(j, '{"eventName":"VARCHAR"}') AS STRUCT(...))
 * ```
 */
export function cloudTrailRecordMacroSql(fields?: ReadonlySet<string>, temp = false): string {
  const create = `CREATE OR REPLACE ${temp ? 'TEMP ' : ''}MACRO ${RECORD_MACRO}(j) AS`;
  if (fields === undefined) return `${create} json_transform(j, ${RECORD_SPEC()})`;
  const picked = Object.entries(CLOUDTRAIL_RECORD).filter(([name]) => fields.has(name));
  if (picked.length === 0) return `${create} CAST(NULL AS ${CLOUDTRAIL_RECORD_SQL_TYPE})`;
  const spec = sqlString(
    JSON.stringify(Object.fromEntries(picked.map(([n, t]) => [n, jsonTransformSpec(t)]))),
  );
  // DuckDB casts a struct by field name, and a field the struct does not have becomes NULL.
  return `${create} CAST(json_transform(j, ${spec}) AS ${CLOUDTRAIL_RECORD_SQL_TYPE})`;
}

/**
 * The statements that make `cloudtrail_raw` (one row per record: `r`, the record struct, with its
 * `source_file` and `source_day`), `cloudtrail_logs` and `cloudtrail_events_raw` read the files themselves (queries
 * over the raw views). DuckDB binds a view or a table macro when it is made, and a bind stats
 * every file of the list (0.35–0.55 s for 20k files): so the views and the table macro are made
 * while the file list, a scalar macro, holds one file, and the list is made whole last. A scalar
 * macro's list is not bound as files (0.1 s for 20k): the files are bound once, by the query.
 */
export function cloudTrailScanSql(files: readonly string[]): string[] {
  const views = [
    `CREATE OR REPLACE VIEW cloudtrail_raw AS SELECT r, source_file, source_day FROM ${RECORDS_MACRO}()`,
    CLOUDTRAIL_LOGS_VIEW_SQL,
    CLOUDTRAIL_EVENTS_RAW_VIEW_SQL,
  ];
  // A load's view only (an engine's empty first setup makes it).
  const dropKeys = `DROP VIEW IF EXISTS ${CLOUDTRAIL_RECORD_KEYS}`;
  if (files.length === 0)
    return [dropKeys, `CREATE OR REPLACE MACRO ${RECORDS_MACRO}() AS TABLE ${EMPTY_RAW}`, ...views];
  return [
    dropKeys,
    `CREATE OR REPLACE MACRO ${FILES_MACRO}() AS ${fileList(files.slice(0, 1))}`,
    cloudTrailRecordMacroSql(),
    `CREATE OR REPLACE MACRO ${RECORDS_MACRO}() AS TABLE SELECT ${RECORD_MACRO}(j) AS r, source_file, source_day FROM (${recordsJsonSql(`${FILES_MACRO}()`)})`,
    ...views,
    `CREATE OR REPLACE MACRO ${FILES_MACRO}() AS ${fileList(files)}`,
  ];
}

/** The table a load batch's records are read into once, as JSON (the transform and the dropped-record count both read it). */
export const CLOUDTRAIL_BATCH_TABLE = 'lakeq_cloudtrail_batch_json';

/**
 * `cloudtrail_record_keys`: each record of a load batch with its `source_file` and the fields
 * the load checks besides the transform, as text (as `cloudtrail_raw` has them): `eventTime`
 * (the dropped-record count) and the event key (`CLOUDTRAIL_COPIES_SQL`). They are converted
 * once, while the files are read, with the same `json_transform` types as the whole record's.
 */
export const CLOUDTRAIL_RECORD_KEYS = 'cloudtrail_record_keys';
const KEY_FIELDS = ['eventTime', 'eventID', 'recipientAccountId', 'eventSource', 'eventName'] as const;
const KEY_SPEC = () =>
  sqlString(
    JSON.stringify(
      Object.fromEntries(
        KEY_FIELDS.map((name) => {
          const type = CLOUDTRAIL_RECORD[name];
          if (type === undefined) throw new Error(`the CloudTrail record type has no ${name}`);
          return [name, jsonTransformSpec(type)];
        }),
      ),
    ),
  );

/**
 * The copies of events among a load batch's records: records beyond the first with the same
 * eventID, account, source, name and time (as a timestamp, as the transform compares them).
 * 0 means the transform's deduplication has nothing to remove (see `TableDefinition.transform`).
 */
export const CLOUDTRAIL_COPIES_SQL = `SELECT (count(*) - count(DISTINCT (eventID, recipientAccountId, eventSource, eventName,
    try_cast(eventTime AS TIMESTAMP))))::BIGINT AS copies
  FROM ${CLOUDTRAIL_RECORD_KEYS} WHERE eventID IS NOT NULL`;

/**
 * The statements that read a load batch's files once into `CLOUDTRAIL_BATCH_TABLE` (each record
 * as JSON, with its key fields) and point `cloudtrail_raw` (converting each record with
 * `json_transform` as it is read) and `cloudtrail_record_keys` at it. Converting the records into
 * a second table of structs cost more than converting them while the transform streams into its
 * COPY (1M-event week, two rounds each: 39.0–39.3 s CPU for the load against 40.3–42.0 s), and
 * the table holds only the JSON: about 100 MB a day at the benchmark's 200k-event density.
 */
export function cloudTrailBatchSql(files: readonly string[]): string[] {
  const keys = (from: string) =>
    `CREATE OR REPLACE VIEW ${CLOUDTRAIL_RECORD_KEYS} AS SELECT source_file, ${KEY_FIELDS.map((f) => `k.${f} AS ${f}`).join(', ')} FROM ${from}`;
  if (files.length === 0) {
    return [
      `DROP TABLE IF EXISTS ${CLOUDTRAIL_BATCH_TABLE}`,
      `CREATE OR REPLACE VIEW cloudtrail_raw AS\n${EMPTY_RAW}`,
      keys(
        `(SELECT json_transform(NULL::JSON, ${KEY_SPEC()}) AS k, NULL::VARCHAR AS source_file WHERE false)`,
      ),
    ];
  }
  return [
    `CREATE OR REPLACE TABLE ${CLOUDTRAIL_BATCH_TABLE} AS SELECT j, source_file, source_day, json_transform(j, ${KEY_SPEC()}) AS k FROM (${recordsJsonSql(fileList(files))})`,
    `CREATE OR REPLACE VIEW cloudtrail_raw AS SELECT json_transform(j, ${RECORD_SPEC()}) AS r, source_file, source_day FROM ${CLOUDTRAIL_BATCH_TABLE}`,
    keys(CLOUDTRAIL_BATCH_TABLE),
  ];
}

/** The Athena docs' `cloudtrail_logs` table: lower-case columns, JSON blobs kept as strings. */
export const CLOUDTRAIL_LOGS_VIEW_SQL = `CREATE OR REPLACE VIEW cloudtrail_logs AS SELECT
  r.eventVersion AS eventversion,
  r.userIdentity AS useridentity,
  r.eventTime AS eventtime,
  r.eventSource AS eventsource,
  r.eventName AS eventname,
  r.awsRegion AS awsregion,
  r.sourceIPAddress AS sourceipaddress,
  r.userAgent AS useragent,
  r.errorCode AS errorcode,
  r.errorMessage AS errormessage,
  CAST(r.requestParameters AS VARCHAR) AS requestparameters,
  CAST(r.responseElements AS VARCHAR) AS responseelements,
  CAST(r.additionalEventData AS VARCHAR) AS additionaleventdata,
  r.requestID AS requestid,
  r.eventID AS eventid,
  list_transform(r.resources, lambda x: {'arn': x.ARN, 'accountid': x.accountId, 'type': x.type}) AS resources,
  r.eventType AS eventtype,
  r.apiVersion AS apiversion,
  r.readOnly AS readonly,
  r.recipientAccountId AS recipientaccountid,
  CAST(r.serviceEventDetails AS VARCHAR) AS serviceeventdetails,
  r.sharedEventID AS sharedeventid,
  r.vpcEndpointId AS vpcendpointid,
  r.tlsDetails AS tlsdetails,
  source_file AS "$path"
FROM cloudtrail_raw`;

const AS_MAP = `'"MAP(VARCHAR, VARCHAR)"'`;

/**
 * `cloudtrail_events_raw`: CloudTrail Lake's columns over the raw logs (the curated, hour-
 * partitioned `cloudtrail_events` table is loaded from it). `eventTime` is a UTC
 * timestamp; request parameters, response elements and additional data are maps of
 * top-level keys to text (nested objects as JSON), as Lake has them. `sourceDay` is the day
 * folder of the record's file ('yyyy/MM/dd'), the projected partition on Athena.
 */
export const CLOUDTRAIL_EVENTS_RAW_VIEW_SQL = `CREATE OR REPLACE VIEW cloudtrail_events_raw AS ${eventsRawSelect('cloudtrail_raw')}`;

/**
 * A `WITH` entry that stands for `cloudtrail_events_raw` over the load batch's records whose
 * eventTime is in `[from, to)` only: chosen on the key fields converted when the files were read,
 * before the whole record is (see `stageBatch`'s slices: each slice's COPY converts only its own
 * records). The same eventTime expression as the view's, so a record is in exactly one slice of
 * a window, as it is in one hour.
 *
 * @example
 * ```ts
 * cloudTrailBatchSliceSql(new Date('2026-11-02T00:00Z'), new Date('2026-11-02T12:00Z'))
 * // cloudtrail_events_raw AS (SELECT … FROM (SELECT json_transform(j, …) AS r, source_file, source_day FROM lakeq_cloudtrail_batch_json WHERE …))
 * ```
 */
export function cloudTrailBatchSliceSql(from: Date, to: Date): string {
  const at = (t: Date) => `TIMESTAMP '${t.toISOString().slice(0, 23).replace('T', ' ')}'`;
  const time = 'try_cast(k.eventTime AS TIMESTAMP)';
  const records = `(SELECT json_transform(j, ${RECORD_SPEC()}) AS r, source_file, source_day FROM ${CLOUDTRAIL_BATCH_TABLE}
    WHERE ${time} >= ${at(from)} AND ${time} < ${at(to)})`;
  return `cloudtrail_events_raw AS (${eventsRawSelect(records)})`;
}

function eventsRawSelect(from: string): string {
  return `SELECT
  r.eventVersion AS eventVersion,
  r.userIdentity AS userIdentity,
  try_cast(r.eventTime AS TIMESTAMP) AS eventTime,
  r.eventSource AS eventSource,
  r.eventName AS eventName,
  r.awsRegion AS awsRegion,
  r.sourceIPAddress AS sourceIPAddress,
  r.userAgent AS userAgent,
  r.errorCode AS errorCode,
  r.errorMessage AS errorMessage,
  json_transform(r.requestParameters, ${AS_MAP}) AS requestParameters,
  json_transform(r.responseElements, ${AS_MAP}) AS responseElements,
  json_transform(r.additionalEventData, ${AS_MAP}) AS additionalEventData,
  r.requestID AS requestID,
  r.eventID AS eventID,
  try_cast(r.readOnly AS BOOLEAN) AS readOnly,
  list_transform(r.resources, lambda x: {'accountId': x.accountId, 'type': x.type, 'arn': x.ARN}) AS resources,
  r.eventType AS eventType,
  r.apiVersion AS apiVersion,
  try_cast(r.managementEvent AS BOOLEAN) AS managementEvent,
  r.recipientAccountId AS recipientAccountId,
  r.sharedEventID AS sharedEventID,
  r.vpcEndpointId AS vpcEndpointId,
  r.eventCategory AS eventCategory,
  r.tlsDetails AS tlsDetails,
  try_cast(r.sessionCredentialFromConsole AS BOOLEAN) AS sessionCredentialFromConsole,
  source_day AS sourceDay
FROM ${from}`;
}
