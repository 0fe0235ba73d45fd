import { createHash, randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { RawSourceName, TableDefinition } from '../catalog/table-definition.ts';
import { LakeqError } from '../engines/engine.ts';
import { sourceOfRaw } from '../sources/registry.ts';
import type { FolderLister } from '../sources/source-definition.ts';
import { finishedHoursIn, floorHour, HOUR_MS, type HourPartition, hourKey, partitionOf } from './hours.ts';
import { type LedgerRow, lastLoads } from './ledger.ts';
import type { SourceFile } from './source-file.ts';

/**
 * How long after an event CloudTrail may deliver its file, in hours: an hour's partition reads
 * the files delivered up to this long after it. CloudTrail delivers within about 15 minutes;
 * a record later than this is never placed, and is counted as dropped (`outsideHours`).
 */
export const DEFAULT_LATENESS_HOURS = 3;

/** Why a partition is in a plan. */
export type LoadReason = 'new' | 'changed' | 'forced';

export interface PlannedPartition extends HourPartition {
  readonly start: Date;
  readonly reason: LoadReason;
  /** Fingerprint of the inputs: the source files (path, size, mtime) or the upstream partition's fingerprint. */
  readonly fingerprint: string;
  /** The raw files that can hold the hour's rows (source tables only): CloudTrail logs or the hour's collected file. */
  readonly files: readonly SourceFile[];
  /**
   * The partition holds this many rows now, and a rebuild with fewer than half of them is
   * refused (kept, named, recorded): a file damaged or emptied in place must not shrink good
   * data. Absent with `force` or `allowShrink`, or for a partition too small to judge.
   */
  readonly keepAbove?: number;
}

/** A partition with fewer rows than this is not guarded against shrinking by half. */
export const SHRINK_GUARD_MIN_ROWS = 10;

/** Hours of one table within a span of at most `maxPartitionsPerBatch` hours, written by one transform run. */
export interface LoadBatch {
  readonly table: TableDefinition;
  readonly from: Date;
  readonly to: Date;
  readonly partitions: readonly PlannedPartition[];
}

export interface LoadPlan {
  readonly runId: string;
  readonly from: Date;
  readonly to: Date;
  readonly batches: readonly LoadBatch[];
  /** Partitions left alone because their inputs did not change since their last load. */
  readonly unchanged: readonly UnchangedPartition[];
}

export interface UnchangedPartition {
  readonly table: string;
  readonly partition: HourPartition;
  readonly fingerprint: string;
  readonly sourceFiles: number;
  /**
   * Set when the inputs did change but the partition was kept: they disappeared, or fewer than
   * half of its files remain (a source folder mistyped, emptied by a lifecycle rule or a
   * `sync --delete`). Loading would replace good rows with fewer; `allowShrink` or `force` does.
   */
  readonly kept?: string;
}

export interface PlanOptions {
  readonly tables: readonly TableDefinition[];
  /**
   * Each source's raw root, by source name: a folder or an `s3://bucket/prefix` URI, listed with
   * the source's `list` hook. `cloudtrail`: the trail folder in the S3 layout; `glue`: the
   * collector's hour files (`<dataDir>/raw/glue`). A source without a root has its tables left
   * out of the plan (planning them would empty loaded hours).
   */
  readonly roots: Readonly<Record<string, string | undefined>>;
  /** How `s3://` roots are listed (the AWS context's S3 client; default: one with the default configuration). */
  readonly lister?: FolderLister;
  /**
   * Hours to plan besides the window's, per table name, such as the hours whose collected files
   * the Glue collector changed (a run started 5 h ago that finished now changes that hour's file).
   * A table reading another table gets that table's extra hours too. Unfinished hours are left out.
   */
  readonly extraHours?: ReadonlyMap<string, readonly Date[]>;
  readonly from: Date;
  readonly to: Date;
  readonly ledger: readonly LedgerRow[];
  /** Versions of the tables' transform queries: a new version reloads. */
  readonly versions: ReadonlyMap<string, string>;
  /** Most hours one transform run writes (Athena: 100 partitions per statement). */
  readonly maxPartitionsPerBatch: number;
  /**
   * Most hours one transform run of a table that reads another table writes (default
   * `maxPartitionsPerBatch`). Such a batch reads the curated Parquet of its input, hour by hour,
   * and writes a few rows an hour, so the local day bound (memory) does not apply to it: a week's
   * churn in 2 batches instead of 7 took 0.3 s instead of 0.55 s of a 200k-event week's load.
   */
  readonly maxPartitionsPerDerivedBatch?: number;
  /**
   * Most bytes of source files one batch reads (their sizes as listed), so a batch's memory stays
   * bounded however dense the hours are (locally a batch's records are held while it is written:
   * `LOCAL_BATCH_BYTES`). A single hour over it is a batch of its own. Default: no bound.
   */
  readonly maxBytesPerBatch?: number;
  /** How long after an event its log file may be delivered, in hours (default 3). */
  readonly latenessHours?: number;
  readonly force?: boolean;
  /** Replace a partition with one built from far fewer input files, or none (see `UnchangedPartition.kept`). */
  readonly allowShrink?: boolean;
  readonly now?: Date;
  readonly runId?: string;
}

/**
 * Plans a load or backfill: the finished hours of `[from, to)` (and each table's extra hours) → the partitions of each table
 * whose inputs changed since their last load (or every one with `force`) → batches of
 * contiguous hours, at most `maxPartitionsPerBatch` each. A plan is data: `--dry-run` prints it,
 * and an interrupted run, planned again, leaves out what was already loaded.
 *
 * @example
 * ```ts
 * const plan = await planLoad({ tables: TABLES, roots: { cloudtrail, glue: `${dataDir}/raw/glue` }, from, to, ledger,
 *   versions, maxPartitionsPerBatch: 100, extraHours: new Map([['glue_job_runs', collected.touchedHours]]) });
 * plan.batches.map((b) => [b.table.name, b.partitions.length]) // [['cloudtrail_events', 100], ...]
 * ```
 */
export async function planLoad(options: PlanOptions): Promise<LoadPlan> {
  const now = options.now ?? new Date();
  const windowHours = finishedHoursIn(options.from, options.to, now);
  const lateness = options.latenessHours ?? DEFAULT_LATENESS_HOURS;
  const max = options.maxPartitionsPerBatch;
  if (!(max >= 1)) throw new LakeqError('BAD_PLAN', `maxPartitionsPerBatch must be at least 1 (got ${max})`);
  const derivedMax = options.maxPartitionsPerDerivedBatch;
  if (derivedMax !== undefined && !(derivedMax >= 1))
    throw new LakeqError('BAD_PLAN', `maxPartitionsPerDerivedBatch must be at least 1 (got ${derivedMax})`);
  const hoursOf = tableHours(options.tables, windowHours, options.extraHours, floorHour(now).getTime());
  const filesOf = rawFilesByHour(options, hoursOf, lateness);
  const fingerprints = new Map<string, Map<string, string>>();
  // Hours with something to read, per table: an hour with no input and no earlier load is not a partition.
  const withInput = new Map<string, Set<string>>();
  const batches: LoadBatch[] = [];
  const unchanged: UnchangedPartition[] = [];
  for (const table of options.tables) {
    const hours = hoursOf.get(table.name) ?? [];
    const version = options.versions.get(table.transform.queryId) ?? '?';
    const previous = lastLoads(options.ledger, table.name);
    const own = new Map<string, string>();
    fingerprints.set(table.name, own);
    const inputHours = new Set<string>();
    withInput.set(table.name, inputHours);
    const planned: PlannedPartition[] = [];
    const raw = 'source' in table.input ? table.input.source : undefined;
    // Without its source's root a table is left alone: planning it would empty loaded hours.
    if (raw !== undefined && rootOf(options, raw) === undefined) {
      for (const [key, row] of previous) own.set(`${key.slice(0, 10)}T${key.slice(11)}`, row.fingerprint);
      withInput.delete(table.name);
      continue;
    }
    const sourceFiles = raw === undefined ? new Map<string, SourceFile[]>() : await filesOf(raw);
    for (const start of hours) {
      const key = hourKey(start);
      const partition = partitionOf(start);
      const last = previous.get(`${partition.dt}/${partition.hour}`);
      let hourFiles: SourceFile[] = [];
      let inputs: string[];
      if ('source' in table.input) {
        hourFiles = sourceFiles.get(key) ?? [];
        if (hourFiles.length === 0 && !last) continue;
        inputs = hourFiles.map((f) => `${f.path}|${f.size}|${Math.trunc(f.mtimeMs)}`);
      } else {
        const upstreamHasInput = withInput.get(table.input.table)?.has(key);
        const upstream =
          fingerprints.get(table.input.table) ?? fingerprintsFromLedger(options.ledger, table.input.table);
        if (!(upstreamHasInput ?? upstream.has(key)) && !last) continue;
        inputs = [`${table.input.table}:${upstream.get(key) ?? 'none'}`];
      }
      const fingerprint = hash([`${table.transform.queryId}@${version}`, ...inputs]);
      own.set(key, fingerprint);
      inputHours.add(key);
      if (!options.force && last?.fingerprint === fingerprint) {
        unchanged.push({ table: table.name, partition, fingerprint, sourceFiles: hourFiles.length });
        continue;
      }
      const shrink =
        'source' in table.input && !options.force && !options.allowShrink
          ? shrunk(last, hourFiles)
          : undefined;
      if (shrink && last) {
        // What is in place stays, and so does what downstream tables were built from.
        own.set(key, last.fingerprint);
        unchanged.push({
          table: table.name,
          partition,
          fingerprint,
          sourceFiles: hourFiles.length,
          kept: shrink,
        });
        continue;
      }
      const reason: LoadReason =
        options.force && last?.fingerprint === fingerprint ? 'forced' : last ? 'changed' : 'new';
      const guard = !options.force && !options.allowShrink && last && last.rows >= SHRINK_GUARD_MIN_ROWS;
      planned.push({
        ...partition,
        start,
        reason,
        fingerprint,
        files: hourFiles,
        ...(guard ? { keepAbove: last.rows } : {}),
      });
    }
    const span = 'table' in table.input ? (options.maxPartitionsPerDerivedBatch ?? max) : max;
    batches.push(...contiguousBatches(table, planned, span, options.maxBytesPerBatch));
  }
  return {
    runId: options.runId ?? newRunId(now),
    from: options.from,
    to: options.to,
    batches,
    unchanged,
  };
}

/**
 * The hours to plan for each table, sorted: the window's, the table's extra hours, and the
 * hours of the table it reads (tables come in load order, so that one is done first).
 */
function tableHours(
  tables: readonly TableDefinition[],
  windowHours: readonly Date[],
  extraHours: ReadonlyMap<string, readonly Date[]> | undefined,
  currentHour: number,
): Map<string, Date[]> {
  const out = new Map<string, Date[]>();
  for (const table of tables) {
    const times = new Set(windowHours.map((h) => h.getTime()));
    for (const t of extraHours?.get(table.name) ?? []) {
      const start = floorHour(t).getTime();
      if (Number.isNaN(start)) throw new LakeqError('BAD_PLAN', `extra hour of ${table.name} is not a time`);
      if (start < currentHour) times.add(start);
    }
    if ('table' in table.input) for (const h of out.get(table.input.table) ?? []) times.add(h.getTime());
    // A source of day partitions: the first hour of each day, once it is over or under way.
    if ('source' in table.input && sourceOfRaw(table.input.source)?.dayPartitions)
      for (const t of [...times]) times.add(Math.floor(t / DAY_MS) * DAY_MS);
    out.set(
      table.name,
      [...times].sort((a, b) => a - b).map((t) => new Date(t)),
    );
  }
  return out;
}

/** The raw root of the source a raw source name belongs to, if the plan has one. */
function rootOf(options: PlanOptions, raw: RawSourceName): string | undefined {
  const source = sourceOfRaw(raw);
  return source === undefined ? undefined : options.roots[source.name];
}

const DAY_MS = 24 * HOUR_MS;

/** Whether a local folder exists (an `s3://` root is taken to). */
async function folderExists(root: string): Promise<boolean> {
  if (root.startsWith('s3://')) return true;
  return (await stat(root).catch(() => undefined))?.isDirectory() === true;
}

/**
 * A local source folder that does not exist is a mistake (a typo, an unmounted disk), never
 * "no events": planning it would empty every loaded hour of the window.
 */
async function assertSourceRoot(source: string, root: string): Promise<void> {
  if (root.startsWith('s3://')) return;
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new LakeqError(
      'NO_SOURCE',
      `the ${source} source folder ${root} ${info ? 'is not a folder' : 'does not exist'}: set sources.${source} in lakeq.config.json or --source ${source}=DIR`,
      { usage: true },
    );
  }
}

