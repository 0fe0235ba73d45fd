import { storeAt } from '../../storage/local-folder-store.ts';
import type { AppendLog, ObjectStore } from '../../storage/object-store.ts';

/** One SPICE refresh of a run, as the refresh Map reports it. */
export interface RefreshOutcome {
  readonly datasetId: string;
  readonly ingestionId: string;
  /** COMPLETED, FAILED, CANCELLED (QuickSight), or NOT_STARTED, UNKNOWN, TIMED_OUT (the state machine). */
  readonly status: string;
  readonly rowsIngested?: number;
  readonly error?: unknown;
}

/** One state machine run in the ledger folder: what it loaded and refreshed, or why it failed. */
export interface RunRecord {
  readonly executionName: string;
  readonly runId?: string;
  readonly status: 'SUCCEEDED' | 'REFRESH_FAILED' | 'FAILED';
  readonly from?: string;
  readonly to?: string;
  /** Partitions written (loaded), and of those, whose rows changed. */
  readonly partitions: number;
  readonly changedPartitions: number;
  readonly rows: number;
  readonly changedTables: readonly string[];
  readonly refreshed: readonly RefreshOutcome[];
  readonly skipped: readonly { readonly datasetId: string; readonly reason: string }[];
  readonly error?: { readonly Error: string; readonly Cause: string };
  /** True when the failure is on the non-retryable list: running the same again fails the same way. */
  readonly nonRetryable?: boolean;
  readonly recordedAt: string;
}

/** A dataset whose tables changed but whose snapshot is not refreshed yet. */
export interface PendingRefresh {
  readonly since: string;
  readonly reason: string;
}

/**
 * The run records as an append-only log: `ledger/state-machine-runs.ndjson` in a data folder,
 * beside the partition ledger; on S3 under `orchestration/runs/`, outside `ledger/` (the Athena
 * table `lakeq_runs` reads every object there as ledger rows).
 */
export const RUN_RECORDS_LOG: AppendLog = {
  file: 'ledger/state-machine-runs.ndjson',
  prefix: 'orchestration/runs/',
  useSpaceReserve: true,
};

const PENDING_KEY = 'orchestration/pending-refreshes.json';
const REFRESH_MARKS_KEY = 'orchestration/refresh-marks.json';

/** How far into the ledger a dataset's last completed refresh saw: its rows then. */
export interface RefreshMark {
  readonly ledgerRows: number;
  readonly at: string;
}

/**
 * Each dataset's mark (none when the file is missing or damaged: then every dataset whose
 * tables were ever loaded is refreshed once).
 *
 * @example
 * ```ts
 * (await readRefreshMarks(context.store))['lakeq-glue-job-runs']?.ledgerRows // 1200
 * ```
 */
export async function readRefreshMarks(where: string | ObjectStore): Promise<Record<string, RefreshMark>> {
  return readMarks<RefreshMark>(storeAt(where), REFRESH_MARKS_KEY);
}

/**
 * A JSON object of marks by id (refresh marks, pending refreshes, report marks); none when the
 * object is missing or damaged (a torn write): what depends on a mark is then done again.
 *
 * @example
 * ```ts
 * await readMarks<RefreshMark>(context.store, 'orchestration/refresh-marks.json') // { 'lakeq-glue-job-runs': { ledgerRows: 1200, … } }
 * ```
 */
export async function readMarks<T>(store: ObjectStore, key: string): Promise<Record<string, T>> {
  const text = await store.get(key);
  if (text === undefined) return {};
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, T>)
      : {};
  } catch (error) {
    if (error instanceof SyntaxError) return {};
    throw error;
  }
}

/** Replaces the refresh marks (whole). */
export async function writeRefreshMarks(
  where: string | ObjectStore,
  marks: Record<string, RefreshMark>,
): Promise<void> {
  await storeAt(where).put(REFRESH_MARKS_KEY, JSON.stringify(marks));
}

/**
 * Appends a run record (one line, one write). `where` is the data folder or the store.
 *
 * @example
 * ```ts
 * await appendRunRecord(context.store, { executionName: 'hourly-2026-11-27T13', status: 'FAILED', ... });
 * ```
 */
export async function appendRunRecord(where: string | ObjectStore, record: RunRecord): Promise<void> {
  await storeAt(where).appendLog(RUN_RECORDS_LOG, `${JSON.stringify(record)}\n`);
}

/**
 * The run records, oldest first; a line cut short by a crash is skipped.
 *
 * @example
 * ```ts
 * (await readRunRecords(dataDir)).filter((r) => r.status === 'FAILED')
 * ```
 */
export async function readRunRecords(where: string | ObjectStore): Promise<RunRecord[]> {
  const text = await storeAt(where).readLog(RUN_RECORDS_LOG);
  const out: RunRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as RunRecord);
    } catch {
      // a line cut short by a kill
    }
  }
  return out;
}

/**
 * The datasets waiting for a refresh, by id (none when the file is missing or damaged).
 *
 * @example
 * ```ts
 * Object.keys(await readPendingRefreshes(context.store)) // ['lakeq-identity-center-instance-churn-hourly']
 * ```
 */
export async function readPendingRefreshes(
  where: string | ObjectStore,
): Promise<Record<string, PendingRefresh>> {
  return readMarks<PendingRefresh>(storeAt(where), PENDING_KEY);
}

/**
 * Replaces the pending refreshes (whole: a reader sees the old set or the new).
 *
 * @example
 * ```ts
 * await writePendingRefreshes(context.store, { 'lakeq-x': { since: now, reason: 'tables changed' } });
 * ```
 */
export async function writePendingRefreshes(
  where: string | ObjectStore,
  pending: Record<string, PendingRefresh>,
): Promise<void> {
  await storeAt(where).put(PENDING_KEY, JSON.stringify(pending));
}

/** Flattens the load Map's output (one list per table stage) into batch records. */
export function flattenLoads<T>(loads: unknown): T[] {
  if (!Array.isArray(loads)) return [];
  return loads.flatMap((stage) => (Array.isArray(stage) ? stage : [stage])) as T[];
}
