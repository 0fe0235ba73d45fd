import { z } from 'zod';
import type { ForeignTables, SourceAws, SourceOnAws } from '../source-definition.ts';
import {
  SECURITY_LAKE_TABLES,
  type SecurityLakeTable,
  securityLakeDatabase,
  securityLakeTableName,
} from './schema.ts';
import { OCSF_VIEWS, ocsfViewSql, type PresentTable } from './schema-views.ts';

/**
 * Security Lake on AWS: Security Lake creates its Glue databases and tables itself
 * (`amazon_security_lake_glue_db_<region>.amazon_security_lake_table_<region>_<source>_<version>`),
 * so lakeq adds views only: the seven OCSF views in lakeq's database, over the tables the
 * `securityLake` section of lakeq.deploy.json (or `lakeq ddl`'s flags) names.
 */

const TABLE_NAMES = SECURITY_LAKE_TABLES.map((t) => `${t.source}:${t.version}.0`);

/** A `SOURCE:version` name (`SH_FINDINGS:2.0`) → the table. */
function tableNamed(name: string): SecurityLakeTable {
  const table = SECURITY_LAKE_TABLES.find((t) => `${t.source}:${t.version}.0` === name.trim());
  if (!table) throw new Error(`securityLake: unknown table "${name}" (known: ${TABLE_NAMES.join(', ')})`);
  return table;
}

/** The settings of Security Lake on AWS. */
export interface SecurityLakeOnAwsOptions {
  /** The Regions whose Security Lake tables the views read (each Region has its Glue database). */
  readonly regions: readonly string[];
  /** The sources and versions present in every one of those Regions. */
  readonly tables: readonly SecurityLakeTable[];
  /** The Security Lake bucket of the rollup Region, when the hourly load lists it (`security_findings_daily`). */
  readonly bucket?: string;
  /** Further Security Lake buckets the Regions' tables are in (`aws-security-data-lake-<region>-<id>`). */
  readonly buckets?: readonly string[];
  /** The KMS keys (ARNs) Security Lake encrypts the buckets' objects with, when not S3-managed. */
  readonly kmsKeys?: readonly string[];
}

/**
 * The `securityLake` section of lakeq.deploy.json: the Regions, the tables (`SOURCE:version`),
 * the Security Lake bucket the findings load lists, the other Regions' buckets and the KMS keys
 * (what `lakeq iam-policy` lets Athena's callers read).
 */
export const SECURITY_LAKE_SECTION = z
  .object({
    regions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS Region name')).min(1),
    tables: z.array(z.string()).min(1),
    bucket: z.string().min(3).optional(),
    buckets: z.array(z.string().min(3)).min(1).optional(),
    kmsKeys: z
      .array(z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, 'must be a KMS key ARN'))
      .min(1)
      .optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    for (const name of s.tables) {
      try {
        tableNamed(name);
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['tables'], message: (error as Error).message });
      }
    }
  });

/** The section (as checked, or as parsed again from the deploy file's parsed value) → the options. */
function optionsOf(
  section: z.output<typeof SECURITY_LAKE_SECTION> | undefined,
): SecurityLakeOnAwsOptions | undefined {
  if (section === undefined) return undefined;
  return {
    regions: section.regions,
    tables: section.tables.map(tableNamed),
    ...(section.bucket ? { bucket: section.bucket } : {}),
    ...(section.buckets ? { buckets: section.buckets } : {}),
    ...(section.kmsKeys ? { kmsKeys: section.kmsKeys } : {}),
  };
}

/**
 * The views over the tables present (`CREATE OR REPLACE VIEW ocsf_findings AS … UNION ALL …`),
 * in Trino SQL; with no section, views over nothing, so queries still bind.
 *
 * @example
 * ```ts
 * securityLakeViews({ regions: ['us-east-1'], tables: [SECURITY_LAKE_TABLES[2]] }).map((v) => v.name)
 * // ['ocsf_api_activity', 'ocsf_authentication', …, 'ocsf_http_activity']
 * ```
 */
