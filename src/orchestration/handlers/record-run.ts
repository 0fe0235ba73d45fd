import { tableByName } from '../../catalog/tables/index.ts';
import { datasetsReading } from '../../dashboards/datasets.ts';
import { isNonRetryable } from '../../ingest/athena/partition-switch-plan.ts';
import { appendLedger, type LedgerRow, readLedger } from '../../ingest/ledger.ts';
import { loadQuery } from '../../query/registry.ts';
import type { HandlerContext } from './handler-context.ts';
import { deleteStoredPlan, loadStoredPlan } from './plan-store.ts';
import type { BatchRecord } from './record-batch.ts';
import {
  appendRunRecord,
  flattenLoads,
  type RefreshOutcome,
  type RunRecord,
  readPendingRefreshes,
  readRefreshMarks,
  writePendingRefreshes,
  writeRefreshMarks,
} from './run-records.ts';

/** The state a run has gathered by its end (the hourly/backfill state after the refresh Map). */
interface RunState {
  readonly runId?: string;
  readonly from?: string;
  readonly to?: string;
  readonly loads?: unknown;
  readonly datasets?: { readonly skipped?: readonly { datasetId: string; reason: string }[] };
  readonly refreshes?: readonly {
    datasetId: string;
    ingestionId: string;
    status: string;
    ingestion?: { RowInfo?: { RowsIngested?: number } };
    error?: unknown;
  }[];
  readonly error?: { readonly Error: string; readonly Cause: string };
}

/**
 * Lambda action `recordRun`: the run record of a run whose loads succeeded. Datasets refreshed
 * (COMPLETED) stop being pending; `refreshFailed` counts the others, and the state machine fails
 * when it is not 0, after recording.
 *
 * @example
 * ```ts
 * await recordRun({ executionName: 'hourly-2026-11-27T13', run: state }, context)
 * // { status: 'SUCCEEDED', partitions: 6, changedTables: ['cloudtrail_events', ...], refreshed: [...], refreshFailed: 0 }
 * ```
 */
