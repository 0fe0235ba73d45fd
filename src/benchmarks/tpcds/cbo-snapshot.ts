import { createIngestion, describeIngestion } from '../../orchestration/local-spice.ts';

/** The SPICE dataset of `tpcds_cbo_runs` (src/dashboards/datasets.ts), which the dashboard `tpcds-cbo` reads. */
export const CBO_RUNS_DATASET = 'lakeq-tpcds-cbo-runs';

/**
 * Refreshes the local SPICE snapshot of `tpcds_cbo_runs` after a comparison was recorded, so the
 * local dashboard shows it (no load writes the table, so no load refreshes it). On QuickSight the
 * dataset is refreshed by deploy or by hand.
 *
 * @example
 * ```ts
 * await refreshCboSnapshot('./lakeq-data', './lakeq-data/raw/tpcds', '20261202T031500Z-duckdb') // 'COMPLETED'
 * ```
 */
export async function refreshCboSnapshot(dataDir: string, root: string, runId: string): Promise<string> {
  const spice = { dataDir, roots: { tpcds: root } };
  const input = { DataSetId: CBO_RUNS_DATASET, IngestionId: `tpcds-compare-${runId}` };
  await createIngestion(spice, input);
  const { Ingestion } = await describeIngestion(spice, input, { waitMs: 120_000 });
  return Ingestion.IngestionStatus;
}
