import { HiveSQL } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';
import { LEDGER_COLUMNS, ledgerTableDdl } from '../../src/catalog/athena/ledger-ddl.ts';
import type { LedgerRow } from '../../src/ingest/ledger.ts';

describe('the run ledger on AWS', () => {
  const ddl = ledgerTableDdl({ bucket: 'my-lake', prefix: 'lakeq', database: 'lakeq' });

  it('is Hive DDL over the ledger folder of the lake', () => {
    expect(new HiveSQL().validate(ddl)).toEqual([]);
    expect(ddl).toContain("LOCATION 's3://my-lake/lakeq/ledger/'");
    expect(ddl).toContain('`lakeq`.`lakeq_runs`');
  });

  it('has a column for every field of a ledger row', () => {
    const row: Required<LedgerRow> = {
      runId: 'r',
      table: 't',
      dt: '2026-11-01',
      hour: '00',
      status: 'loaded',
      rows: 1,
      bytes: 1,
      fingerprint: 'f',
      checksum: 'c',
      sourceFiles: 1,
      quarantined: [],
      dropped: { noTime: 0, future: 0, outsideHours: 0 },
      queryId: 'q',
      queryVersion: '1.0.0',
      engine: 'athena',
      engineQueryIds: [],
      bytesScanned: 1,
      startedAt: 's',
      finishedAt: 'f',
      error: 'e',
    };
    expect(LEDGER_COLUMNS.map((c) => c.name).sort()).toEqual(Object.keys(row).sort());
  });
});