export async function recordRun(
  payload: { executionName: string; run: RunState },
  context: HandlerContext,
): Promise<RunRecord & { refreshFailed: number }> {
  const run = payload.run ?? {};
  const batches = flattenLoads<BatchRecord>(run.loads);
  const refreshed: RefreshOutcome[] = (run.refreshes ?? []).map((r) => ({
    datasetId: r.datasetId,
    ingestionId: r.ingestionId,
    status: r.status,
    ...(r.ingestion?.RowInfo?.RowsIngested !== undefined
      ? { rowsIngested: r.ingestion.RowInfo.RowsIngested }
      : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
  }));
  const refreshFailed = refreshed.filter((r) => r.status !== 'COMPLETED').length;
  const done = refreshed.filter((r) => r.status === 'COMPLETED').map((r) => r.datasetId);
  if (done.length > 0) {
    // The loads came before the refreshes: each snapshot saw the ledger as it is now.
    const [{ rows: ledger }, marks, pending] = await Promise.all([
      readLedger(context.store),
      readRefreshMarks(context.store),
      readPendingRefreshes(context.store),
    ]);
    for (const id of done) {
      marks[id] = { ledgerRows: ledger.length, at: context.now.toISOString() };
      delete pending[id];
    }
    await writeRefreshMarks(context.store, marks);
    await writePendingRefreshes(context.store, pending);
  }
  const record: RunRecord = {
    executionName: payload.executionName,
    ...(run.runId ? { runId: run.runId } : {}),
    status: refreshFailed > 0 ? 'REFRESH_FAILED' : 'SUCCEEDED',
    ...(run.from ? { from: run.from } : {}),
    ...(run.to ? { to: run.to } : {}),
    ...loadTotals(batches),
    refreshed,
    skipped: run.datasets?.skipped ?? [],
    recordedAt: context.now.toISOString(),
  };
  if (run.runId) await recordSkipped(context, run.runId);
  await appendRunRecord(context.store, record);
  // Its plan served only this run's tasks (a failed run keeps it for a redrive: pruneStoredPlans).
  if (run.runId) await deleteStoredPlan(context.store, run.runId);
  return { ...record, refreshFailed };
}

/**
 * Lambda action `recordFailure`: the run record of a run that stopped on an error (the Catch
 * of its planning, load or refresh states). It notes whether the error is on the non-retryable
 * list, so an operator knows that running it again will not help. Batches that did load before
 * the failure stay loaded (they will not be planned again), so the datasets reading their tables
 * become pending: the next run that gets to its refresh step refreshes them.
 *
 * @example
 * ```ts
 * await recordFailure({ executionName, state: { runId, error: { Error: 'States.TaskFailed', Cause: 'HIVE_TOO_MANY_OPEN_PARTITIONS: ...' } } }, context)
 * // { status: 'FAILED', nonRetryable: true, ... }
 * ```
 */
export async function recordFailure(
  payload: { executionName: string; state: RunState },
  context: HandlerContext,
): Promise<RunRecord> {
  const state = payload.state ?? {};
  const error = state.error ?? { Error: 'Unknown', Cause: 'no error in the state' };
  const record: RunRecord = {
    executionName: payload.executionName,
    ...(state.runId ? { runId: state.runId } : {}),
    status: 'FAILED',
    ...(state.from ? { from: state.from } : {}),
    ...(state.to ? { to: state.to } : {}),
    ...loadTotals(flattenLoads<BatchRecord>(state.loads)),
    refreshed: [],
    skipped: [],
    error,
    nonRetryable: isNonRetryable(error),
    recordedAt: context.now.toISOString(),
  };
  // The failure is recorded whatever else fails here: on a full disk only the run records may
  // use the space reserve, and a pending-refresh file that cannot be written must not hide it.
  let notRecorded: unknown;
  if (state.runId) {
    try {
      const { rows } = await readLedger(context.store);
      await recordSkipped(context, state.runId, rows);
      await markLoadedTablesPending(context, state.runId, rows);
    } catch (e) {
      notRecorded = e;
    }
  }
  await appendRunRecord(context.store, record);
  if (notRecorded !== undefined) throw notRecorded;
  return record;
}

/**
 * Ledger rows (`skipped`) for the partitions the run left alone, as `lakeq load` writes them, so
 * every run says what it did with each hour. Written once, however often the task is retried.
 */
async function recordSkipped(
  context: HandlerContext,
  runId: string,
  ledger?: readonly LedgerRow[],
): Promise<void> {
  const plan = await loadStoredPlan(context.store, runId).catch(() => undefined);
  if (!plan || (plan.skipped ?? []).length === 0) return;
  const rows = ledger ?? (await readLedger(context.store)).rows;
  const written = new Set(rows.filter((r) => r.runId === runId).map((r) => `${r.table} ${r.dt} ${r.hour}`));
  const at = context.now.toISOString();
  const out: LedgerRow[] = [];
  for (const p of plan.skipped) {
    const table = tableByName(p.table);
    if (!table || written.has(`${p.table} ${p.dt} ${p.hour}`)) continue;
    const query = await loadQuery(table.transform.queryId);
    out.push({
      runId,
      table: p.table,
      dt: p.dt,
      hour: p.hour,
      status: 'skipped',
      rows: 0,
      bytes: 0,
      fingerprint: p.fingerprint,
      sourceFiles: p.sourceFiles,
      quarantined: [],
      queryId: query.id,
      queryVersion: query.version,
      engine: 'duckdb',
      engineQueryIds: [],
      startedAt: at,
      finishedAt: at,
      ...(p.kept ? { error: p.kept } : {}),
    });
  }
  await appendLedger(context.store, out);
}

/** `rows`: the ledger as read before this task wrote to it (the loaded rows are older). */
async function markLoadedTablesPending(
  context: HandlerContext,
  runId: string,
  rows: readonly LedgerRow[],
): Promise<void> {
  const loaded = new Set(rows.filter((r) => r.runId === runId && r.status === 'loaded').map((r) => r.table));
  const datasets = datasetsReading(loaded);
  if (datasets.length === 0) return;
  const pending = await readPendingRefreshes(context.store);
  for (const d of datasets)
    pending[d.id] ??= { since: context.now.toISOString(), reason: 'a failed run loaded its tables' };
  await writePendingRefreshes(context.store, pending);
}

function loadTotals(batches: readonly BatchRecord[]) {
  return {
    partitions: batches.reduce((n, b) => n + b.loaded, 0),
    changedPartitions: batches.reduce((n, b) => n + b.changedPartitions, 0),
    rows: batches.reduce((n, b) => n + b.rows, 0),
    changedTables: [...new Set(batches.filter((b) => b.changedPartitions > 0).map((b) => b.table))],
  };
}
