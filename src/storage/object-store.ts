import path from 'node:path';
import { LakeqError } from '../engines/engine.ts';

/**
 * Where the orchestration keeps its state (the run ledger, the stored plans, the run records):
 * a local folder (the data folder) or an S3 prefix (the Lambda, whose /tmp does not last). Keys
 * are relative, `/`-separated (`orchestration/plans/<runId>.json`), the same in both.
 *
 * @example
 * ```ts
 * const store: ObjectStore = localFolderStore('./lakeq-data');
 * await store.put('orchestration/plans/r1.json', '{}');
 * await store.get('orchestration/plans/r1.json') // '{}'
 * ```
 */
export interface ObjectStore {
  /** The folder or `s3://bucket/prefix/` keys resolve under, for messages. */
  readonly root: string;
  /** An object's text, or undefined when there is none. */
  get(key: string): Promise<string | undefined>;
  /** Writes a whole object: a reader sees the old one or the new one, never half of one. */
  put(key: string, body: string): Promise<void>;
  /** The objects whose key starts with `prefix` (`''`: all), sorted by key. */
  list(prefix: string): Promise<StoredObject[]>;
  /** Deletes every object whose key starts with `prefix` (not `''`); answers how many. */
  deletePrefix(prefix: string): Promise<number>;
  /** Adds text (whole lines) to an append-only log: one write, so a reader never sees part of it. */
  appendLog(log: AppendLog, text: string): Promise<void>;
  /** A log's text, oldest append first; `''` when it has none. */
  readLog(log: AppendLog): Promise<string>;
}

/** An object as `list` reports it. */
export interface StoredObject {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}

/**
 * An append-only NDJSON log: a folder appends to one file; S3, which cannot append, writes one
 * object per append under a prefix and reads them back in key (time) order.
 *
 * @example
 * ```ts
 * const LOG: AppendLog = { file: 'ledger/runs.ndjson', prefix: 'ledger/' };
 * ```
 */
export interface AppendLog {
  /** The file of a folder store. */
  readonly file: string;
  /** The prefix of an S3 store (ends with `/`). */
  readonly prefix: string;
  /**
   * A log that records how runs ended: on a full local disk it may use the data folder's space
   * reserve (src/storage/space-reserve.ts), which the loads themselves never touch.
   */
  readonly useSpaceReserve?: boolean;
}

/**
 * Where a key of a store lives, for results and messages: `s3://bucket/prefix/key` for an S3
 * store, the file's absolute path for a folder store (any store whose root is not `s3://`).
 *
 * @example
 * ```ts
 * objectLocation(localFolderStore('./lakeq-data'), 'ledger/runs.ndjson') // '<working directory>/lakeq-data/ledger/runs.ndjson'
 * objectLocation(s3ObjectStore({ root: 's3://lake/lakeq', client }), 'ledger/a.ndjson') // 's3://lake/lakeq/ledger/a.ndjson'
 * ```
 */
export function objectLocation(store: ObjectStore, key: string): string {
  checkKey(key);
  if (store.root.startsWith('s3://')) return `${store.root.replace(/\/*$/, '/')}${key}`;
  return path.resolve(store.root, ...key.split('/'));
}

/**
 * Refuses a key that is empty, absolute, or has `.`/`..`/empty segments (a key must stay
 * inside its store); `prefix` allows `''` and a trailing `/`.
 *
 * @example
 * ```ts
 * checkKey('orchestration/plans/r1.json') // ok
 * checkKey('../etc/passwd')                // throws BAD_KEY
 * ```
 */
export function checkKey(key: string, kind: 'key' | 'prefix' = 'key'): string {
  const body = kind === 'prefix' ? key.replace(/\/$/, '') : key;
  if (kind === 'prefix' && body === '') return key;
  const segments = body.split('/');
  if (
    typeof key !== 'string' ||
    body === '' ||
    key.includes('\\') ||
    segments.some((s) => s === '' || s === '.' || s === '..')
  ) {
    throw new LakeqError(
      'BAD_KEY',
      `${JSON.stringify(key)} is not a store ${kind} (relative, "/"-separated, no empty, "." or ".." parts)`,
    );
  }
  return key;
}
