import { V1_COLUMNS } from './schema-v1.ts';
import { V2_COLUMNS } from './schema-v2.ts';

declare module '../../catalog/table-definition.ts' {
  /** The raw source name Security Lake's tables read: the Security Hub findings of every version and Region. */
  interface RawSourceNames {
    'security-lake-findings': true;
    'security-lake-activity': true;
  }
}

/** The raw source names of Security Lake's curated tables, and the Security Lake sources each reads. */
export const SECURITY_LAKE_RAW_SOURCES = {
  'security-lake-findings': ['SH_FINDINGS'],
  'security-lake-activity': ['CLOUD_TRAIL_MGMT', 'VPC_FLOW'],
} as const satisfies Record<string, readonly SecurityLakeSourceName[]>;

/** A raw source name of Security Lake's. */
export type SecurityLakeRawSource = keyof typeof SECURITY_LAKE_RAW_SOURCES;

export function isSecurityLakeRawSource(raw: string): raw is SecurityLakeRawSource {
  return Object.hasOwn(SECURITY_LAKE_RAW_SOURCES, raw);
}

/** A column of a Security Lake table, in Hive types (as the Glue table Security Lake creates has it). */
export interface SecurityLakeColumn {
  readonly name: string;
  readonly type: string;
}

/** A Security Lake log source as its S3 folder names it (`aws/<name>/<version>/`). */
export type SecurityLakeSourceName =
  | 'CLOUD_TRAIL_MGMT'
  | 'EKS_AUDIT'
  | 'ROUTE53'
  | 'SH_FINDINGS'
  | 'VPC_FLOW'
  | 'WAF';

/** A source version: 1 (OCSF 1.0.0-rc.2) or 2 (OCSF 1.1.0). */
export type SecurityLakeVersion = 1 | 2;

/** One source at one version: a Glue table per Region. */
export interface SecurityLakeTable {
  readonly source: SecurityLakeSourceName;
  readonly version: SecurityLakeVersion;
  /** The table name's source part: `cloud_trail_mgmt`. */
  readonly tablePart: string;
  readonly columns: readonly SecurityLakeColumn[];
}

/** The partition keys of every Security Lake table, in path order (`region=…/accountId=…/eventDay=YYYYMMDD/`). */
export const SECURITY_LAKE_PARTITION_KEYS = ['region', 'accountid', 'eventday'] as const;

/**
 * The sources and versions lakeq reads. Version 1 has no WAF or EKS audit source (Security Lake
 * added them with version 2).
 */
export const SECURITY_LAKE_TABLES: readonly SecurityLakeTable[] = [
  {
    source: 'CLOUD_TRAIL_MGMT',
    version: 1,
    tablePart: 'cloud_trail_mgmt',
    columns: V1_COLUMNS.cloud_trail_mgmt,
  },
  { source: 'ROUTE53', version: 1, tablePart: 'route53', columns: V1_COLUMNS.route53 },
  { source: 'SH_FINDINGS', version: 1, tablePart: 'sh_findings', columns: V1_COLUMNS.sh_findings },
  { source: 'VPC_FLOW', version: 1, tablePart: 'vpc_flow', columns: V1_COLUMNS.vpc_flow },
  {
    source: 'CLOUD_TRAIL_MGMT',
    version: 2,
    tablePart: 'cloud_trail_mgmt',
    columns: V2_COLUMNS.cloud_trail_mgmt,
  },
  { source: 'EKS_AUDIT', version: 2, tablePart: 'eks_audit', columns: V2_COLUMNS.eks_audit },
  { source: 'ROUTE53', version: 2, tablePart: 'route53', columns: V2_COLUMNS.route53 },
  { source: 'SH_FINDINGS', version: 2, tablePart: 'sh_findings', columns: V2_COLUMNS.sh_findings },
  { source: 'VPC_FLOW', version: 2, tablePart: 'vpc_flow', columns: V2_COLUMNS.vpc_flow },
  { source: 'WAF', version: 2, tablePart: 'waf', columns: V2_COLUMNS.waf },
];

/** A Region as Glue names spell it: `us-east-1` → `us_east_1`. */
export const regionPart = (region: string) => region.replace(/-/g, '_');

/**
 * The Glue database Security Lake makes per Region.
 *
 * @example
 * ```ts
 * securityLakeDatabase('eu-west-1') // 'amazon_security_lake_glue_db_eu_west_1'
 * ```
 */
export function securityLakeDatabase(region: string): string {
  return `amazon_security_lake_glue_db_${regionPart(region)}`;
}

/**
 * The Glue table of a source and version in a Region.
 *
 * @example
 * ```ts
 * securityLakeTableName('us-east-1', SECURITY_LAKE_TABLES[2]) // 'amazon_security_lake_table_us_east_1_sh_findings_1_0'
 * ```
 */
export function securityLakeTableName(
  region: string,
  table: Pick<SecurityLakeTable, 'tablePart' | 'version'>,
): string {
  return `amazon_security_lake_table_${regionPart(region)}_${table.tablePart}_${table.version}_0`;
}

/** The prefix of every Security Lake database name: how SQL that reads a raw table is recognised. */
export const SECURITY_LAKE_DATABASE_PREFIX = 'amazon_security_lake_glue_db_';

/** The folder of a source and version under the lake's root: `aws/SH_FINDINGS/2.0`. */
export function securityLakeFolder(table: Pick<SecurityLakeTable, 'source' | 'version'>): string[] {
  return ['aws', table.source, `${table.version}.0`];
}

/** The table a source folder and version name, if lakeq reads it. */
export function securityLakeTable(source: string, version: string): SecurityLakeTable | undefined {
  return SECURITY_LAKE_TABLES.find((t) => t.source === source && `${t.version}.0` === version);
}

/** `region=…/accountId=…/eventDay=YYYYMMDD/file` at the end of a path: the partition values. */
export const PARTITION_PATH = String.raw`region=([a-z0-9-]+)[/\\]accountId=([0-9]+)[/\\]eventDay=([0-9]{8})[/\\][^/\\]*$`;
