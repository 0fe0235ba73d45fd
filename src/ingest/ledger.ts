import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';

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
  /** sha256 of the partition file, when one was written. */
  readonly checksum?: string;
  readonly sourceFiles: number;
  readonly quarantined: readonly { readonly path: string; readonly reason: string }[];
  readonly queryId: string;
  readonly queryVersion: string;
  readonly engine: string;
  readonly engineQueryIds: readonly string[];
  readonly bytesScanned?: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly error?: string;
}

/** The ledger's file inside the data folder. */
export function ledgerPath(dataDir: string): string {
  return path.join(dataDir, 'ledger', 'runs.ndjson');
}

/**
 * Appends rows to the run ledger, one JSON line each, in a single write per call, so a
 * killed process loses at most its last line (which readers skip).
 */
export async function appendLedger(dataDir: string, rows: readonly LedgerRow[]): Promise<void> {
  if (rows.length === 0) return;
  const file = ledgerPath(dataDir);
  await mkdir(path.dirname(file), { recursive: true });
  await appendFile(file, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

/** Reads the ledger; a line cut short by a crash is skipped and counted. */
export async function readLedger(dataDir: string): Promise<{ rows: LedgerRow[]; damagedLines: number }> {
  let text: string;
  try {
    text = await readFile(ledgerPath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { rows: [], damagedLines: 0 };
    throw error;
  }
  const rows: LedgerRow[] = [];
  let damagedLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      rows.push(JSON.parse(line) as LedgerRow);
    } catch {
      damagedLines++;
    }
  }
  return { rows, damagedLines };
}

/** The last `loaded` row of each partition of a table, keyed `dt/hour`. */
export function lastLoads(rows: readonly LedgerRow[], table: string): Map<string, LedgerRow> {
  const out = new Map<string, LedgerRow>();
  for (const row of rows) {
    if (row.table === table && row.status === 'loaded') out.set(`${row.dt}/${row.hour}`, row);
  }
  return out;
}
