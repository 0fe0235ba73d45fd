import { randomUUID } from 'node:crypto';
import {
  DeleteObjectsCommand,
  type DeleteObjectsCommandOutput,
  GetObjectCommand,
  type GetObjectCommandOutput,
  type ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  type PutObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { LakeqError } from '../engines/engine.ts';
import { mapLimited } from './map-limited.ts';
import { type AppendLog, checkKey, type ObjectStore, type StoredObject } from './object-store.ts';
import { listS3 } from './s3-list.ts';
import { parseS3Uri } from './s3-uri.ts';

/** The S3 calls the store makes; a real `S3Client` fits. */
export interface S3StoreLike {
  send(command: GetObjectCommand): Promise<GetObjectCommandOutput>;
  send(command: PutObjectCommand): Promise<PutObjectCommandOutput>;
  send(command: ListObjectsV2Command): Promise<ListObjectsV2CommandOutput>;
  send(command: DeleteObjectsCommand): Promise<DeleteObjectsCommandOutput>;
}

/** DeleteObjects takes at most 1,000 keys a call. */
export const S3_DELETE_BATCH = 1000;
/** Objects of a log read at once. */
const READ_CONCURRENCY = 16;

/**
 * The object store of an S3 prefix, `s3://bucket/prefix/`: GetObject, PutObject (atomic by
 * nature), ListObjectsV2 page by page, DeleteObjects 1,000 keys a call. S3 cannot append, so a
 * log is one object per append, `<log.prefix><UTC time>-<uuid>.ndjson`, read back by listing
 * (keys sort by time; appends of one process get increasing times).
 *
 * @example
 * ```ts
 * const store = s3ObjectStore({ root: 's3://my-lake/lakeq/', client: () => s3 });
 * await store.put('orchestration/plans/r1.json', '{}'); // PutObject my-lake lakeq/orchestration/plans/r1.json
 * ```
 */
export function s3ObjectStore(options: {
  /** `s3://bucket/prefix/`. */
  readonly root: string;
  /** Called on the first request, so a store costs nothing until used. */
  readonly client: () => S3StoreLike;
  /** ListObjectsV2 page size (default S3's 1,000). */
  readonly maxKeys?: number;
}): ObjectStore {
  const { bucket, key: rootKey } = parseS3Uri(options.root, 'the store root');
  const base = rootKey === '' || rootKey.endsWith('/') ? rootKey : `${rootKey}/`;
  const root = `s3://${bucket}/${base}`;
  const fullKey = (key: string) => `${base}${checkKey(key)}`;
  const list = async (prefix: string): Promise<StoredObject[]> => {
    const { objects } = await listS3(options.client(), {
      bucket,
      prefix: `${base}${checkKey(prefix, 'prefix')}`,
      ...(options.maxKeys ? { maxKeys: options.maxKeys } : {}),
    });
    return objects
      .map((o) => ({ ...o, key: o.key.slice(base.length) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  };
  const get = async (key: string): Promise<string | undefined> => {
    try {
      const out = await options.client().send(new GetObjectCommand({ Bucket: bucket, Key: fullKey(key) }));
      return (await out.Body?.transformToString('utf-8')) ?? '';
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') return undefined;
      throw error;
    }
  };
  const put = async (key: string, body: string, contentType = 'application/json') => {
    await options
      .client()
      .send(
        new PutObjectCommand({ Bucket: bucket, Key: fullKey(key), Body: body, ContentType: contentType }),
      );
  };
  return {
    root,
    get,
    put: (key, body) => put(key, body),
    list,
    deletePrefix: async (prefix) => {
      if (checkKey(prefix, 'prefix') === '')
        throw new LakeqError('BAD_KEY', `refusing to delete everything in ${root} (deletePrefix of "")`);
      const keys = (await list(prefix)).map((o) => `${base}${o.key}`);
      return deleteKeys(options.client(), bucket, keys);
    },
    appendLog: async (log: AppendLog, text: string) => {
      if (text === '') return;
      await put(
        `${checkKey(log.prefix, 'prefix')}${appendStamp()}-${randomUUID()}.ndjson`,
        text,
        'application/x-ndjson',
      );
    },
    readLog: async (log: AppendLog) => {
      const objects = await list(log.prefix);
      const texts = await mapLimited(objects, READ_CONCURRENCY, async (o) => (await get(o.key)) ?? '');
      return texts.map((t) => (t === '' || t.endsWith('\n') ? t : `${t}\n`)).join('');
    },
  };
}

/**
 * Deletes keys of a bucket with DeleteObjects, 1,000 a call; a key S3 could not delete fails the
 * whole call, naming it.
 *
 * @example
 * ```ts
 * await deleteKeys(s3, 'my-lake', ['lakeq/curated/t/run=r1/batch=0/dt=2026-11-27/hour=13/0.parquet']) // 1
 * ```
 */
export async function deleteKeys(
  client: Pick<S3StoreLike, 'send'>,
  bucket: string,
  keys: readonly string[],
): Promise<number> {
  for (let i = 0; i < keys.length; i += S3_DELETE_BATCH) {
    const chunk = keys.slice(i, i + S3_DELETE_BATCH);
    const out = await (client as S3StoreLike).send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true },
      }),
    );
    const errors = out.Errors ?? [];
    if (errors.length > 0) {
      const shown = errors
        .slice(0, 3)
        .map((e) => `${e.Key}: ${e.Code ?? 'error'} ${e.Message ?? ''}`.trim())
        .join('; ');
      throw new LakeqError(
        'S3_DELETE_FAILED',
        `could not delete ${errors.length} of ${chunk.length} objects in s3://${bucket}/ (${shown})`,
      );
    }
  }
  return keys.length;
}

let lastStamp = 0;

/** `20261127T140501123Z`: the time of an append, strictly increasing within this process. */
function appendStamp(): string {
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  return new Date(lastStamp).toISOString().replace(/[-:.]/g, '');
}
