import {
  DeleteColumnStatisticsForTableCommand,
  GetColumnStatisticsForTableCommand,
  GetColumnStatisticsTaskRunCommand,
  GlueClient,
  StartColumnStatisticsTaskRunCommand,
} from '@aws-sdk/client-glue';
import { CompiledQuery } from 'kysely';
import type { LakeqSettings } from '../../config/lakeq-config.ts';
import { type Engine, LakeqError } from '../../engines/engine.ts';
import { compileQuery } from '../../query/compile-query.ts';
import type { LibraryQuery } from '../../query/define-query.ts';
import { TPCDS_SCHEMA, TPCDS_TABLES, type TpcdsTableName } from '../../sources/tpcds/schema.ts';
import type { CboBackend, CboMode } from './cbo-compare.ts';
import { trinoJoinOrder } from './join-order.ts';

/** What the Athena comparison sends Glue (a GlueClient, or a mock of one in tests). */
export interface GlueStatsLike {
  send(command: unknown): Promise<unknown>;
}

export interface AthenaCboOptions {
  /** The IAM role Glue assumes to compute the column statistics (it reads the tables' S3 folders). */
  readonly statsRole: string;
  /** The tables whose statistics are dropped and computed (default the 24). */
  readonly tables?: readonly TpcdsTableName[];
  readonly engine?: Engine;
  readonly glue?: GlueStatsLike;
  readonly database?: string;
  /** Between GetColumnStatisticsTaskRun polls (default 10 s). */
  readonly pollMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onWait?: (line: string) => void;
}

/** Glue takes at most 100 column names per GetColumnStatisticsForTable. */
const MAX_COLUMNS = 100;

/**
 * The Athena side of `lakeq tpcds compare`. `cbo-off`: the tables have no column statistics in
 * Glue (any there are deleted, DeleteColumnStatisticsForTable), so Athena's optimizer has no
 * costs and joins in written order. `cbo-on`: Glue computes them (StartColumnStatisticsTaskRun
 * per table, polled with GetColumnStatisticsTaskRun until it SUCCEEDED), and Athena's cost-based
 * optimizer uses them. Each run records Athena's engine, planning, queue and total time and the
 * bytes scanned; `EXPLAIN` gives the join order.
 *
 * @example
 * ```ts
 * const backend = await athenaCboBackend(settings, { statsRole: 'arn:aws:iam::111122223333:role/lakeq-glue-stats' });
 * await compareCbo(backend, { queries: [q82], runs: 3 });
 * ```
 */
export async function athenaCboBackend(
  settings: LakeqSettings,
  options: AthenaCboOptions,
): Promise<CboBackend> {
  const { region, profile, athena } = settings.aws;
  const engine =
    options.engine ?? (await import('../../engines/athena/open-athena-engine.ts')).openAthenaEngine(settings);
  const glue =
    options.glue ?? new GlueClient({ ...(region ? { region } : {}), ...(profile ? { profile } : {}) });
  const database = options.database ?? athena.database;
  if (!database)
    throw new LakeqError(
      'BAD_CONFIG',
      'aws.athena.database must name the Glue database of the TPC-DS tables',
    );
  const tables = options.tables ?? TPCDS_TABLES;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const compiled = (query: LibraryQuery) => compileQuery(query, {}, engine).compiled;

  const dropStatistics = async (table: TpcdsTableName) => {
    const columns = TPCDS_SCHEMA[table].columns
      .map(([name]) => name)
      .filter((c) => c !== TPCDS_SCHEMA[table].partitionKey);
    for (let i = 0; i < columns.length; i += MAX_COLUMNS) {
      const out = (await glue.send(
        new GetColumnStatisticsForTableCommand({
          DatabaseName: database,
          TableName: table,
          ColumnNames: columns.slice(i, i + MAX_COLUMNS),
        }),
      )) as { ColumnStatisticsList?: { ColumnName?: string }[] };
      for (const stat of out.ColumnStatisticsList ?? []) {
        if (!stat.ColumnName) continue;
        await glue.send(
          new DeleteColumnStatisticsForTableCommand({
            DatabaseName: database,
            TableName: table,
            ColumnName: stat.ColumnName,
          }),
        );
      }
    }
  };
  const computeStatistics = async (table: TpcdsTableName) => {
    const started = (await glue.send(
      new StartColumnStatisticsTaskRunCommand({
        DatabaseName: database,
        TableName: table,
        Role: options.statsRole,
      }),
    )) as { ColumnStatisticsTaskRunId?: string };
    const id = started.ColumnStatisticsTaskRunId;
    if (!id)
      throw new LakeqError('GLUE_STATS', `Glue started no column statistics run for ${database}.${table}`);
    for (;;) {
      const out = (await glue.send(
        new GetColumnStatisticsTaskRunCommand({ ColumnStatisticsTaskRunId: id }),
      )) as {
        ColumnStatisticsTaskRun?: { Status?: string; ErrorMessage?: string };
      };
      const status = out.ColumnStatisticsTaskRun?.Status;
      if (status === 'SUCCEEDED') return;
      if (status === 'FAILED' || status === 'STOPPED') {
        throw new LakeqError(
          'GLUE_STATS',
          `the column statistics of ${database}.${table} ${status.toLowerCase()}: ${out.ColumnStatisticsTaskRun?.ErrorMessage ?? 'no message'}`,
        );
      }
      options.onWait?.(`tpcds compare: column statistics of ${table} ${status ?? 'STARTING'}`);
      await sleep(options.pollMs ?? 10_000);
    }
  };

  return {
    engine: 'athena',
    setMode: async (mode: CboMode) => {
      // Statistics runs start one table at a time: each is a Glue job with its own workers.
      for (const table of tables)
        await (mode === 'cbo-off' ? dropStatistics(table) : computeStatistics(table));
    },
    run: async (query) => {
      const result = await engine.execute(compiled(query), {
        tag: { queryId: query.id, version: query.version },
      });
      const s = result.stats;
      return {
        rows: result.rows as Record<string, unknown>[],
        totalMs: s.totalMs ?? s.elapsedMs,
        ...(s.engineMs !== undefined ? { engineMs: s.engineMs } : {}),
        ...(s.planningMs !== undefined ? { planningMs: s.planningMs } : {}),
        ...(s.queueMs !== undefined ? { queueMs: s.queueMs } : {}),
        ...(s.dataScannedBytes !== undefined ? { bytesScanned: s.dataScannedBytes } : {}),
      };
    },
    joinOrder: async (query) => {
      const { rows } = await engine.execute(CompiledQuery.raw(`EXPLAIN ${compiled(query).sql}`));
      return trinoJoinOrder(
        rows.map((r) => Object.values(r as Record<string, unknown>).join(' ')).join('\n'),
      );
    },
  };
}
