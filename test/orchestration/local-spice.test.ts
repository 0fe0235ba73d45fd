import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SPICE_DATASETS, type SpiceDataset } from '../../src/dashboards/datasets.ts';
import type { DuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.ts';
import { appendLedger } from '../../src/ingest/ledger.ts';
import { localHandlerContext } from '../../src/orchestration/handlers/handler-context.ts';
import {
  closeLocalLoadEngines,
  lendLoadEngine,
  prepareLocalLoadEngines,
} from '../../src/orchestration/local-services/local-athena.ts';
import {
  createIngestion,
  describeIngestion,
  type LocalSpiceOptions,
  latestSnapshot,
  listIngestions,
  type SpiceEngineLender,
  spiceDir,
} from '../../src/orchestration/local-spice.ts';
import { ledgerRow } from '../alarms/ledger-rows.ts';
import { expectValidRequest } from '../support/aws-model-validator.ts';

const TABLE_DATASET: SpiceDataset = {
  id: 'lakeq-events',
  name: 'Glue job runs',
  description: 'every run',
  tables: ['glue_job_runs'],
  source: { table: 'glue_job_runs' },
};
const BROKEN: SpiceDataset = { ...TABLE_DATASET, id: 'lakeq-broken', source: { table: 'no_such_table' } };

let dataDir: string;
let clock: Date;
let spice: LocalSpiceOptions;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'lakeq-spice-'));
  clock = new Date('2026-11-27T12:00:00Z');
  spice = {
    dataDir,
    roots: { cloudtrail: path.join(dataDir, 'raw') },
    now: () => clock,
    quotaPerDay: 3,
    datasets: [TABLE_DATASET, BROKEN],
  };
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const done = (DataSetId: string, IngestionId: string) =>
  describeIngestion(spice, { DataSetId, IngestionId }, { waitMs: 30_000 });