/**
 * The files of each raw source by hour, listed once per raw source (on first use) for the hours
 * of every table that reads it, through its source's `list` hook.
 */
function rawFilesByHour(
  options: PlanOptions,
  hoursOf: ReadonlyMap<string, readonly Date[]>,
  lateness: number,
): (raw: RawSourceName) => Promise<Map<string, SourceFile[]>> {
  const listed = new Map<RawSourceName, Promise<Map<string, SourceFile[]>>>();
  return (raw) => {
    let files = listed.get(raw);
    if (!files) {
      files = listRaw(options, raw, hoursOf, lateness);
      listed.set(raw, files);
    }
    return files;
  };
}

async function listRaw(
  options: PlanOptions,
  raw: RawSourceName,
  hoursOf: ReadonlyMap<string, readonly Date[]>,
  lateness: number,
): Promise<Map<string, SourceFile[]>> {
  const source = sourceOfRaw(raw);
  const root = rootOf(options, raw);
  if (!source?.list || root === undefined)
    throw new LakeqError('BAD_PLAN', `no source lists the raw source "${raw}" (src/sources/index.ts)`);
  const times = new Set<number>();
  for (const table of options.tables) {
    if ('source' in table.input && table.input.source === raw)
      for (const h of hoursOf.get(table.name) ?? []) times.add(h.getTime());
  }
  const hours = [...times].sort((a, b) => a - b).map((t) => new Date(t));
  // Delivered inputs are read where AWS writes them: their folder must be there. (A collected
  // source's folder is lakeq's own, made by its first collection.)
  if (source.inputs === 'delivered' && hours.length > 0) {
    if (source.input.optional !== true) await assertSourceRoot(source.name, root);
    else if (!(await folderExists(root))) return new Map();
  }
  const listing = await source.list();
  return listing.filesByHour({
    raw,
    root,
    hours,
    latenessHours: lateness,
    ...(options.lister ? { lister: options.lister } : {}),
  });
}