export function securityLakeViews(
  options: SecurityLakeOnAwsOptions | undefined,
): { name: string; sql: string }[] {
  const present: PresentTable[] = (options?.regions ?? []).flatMap((region) =>
    (options?.tables ?? []).map((table) => ({ region, table })),
  );
  return OCSF_VIEWS.map((view) => ({ name: view.name, sql: ocsfViewSql(view, present) }));
}

/** Where Security Lake writes in its buckets: `aws/<SOURCE>/<version>/…` (custom sources go under `ext/`). */
const DATA_PREFIX = 'aws/';

/**
 * What reading the Security Lake tables takes, as IAM and Lake Formation scope it: each Region's
 * database and tables, the buckets their files are in (the ones the section names; a Region it
 * names none for, any `aws-security-data-lake-<region>-…` bucket, as Security Lake names them),
 * the section's KMS keys; Security Lake registers its tables with Lake Formation.
 *
 * @example
 * ```ts
 * securityLakeForeignTables({ regions: ['eu-west-1'], tables: [SECURITY_LAKE_TABLES[7]] }).locations
 * // ['s3://aws-security-data-lake-eu-west-1-*' + '/aws/']
 * ```
 */
export function securityLakeForeignTables(options: SecurityLakeOnAwsOptions): ForeignTables {
  const named = [...new Set([...(options.bucket ? [options.bucket] : []), ...(options.buckets ?? [])])];
  const unnamed = options.regions.filter(
    (r) => !named.some((b) => b.startsWith(`aws-security-data-lake-${r}-`)),
  );
  return {
    databases: options.regions.map((region) => ({
      region,
      name: securityLakeDatabase(region),
      tables: options.tables.map((t) => securityLakeTableName(region, t)),
    })),
    locations: [...named, ...unnamed.map((r) => `aws-security-data-lake-${r}-*`)].map(
      (b) => `s3://${b}/${DATA_PREFIX}`,
    ),
    kmsKeys: options.kmsKeys ?? [],
    lakeFormation: true,
  };
}

function onAws(options: SecurityLakeOnAwsOptions | undefined): SourceOnAws {
  return {
    tableInputs: () => [],
    tableDdl: () => [],
    views: () => securityLakeViews(options),
    ...(options?.bucket ? { root: `s3://${options.bucket}` } : {}),
    ...(options ? { foreignTables: securityLakeForeignTables(options) } : {}),
  };
}

const list = (s: string | undefined) =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * Security Lake's AWS side (`SourceDefinition.aws`).
 *
 * @example
 * ```ts
 * securityLakeAws.fromFlags({ 'security-lake-regions': 'us-east-1', 'security-lake-tables': 'SH_FINDINGS:2.0' }, common).views()
 * ```
 */
export const securityLakeAws: SourceAws = {
  section: { key: 'securityLake', schema: SECURITY_LAKE_SECTION.optional() },
  ddlFlags: [
    { flag: 'security-lake-regions', placeholder: 'us-east-1,...' },
    { flag: 'security-lake-tables', placeholder: 'SH_FINDINGS:2.0,...' },
  ],
  ddlDescribe:
    'the OCSF views (ocsf_findings, ocsf_api_activity, …) over the Security Lake tables of the ' +
    '--security-lake-regions and --security-lake-tables given',
  iamName: 'SecurityLake',
  fromSection: (section) => onAws(optionsOf(SECURITY_LAKE_SECTION.optional().parse(section))),
  fromFlags: (flags) => {
    const regions = list(flags['security-lake-regions']);
    const tables = list(flags['security-lake-tables']);
    if (regions.length === 0 && tables.length === 0) return onAws(undefined);
    // Plain errors, which `lakeq ddl` prints as they are.
    if (regions.length === 0 || tables.length === 0)
      throw new Error('--security-lake-regions and --security-lake-tables go together');
    for (const r of regions)
      if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(r))
        throw new Error(`--security-lake-regions: "${r}" is not an AWS Region name`);
    tables.forEach(tableNamed);
    return onAws(optionsOf(SECURITY_LAKE_SECTION.parse({ regions, tables })));
  },
};