describe('local SPICE snapshots', () => {
  it('answers CreateIngestion at once and reports the snapshot through DescribeIngestion', async () => {
    const created = await createIngestion(spice, {
      DataSetId: 'lakeq-events',
      IngestionId: 'run-1',
      IngestionType: 'FULL_REFRESH',
    });
    expect(created).toMatchObject({ IngestionId: 'run-1', IngestionStatus: 'INITIALIZED', Status: 201 });
    const { Ingestion } = await done('lakeq-events', 'run-1');
    expect(Ingestion).toMatchObject({
      IngestionStatus: 'COMPLETED',
      RowInfo: { RowsIngested: 0, RowsDropped: 0 },
      CreatedTime: '2026-11-27T12:00:00.000Z',
      RequestType: 'FULL_REFRESH',
    });
    expect(Ingestion.IngestionTimeInSeconds).toBeGreaterThanOrEqual(0);
    const latest = await latestSnapshot(dataDir, 'lakeq-events');
    expect(latest?.file).toBe(path.join(spiceDir(dataDir, 'lakeq-events'), 'run-1.parquet'));
  });

  it("borrows a run's idle load engine, its views made again over what is loaded; its own engine when none is lent", async () => {
    const pipeline = SPICE_DATASETS.find((d) => d.id === 'lakeq-pipeline-runs');
    if (!pipeline) throw new Error('no ledger dataset');
    const context = localHandlerContext({ dataDir, sources: {} });
    // Opened as a run plans: before its loads wrote the ledger, or any table.
    prepareLocalLoadEngines(context, 'hourly');
    const row = (hour: string) =>
      ledgerRow({
        table: 'cloudtrail_events',
        dt: '2026-11-27',
        hour,
        status: 'loaded',
        finishedAt: '2026-11-27T14:00:00.000Z',
      });
    const lender = lendLoadEngine(context);
    const ledgerRows = (engine: DuckDbEngine) =>
      engine.execute<{ n: number }>(CompiledQuery.raw('SELECT count(*) AS n FROM lakeq_runs'));
    expect((await lender(undefined, ledgerRows))?.rows).toEqual([{ n: 0 }]);
    await appendLedger(dataDir, [row('10'), row('11')]);
    const lent: (string[] | undefined)[] = [];
    const withEngine: SpiceEngineLender = (tables, fn) => {
      const answer = lender(tables, fn);
      if (answer) lent.push(tables?.map((t) => t.name));
      return answer;
    };
    const options = { ...spice, datasets: [pipeline, TABLE_DATASET], withEngine };
    const ingest = async (DataSetId: string, IngestionId: string) => {
      await createIngestion(options, { DataSetId, IngestionId });
      return (await describeIngestion(options, { DataSetId, IngestionId }, { waitMs: 30_000 })).Ingestion;
    };
    expect(await ingest(pipeline.id, 'run-1')).toMatchObject({
      IngestionStatus: 'COMPLETED',
      RowInfo: { RowsIngested: 2 },
    });
    expect(await ingest('lakeq-events', 'run-1')).toMatchObject({ IngestionStatus: 'COMPLETED' });
    // The ledger is no curated table: no table's view is made again for it; a table's dataset, its own's.
    expect(lent).toEqual([[], ['glue_job_runs']]);
    // The run's end closes its engines: nothing left to lend, the refresh opens its own.
    await closeLocalLoadEngines(context);
    await appendLedger(dataDir, [row('12')]);
    expect(await ingest(pipeline.id, 'run-2')).toMatchObject({ RowInfo: { RowsIngested: 3 } });
    expect(lent).toHaveLength(2);
  });

  it('takes the requests the state machine sends (valid for the QuickSight model)', () => {
    const request = {
      AwsAccountId: '000000000000',
      DataSetId: 'lakeq-events',
      IngestionId: 'hourly-2026-11-27T13',
    };
    expectValidRequest('quicksight', 'CreateIngestion', { ...request, IngestionType: 'FULL_REFRESH' });
    expectValidRequest('quicksight', 'DescribeIngestion', request);
  });

  it('refuses what QuickSight refuses, with its error names', async () => {
    await expect(createIngestion(spice, { DataSetId: 'nope', IngestionId: 'a' })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(
      createIngestion(spice, { DataSetId: 'lakeq-events', IngestionId: 'bad id' }),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
    await createIngestion(spice, { DataSetId: 'lakeq-events', IngestionId: 'a' });
    // While one runs, another is refused; once it finished, a used id is.
    await expect(
      createIngestion(spice, { DataSetId: 'lakeq-events', IngestionId: 'b' }),
    ).rejects.toMatchObject({
      name: 'LimitExceededException',
    });
    await done('lakeq-events', 'a');
    await expect(
      createIngestion(spice, { DataSetId: 'lakeq-events', IngestionId: 'a' }),
    ).rejects.toMatchObject({
      name: 'ResourceExistsException',
    });
    await expect(
      describeIngestion(spice, { DataSetId: 'lakeq-events', IngestionId: 'zzz' }),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('allows the quota of refreshes per rolling 24 hours', async () => {
    for (const id of ['r1', 'r2', 'r3']) {
      await createIngestion(spice, { DataSetId: 'lakeq-events', IngestionId: id });
      await done('lakeq-events', id);
      clock = new Date(clock.getTime() + 3_600_000);
    }
    await expect(
      createIngestion(spice, { DataSetId: 'lakeq-events', IngestionId: 'r4' }),
    ).rejects.toMatchObject({
      name: 'LimitExceededException',
      message: expect.stringContaining('3 times in 24 hours'),
    });
    clock = new Date('2026-11-28T12:00:01Z');
    await createIngestion(spice, { DataSetId: 'lakeq-events', IngestionId: 'r4' });
    expect((await done('lakeq-events', 'r4')).Ingestion.IngestionStatus).toBe('COMPLETED');
  });

  it('records a failed ingestion with its error, and keeps the last good snapshot', async () => {
    await createIngestion(spice, { DataSetId: 'lakeq-broken', IngestionId: 'x' });
    const { Ingestion } = await done('lakeq-broken', 'x');
    expect(Ingestion.IngestionStatus).toBe('FAILED');
    expect(Ingestion.ErrorInfo).toMatchObject({
      Type: 'SQL_EXCEPTION',
      Message: expect.stringContaining('no_such_table'),
    });
    expect(await latestSnapshot(dataDir, 'lakeq-broken')).toBeUndefined();
  });

  it('reports an ingestion whose process ended as FAILED, not RUNNING forever', async () => {
    const dir = spiceDir(dataDir, 'lakeq-events');
    await mkdir(dir, { recursive: true });
    const orphan = {
      IngestionId: 'old',
      IngestionStatus: 'RUNNING',
      CreatedTime: clock.toISOString(),
      pid: 2 ** 22 + 1,
    };
    const live = { ...orphan, IngestionId: 'live', pid: process.ppid };
    await writeFile(path.join(dir, 'old.json'), JSON.stringify(orphan));
    await writeFile(path.join(dir, 'live.json'), JSON.stringify(live));
    const statuses = Object.fromEntries(
      (await listIngestions(spice, 'lakeq-events')).map((i) => [i.IngestionId, i.IngestionStatus]),
    );
    expect(statuses).toEqual({ old: 'FAILED', live: 'RUNNING' });
  });
});

describe('a snapshot has the dataset’s QuickSight shape', () => {
  it('the pipeline-runs dataset reads the ledger as lakeq_runs: lower-case names, times as timestamps, a torn line skipped', async () => {
    const { appendLedger } = await import('../../src/ingest/ledger.ts');
    const { spiceDataset } = await import('../../src/dashboards/datasets.ts');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const row = {
      runId: 'hourly-2026-11-27T13',
      table: 'cloudtrail_events',
      dt: '2026-11-27',
      hour: '13',
      status: 'loaded' as const,
      rows: 1234,
      bytes: 5678,
      fingerprint: 'f',
      sourceFiles: 3,
      quarantined: [],
      queryId: 'transforms/cloudtrail-events-hour',
      queryVersion: '1.0.0',
      engine: 'duckdb',
      engineQueryIds: [],
      startedAt: '2026-11-27T14:05:01.000Z',
      finishedAt: '2026-11-27T14:05:03.500Z',
    };
    await appendLedger(dataDir, [row, { ...row, hour: '12', status: 'failed', rows: 0, error: 'boom' }]);
    await writeFile(path.join(dataDir, 'ledger', 'runs.ndjson'), '{"runId": "torn', { flag: 'a' });
    const pipeline = spiceDataset('lakeq-pipeline-runs');
    spice = { ...spice, datasets: [pipeline] };
    await createIngestion(spice, { DataSetId: pipeline.id, IngestionId: 'p-1' });
    const { Ingestion } = await done(pipeline.id, 'p-1');
    expect(Ingestion).toMatchObject({ IngestionStatus: 'COMPLETED', RowInfo: { RowsIngested: 2 } });
    const file = (await latestSnapshot(dataDir, pipeline.id))?.file as string;
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const described = await db.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
    const types = Object.fromEntries(
      described.getRowObjects().map((r) => [String(r.column_name), String(r.column_type)]),
    );
    expect(types).toMatchObject({
      runid: 'VARCHAR',
      table: 'VARCHAR',
      rows: 'BIGINT',
      startedat: 'TIMESTAMP',
      dt: 'TIMESTAMP',
      status: 'VARCHAR',
    });
    expect(Object.keys(types).every((name) => name === name.toLowerCase())).toBe(true);
    const rows = await db.runAndReadAll(
      `SELECT status, "rows", CAST(startedat AS VARCHAR) AS s FROM read_parquet('${file}') ORDER BY hour`,
    );
    expect(rows.getRowObjects()).toEqual([
      { status: 'failed', rows: 0n, s: '2026-11-27 14:05:01' },
      { status: 'loaded', rows: 1234n, s: '2026-11-27 14:05:01' },
    ]);
  });
});

describe('status files read from the data folder', () => {
  it('an id that is not its own file name, a path, or a damaged file is ignored, never followed', async () => {
    const folder = spiceDir(dataDir, 'lakeq-events');
    await mkdir(folder, { recursive: true });
    const forged = (IngestionId: string) =>
      JSON.stringify({
        IngestionId,
        IngestionStatus: 'COMPLETED',
        CreatedTime: '2026-11-27T11:00:00.000Z',
        snapshot: path.join(dataDir, 'outside.parquet'),
        pid: process.pid,
      });
    await writeFile(path.join(folder, 'evil.json'), forged('../../../outside'));
    await writeFile(path.join(folder, 'other.json'), forged('someone-else'));
    await writeFile(path.join(folder, 'torn.json'), '{"IngestionId":"torn","Ingest');
    expect(await listIngestions(spice, 'lakeq-events')).toEqual([]);
    expect(await latestSnapshot(dataDir, 'lakeq-events')).toBeUndefined();

    // A record that is its own file keeps it, but its snapshot is the file beside it, not the path it names.
    await writeFile(path.join(folder, 'mine.json'), forged('mine'));
    expect((await latestSnapshot(dataDir, 'lakeq-events'))?.file).toBe(path.join(folder, 'mine.parquet'));
  });
});
