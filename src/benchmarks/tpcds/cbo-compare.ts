import type { LibraryQuery } from '../../query/define-query.ts';
import { resultHash } from './result-hash.ts';

/** The two modes compared: the engine joining tables in written order (no statistics), and its cost-based optimizer. */
export type CboMode = 'cbo-off' | 'cbo-on';
export const CBO_MODES: readonly CboMode[] = ['cbo-off', 'cbo-on'];

/** One run of a query: the rows and what the engine reports it cost. */
export interface TimedResult {
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  readonly totalMs: number;
  readonly engineMs?: number;
  readonly planningMs?: number;
  readonly queueMs?: number;
  readonly bytesScanned?: number;
}

/**
 * An engine the comparison runs on: how it enters a mode (DuckDB: the optimizers disabled or
 * not; Athena: the tables' column statistics absent or present), runs a query, and names the join
 * order of the query's plan.
 */
export interface CboBackend {
  readonly engine: 'duckdb' | 'athena';
  setMode(mode: CboMode): Promise<void>;
  run(query: LibraryQuery, mode: CboMode): Promise<TimedResult>;
  joinOrder(query: LibraryQuery, mode: CboMode): Promise<string[]>;
}

/** A timed run as `tpcds_cbo_runs` holds it. */
export interface CboRun {
  readonly queryId: string;
  readonly mode: CboMode;
  readonly iteration: number;
  readonly totalMs: number;
  readonly engineMs: number;
  readonly planningMs: number | undefined;
  readonly queueMs: number | undefined;
  readonly bytesScanned: number | undefined;
  readonly resultRows: number;
  readonly resultHash: string;
  readonly joinOrder: string;
  readonly status: 'ok' | 'mismatch' | 'failed';
  readonly error: string | undefined;
}

/** One query compared: its runs, the median time of each mode, the speedup, whether the plan changed. */
export interface QueryComparison {
  readonly queryId: string;
  readonly status: 'ok' | 'mismatch' | 'failed';
  readonly error?: string;
  readonly offMs: number;
  readonly onMs: number;
  /** `offMs / onMs`: above 1, the optimizer made the query faster. */
  readonly speedup: number;
  readonly planChanged: boolean;
  readonly joinOrder: Readonly<Record<CboMode, string>>;
  readonly runs: readonly CboRun[];
}

export interface CompareOptions {
  readonly queries: readonly LibraryQuery[];
  /** Timed runs per query and mode, after one warm-up run. */
  readonly runs: number;
  readonly onProgress?: (p: { mode: CboMode; queryId: string; done: number; total: number }) => void;
}

export const median = (values: readonly number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0
    ? Number.NaN
    : s.length % 2
      ? (s[mid] as number)
      : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/** The geometric mean of positive numbers (of the speedups: the post's overall change). */
export const geometricMean = (values: readonly number[]) => {
  const ok = values.filter((v) => v > 0 && Number.isFinite(v));
  return ok.length === 0 ? Number.NaN : Math.exp(ok.reduce((s, v) => s + Math.log(v), 0) / ok.length);
};

/**
 * Runs each query in both modes: all queries without the optimizer first, then with it (Athena
 * computes the statistics once in between), each with a warm-up and `runs` timed runs. Every run's
 * rows are hashed; a query whose runs do not all give the same rows is a `mismatch`, and its
 * speedup is not counted. A query that fails in a mode is `failed`, and the comparison goes on.
 *
 * @example
 * ```ts
 * const results = await compareCbo(await duckDbCboBackend(engine), { queries: [q02, q82], runs: 3 });
 * results[1] // { queryId: 'tpcds/q82', offMs: 713, onMs: 344, speedup: 2.07, planChanged: true, … }
 * ```
 */
export async function compareCbo(backend: CboBackend, options: CompareOptions): Promise<QueryComparison[]> {
  const byQuery = new Map<
    string,
    { runs: CboRun[]; joinOrder: Partial<Record<CboMode, string>>; errors: string[] }
  >();
  const total = options.queries.length * CBO_MODES.length;
  let done = 0;
  for (const mode of CBO_MODES) {
    await backend.setMode(mode);
    for (const query of options.queries) {
      options.onProgress?.({ mode, queryId: query.id, done, total });
      const entry = byQuery.get(query.id) ?? { runs: [], joinOrder: {}, errors: [] };
      byQuery.set(query.id, entry);
      try {
        const order = (await backend.joinOrder(query, mode)).join(' ⋈ ');
        entry.joinOrder[mode] = order;
        await backend.run(query, mode); // warm-up
        for (let iteration = 1; iteration <= options.runs; iteration++) {
          const r = await backend.run(query, mode);
          entry.runs.push({
            queryId: query.id,
            mode,
            iteration,
            totalMs: r.totalMs,
            engineMs: r.engineMs ?? r.totalMs,
            planningMs: r.planningMs,
            queueMs: r.queueMs,
            bytesScanned: r.bytesScanned,
            resultRows: r.rows.length,
            resultHash: resultHash(r.rows),
            joinOrder: order,
            status: 'ok',
            error: undefined,
          });
        }
      } catch (error) {
        entry.errors.push(`${mode}: ${(error as Error).message.split('\n')[0]}`);
      }
      done++;
    }
  }
  return options.queries.map((query) => judge(query.id, byQuery.get(query.id)));
}

function judge(
  queryId: string,
  entry: { runs: CboRun[]; joinOrder: Partial<Record<CboMode, string>>; errors: string[] } | undefined,
): QueryComparison {
  const runs = entry?.runs ?? [];
  const joinOrder = {
    'cbo-off': entry?.joinOrder['cbo-off'] ?? '',
    'cbo-on': entry?.joinOrder['cbo-on'] ?? '',
  };
  const offMs = median(runs.filter((r) => r.mode === 'cbo-off').map((r) => r.totalMs));
  const onMs = median(runs.filter((r) => r.mode === 'cbo-on').map((r) => r.totalMs));
  const hashes = new Set(runs.map((r) => r.resultHash));
  const base = { queryId, offMs, onMs, joinOrder, planChanged: joinOrder['cbo-off'] !== joinOrder['cbo-on'] };
  if ((entry?.errors.length ?? 0) > 0) {
    const error = entry?.errors.join('; ') as string;
    return {
      ...base,
      status: 'failed',
      error,
      speedup: Number.NaN,
      runs: runs.map((r) => ({ ...r, status: 'failed', error })),
    };
  }
  if (hashes.size > 1) {
    const byMode = CBO_MODES.map(
      (m) =>
        `${m} ${[...new Set(runs.filter((r) => r.mode === m).map((r) => `${r.resultHash.slice(0, 12)} (${r.resultRows} rows)`))].join(', ')}`,
    );
    const error = `the modes returned different rows: ${byMode.join(' vs ')}`;
    return {
      ...base,
      status: 'mismatch',
      error,
      speedup: Number.NaN,
      runs: runs.map((r) => ({ ...r, status: 'mismatch', error })),
    };
  }
  return { ...base, status: 'ok', speedup: offMs / onMs, runs };
}
