import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import {
  DeleteColumnStatisticsForTableCommand,
  GetColumnStatisticsForTableCommand,
  GetColumnStatisticsTaskRunCommand,
  GlueClient,
  StartColumnStatisticsTaskRunCommand,
} from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { athenaCboBackend } from '../../src/benchmarks/tpcds/athena-cbo.ts';
import { compareCbo } from '../../src/benchmarks/tpcds/cbo-compare.ts';
import type { LakeqSettings } from '../../src/config/lakeq-config.ts';
import { createAthenaEngine } from '../../src/engines/athena/athena-engine.ts';
import type { LibraryQuery } from '../../src/query/define-query.ts';
import { loadQuery } from '../../src/query/registry.ts';
import { expectValidCommands } from '../support/aws-model-validator.ts';

const athena = mockClient(AthenaClient);
const glue = mockClient(GlueClient);
const ROLE = 'arn:aws:iam::111122223333:role/lakeq-glue-stats';
const TABLES = ['item', 'inventory', 'date_dim', 'store_sales'] as const;
const SETTINGS = {
  aws: { athena: { database: 'tpcds', workGroup: 'primary' }, cloudtrailLake: {} },
} as unknown as LakeqSettings;

/** What the fake Athena answers: each query's plan and timing depend on whether Glue computed statistics. */
let computed: Set<string>;
let queries: Map<string, string>;
let taskPolls: Map<string, number>;

const planText = (withStats: boolean) =>
  (withStats
    ? ['store_sales', 'item', 'inventory', 'date_dim']
    : ['item', 'inventory', 'date_dim', 'store_sales']
  ).map(
    (t, i) =>
      `${'    '.repeat(i)}ScanFilterProject[table = awsdatacatalog:tpcds:${t}, filterPredicate = true]`,
  );

beforeEach(() => {
  athena.reset();
  glue.reset();
  computed = new Set();
  queries = new Map();
  taskPolls = new Map();
  athena.on(StartQueryExecutionCommand).callsFake((input: { QueryString: string }) => {
    const id = `q-${queries.size + 1}`;
    queries.set(id, input.QueryString);
    return { QueryExecutionId: id };
  });
  athena.on(GetQueryExecutionCommand).callsFake((input: { QueryExecutionId: string }) => {
    const withStats = computed.size === TABLES.length;
    const total = withStats ? 344 : 713;
    return {
      QueryExecution: {
        QueryExecutionId: input.QueryExecutionId,
        Query: queries.get(input.QueryExecutionId),
        StatementType: 'DML',
        Status: { State: 'SUCCEEDED' },
        Statistics: {
          TotalExecutionTimeInMillis: total,
          EngineExecutionTimeInMillis: total - 60,
          QueryPlanningTimeInMillis: withStats ? 180 : 90,
          QueryQueueTimeInMillis: 20,
          DataScannedInBytes: 52_000_000,
        },
      },
    };
  });
  athena.on(GetQueryResultsCommand).callsFake((input: { QueryExecutionId: string }) => {
    const sql = queries.get(input.QueryExecutionId) ?? '';
    if (/^\s*EXPLAIN\b/i.test(sql)) {
      const lines = planText(computed.size === TABLES.length);
      return {
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: [{ Name: 'Query Plan', Label: 'Query Plan', Type: 'varchar' }] },
          Rows: [
            { Data: [{ VarCharValue: 'Query Plan' }] },
            ...lines.map((l) => ({ Data: [{ VarCharValue: l }] })),
          ],
        },
      };
    }
    const columns = ['i_item_id', 'i_item_desc', 'i_current_price'];
    return {
      ResultSet: {
        ResultSetMetadata: {
          ColumnInfo: [
            { Name: columns[0], Label: columns[0], Type: 'varchar' },
            { Name: columns[1], Label: columns[1], Type: 'varchar' },
            { Name: columns[2], Label: columns[2], Type: 'decimal', Precision: 7, Scale: 2 },
          ],
        },
        Rows: [
          { Data: columns.map((c) => ({ VarCharValue: c })) },
          {
            Data: [
              { VarCharValue: 'AAAAAAAAKFAAAAAA' },
              { VarCharValue: 'Main Oak' },
              { VarCharValue: '71.20' },
            ],
          },
          {
            Data: [
              { VarCharValue: 'AAAAAAAAOBAAAAAA' },
              { VarCharValue: 'Elm Park' },
              { VarCharValue: '96.05' },
            ],
          },
        ],
      },
    };
  });
  // store_sales has a statistic left from before: the comparison without statistics drops it first.
  glue.on(GetColumnStatisticsForTableCommand).callsFake((input: { TableName: string }) => ({
    ColumnStatisticsList:
      input.TableName === 'store_sales' && !computed.has('store_sales') ? [{ ColumnName: 'ss_item_sk' }] : [],
    Errors: [],
  }));
  glue.on(DeleteColumnStatisticsForTableCommand).resolves({});
  glue.on(StartColumnStatisticsTaskRunCommand).callsFake((input: { TableName: string }) => ({
    ColumnStatisticsTaskRunId: `stats-${input.TableName}`,
  }));
  glue.on(GetColumnStatisticsTaskRunCommand).callsFake((input: { ColumnStatisticsTaskRunId: string }) => {
    const polls = (taskPolls.get(input.ColumnStatisticsTaskRunId) ?? 0) + 1;
    taskPolls.set(input.ColumnStatisticsTaskRunId, polls);
    const table = input.ColumnStatisticsTaskRunId.replace('stats-', '');
    if (polls < 2)
      return {
        ColumnStatisticsTaskRun: {
          ColumnStatisticsTaskRunId: input.ColumnStatisticsTaskRunId,
          Status: 'RUNNING',
        },
      };
    computed.add(table);
    return {
      ColumnStatisticsTaskRun: {
        ColumnStatisticsTaskRunId: input.ColumnStatisticsTaskRunId,
        Status: 'SUCCEEDED',
      },
    };
  });
});

