import path from 'node:path';
import { storeAt } from '../storage/local-folder-store.ts';
import type { AppendLog, ObjectStore } from '../storage/object-store.ts';

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
 * Reads the ledger; a line cut short by a crash is skipped and counted.
 *
 * @example
 * ```ts
 * const { rows, damagedLines } = await readLedger(dataDir);
 * ```
 */
export async function readLedger(
  where: string | ObjectStore,
): Promise<{ rows: LedgerRow[]; damagedLines: number }> {
  const text = await storeAt(where).readLog(LEDGER_LOG);
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
