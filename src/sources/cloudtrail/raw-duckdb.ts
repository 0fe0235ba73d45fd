import { columnsRead } from '../../engines/duckdb/duckdb-columns-read.ts';
import type { DuckDbRun } from '../../engines/duckdb/duckdb-dialect-config.ts';
import type { EngineWarning } from '../../engines/engine.ts';
import { timed } from '../../ingest/step-timings.ts';
import type { LocalRawRelationsFactory } from '../source-definition.ts';
import {
  type CloudTrailScanInProgress,
  checkFiles,
  checkListedFiles,
  type SkippedFile,
  startCloudTrailScan,
} from './raw-duckdb-files.ts';
import {
  CLOUDTRAIL_BATCH_TABLE,
  CLOUDTRAIL_EVENTS_RAW_VIEW_SQL,
  CLOUDTRAIL_LOGS_VIEW_SQL,
  CLOUDTRAIL_RECORD_FIELDS,
  cloudTrailBatchSliceSql,
  cloudTrailBatchSql,
  cloudTrailRecordMacroSql,
  cloudTrailScanSql,
} from './raw-duckdb-views.ts';

/** DuckDB names the file in the errors a bad file causes; these find it. */
const FILE_IN_ERROR = [/ in file "([^"]+)"/, /GZIP stream: (\S.*?)\s*(?:\n|$)/, /(?:file|File) "([^"]+)"/];

/**
 * The local CloudTrail views over a folder in the S3 delivery layout. A file that turns out
 * to be damaged while a query reads it is excluded, named in a warning with DuckDB's reason,
 * and the query runs again over the rest. Records are read as JSON and converted leniently
 * (see `cloudTrailScanSql`): a record of an odd shape is kept with its odd fields NULL.
 */
export class LocalCloudTrailSource {
  readonly root: string;
  #files: string[] = [];
  readonly #skipped: SkippedFile[] = [];

  readonly #given: readonly string[] | undefined;
  readonly #batch: boolean;
  #scan: CloudTrailScanInProgress | undefined;
  /** The batch's files were read without their heads checked (see `useFiles`). */
  #headsUnchecked = false;

  /**
   * With `files`, the views read exactly those files (checked like a scan's) instead of scanning
   * `root`. With `batch` (a load engine), `useFiles` reads a batch's files once into a table that
   * `cloudtrail_raw` reads, instead of a view that reads the files at every query.
   */
  constructor(root: string, files?: readonly string[], options: { batch?: boolean } = {}) {
    this.root = root;
    this.#given = files;
    this.#batch = options.batch === true;
  }

  /** Files skipped so far, with reasons. */
  get skipped(): readonly SkippedFile[] {
    return this.#skipped;
  }

  /** Files the views read. */
  get files(): readonly string[] {
    return this.#files;
  }

  /**
   * Starts scanning the folder (a source without `files`), so that the scan overlaps the
   * engine's own start; `setup` takes it over. Safe to call more than once.
   */
  startScan(): void {
    if (this.#given || this.#scan) return;
    const scan = startCloudTrailScan(this.root);
    // Awaited by `setup`; an engine that fails to start before that must not leave it unhandled.
    scan.candidates.catch(() => {});
    scan.result.catch(() => {});
    this.#scan = scan;
  }

  async setup(run: DuckDbRun, warn: (w: EngineWarning) => void): Promise<void> {
    if (this.#given) {
      const scan = await checkFiles(this.#given);
      this.#files = scan.files;
      for (const s of scan.skipped) this.#skip(s, warn);
      await this.#createViews(run, warn);
      return;
    }
    this.startScan();
    const pending = this.#scan as CloudTrailScanInProgress;
    this.#scan = undefined;
    const scan = await pending.result;
    this.#files = scan.files;
    for (const s of scan.skipped) this.#skip(s, warn);
    await this.#createViews(run, warn);
  }

  /**
   * Points the views at another set of files (a load's next batch). A batch's files are read
   * first and their heads checked after, only when needed: every head when the read fails (one
   * read again for all the bad files, not one for each), and the heads of the files that gave
   * no record, so a file that is not a log is named with its reason either way (see
   * `checkListedFiles`). Other views' files are checked like a scan's.
   */
  async useFiles(files: readonly string[], run: DuckDbRun, warn: (w: EngineWarning) => void): Promise<void> {
    const scan = this.#batch
      ? await timed('cloudtrail: file checks (in read files)', async () => checkListedFiles(files))
      : await checkFiles(files);
    this.#files = scan.files;
    this.#skipped.length = 0;
    for (const s of scan.skipped) this.#skip(s, warn);
    this.#headsUnchecked = this.#batch;
    await this.#createViews(run, warn);
    if (this.#headsUnchecked) await this.#checkFilesWithoutRecords(run, warn);
  }

  /** Checks the heads of the files read so far unchecked; true when some were left out. */
  async #checkHeads(files: readonly string[], warn: (w: EngineWarning) => void): Promise<boolean> {
    this.#headsUnchecked = false;
    const { skipped } = await checkFiles(files);
    if (skipped.length === 0) return false;
    const out = new Set(skipped.map((s) => s.path));
    this.#files = this.#files.filter((f) => !out.has(f));
    for (const s of skipped) this.#skip(s, warn);
    return true;
  }

  /** A batch's files that gave no record: named when their heads tell why (`{"Records": []}` is a log). */
  async #checkFilesWithoutRecords(run: DuckDbRun, warn: (w: EngineWarning) => void): Promise<void> {
    if (this.#files.length === 0) return;
    const rows = await run.rows(`SELECT DISTINCT source_file FROM ${CLOUDTRAIL_BATCH_TABLE}`);
    const read = new Set(rows.map((r) => r.source_file));
    const unread = this.#files.filter((f) => !read.has(f));
    if (unread.length > 0) await this.#checkHeads(unread, warn);
  }

  /** See `LocalRawRelations.batchSliceSql`: a load batch's records of `[from, to)`, when it has any files. */
  batchSliceSql(from: Date, to: Date): string | undefined {
    return this.#batch && this.#files.length > 0 ? cloudTrailBatchSliceSql(from, to) : undefined;
  }

  /** Excludes the file a failed query names; true when it did. */
  async recover(error: unknown, run: DuckDbRun, warn: (w: EngineWarning) => void): Promise<boolean> {
    if (!this.#exclude(error, warn)) return false;
    await this.#createViews(run, warn);
    return true;
  }

  /** Leaves the file an error names out of the views; false when none of theirs is named. */
  #exclude(error: unknown, warn: (w: EngineWarning) => void): boolean {
    const message = error instanceof Error ? error.message : String(error);
    const file = fileNamedIn(message, this.#files);
    const at = file === undefined ? -1 : this.#files.indexOf(file);
    if (file === undefined || at < 0) return false;
    this.#files.splice(at, 1);
    this.#skip({ path: file, reason: firstLine(message) }, warn);
    return true;
  }

  #skip(skipped: SkippedFile, warn: (w: EngineWarning) => void): void {
    this.#skipped.push(skipped);
    warn({
      code: 'SOURCE_FILE_SKIPPED',
      message: `skipped ${skipped.path}: ${skipped.reason}`,
      path: skipped.path,
    });
  }

  /** DuckDB may open files while binding a view (or reading a batch), so a bad file can surface here too. */
  async #createViews(run: DuckDbRun, warn: (w: EngineWarning) => void): Promise<void> {
    for (;;) {
      try {
        const statements = this.#batch
          ? [...cloudTrailBatchSql(this.#files), CLOUDTRAIL_LOGS_VIEW_SQL, CLOUDTRAIL_EVENTS_RAW_VIEW_SQL]
          : cloudTrailScanSql(this.#files);
        for (const sql of statements) await run(sql);
        return;
      } catch (error) {
        // The first failure of a batch read: every head at once, then the file the error names.
        if (this.#headsUnchecked && (await this.#checkHeads(this.#files, warn))) continue;
        if (!this.#exclude(error, warn)) throw error;
      }
    }
  }
}

/**
 * The file an error names: one of the files the views read whose path the message holds (the
 * longest, so a name with quotes or spaces is found whole), else what the patterns capture.
 */
function fileNamedIn(message: string, files: readonly string[]): string | undefined {
  let named: string | undefined;
  for (const file of files) if (message.includes(file) && file.length > (named?.length ?? 0)) named = file;
  if (named) return named;
  for (const pattern of FILE_IN_ERROR) {
    const match = pattern.exec(message);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).trim();
}

/**
 * CloudTrail's local raw relations (`SourceDefinition.local`): the views over the trail folder,
 * scanned, or over each load batch's files.
 *
 * @example
 * ```ts
 * const relations = localCloudTrailRelations({ root: './lakeq-data/raw/cloudtrail', scan: true });
 * ```
 */
export const localCloudTrailRelations: LocalRawRelationsFactory = ({ root, scan }) => {
  const source = new LocalCloudTrailSource(root ?? '', scan && root !== undefined ? undefined : [], {
    batch: !scan,
  });
  // The scan (0.5–1 s for a week of a busy trail) runs while the engine opens.
  source.startScan();
  return {
    setup: (run, warn) => source.setup(run, warn),
    useFiles: (raw, files, run, warn) => source.useFiles(raw === 'cloudtrail' ? files : [], run, warn),
    recover: (error, run, warn) => source.recover(error, run, warn),
    batchSliceSql: (from, to) => source.batchSliceSql(from, to),
    // A scan's views convert only the record fields the statement names (a load batch's
    // transform reads them all).
    ...(scan ? { sessionSql: (sql: string) => cloudTrailRecordMacroSql(recordFieldsRead(sql), true) } : {}),
  };
};

/**
 * The record fields a statement over the raw views reads; undefined for all of them (or when its
 * text cannot tell: see `columnsRead`).
 *
 * @example
 * ```ts
 * recordFieldsRead('select eventname from cloudtrail_logs') // Set { 'eventName' }
 * recordFieldsRead('select * from cloudtrail_logs') // undefined
 * ```
 */
export function recordFieldsRead(sql: string): Set<string> | undefined {
  return columnsRead(sql, {
    relations: CLOUDTRAIL_RAW_VIEWS,
    columns: CLOUDTRAIL_RECORD_FIELDS,
    rowName: 'r',
  });
}

const CLOUDTRAIL_RAW_VIEWS = ['cloudtrail_raw', 'cloudtrail_logs', 'cloudtrail_events_raw'];
