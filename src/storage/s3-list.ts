import { ListObjectsV2Command, type ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import { LakeqError } from '../engines/engine.ts';
import type { StoredObject } from './object-store.ts';

/** The S3 call a listing makes; a real `S3Client` fits. */
export interface S3ListLike {
  send(command: ListObjectsV2Command): Promise<ListObjectsV2CommandOutput>;
}

/**
 * Every object under a prefix (and, with `delimiter: '/'`, the sub-folders directly under it),
 * following ListObjectsV2's ContinuationToken page by page.
 *
 * @example
 * ```ts
 * const { objects, folders } = await listS3(s3, { bucket: 'trail', prefix: 'AWSLogs/', delimiter: '/' });
 * folders // ['AWSLogs/111122223333/']
 * ```
 */
export async function listS3(
  client: S3ListLike,
  options: { bucket: string; prefix: string; delimiter?: string; maxKeys?: number },
): Promise<{ objects: StoredObject[]; folders: string[] }> {
  const objects: StoredObject[] = [];
  const folders: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: options.bucket,
        Prefix: options.prefix,
        ...(options.delimiter ? { Delimiter: options.delimiter } : {}),
        ...(options.maxKeys ? { MaxKeys: options.maxKeys } : {}),
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    for (const o of page.Contents ?? []) {
      if (o.Key === undefined) continue;
      objects.push({ key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) });
    }
    for (const p of page.CommonPrefixes ?? []) if (p.Prefix !== undefined) folders.push(p.Prefix);
    if (page.IsTruncated && !page.NextContinuationToken) {
      throw new LakeqError(
        'S3_LIST_FAILED',
        `ListObjectsV2 of s3://${options.bucket}/${options.prefix} said there is more but gave no NextContinuationToken`,
      );
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { objects, folders };
}
