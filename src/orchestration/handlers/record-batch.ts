import { tableByName } from '../../catalog/tables/index.ts';
import { LakeqError } from '../../engines/engine.ts';
import { appendLedger, changedSince, type LedgerRow, lastLoads, readLedger } from '../../ingest/ledger.ts';
import { loadQuery } from '../../query/registry.ts';
import type { HandlerContext, OutputStats } from './handler-context.ts';
import { loadStoredBatch, loadSwitch, type StoredSwitch } from './plan-store.ts';

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
 * (Athena) a `loaded` row per partition is appended with the Athena query execution id. UNLOAD
 * reports no row counts, so where the context has `outputStats` the rows and bytes of each hour
 * are read from what the UNLOAD wrote under the batch's output prefix (Parquet footers; an hour
 * without a file has 0 rows), with the transform's query id and version. A partition changed
 * when its rows or bytes differ from its previous load (DuckDB's loads: rows or checksum); where
 * either side's counts are unknown (no `outputStats`, or Athena rows written before) it counts as
 * changed. A prefix deleted before is empty.
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
  const stored = await loadSwitch(context.store, plan.runId, batch.index);
  if (mine.size === 0) {
    const now = context.now.toISOString();
    const output = await athenaOutput(batch.table, plan.runId, batch.index, stored, context);
    const rows: LedgerRow[] = batch.partitions.map((p) => ({
      runId: plan.runId,
      table: batch.table,
      dt: p.dt,
      hour: p.hour,
      status: 'loaded',
      rows: output?.stats.partitions.get(`${p.dt}/${p.hour}`)?.rows ?? 0,
      bytes: output?.stats.partitions.get(`${p.dt}/${p.hour}`)?.bytes ?? 0,
      fingerprint: p.fingerprint,
      sourceFiles: p.files.length,
      quarantined: [],
      queryId: output?.queryId ?? '',
      queryVersion: output?.queryVersion ?? '',
      engine: 'athena',
      engineQueryIds: payload.queryExecutionId ? [payload.queryExecutionId] : [],
      ...(payload.dataScannedInBytes !== undefined ? { bytesScanned: payload.dataScannedInBytes } : {}),
      startedAt: now,
      finishedAt: now,
    }));
    await appendLedger(context.store, rows);
    for (const r of rows) mine.set(`${r.dt}/${r.hour}`, r);
  }
  for (const prefix of stored?.cleanup ?? []) {
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
    if (changedSince(earlier.get(key), row)) changed++;
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

/**
 * What the batch's UNLOAD wrote, per partition, and the transform that wrote it; undefined where
 * the context cannot read the output (locally).
 */
async function athenaOutput(
  tableName: string,
  runId: string,
  index: number,
  stored: StoredSwitch | undefined,
  context: HandlerContext,
): Promise<{ stats: OutputStats; queryId: string; queryVersion: string } | undefined> {
  if (!context.outputStats) return undefined;
  if (!stored) {
    throw new LakeqError(
      'NO_SWITCH',
      `batch ${index} of run ${runId} has no stored output prefix: batchInputs did not run for it`,
    );
  }
  const table = tableByName(tableName);
  if (!table) throw new LakeqError('UNKNOWN_TABLE', `unknown table "${tableName}" in run ${runId}`);
  const query = await loadQuery(table.transform.queryId);
  return {
    stats: await context.outputStats(stored.outputPrefix),
    queryId: query.id,
    queryVersion: query.version,
  };
}
