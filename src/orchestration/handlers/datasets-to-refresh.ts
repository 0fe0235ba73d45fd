import { LEDGER_TABLE } from '../../catalog/athena/ledger-ddl.ts';
import { datasetsReading, SPICE_DATASETS } from '../../dashboards/datasets.ts';
import { changedTablesAfter, readLedger } from '../../ingest/ledger.ts';
import type { HandlerContext } from './handler-context.ts';
import type { BatchRecord } from './record-batch.ts';
import {
  flattenLoads,
  readPendingRefreshes,
  readRefreshMarks,
  writePendingRefreshes,
} from './run-records.ts';

/** One refresh for the refresh Map: the ingestion id is derived from the execution name. */
export interface RefreshItem {
  readonly datasetId: string;
  readonly ingestionId: string;
  /** The poll counter the state machine increments (States.MathAdd). */
  readonly polls: { readonly n: 0 };
}

export interface SkippedRefresh {
  readonly datasetId: string;
  readonly reason: 'INGESTION_RUNNING' | 'QUOTA';
}

const ACTIVE = new Set(['INITIALIZED', 'QUEUED', 'RUNNING']);
const DAY_MS = 86_400_000;

/**
 * Lambda action `datasetsToRefresh`: each SPICE dataset reading a table whose rows changed in
 * this run, plus those left unrefreshed by earlier runs, once. "Left unrefreshed" is derived from
 * the ledger: a table changed after the ledger position the dataset's last completed refresh saw
 * (its mark, written by recordRun), so a run killed between its loads and its refresh is caught
 * up by the next one whatever it loads itself. A dataset with an ingestion
 * running, or refreshed `spiceQuotaPerDay` times in the last 24 hours, is skipped and stays
 * pending, so a later run refreshes it.
 *
 * @example
 * ```ts
 * await datasetsToRefresh({ runId, executionName: 'hourly-2026-11-27T13', loads }, context)
 * // { refresh: [{ datasetId: 'lakeq-identity-center-instance-churn-hourly', ingestionId: 'hourly-2026-11-27T13', polls: { n: 0 } }], skipped: [], changedTables: [...] }
 * ```
 */
export async function datasetsToRefresh(
  payload: { runId: string; executionName: string; loads: unknown },
  context: HandlerContext,
): Promise<{ refresh: RefreshItem[]; skipped: SkippedRefresh[]; changedTables: string[] }> {
  const batches = flattenLoads<BatchRecord>(payload.loads);
  const changedTables = [...new Set(batches.filter((b) => b.changedPartitions > 0).map((b) => b.table))];
  const pending = await readPendingRefreshes(context.store);
  const wanted = new Set([...datasetsReading(changedTables).map((d) => d.id), ...Object.keys(pending)]);
  const [{ rows: ledger }, marks] = await Promise.all([
    readLedger(context.store),
    readRefreshMarks(context.store),
  ]);
  for (const dataset of SPICE_DATASETS) {
    const since = changedTablesAfter(ledger, marks[dataset.id]?.ledgerRows ?? 0, LEDGER_TABLE);
    if (dataset.tables.some((t) => since.has(t))) wanted.add(dataset.id);
  }
  const ingestionId = payload.executionName.replace(/[^a-zA-Z0-9_-]/g, '-').slice(0, 128);
  const refresh: RefreshItem[] = [];
  const skipped: SkippedRefresh[] = [];
  for (const dataset of SPICE_DATASETS.filter((d) => wanted.has(d.id))) {
    const ingestions = await context.listIngestions(dataset.id);
    const lastDay = ingestions.filter((i) => Date.parse(i.CreatedTime) > context.now.getTime() - DAY_MS);
    if (ingestions.some((i) => ACTIVE.has(i.IngestionStatus))) {
      skipped.push({ datasetId: dataset.id, reason: 'INGESTION_RUNNING' });
    } else if (lastDay.length >= context.spiceQuotaPerDay) {
      skipped.push({ datasetId: dataset.id, reason: 'QUOTA' });
    } else {
      refresh.push({ datasetId: dataset.id, ingestionId, polls: { n: 0 } });
    }
    // Pending until a refresh COMPLETES (recordRun clears it): a failed or killed run leaves it for the next.
    pending[dataset.id] ??= { since: context.now.toISOString(), reason: 'tables changed' };
  }
  for (const s of skipped)
    pending[s.datasetId] = {
      since: pending[s.datasetId]?.since ?? context.now.toISOString(),
      reason: s.reason,
    };
  if (wanted.size > 0) await writePendingRefreshes(context.store, pending);
  return { refresh, skipped, changedTables };
}
