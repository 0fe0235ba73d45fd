import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseHiveType, toDuckDbType } from '../../catalog/hive-types.ts';
import type { DuckDbEngine } from '../../engines/duckdb/duckdb-engine.ts';
import { CBO_RUN_COLUMNS, TPCDS_CBO_RUNS } from '../../sources/tpcds/schema.ts';
import type { QueryComparison } from './cbo-compare.ts';

/** What a comparison run is recorded with besides its queries' runs. */
export interface CboRunInfo {
  /** The partition: `20261202T031500Z-duckdb`. */
  readonly runId: string;
  readonly startedAt: Date;
  readonly engine: 'duckdb' | 'athena';
  readonly scaleFactor: number | undefined;
}

/** A comparison's id: its start time to the second and the engine. */
export function cboRunId(startedAt: Date, engine: string): string {
  return `${startedAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${engine}`;
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The rows of `tpcds_cbo_runs` for a comparison (without `run_id`, which is its folder). */
export function cboRunRows(info: CboRunInfo, results: readonly QueryComparison[]): Record<string, unknown>[] {
  return results.flatMap((q) =>
    q.runs.map((r) => ({
      started_at: info.startedAt.toISOString(),
      engine: info.engine,
      scale_factor: info.scaleFactor ?? null,
      query_id: r.queryId,
      mode: r.mode,
      iteration: r.iteration,
      total_ms: r.totalMs,
      engine_ms: r.engineMs,
      planning_ms: r.planningMs ?? null,
      queue_ms: r.queueMs ?? null,
      bytes_scanned: r.bytesScanned ?? null,
      result_rows: r.resultRows,
      result_hash: r.resultHash,
      join_order: r.joinOrder,
      status: r.status,
      error: r.error ?? null,
    })),
  );
}

/**
 * Writes a comparison as one partition of `tpcds_cbo_runs`, `<root>/tpcds_cbo_runs/run_id=<id>/data_0.parquet`:
 * written beside it first and renamed into place, so a reader never sees half a run, and a run id
 * already recorded is refused rather than written twice. A comparison without a timed run writes nothing.
 *
 * @example
 * ```ts
 * await writeCboRuns(engine, './lakeq-data/raw/tpcds', { runId: cboRunId(now, 'duckdb'), startedAt: now, engine: 'duckdb', scaleFactor: 1 }, results);
 * ```
 */
export async function writeCboRuns(
  engine: DuckDbEngine,
  root: string,
  info: CboRunInfo,
  results: readonly QueryComparison[],
): Promise<{ readonly path: string | undefined; readonly rows: number }> {
  const rows = cboRunRows(info, results);
  if (rows.length === 0) return { path: undefined, rows: 0 };
  const table = path.join(root, TPCDS_CBO_RUNS);
  const final = path.join(table, `run_id=${info.runId}`);
  const staging = path.join(table, `.staging-${info.runId}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const input = path.join(staging, 'rows.json');
  await writeFile(input, rows.map((r) => JSON.stringify(r)).join('\n'));
  const columns = CBO_RUN_COLUMNS.map(([n, t]) => `${n}: ${sqlString(toDuckDbType(parseHiveType(t)))}`).join(
    ', ',
  );
  const file = path.join(staging, 'data_0.parquet');
  try {
    await engine.reconfigure((run) =>
      run(
        `COPY (SELECT ${CBO_RUN_COLUMNS.map(([n]) => n).join(', ')} FROM read_json(${sqlString(input)}, format = 'newline_delimited', columns = {${columns}})) TO ${sqlString(file)} (FORMAT parquet)`,
      ),
    );
    await rm(input);
    await rename(staging, final);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (
      (error as NodeJS.ErrnoException).code === 'ENOTEMPTY' ||
      (error as NodeJS.ErrnoException).code === 'EEXIST'
    )
      throw new Error(`comparison ${info.runId} is already recorded in ${final}`);
    throw error;
  }
  return { path: final, rows: rows.length };
}
