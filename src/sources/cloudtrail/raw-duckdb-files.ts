import {
  closeSync,
  constants,
  type Dirent,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  type Stats,
  statSync,
} from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, constants as zlib } from 'node:zlib';

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

/** Trail outputs under AWSLogs that are not event logs (folders of these names are not walked). */
const NOT_EVENT_LOGS = new Set(['CloudTrail-Digest', 'CloudTrail-Insight']);
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
  return startCloudTrailScan(root).result;
}

/** A folder scan under way: the files named like logs first, then the verdict on each. */
export interface CloudTrailScanInProgress {
  /** Everything named like a log file (walked, not yet checked), sorted. */
  readonly candidates: Promise<string[]>;
  /** The candidates' head checks (see `scanCloudTrailFolder`). */
  readonly result: Promise<CloudTrailFolderScan>;
}

/**
 * Starts `scanCloudTrailFolder` (the candidates are known before their heads are checked). The
 * checks give the event loop a turn every half millisecond, so that DuckDB statements awaited
 * meanwhile (an engine opening beside the scan) go on between them.
 *
 * @example
 * ```ts
 * const scan = startCloudTrailScan('./lakeq-data/raw/cloudtrail');
 * const found = await scan.candidates;
 * const { files, skipped } = await scan.result;
 * ```
 */
export function startCloudTrailScan(root: string): CloudTrailScanInProgress {
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
      // Anything named like a log is checked (and named if it is not a regular file); only
      // real folders are walked, and not the trail's digest and Insights folders.
      if (LOG_FILE.test(entry.name)) candidates.push(full);
      else if (entry.isDirectory() && !NOT_EVENT_LOGS.has(entry.name)) await walk(full);
    }
  };
  const walked = walk(root).then(() => candidates.sort());
  return { candidates: walked, result: walked.then((sorted) => checkSorted(sorted)) };
}

/**
 * Checks the head of each file (see `checkHead`); returns the good ones sorted and the rest with
 * reasons. One after another with synchronous calls: a head check is a few microseconds of
 * work, and the promise API's thread-pool round trips cost several times that per file
 * (measured: 3.1 s CPU for 19k files, the largest fixed cost of a week's load).
 */
export async function checkFiles(paths: readonly string[]): Promise<CloudTrailFolderScan> {
  return checkSorted([...paths].sort());
}

/**
 * The checks a load batch's files get before DuckDB reads them: the name, and an lstat. A
 * regular file that is not empty is read as it is; anything else (a link, a FIFO, a folder, an
 * empty or vanished file) gets the head check, which names why it is not read (a link to a
 * regular file passes it). The heads of the files read are checked only when the read fails or a
 * file gives no record (see `LocalCloudTrailSource.useFiles`): for the 19k files of the
 * 200k-event week, 55–70 ms of lstat against 250–360 ms of head checks, on the thread that
 * also plans and drives the batches.
 *
 * @example
 * ```ts
 * checkListedFiles(['…/a.json.gz', '…/empty.json.gz']) // { files: ['…/a.json.gz'], skipped: [{ path: '…/empty.json.gz', reason: 'empty file' }] }
 * ```
 */
export function checkListedFiles(paths: readonly string[]): CloudTrailFolderScan {
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of [...paths].sort()) {
    const info = lstatSync(file, { throwIfNoEntry: false });
    const plain = info?.isFile() === true && info.size > 0 && !GLOB_CHARACTERS.test(path.basename(file));
    const reason = plain ? undefined : headProblem(file);
    if (reason === undefined) files.push(file);
    else skipped.push({ path: file, reason });
  }
  return { files, skipped };
}

/** The event loop gets a turn after this much checking (DuckDB's callbacks wait for it). */
const SLICE_MS = 0.5;

