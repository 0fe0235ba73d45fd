/** Columns between two cells: ` | `. */
export const SEPARATOR_WIDTH = 3;
/**
 * The narrowest a column is cut to (a narrower one keeps its own width): enough to tell an ARN, a
 * job name or a run id from the next; with less, hiding columns reads better.
 */
export const MIN_CUT_WIDTH = 12;

/** Which columns a table shows, and how wide each is. */
export interface TableLayout {
  /** Indices of the columns shown, in order; `null` is the `…` column standing for hidden ones. */
  readonly columns: readonly (number | null)[];
  /** Width of each entry of `columns`, in terminal columns. */
  readonly widths: readonly number[];
  /** How many columns are hidden behind the `…` column (0 when all are shown). */
  readonly hidden: number;
}

/**
 * Fits a table's columns into `maxWidth` terminal columns, as DuckDB's CLI does: a table that
 * fits is left alone; otherwise the width is shared out so that narrow columns keep their full
 * width and the wide ones split what is left equally (their cells are cut with `…`). When even
 * {@link MIN_CUT_WIDTH} columns for each cannot fit, columns are hidden from the middle outwards
 * behind one `…` column, keeping the first and last ones (often a key and a measure).
 *
 * @param natural each column's width uncut (its widest cell or its name)
 * @example
 * ```ts
 * fitColumns([10, 12, 600], 80)
 * // { columns: [0, 1, 2], widths: [10, 12, 52], hidden: 0 }  (10 + 12 + 52 + 2 separators of 3)
 * ```
 */
export function fitColumns(natural: readonly number[], maxWidth: number): TableLayout {
  const all = natural.map((_, i) => i);
  const total = (widths: readonly number[]) =>
    widths.reduce((n, w) => n + w, 0) + SEPARATOR_WIDTH * Math.max(0, widths.length - 1);
  if (!Number.isFinite(maxWidth) || total(natural) <= maxWidth) {
    return { columns: all, widths: natural, hidden: 0 };
  }
  const floor = (i: number) => Math.min(natural[i] ?? 0, MIN_CUT_WIDTH);
  let kept = all;
  let hidden = 0;
  const minimum = (cols: readonly number[], marker: boolean) =>
    total([...cols.map(floor), ...(marker ? [1] : [])]);
  if (minimum(kept, false) > maxWidth) {
    // Hide from the middle outwards (n/2, n/2 − 1, n/2 + 1, …), never the first column.
    const order = middleOut(natural.length).filter((i) => i !== 0);
    const gone = new Set<number>();
    for (const i of order) {
      gone.add(i);
      kept = all.filter((c) => !gone.has(c));
      if (minimum(kept, true) <= maxWidth) break;
    }
    hidden = gone.size;
  }
  const marker = hidden > 0 ? 1 : 0;
  const available = maxWidth - marker - SEPARATOR_WIDTH * (kept.length - 1 + marker);
  const widths = shareOut(
    kept.map((i) => natural[i] ?? 0),
    available,
  );
  const columns: (number | null)[] = [];
  const out: number[] = [];
  const firstHidden = all.find((i) => !kept.includes(i));
  for (const [k, i] of kept.entries()) {
    if (firstHidden !== undefined && i > firstHidden && !columns.includes(null)) {
      columns.push(null);
      out.push(1);
    }
    columns.push(i);
    out.push(widths[k] ?? 1);
  }
  if (firstHidden !== undefined && !columns.includes(null)) {
    columns.push(null);
    out.push(1);
  }
  return { columns, widths: out, hidden };
}

/**
 * Max-min fair shares: columns no wider than an equal share of what is left keep their width;
 * the others get equal shares (the leftmost one more column each while some remain). Every
 * share is at least 1.
 */
function shareOut(natural: readonly number[], available: number): number[] {
  const widths = [...natural];
  const narrowestFirst = natural
    .map((_, i) => i)
    .sort((a, b) => (natural[a] ?? 0) - (natural[b] ?? 0) || a - b);
  let left = Math.max(available, natural.length);
  for (const [k, i] of narrowestFirst.entries()) {
    const count = narrowestFirst.length - k;
    const share = Math.floor(left / count);
    if ((natural[i] ?? 0) <= share) {
      left -= natural[i] ?? 0;
      continue;
    }
    // This column and every wider one split what is left, in table order.
    let extra = left - share * count;
    for (const j of narrowestFirst.slice(k).sort((a, b) => a - b)) {
      widths[j] = share + (extra > 0 ? 1 : 0);
      extra--;
    }
    break;
  }
  return widths;
}

/** 0..n−1 from the middle outwards: for 5, [2, 1, 3, 0, 4]. */
function middleOut(n: number): number[] {
  const mid = Math.floor(n / 2);
  const out = [mid];
  for (let d = 1; out.length < n; d++) {
    if (mid - d >= 0) out.push(mid - d);
    if (mid + d < n) out.push(mid + d);
  }
  return out;
}
