import { S3Client } from '@aws-sdk/client-s3';
import { listS3, type S3ListLike } from '../../storage/s3-list.ts';
import { parseS3Uri } from '../../storage/s3-uri.ts';
import type { CloudTrailLister, ListedFile } from './list-local.ts';

/**
 * Lists the CloudTrail layout of an S3 trail bucket (`s3://bucket/prefix/AWSLogs/...`) for
 * `filesForWindow`: a folder is a key prefix listed with ListObjectsV2 and a `/` delimiter (its
 * sub-folders are the CommonPrefixes, its files the Contents, with Size and LastModified as
 * the mtime), page by page.
 *
 * @example
 * ```ts
 * const files = await filesForWindow('s3://org-trail', from, to, 3, s3CloudTrailLister({ client: () => new S3Client({}) }));
 * files[0].path // 's3://org-trail/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/27/..._20261127T1305Z_....json.gz'
 * ```
 */
export function s3CloudTrailLister(options: {
  readonly client: () => S3ListLike;
  /** ListObjectsV2 page size (default S3's 1,000). */
  readonly maxKeys?: number;
}): CloudTrailLister {
  const listing = (dir: string) => {
    const { bucket, key } = parseS3Uri(dir, 'a CloudTrail folder');
    const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
    return {
      prefix,
      result: listS3(options.client(), {
        bucket,
        prefix,
        delimiter: '/',
        ...(options.maxKeys ? { maxKeys: options.maxKeys } : {}),
      }),
    };
  };
  return {
    join: (dir, ...names) => [dir.replace(/\/+$/, ''), ...names].join('/'),
    folders: async (dir) => {
      const { prefix, result } = listing(dir);
      return (await result).folders.map((f) => f.slice(prefix.length).replace(/\/$/, ''));
    },
    files: async (dir, keep) => {
      const { prefix, result } = listing(dir);
      const out: ListedFile[] = [];
      for (const o of (await result).objects) {
        const name = o.key.slice(prefix.length);
        if (name === '' || name.includes('/') || !keep(name)) continue;
        out.push({ name, size: o.size, mtimeMs: o.lastModified.getTime() });
      }
      return out;
    },
  };
}

let defaultLister: CloudTrailLister | undefined;

/**
 * The lister `filesForWindow` uses for an `s3://` root when it is given none: one S3 client with
 * the default configuration (region and credentials from the environment), made on first use.
 *
 * @example
 * ```ts
 * await defaultS3CloudTrailLister().folders('s3://org-trail/AWSLogs') // ['o-abcdefghij']
 * ```
 */
export function defaultS3CloudTrailLister(): CloudTrailLister {
  let client: S3Client | undefined;
  defaultLister ??= s3CloudTrailLister({ client: () => (client ??= new S3Client({})) });
  return defaultLister;
}