async function checkSorted(candidates: readonly string[]): Promise<CloudTrailFolderScan> {
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  let slice = performance.now();
  for (const [i, file] of candidates.entries()) {
    const reason = headProblem(file);
    if (reason === undefined) files.push(file);
    else skipped.push({ path: file, reason });
    if (i % 8 === 7 && performance.now() - slice > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
  }
  return { files, skipped };
}

/** DuckDB reads `*`, `?` and `[` in a path as a pattern: such a name could read other files too. */
const GLOB_CHARACTERS = /[*?[]/;

/** Why something named like a log is not a regular file (undefined when it is one, or a link to one). */
function notRegularFile(file: string): string | undefined {
  const own = lstatSync(file);
  if (own.isSymbolicLink()) {
    let target: Stats;
    try {
      target = statSync(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') return 'a symbolic link in a loop';
      if (code === 'ENOENT') return 'a dangling symbolic link (its target does not exist)';
      return `a symbolic link that cannot be followed (${code})`;
    }
    if (target.isFile()) return undefined;
    if (target.isDirectory()) return 'a symbolic link to a folder (not followed)';
    return `a symbolic link to ${kindOf(target)}, not a regular file`;
  }
  if (own.isFile()) return undefined;
  return own.isDirectory() ? 'a folder, not a file' : `${kindOf(own)}, not a regular file`;
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

/** One buffer for every head read (a new one per file was most of the scan's garbage). */
const HEAD_BUFFER = Buffer.alloc(LONG_HEAD_BYTES);

/**
 * A file's first `bytes` bytes (fewer when it is shorter), or why it cannot be read. The bytes
 * are in `HEAD_BUFFER`: valid until the next read. With `plainOnly`, undefined for a name that
 * is not a regular file itself (a link, a FIFO, a folder, or gone): the open does not follow a
 * link and the open file is checked, so a regular file costs no path lookup besides the open's
 * (an lstat before each open was a fifth of a scan).
 */
function readHead(file: string, bytes: number, plainOnly: boolean): Buffer | { problem: string } | undefined {
  let fd: number;
  try {
    // Non-blocking: a FIFO must not hang the scan.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | (plainOnly ? NO_FOLLOW : 0));
  } catch (error) {
    return plainOnly ? undefined : { problem: `cannot be read (${(error as Error).message})` };
  }
  try {
    if (plainOnly && !fstatSync(fd).isFile()) return undefined;
    return HEAD_BUFFER.subarray(0, readSync(fd, HEAD_BUFFER, 0, bytes, 0));
  } catch (error) {
    return { problem: `cannot be read (${(error as Error).message})` };
  } finally {
    closeSync(fd);
  }
}

/** `O_NOFOLLOW` where the platform has it (not on Windows, where the lstat path decides). */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/** The text a head holds (inflated when the file is gzip), or why it is not text. */
function headText(file: string, head: Buffer): string | { problem: string } {
  if (!file.toLowerCase().endsWith('.gz')) return head.toString('utf8', 0, 1024);
  if (head[0] !== 0x1f || head[1] !== 0x8b) return { problem: 'not gzip-compressed (no gzip header)' };
  try {
    // SYNC_FLUSH lets zlib inflate the first block without the rest of the stream.
    // Output in 2 KB chunks, not zlib's 16 KB: only the first 1,024 characters are looked at.
    return gunzipSync(head, { finishFlush: zlib.Z_SYNC_FLUSH, chunkSize: 2048 }).toString('utf8', 0, 1024);
  } catch (error) {
    return { problem: `corrupt gzip data (${(error as Error).message})` };
  }
}

/** Returns why a file cannot be a CloudTrail log, or undefined when its head looks right. */
export async function checkHead(file: string): Promise<string | undefined> {
  return headProblem(file);
}

/** Why a file cannot be a CloudTrail log, or undefined when its head looks right. */
function headProblem(file: string): string | undefined {
  let head = readHead(file, HEAD_BYTES, true);
  if (head === undefined) {
    // Not a regular file by that name: a link (read like its target when that is a regular
    // file), a FIFO, a folder, …, or gone.
    let problem: string | undefined;
    try {
      problem = notRegularFile(file);
    } catch (error) {
      return `cannot be read (${(error as Error).message})`;
    }
    if (problem !== undefined) return problem;
    head = readHead(file, HEAD_BYTES, false) as Buffer | { problem: string };
  }
  if (GLOB_CHARACTERS.test(path.basename(file))) {
    return 'its name has *, ? or [, which the engine would read as a pattern matching other files';
  }
  if (!('problem' in head) && head.length === 0) return 'empty file';
  let text = 'problem' in head ? head : headText(file, head);
  if (typeof text === 'string' && !decided(text) && !('problem' in head) && head.length === HEAD_BYTES) {
    head = readHead(file, LONG_HEAD_BYTES, false) as Buffer | { problem: string };
    text = 'problem' in head ? head : headText(file, head);
  }
  if (typeof text !== 'string') return text.problem;
  if (!RECORDS_HEAD.test(text)) {
    return /^\s*[{[]/.test(text)
      ? 'not a CloudTrail log file (no top-level "Records" array)'
      : 'not JSON (does not start with an object)';
  }
  return undefined;
}
