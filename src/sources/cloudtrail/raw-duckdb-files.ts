import { closeSync, type Dirent, lstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { constants, gunzipSync } from 'node:zlib';

/** A source file that lakeq did not read, and why. */
export interface SkippedFile {
  readonly path: string;
  readonly reason: string;
}

export interface CloudTrailFolderScan {
  /** Readable-looking CloudTrail log files, sorted. */
  readonly files: string[];
  readonly skipped: SkippedFile[];
}

/** Trail outputs under AWSLogs that are not event logs. */
const NOT_EVENT_LOGS = /(^|[\\/])(CloudTrail-Digest|CloudTrail-Insight)([\\/]|$)/;
const LOG_FILE = /\.json(\.gz)?$/i;
// A file's head is read in 128 bytes (`checkFiles` over the 19k files of the 200k-event week,
// three alternated runs: 0.55–0.63 s against 0.59–0.98 s for 512 bytes); a head that inflates to
// too little text to tell (a long gzip file name, say) is read again in 4 KB.
const HEAD_BYTES = 128;
const LONG_HEAD_BYTES = 4096;
const RECORDS_HEAD = /^\s*\{\s*"Records"\s*:/;

/**
 * Lists the CloudTrail log files of a folder laid out like a trail's S3 bucket
 * (`AWSLogs/[o-org/]<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/*.json.gz`, plain `.json`
 * accepted too). Each file's head is checked, so an empty, non-gzip or non-CloudTrail file is
 * skipped with its reason instead of failing the query; damage further into a file is found
 * when DuckDB reads it.
 *
 * @example
 * ```ts
 * const { files, skipped } = await scanCloudTrailFolder('./lakeq-data/raw/cloudtrail');
 * // skipped = [{ path: '.../bad.json.gz', reason: 'not gzip-compressed' }]
 * ```
 */
export async function scanCloudTrailFolder(root: string): Promise<CloudTrailFolderScan> {
  const candidates: string[] = [];
  // Not readdir's own `recursive`, which follows links to folders (to /tmp, or in a loop).
  const walk = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && dir === root) return;
      throw error;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (NOT_EVENT_LOGS.test(path.relative(root, full))) continue;
      // Anything named like a log is checked (and named if it is not a regular file); only
      // real folders are walked.
      if (LOG_FILE.test(entry.name)) candidates.push(full);
      else if (entry.isDirectory()) await walk(full);
    }
  };
  await walk(root);
  return checkFiles(candidates);
}

/**
 * Checks the head of each file (see `checkHead`); returns the good ones sorted and the rest with
 * reasons. One after another with synchronous calls: a head check is a few microseconds of
 * work, and the promise API's thread-pool round trips cost several times that per file
 * (measured: 3.1 s CPU for 19k files, the largest fixed cost of a week's load).
 */
export async function checkFiles(paths: readonly string[]): Promise<CloudTrailFolderScan> {
  const candidates = [...paths].sort();
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of candidates) {
    const reason = headProblem(file);
    if (reason === undefined) files.push(file);
    else skipped.push({ path: file, reason });
  }
  return { files, skipped };
}

/** DuckDB reads `*`, `?` and `[` in a path as a pattern: such a name could read other files too. */
const GLOB_CHARACTERS = /[*?[]/;

/**
 * Why something named like a log is not a regular file (undefined when it is one, or a link to
 * one), and its information (its target's, for a link).
 */
function regularFile(file: string): { problem: string } | { info: Stats } {
  const own = lstatSync(file);
  if (own.isSymbolicLink()) {
    let target: Stats;
    try {
      target = statSync(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') return { problem: 'a symbolic link in a loop' };
      if (code === 'ENOENT') return { problem: 'a dangling symbolic link (its target does not exist)' };
      return { problem: `a symbolic link that cannot be followed (${code})` };
    }
    if (target.isFile()) return { info: target };
    if (target.isDirectory()) return { problem: 'a symbolic link to a folder (not followed)' };
    return { problem: `a symbolic link to ${kindOf(target)}, not a regular file` };
  }
  if (own.isFile()) return { info: own };
  return { problem: own.isDirectory() ? 'a folder, not a file' : `${kindOf(own)}, not a regular file` };
}

function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return info.isDirectory() ? 'a folder' : 'something else';
}

/**
 * Whether a head's text tells a log from something else: it holds `{"Records":`, or it does not
 * start the way that does (whitespace, `{`, whitespace, `"Records"`, whitespace, `:`).
 */
function decided(text: string): boolean {
  if (RECORDS_HEAD.test(text)) return true;
  const start = text.trimStart();
  if (start === '') return false;
  if (!start.startsWith('{')) return true;
  const key = start.slice(1).trimStart();
  if (key === '') return false;
  if (!'"Records"'.startsWith(key.slice(0, 9))) return true;
  return key.length > 9 && key.slice(9).trim() !== '';
}

/** The text of a file's first `bytes` (inflated when it is gzip), or why it cannot be read. */
function headText(file: string, bytes: number): string | { problem: string } {
  let head: Buffer;
  try {
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      const bytesRead = readSync(fd, buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return { problem: `cannot be read (${(error as Error).message})` };
  }
  if (!file.toLowerCase().endsWith('.gz')) return head.toString('utf8', 0, 1024);
  if (head[0] !== 0x1f || head[1] !== 0x8b) return { problem: 'not gzip-compressed (no gzip header)' };
  try {
    // SYNC_FLUSH lets zlib inflate the first block without the rest of the stream.
    return gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8', 0, 1024);
  } catch (error) {
    return { problem: `corrupt gzip data (${(error as Error).message})` };
  }
}

/** Returns why a file cannot be a CloudTrail log, or undefined when its head looks right. */
export async function checkHead(file: string): Promise<string | undefined> {
  return headProblem(file);
}

function headProblem(file: string): string | undefined {
  let regular: ReturnType<typeof regularFile>;
  try {
    regular = regularFile(file);
  } catch (error) {
    return `cannot be read (${(error as Error).message})`;
  }
  if ('problem' in regular) return regular.problem;
  if (GLOB_CHARACTERS.test(path.basename(file))) {
    return 'its name has *, ? or [, which the engine would read as a pattern matching other files';
  }
  const { size } = regular.info;
  if (size === 0) return 'empty file';
  let text = headText(file, Math.min(HEAD_BYTES, size));
  if (typeof text === 'string' && !decided(text) && size > HEAD_BYTES)
    text = headText(file, Math.min(LONG_HEAD_BYTES, size));
  if (typeof text !== 'string') return text.problem;
  if (!RECORDS_HEAD.test(text)) {
    return /^\s*[{[]/.test(text)
      ? 'not a CloudTrail log file (no top-level "Records" array)'
      : 'not JSON (does not start with an object)';
  }
  return undefined;
}
