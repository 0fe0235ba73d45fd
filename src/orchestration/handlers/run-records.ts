import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

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

/** `<dataDir>/ledger/state-machine-runs.ndjson`, beside the partition ledger. */
export function runRecordsPath(dataDir: string): string {
  return path.join(dataDir, 'ledger', 'state-machine-runs.ndjson');
}

function pendingPath(dataDir: string): string {
  return path.join(dataDir, 'orchestration', 'pending-refreshes.json');
}

/**
 * Appends a run record (one line, one write).
 *
 * @example
 * ```ts
 * await appendRunRecord(dataDir, { executionName: 'hourly-2026-11-27T13', status: 'FAILED', ... });
 * ```
 */
export async function appendRunRecord(dataDir: string, record: RunRecord): Promise<void> {
  const file = runRecordsPath(dataDir);
  await mkdir(path.dirname(file), { recursive: true });
  await appendFile(file, `${JSON.stringify(record)}\n`);
}

/**
 * The run records, oldest first; a line cut short by a crash is skipped.
 *
 * @example
 * ```ts
 * (await readRunRecords(dataDir)).filter((r) => r.status === 'FAILED')
 * ```
 */
export async function readRunRecords(dataDir: string): Promise<RunRecord[]> {
  let text: string;
  try {
    text = await readFile(runRecordsPath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
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

/** The datasets waiting for a refresh, by id. */
export async function readPendingRefreshes(dataDir: string): Promise<Record<string, PendingRefresh>> {
  try {
    return JSON.parse(await readFile(pendingPath(dataDir), 'utf8')) as Record<string, PendingRefresh>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return {};
    throw error;
  }
}

export async function writePendingRefreshes(
  dataDir: string,
  pending: Record<string, PendingRefresh>,
): Promise<void> {
  const file = pendingPath(dataDir);
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomUUID()}.tmp`;
  await writeFile(temp, JSON.stringify(pending));
  await rename(temp, file);
}

/** Flattens the load Map's output (one list per table stage) into batch records. */
export function flattenLoads<T>(loads: unknown): T[] {
  if (!Array.isArray(loads)) return [];
  return loads.flatMap((stage) => (Array.isArray(stage) ? stage : [stage])) as T[];
}