/**
 * Why a partition must not be rebuilt from `files`: its last load read some files and had rows,
 * and now none or fewer than half of that many are there. Undefined when it may be.
 */
function shrunk(last: LedgerRow | undefined, files: readonly SourceFile[]): string | undefined {
  if (!last || last.rows === 0 || last.sourceFiles === 0) return undefined;
  if (files.length === 0) {
    return `its ${last.sourceFiles} source files are gone: kept its ${last.rows} rows (--allow-shrink replaces it)`;
  }
  if (files.length * 2 < last.sourceFiles) {
    return `${files.length} of its ${last.sourceFiles} source files remain: kept its ${last.rows} rows (--allow-shrink replaces it)`;
  }
  return undefined;
}

function contiguousBatches(
  table: TableDefinition,
  planned: PlannedPartition[],
  max: number,
  maxBytes = Number.POSITIVE_INFINITY,
): LoadBatch[] {
  const batches: LoadBatch[] = [];
  let current: PlannedPartition[] = [];
  let files = new Set<string>();
  let bytes = 0;
  const flush = () => {
    const head = current[0];
    const tail = current.at(-1);
    if (head && tail) {
      batches.push({
        table,
        from: head.start,
        to: new Date(tail.start.getTime() + HOUR_MS),
        partitions: current,
      });
    }
    current = [];
    files = new Set();
    bytes = 0;
  };
  const added = (p: PlannedPartition) => p.files.reduce((n, f) => (files.has(f.path) ? n : n + f.size), 0);
  for (const p of planned) {
    // A batch spans at most `max` hours; the hours inside it it does not plan are left alone.
    const head = current[0];
    if (head && p.start.getTime() - head.start.getTime() >= max * HOUR_MS) flush();
    // …and reads at most `maxBytes` of files (a file read for several hours counts once).
    else if (head && bytes + added(p) > maxBytes) flush();
    bytes += added(p);
    for (const f of p.files) files.add(f.path);
    current.push(p);
  }
  flush();
  return batches;
}

function fingerprintsFromLedger(ledger: readonly LedgerRow[], table: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, row] of lastLoads(ledger, table))
    out.set(`${key.slice(0, 10)}T${key.slice(11)}`, row.fingerprint);
  return out;
}

function hash(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}

/** Run ids sort by time and never repeat: `20261127T130501Z-1a2b3c4d`. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `${stamp}-${randomUUID().slice(0, 8)}`;
}
