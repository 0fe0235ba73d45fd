import type { LedgerRow } from '../../src/ingest/ledger.ts';

/** A ledger row as a load writes it, with what a test cares about given. */
export function ledgerRow(
  row: Pick<LedgerRow, 'table' | 'dt' | 'hour' | 'status' | 'finishedAt'> & Partial<LedgerRow>,
): LedgerRow {
  const { table, dt, hour, status, finishedAt } = row;
  return {
    runId: `run-${finishedAt}`,
    rows: 0,
    bytes: 0,
    fingerprint: `fp-${table}-${dt}-${hour}`,
    sourceFiles: 1,
    quarantined: [],
    queryId: `transforms/${table}`,
    queryVersion: '1.0.0',
    engine: 'duckdb',
    engineQueryIds: [],
    startedAt: finishedAt,
    ...row,
    ...(status === 'failed' ? { error: row.error ?? 'boom' } : {}),
  };
}
