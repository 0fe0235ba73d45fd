import { geometricMean } from '../benchmarks/tpcds/cbo-compare.ts';

/** One query of a comparison as the report shows it (a row of `tpcds/cbo-comparison`). */
export interface CboSummaryRow {
  readonly queryId: string;
  readonly status: string;
  readonly offMs: number | null;
  readonly onMs: number | null;
  readonly speedup: number | null;
  readonly planChanged: boolean;
  readonly offJoinOrder: string | null;
  readonly onJoinOrder: string | null;
}

/** The overall figures of a comparison: over the queries that gave the same rows in both modes. */
export interface CboTotals {
  readonly compared: number;
  readonly mismatched: number;
  readonly failed: number;
  readonly totalOffMs: number;
  readonly totalOnMs: number;
  /** (off − on) / off: the post's "11% overall". */
  readonly totalChange: number;
  readonly geometricMeanSpeedup: number;
  readonly plansChanged: number;
}

export function cboTotals(rows: readonly CboSummaryRow[]): CboTotals {
  const ok = rows.filter((r) => r.status === 'ok' && r.offMs !== null && r.onMs !== null);
  const totalOffMs = ok.reduce((s, r) => s + (r.offMs ?? 0), 0);
  const totalOnMs = ok.reduce((s, r) => s + (r.onMs ?? 0), 0);
  return {
    compared: ok.length,
    mismatched: rows.filter((r) => r.status === 'mismatch').length,
    failed: rows.filter((r) => r.status === 'failed').length,
    totalOffMs,
    totalOnMs,
    totalChange: totalOffMs > 0 ? (totalOffMs - totalOnMs) / totalOffMs : Number.NaN,
    geometricMeanSpeedup: geometricMean(ok.map((r) => r.speedup ?? Number.NaN)),
    plansChanged: ok.filter((r) => r.planChanged).length,
  };
}

const ms = (v: number | null) => (v === null || !Number.isFinite(v) ? '-' : String(Math.round(v)));
const x = (v: number | null) => (v === null || !Number.isFinite(v) ? '-' : `${v.toFixed(2)}×`);
const short = (id: string) => id.replace('tpcds/', '');

/**
 * The comparison as AWS's CBO post reports it: every query's time without and with the cost-based
 * optimizer, the speedup and whether the plan changed; the ten largest speedups; the overall
 * change and the geometric mean of the speedups; and how Q82 and Q2 join before and after.
 *
 * @example
 * ```ts
 * formatCboReport(rows, { title: 'TPC-DS SF1 on duckdb, run 20261202T031500Z-duckdb' }).join('\n')
 * // query  cbo-off ms  cbo-on ms  speedup  plan changed
 * // q01           443        410    1.08×  no
 * // …
 * // overall: 99 queries compared, 61 plans changed; total 48211 ms → 30133 ms (37.5% less), geometric mean speedup 1.60×
 * ```
 */
export function formatCboReport(
  rows: readonly CboSummaryRow[],
  options: { readonly title: string },
): string[] {
  const out = [options.title, ''];
  const header = ['query', 'cbo-off ms', 'cbo-on ms', 'speedup', 'plan changed'];
  const table = rows.map((r) => [
    short(r.queryId),
    ms(r.offMs),
    ms(r.onMs),
    r.status === 'ok' ? x(r.speedup) : r.status,
    r.planChanged ? 'yes' : 'no',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  out.push(line(header), ...table.map(line), '');
  const top = rows
    .filter((r) => r.status === 'ok' && r.speedup !== null)
    .sort((a, b) => (b.speedup ?? 0) - (a.speedup ?? 0))
    .slice(0, 10);
  out.push(`top ${top.length} speedups: ${top.map((r) => `${short(r.queryId)} ${x(r.speedup)}`).join(', ')}`);
  const t = cboTotals(rows);
  out.push(
    `overall: ${t.compared} queries compared, ${t.plansChanged} plans changed; total ${Math.round(t.totalOffMs)} ms → ` +
      `${Math.round(t.totalOnMs)} ms (${(t.totalChange * 100).toFixed(1)}% ${t.totalChange >= 0 ? 'less' : 'more'}), ` +
      `geometric mean speedup ${x(t.geometricMeanSpeedup)}`,
  );
  if (t.mismatched + t.failed > 0) {
    const bad = rows.filter((r) => r.status !== 'ok').map((r) => `${short(r.queryId)} (${r.status})`);
    out.push(`not compared: ${bad.join(', ')}`);
  }
  for (const id of ['tpcds/q82', 'tpcds/q02']) {
    const r = rows.find((row) => row.queryId === id);
    if (!r) continue;
    out.push('', `${short(id)} join order (${ms(r.offMs)} ms → ${ms(r.onMs)} ms, ${x(r.speedup)}):`);
    out.push(
      `  without the optimizer: ${r.offJoinOrder ?? '-'}`,
      `  with the optimizer:    ${r.onJoinOrder ?? '-'}`,
    );
  }
  return out;
}
