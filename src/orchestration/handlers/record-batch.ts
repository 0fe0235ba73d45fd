import { appendLedger, type LedgerRow, lastLoads, readLedger } from '../../ingest/ledger.ts';
import type { HandlerContext } from './handler-context.ts';
import { loadStoredBatch, loadSwitch } from './plan-store.ts';

/** What a batch did, as the load Map returns it. */
export interface BatchRecord {
  readonly runId: string;
  readonly index: number;
  readonly table: string;
  readonly partitions: number;
  readonly loaded: number;
  readonly rows: number;
  readonly bytes: number;
  /** Loaded partitions whose rows differ from their previous load (a new empty hour does not count). */
  readonly changedPartitions: number;
  readonly queryExecutionId?: string;
}

/**
 * Lambda action `recordBatch`, run once the batch's partitions are switched: makes sure the
 * ledger has this run's rows for the batch's partitions and says how many changed, then deletes
 * the old prefixes the switch freed (`cleanup` of `batchInputs`). Idempotent: rows already there
 * (the local loader writes them as it switches each partition) are not written again; otherwise
 * (Athena) a `loaded` row per partition is appended with the query id, and, row counts being
 * unknown, counted as changed; a prefix deleted before is empty.
 *
 * @example
 * ```ts
 * await recordBatch({ runId, index: 0, queryExecutionId: 'q-1', dataScannedInBytes: 1024 }, context)
 * // { table: 'cloudtrail_events', partitions: 3, loaded: 3, rows: 120, changedPartitions: 1, ... }
 * ```
 */
export async function recordBatch(
  payload: { runId: string; index: number; queryExecutionId?: string; dataScannedInBytes?: number },
  context: HandlerContext,
): Promise<BatchRecord> {
  const { plan, batch } = await loadStoredBatch(context.store, payload.runId, payload.index);
  const { rows: ledger } = await readLedger(context.store);
  const keys = new Set(batch.partitions.map((p) => `${p.dt}/${p.hour}`));
  const inBatch = (r: LedgerRow) => r.table === batch.table && keys.has(`${r.dt}/${r.hour}`);
  const earlier = lastLoads(
    ledger.filter((r) => r.runId !== plan.runId),
    batch.table,
  );
  const mine = new Map<string, LedgerRow>();
  for (const r of ledger) if (r.runId === plan.runId && inBatch(r)) mine.set(`${r.dt}/${r.hour}`, r);
  if (mine.size === 0) {
    const now = context.now.toISOString();
    const rows: LedgerRow[] = batch.partitions.map((p) => ({
      runId: plan.runId,
      table: batch.table,
      dt: p.dt,
      hour: p.hour,
      status: 'loaded',
      rows: 0,
      bytes: 0,
      fingerprint: p.fingerprint,
      sourceFiles: p.files.length,
      quarantined: [],
      queryId: '',
      queryVersion: '',
      engine: 'athena',
      engineQueryIds: payload.queryExecutionId ? [payload.queryExecutionId] : [],
      ...(payload.dataScannedInBytes !== undefined ? { bytesScanned: payload.dataScannedInBytes } : {}),
      startedAt: now,
      finishedAt: now,
    }));
    await appendLedger(context.store, rows);
    for (const r of rows) mine.set(`${r.dt}/${r.hour}`, r);
  }
  for (const prefix of (await loadSwitch(context.store, plan.runId, batch.index))?.cleanup ?? []) {
    await context.deletePrefix(prefix);
  }
  let loaded = 0;
  let rows = 0;
  let bytes = 0;
  let changed = 0;
  for (const [key, row] of mine) {
    if (row.status !== 'loaded') continue;
    loaded++;
    rows += row.rows;
    bytes += row.bytes;
    const before = earlier.get(key);
    const unknown = row.engine !== 'duckdb';
    if (
      unknown ||
      (before?.checksum ?? null) !== (row.checksum ?? null) ||
      (before?.rows ?? 0) !== row.rows
    ) {
      changed++;
    }
  }
  return {
    runId: plan.runId,
    index: batch.index,
    table: batch.table,
    partitions: batch.partitions.length,
    loaded,
    rows,
    bytes,
    changedPartitions: changed,
    ...(payload.queryExecutionId ? { queryExecutionId: payload.queryExecutionId } : {}),
  };
}
