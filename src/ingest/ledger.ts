import path from 'node:path';
import { z } from 'zod';
import { storeAt } from '../storage/local-folder-store.ts';
import type { AppendLog, ObjectStore } from '../storage/object-store.ts';

/** Records a load read but could not place in any partition, by reason. */
export interface DroppedRecords {
  /** No `eventTime`, or one that is not a time (`"not-a-time"`, `"10:61"`). */
  readonly noTime: number;
  /** An `eventTime` after the load ran. */
  readonly future: number;
  /**
   * An `eventTime` in an hour its file is never read for: more than the lateness bound before
   * the file's delivery, or after it. Such a record reaches no partition.
   */
  readonly outsideHours: number;
}

/** One row per (table, partition, run): what a load did to a partition. */
export interface LedgerRow {
  readonly runId: string;
  readonly table: string;
  readonly dt: string;
  readonly hour: string;
  /**
   * `loaded`: written; `skipped`: left alone, its inputs unchanged since the last load (the
   * row counts are 0: nothing was written); `failed`: not written.
   */
  readonly status: 'loaded' | 'skipped' | 'failed';
  readonly rows: number;
  readonly bytes: number;
  /** Fingerprint of the inputs the partition was (or would have been) built from. */
  readonly fingerprint: string;
  /**
   * The partition's content checksum when a file was written: `rowhash:<rows>:<sum of hash() over
   * its rows>` (`partitionContents`), the same for the same rows in any order. Rows loaded
   * before it carry the file's sha256: such a partition counts as changed once.
   */
  readonly checksum?: string;
  readonly sourceFiles: number;
  readonly quarantined: readonly { readonly path: string; readonly reason: string }[];
  /** Records of the files accounted in this hour that no partition holds, by reason (dropped-records.ts). */
  readonly dropped?: DroppedRecords;
  readonly queryId: string;
  readonly queryVersion: string;
  readonly engine: string;
  readonly engineQueryIds: readonly string[];
  readonly bytesScanned?: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly error?: string;
}

const text = z.string();
const count = z.number().int().nonnegative();
/** A ledger line as written: every field `LedgerRow` requires, so a reader never fills one in. */
const LEDGER_ROW = z.object({
  runId: text.min(1),
  table: text.min(1),
  dt: text.regex(/^\d{4}-\d{2}-\d{2}$/),
  hour: text.regex(/^\d{2}$/),
  status: z.enum(['loaded', 'skipped', 'failed']),
  rows: count,
  bytes: count,
  fingerprint: text,
  checksum: text.optional(),
  sourceFiles: count,
  quarantined: z.array(z.object({ path: text, reason: text })),
  dropped: z.object({ noTime: count, future: count, outsideHours: count }).optional(),
  queryId: text,
  queryVersion: text,
  engine: text.min(1),
  engineQueryIds: z.array(text),
  bytesScanned: z.number().optional(),
  startedAt: text,
  finishedAt: text,
  error: text.optional(),
});

/**
 * The ledger as an append-only log: `ledger/runs.ndjson` in a data folder; on S3 one NDJSON
 * object per append under `ledger/`, the location of the Athena table `lakeq_runs`
 * (`ledgerLocation` in src/catalog/athena/ledger-ddl.ts), which reads them all.
 */
export const LEDGER_LOG: AppendLog = { file: 'ledger/runs.ndjson', prefix: 'ledger/' };

/** The ledger's file inside the data folder. */
export function ledgerPath(dataDir: string): string {
  return path.join(dataDir, ...LEDGER_LOG.file.split('/'));
}

/**
 * Appends rows to the run ledger, one JSON line each, in a single write per call, so a
 * killed process loses at most its last line (which readers skip). `where` is the data folder
 * or the orchestration's store.
 *
 * @example
 * ```ts
 * await appendLedger(dataDir, rows);        // <dataDir>/ledger/runs.ndjson
 * await appendLedger(context.store, rows);  // on S3: s3://bucket/prefix/ledger/<time>-<uuid>.ndjson
 * ```
 */