// Every request sent to Glue and Athena must be one AWS would accept (the botocore models).
afterEach(() => {
  expectValidCommands(
    'glue',
    glue.calls().map((c) => c.args[0]),
  );
  expectValidCommands(
    'athena',
    athena.calls().map((c) => c.args[0]),
  );
});

async function backend(waits: string[] = []) {
  const engine = createAthenaEngine({
    client: new AthenaClient({ region: 'eu-west-1' }),
    workGroup: 'primary',
    database: 'tpcds',
    outputLocation: 's3://lakeq-results/athena/',
    sleep: async () => {},
    retry: { minTimeoutMs: 0, maxTimeoutMs: 0 },
  });
  return athenaCboBackend(SETTINGS, {
    statsRole: ROLE,
    tables: TABLES,
    engine,
    glue: new GlueClient({ region: 'eu-west-1' }),
    sleep: async () => {},
    onWait: (line) => waits.push(line),
  });
}

describe('lakeq tpcds compare --engine athena', () => {
  it('runs without column statistics, computes them with Glue, runs again, and records Athena’s times and join orders', async () => {
    const waits: string[] = [];
    const q82 = (await loadQuery('tpcds/q82')) as LibraryQuery;
    const [result] = await compareCbo(await backend(waits), { queries: [q82], runs: 2 });

    // Without statistics: the one left on store_sales was deleted, none was computed yet.
    expect(glue.commandCalls(DeleteColumnStatisticsForTableCommand).map((c) => c.args[0].input)).toEqual([
      { DatabaseName: 'tpcds', TableName: 'store_sales', ColumnName: 'ss_item_sk' },
    ]);
    // With them: one statistics run per table, each polled until it SUCCEEDED.
    expect(glue.commandCalls(StartColumnStatisticsTaskRunCommand).map((c) => c.args[0].input)).toEqual(
      TABLES.map((TableName) => ({ DatabaseName: 'tpcds', TableName, Role: ROLE })),
    );
    expect(glue.commandCalls(GetColumnStatisticsTaskRunCommand)).toHaveLength(8);
    expect(waits[0]).toBe('tpcds compare: column statistics of item RUNNING');

    expect(result?.status).toBe('ok');
    expect(result?.offMs).toBe(713);
    expect(result?.onMs).toBe(344);
    expect(result?.speedup).toBeCloseTo(713 / 344, 5);
    expect(result?.joinOrder).toEqual({
      'cbo-off': 'item ⋈ inventory ⋈ date_dim ⋈ store_sales',
      'cbo-on': 'store_sales ⋈ item ⋈ inventory ⋈ date_dim',
    });
    expect(result?.planChanged).toBe(true);
    const on = result?.runs.find((r) => r.mode === 'cbo-on');
    expect(on).toMatchObject({
      engineMs: 284,
      planningMs: 180,
      queueMs: 20,
      bytesScanned: 52_000_000,
      resultRows: 2,
    });
    // EXPLAIN once and warm-up plus two timed runs, per mode.
    const sent = athena
      .commandCalls(StartQueryExecutionCommand)
      .map((c) => c.args[0].input.QueryString ?? '');
    expect(sent.filter((s) => /^\s*EXPLAIN/.test(s))).toHaveLength(2);
    expect(sent.filter((s) => !/^\s*EXPLAIN/.test(s))).toHaveLength(6);
    expect(sent.every((s) => s.includes('from item'))).toBe(true);
  });

  it('stops with the table and Glue’s message when a statistics run fails', async () => {
    glue.on(GetColumnStatisticsTaskRunCommand).resolves({
      ColumnStatisticsTaskRun: {
        ColumnStatisticsTaskRunId: 'stats-item',
        Status: 'FAILED',
        ErrorMessage: 'Access denied to s3://lake/tpcds/item/',
      },
    });
    const q82 = (await loadQuery('tpcds/q82')) as LibraryQuery;
    await expect(compareCbo(await backend(), { queries: [q82], runs: 1 })).rejects.toThrow(
      'the column statistics of tpcds.item failed: Access denied to s3://lake/tpcds/item/',
    );
  });
});
