/** Shared helpers of the benchmarks: timing, medians, formatting, the summary rows. */

/** One line of the summary table that `npm run bench` prints at the end. */
export interface SummaryRow {
  readonly bench: string;
  readonly metric: string;
  /** lakeq's median, formatted. */
  readonly lakeq: string;
  /** The baseline measured in the same run, and its median, formatted. */
  readonly baseline: string;
  /** The ratio the goal is stated in, with its direction (e.g. 'baseline/lakeq 0.93'). */
  readonly ratio: string;
  readonly goal: string;
  /** Whether the goal was met in this run; informational, never an exit code. */
  readonly met: boolean | undefined;
}

/** What a benchmark returns to the runner. `failed` is for correctness only, never for speed. */
export interface BenchResult {
  readonly rows: SummaryRow[];
  readonly failed: boolean;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs `fn` and returns its result with the wall time it took, ms. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return '-';
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

export function ratio(numerator: number, denominator: number): string {
  return denominator > 0 ? (numerator / denominator).toFixed(2) : '-';
}

/** A plain-text table, columns padded to their widest cell; numbers-looking cells right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = /^[\d.,\s]+(ms|s|x)?$/;
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (numeric.test(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A positive integer from the environment, or the default. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value <= 0)
    throw new RangeError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

export function log(message: string): void {
  process.stdout.write(`${message}\n`);
}
