/** Literals and S3 locations for the SQL and catalog entries lakeq sends to Athena and Glue. */

/**
 * A string literal for Hive DDL (Athena's DDL dialect), where a backslash escapes.
 *
 * @example
 * ```ts
 * hiveString("it's") // "'it\\'s'"
 * ```
 */
export function hiveString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * A string literal for Trino SQL, where a quote is doubled.
 *
 * @example
 * ```ts
 * trinoString("it's") // "'it''s'"
 * ```
 */
export function trinoString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

// S3 general purpose bucket names: 3–63 lower-case letters, digits, dots and hyphens.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// Path segments lakeq writes: no quotes, backslashes, spaces or empty/relative segments.
const SEGMENT = /^[A-Za-z0-9_.=-]+$/;

/**
 * `s3://bucket/a/b/` from a bucket and path parts (each may hold several `/`-separated
 * segments; undefined or empty parts are skipped). Always ends with `/`, so it names a folder.
 *
 * @example
 * ```ts
 * s3Location('my-bucket', 'lake/', 'curated/cloudtrail_events') // 's3://my-bucket/lake/curated/cloudtrail_events/'
 * ```
 */
export function s3Location(bucket: string, ...parts: readonly (string | undefined)[]): string {
  if (!BUCKET.test(bucket)) throw new Error(`"${bucket}" is not an S3 bucket name`);
  const segments: string[] = [];
  for (const part of parts) {
    for (const segment of (part ?? '').split('/')) {
      if (segment === '') continue;
      if (!SEGMENT.test(segment) || segment === '.' || segment === '..')
        throw new Error(`S3 path segment "${segment}" (in "${part}") has characters lakeq does not write`);
      segments.push(segment);
    }
  }
  return `s3://${bucket}/${segments.map((s) => `${s}/`).join('')}`;
}