export async function appendLedger(where: string | ObjectStore, rows: readonly LedgerRow[]): Promise<void> {
  if (rows.length === 0) return;
  await storeAt(where).appendLog(LEDGER_LOG, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

/**
 * Reads the ledger. A line cut short by a crash, or one that lacks a field a row must have, is
 * skipped and counted (its 1-based line number in `damaged`), never completed with defaults.
 *
 * @example
 * ```ts
 * const { rows, damagedLines } = await readLedger(dataDir);
 * ```
 */
export async function readLedger(
  where: string | ObjectStore,
): Promise<{ rows: LedgerRow[]; damagedLines: number; damaged: number[] }> {
  const store = storeAt(where);
  const log = await store.readLog(LEDGER_LOG);
  // The ledger only grows, and every batch of a run reads it: the lines read before are not
  // parsed again (checking them is a string comparison; parsing one is a JSON parse and a schema check).
  const known = lastRead?.root === store.root && log.startsWith(lastRead.text) ? lastRead : undefined;
  const rows: LedgerRow[] = known ? [...known.rows] : [];
  const damaged: number[] = known ? [...known.damaged] : [];
  const offset = known ? known.lines : 0;
  const lines = log.slice(known?.text.length ?? 0).split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      damaged.push(offset + i + 1);
      continue;
    }
    const row = LEDGER_ROW.safeParse(parsed);
    if (row.success) rows.push(row.data);
    else damaged.push(offset + i + 1);
  }
  // Only up to a line's end: a line being appended is parsed whole next time.
  if (log.endsWith('\n')) {
    lastRead = {
      root: store.root,
      text: log,
      rows: [...rows],
      damaged: [...damaged],
      lines: offset + lines.length - 1,
    };
  }
  return { rows, damagedLines: damaged.length, damaged };
}

/** The ledger `readLedger` read last: its text and what it held. */
let lastRead:
  | {
      readonly root: string;
      readonly text: string;
      readonly rows: readonly LedgerRow[];
      readonly damaged: readonly number[];
      /** Lines of `text` (it ends with a newline). */
      readonly lines: number;
    }
  | undefined;

/** The last `loaded` row of each partition of a table, keyed `dt/hour`. */
export function lastLoads(rows: readonly LedgerRow[], table: string): Map<string, LedgerRow> {
  const out = new Map<string, LedgerRow>();
  for (const row of rows) {
    if (row.table === table && row.status === 'loaded') out.set(`${row.dt}/${row.hour}`, row);
  }
  return out;
}

/**
 * Whether a loaded partition differs from its previous load (none: an empty hour). DuckDB's
 * rows carry a checksum of the partition's rows; Athena's only rows and bytes, known when they were read
 * from the output (a query id recorded with them), else unknown and counted as changed.
 */
export function changedSince(before: LedgerRow | undefined, row: LedgerRow): boolean {
  if (row.engine === 'duckdb') {
    return (before?.checksum ?? null) !== (row.checksum ?? null) || (before?.rows ?? 0) !== row.rows;
  }
  if (!countsKnown(row) || (before && !countsKnown(before))) return true;
  return (before?.rows ?? 0) !== row.rows || (before?.bytes ?? 0) !== row.bytes;
}

/** A ledger row's rows and bytes are real: DuckDB's always; Athena's when read from the output. */
function countsKnown(row: LedgerRow): boolean {
  return row.engine === 'duckdb' || (row.engine === 'athena' && row.queryId !== '');
}

/**
 * The tables that changed in the ledger after its first `from` rows: a `loaded` row that differs
 * from the partition's load before it (`changedSince`), or, for the ledger itself
 * (`ledgerTable`), any loaded or failed row. What a dataset must be refreshed for is derived
 * from this and the ledger position its last completed refresh saw, so a crash between a load
 * and its refresh cannot lose it.
 *
 * @example
 * ```ts
 * changedTablesAfter(rows, marks['lakeq-glue-job-runs']?.ledgerRows ?? 0, 'lakeq_runs') // Set { 'glue_job_runs', 'lakeq_runs' }
 * ```
 */
export function changedTablesAfter(
  rows: readonly LedgerRow[],
  from: number,
  ledgerTable: string,
): Set<string> {
  const previous = new Map<string, LedgerRow>();
  const changed = new Set<string>();
  for (const [i, row] of rows.entries()) {
    if (row.status !== 'loaded') {
      if (i >= from && row.status === 'failed') changed.add(ledgerTable);
      continue;
    }
    const key = `${row.table}/${row.dt}/${row.hour}`;
    if (i >= from && changedSince(previous.get(key), row)) {
      changed.add(row.table);
      changed.add(ledgerTable);
    }
    previous.set(key, row);
  }
  return changed;
}
