import { LakeqError } from '../engines/engine.ts';

/** A bucket and a key (or key prefix) in it. */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

/**
 * The bucket and key of an `s3://bucket/key` URI, refused with a clear error when it is not one.
 *
 * @example
 * ```ts
 * parseS3Uri('s3://lake/lakeq/ledger/') // { bucket: 'lake', key: 'lakeq/ledger/' }
 * ```
 */
export function parseS3Uri(uri: string, what = 'an S3 location'): S3Location {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!match)
    throw new LakeqError('BAD_S3_URI', `${what} must be s3://bucket/key, not ${JSON.stringify(uri)}`);
  return { bucket: match[1] as string, key: match[2] ?? '' };
}

/**
 * The key prefix of an `s3://` folder URI that lies strictly inside `s3://bucket/prefix/`, for
 * deleting it: another bucket, the root itself or a URI outside it is refused, so a bad plan
 * cannot empty more than one run's output.
 *
 * @example
 * ```ts
 * prefixInside('s3://lake/lakeq/curated/t/run=r1/batch=0/', { bucket: 'lake', prefix: 'lakeq' })
 * // 'lakeq/curated/t/run=r1/batch=0/'
 * ```
 */
export function prefixInside(
  uri: string,
  root: { readonly bucket: string; readonly prefix: string },
): string {
  const { bucket, key } = parseS3Uri(uri, 'a prefix to delete');
  const base = root.prefix.replace(/^\/+|\/+$/g, '');
  const rootKey = base === '' ? '' : `${base}/`;
  const inside =
    bucket === root.bucket &&
    key.endsWith('/') &&
    key.startsWith(rootKey) &&
    key.length > rootKey.length &&
    !key.split('/').some((s, i, all) => s === '..' || s === '.' || (s === '' && i < all.length - 1));
  if (!inside) {
    throw new LakeqError(
      'BAD_PREFIX',
      `refusing to delete ${uri}: only folders (ending in "/") inside s3://${root.bucket}/${rootKey} are deleted`,
    );
  }
  return key;
}
