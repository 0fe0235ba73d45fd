import {
  DeleteObjectsCommand,
  type DeleteObjectsCommandInput,
  GetObjectCommand,
  type GetObjectCommandInput,
  type GetObjectCommandOutput,
  ListObjectsV2Command,
  type ListObjectsV2CommandInput,
  type ListObjectsV2CommandOutput,
  NoSuchKey,
  PutObjectCommand,
  type PutObjectCommandInput,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { expectValidRequest } from '../support/aws-model-validator.ts';

/*
 * An in-memory S3 behind aws-sdk-client-mock: buckets of objects that PutObject writes,
 * GetObject reads, DeleteObjects removes, and ListObjectsV2 lists in key order, page by page
 * (MaxKeys counts objects and common prefixes, as S3 does; the continuation token is opaque).
 * GetObject honours a Range of `bytes=a-b`, `bytes=a-` or `bytes=-N` (206 with ContentRange).
 * Every request is checked against the S3 model, and each call is logged.
 */

export interface FakeObject {
  /** The body read as UTF-8 (what the JSON and NDJSON objects are read as). */
  readonly body: string;
  /** The body as stored (Parquet files are binary). */
  readonly bytes: Uint8Array;
  readonly lastModified: Date;
}

export interface FakeS3 {
  readonly buckets: Map<string, Map<string, FakeObject>>;
  readonly calls: { readonly operation: string; readonly input: unknown }[];
  /** The time PutObject stamps. */
  now: Date;
  put(bucket: string, key: string, body: string | Uint8Array, lastModified?: Date): void;
  keys(bucket: string, prefix?: string): string[];
}

export const s3Mock = mockClient(S3Client);

interface Token {
  readonly after: string;
  readonly skip?: string;
}

const encode = (t: Token) => Buffer.from(JSON.stringify(t)).toString('base64');
const decode = (s: string) => JSON.parse(Buffer.from(s, 'base64').toString('utf8')) as Token;

/** Resets the mock and serves S3 from memory. */
export function fakeS3(): FakeS3 {
  s3Mock.reset();
  const fake: FakeS3 = {
    buckets: new Map(),
    calls: [],
    now: new Date('2026-11-27T14:00:00Z'),
    put(bucket, key, body, lastModified = fake.now) {
      const b = fake.buckets.get(bucket) ?? new Map<string, FakeObject>();
      fake.buckets.set(bucket, b);
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
      b.set(key, { body: bytes.toString('utf8'), bytes, lastModified });
    },
    keys(bucket, prefix = '') {
      return [...(fake.buckets.get(bucket)?.keys() ?? [])].filter((k) => k.startsWith(prefix)).sort();
    },
  };
  const log = (operation: string, input: object) => {
    expectValidRequest('s3', operation, input);
    fake.calls.push({ operation, input });
  };
  s3Mock.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
    log('PutObject', input);
    const body = input.Body;
    fake.put(
      input.Bucket as string,
      input.Key as string,
      typeof body === 'string' || body instanceof Uint8Array ? body : String(body),
    );
    return { ETag: '"e"' };
  });
  s3Mock.on(GetObjectCommand).callsFake((input: GetObjectCommandInput) => {
    log('GetObject', input);
    const o = fake.buckets.get(input.Bucket as string)?.get(input.Key as string);
    if (!o) throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} });
    const range = input.Range === undefined ? undefined : byteRange(input.Range, o.bytes.length);
    const bytes = range ? o.bytes.subarray(range.start, range.end + 1) : o.bytes;
    const Body = {
      transformToString: async (encoding = 'utf-8') => new TextDecoder(encoding).decode(bytes),
      transformToByteArray: async () => Uint8Array.from(bytes),
    } as unknown as GetObjectCommandOutput['Body'];
    return {
      Body,
      ContentLength: bytes.length,
      LastModified: o.lastModified,
      ...(range ? { ContentRange: `bytes ${range.start}-${range.end}/${o.bytes.length}` } : {}),
    };
  });
  s3Mock.on(DeleteObjectsCommand).callsFake((input: DeleteObjectsCommandInput) => {
    log('DeleteObjects', input);
    const objects = input.Delete?.Objects ?? [];
    if (objects.length > 1000) throw new Error('MalformedXML: more than 1000 keys');
    for (const o of objects) fake.buckets.get(input.Bucket as string)?.delete(o.Key as string);
    return { Deleted: input.Delete?.Quiet ? [] : objects.map((o) => ({ Key: o.Key })) };
  });
  s3Mock
    .on(ListObjectsV2Command)
    .callsFake((input: ListObjectsV2CommandInput): ListObjectsV2CommandOutput => {
      log('ListObjectsV2', input);
      const prefix = input.Prefix ?? '';
      const max = input.MaxKeys ?? 1000;
      const token = input.ContinuationToken ? decode(input.ContinuationToken) : undefined;
      const keys = fake
        .keys(input.Bucket as string, prefix)
        .filter((k) => !token || (k > token.after && !(token.skip && k.startsWith(token.skip))));
      const Contents: NonNullable<ListObjectsV2CommandOutput['Contents']> = [];
      const CommonPrefixes: NonNullable<ListObjectsV2CommandOutput['CommonPrefixes']> = [];
      let count = 0;
      let last: Token | undefined;
      let truncated = false;
      for (const key of keys) {
        const rest = key.slice(prefix.length);
        const cut = input.Delimiter ? rest.indexOf(input.Delimiter) : -1;
        const common = cut >= 0 ? prefix + rest.slice(0, cut + (input.Delimiter?.length ?? 0)) : undefined;
        if (common && CommonPrefixes.at(-1)?.Prefix === common) continue;
        if (count === max) {
          truncated = true;
          break;
        }
        count++;
        if (common) {
          CommonPrefixes.push({ Prefix: common });
          last = { after: key, skip: common };
        } else {
          const o = fake.buckets.get(input.Bucket as string)?.get(key) as FakeObject;
          Contents.push({ Key: key, Size: o.bytes.length, LastModified: o.lastModified });
          last = { after: key };
        }
      }
      return {
        $metadata: {},
        Name: input.Bucket,
        Prefix: prefix,
        KeyCount: count,
        MaxKeys: max,
        IsTruncated: truncated,
        ...(Contents.length > 0 ? { Contents } : {}),
        ...(CommonPrefixes.length > 0 ? { CommonPrefixes } : {}),
        ...(truncated && last ? { NextContinuationToken: encode(last) } : {}),
      };
    });
  return fake;
}

/**
 * The first and last byte of a Range header as S3 reads it: `bytes=a-b` (b capped at the end),
 * `bytes=a-`, `bytes=-N` (the last N bytes, all of a shorter object); S3's 416 InvalidRange for
 * one that starts past the end, an empty suffix or an empty object.
 */
function byteRange(header: string, size: number): { start: number; end: number } {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header);
  if (!match || (match[1] === '' && match[2] === '')) throw new Error(`fake S3: unsupported Range ${header}`);
  const [, from = '', to = ''] = match;
  const invalid = () =>
    Object.assign(new Error('The requested range is not satisfiable'), {
      name: 'InvalidRange',
      $metadata: { httpStatusCode: 416 },
    });
  if (from === '') {
    const n = Number(to);
    if (n === 0 || size === 0) throw invalid();
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(from);
  if (start >= size) throw invalid();
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (end < start) throw new Error(`fake S3: Range ${header} ends before it starts`);
  return { start, end };
}
