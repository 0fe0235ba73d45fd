import { hiveString, s3Location } from './athena-sql.ts';
import type { CuratedTableTarget } from './curated-table-ddl.ts';

/** The run ledger's table on AWS: the same rows as `lakeq-data/ledger/runs.ndjson`, one JSON object a line. */
export const LEDGER_TABLE = 'lakeq_runs';

/** The ledger's columns, the fields of `LedgerRow` (src/ingest/ledger.ts), as Hive types. */
export const LEDGER_COLUMNS: readonly { readonly name: string; readonly type: string }[] = [
  { name: 'runId', type: 'string' },
  { name: 'table', type: 'string' },
  { name: 'dt', type: 'string' },
  { name: 'hour', type: 'string' },
  { name: 'status', type: 'string' },
  { name: 'rows', type: 'bigint' },
  { name: 'bytes', type: 'bigint' },
  { name: 'fingerprint', type: 'string' },
  { name: 'checksum', type: 'string' },
  { name: 'sourceFiles', type: 'int' },
  { name: 'quarantined', type: 'array<struct<path:string,reason:string>>' },
  { name: 'dropped', type: 'struct<noTime:bigint,future:bigint,outsideHours:bigint>' },
  { name: 'queryId', type: 'string' },
  { name: 'queryVersion', type: 'string' },
  { name: 'engine', type: 'string' },
  { name: 'engineQueryIds', type: 'array<string>' },
  { name: 'bytesScanned', type: 'bigint' },
  { name: 'startedAt', type: 'string' },
  { name: 'finishedAt', type: 'string' },
  { name: 'error', type: 'string' },
];

/** `s3://bucket/prefix/ledger/`: where the ledger's NDJSON files go. */
export function ledgerLocation(target: CuratedTableTarget): string {
  return s3Location(target.bucket, target.prefix, 'ledger');
}

/**
 * The Athena DDL of the run ledger: an external table over the NDJSON files of
 * `s3://bucket/prefix/ledger/`, so `lakeq runs`-style questions can be asked in Athena.
 *
 * @example
 * ```ts
 * ledgerTableDdl({ bucket: 'my-lake', prefix: 'lakeq', database: 'lakeq' })
 * // CREATE EXTERNAL TABLE IF NOT EXISTS `lakeq`.`lakeq_runs` (`runid` string, ...) ROW FORMAT SERDE ...
 * ```
 */
export function ledgerTableDdl(target: CuratedTableTarget): string {
  const columns = LEDGER_COLUMNS.map((c) => `  \`${c.name.toLowerCase()}\` ${c.type}`).join(',\n');
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS \`${target.database}\`.\`${LEDGER_TABLE}\` (`,
    columns,
    ')',
    "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'",
    "WITH SERDEPROPERTIES ('case.insensitive' = 'true', 'ignore.malformed.json' = 'true')",
    `LOCATION ${hiveString(ledgerLocation(target))}`,
    "TBLPROPERTIES ('classification' = 'json')",
  ].join('\n');
}
