import { writeFile } from 'node:fs/promises';
import { LakeqError, type ResultColumn } from '../engines/engine.ts';
import type { CliIO } from './io.ts';
import type { OutputFormat } from './options.ts';

export interface OutputOptions {
  readonly format: OutputFormat;
  readonly out?: string;
  /** Rows shown in a terminal table; the rest are counted, not printed. */
  readonly maxRows: number;
}

/**
 * Writes rows as a table for a person, or as CSV / JSON / NDJSON / Parquet for programs.
 * Values are already plain JSON (engines convert them), so every format shows the same data.
 */
export async function writeRows(
  rows: readonly Record<string, unknown>[],
  columns: readonly ResultColumn[],
  options: OutputOptions,
  io: CliIO,
): Promise<void> {
  const names = columns.length > 0 ? columns.map((c) => c.name) : Object.keys(rows[0] ?? {});
  if (options.format === 'parquet') {
    if (!options.out)
      throw new LakeqError('BAD_OPTION', '--format parquet needs --out FILE', { usage: true });
    const { writeParquet } = await import('./parquet-output.ts');
    await writeParquet(rows, names, options.out);
    io.err(`wrote ${rows.length} rows to ${options.out}`);
    return;
  }
  let text: string;
  switch (options.format) {
    case 'csv':
      text = toCsv(rows, names);
      break;
    case 'json':
      text = `${JSON.stringify(rows, null, 2)}\n`;
      break;
    case 'ndjson':
      text = rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length > 0 ? '\n' : '');
      break;
    default:
      // Cells are cut to fit only on a terminal; a file or a pipe gets them whole.
      text = toTable(
        rows,
        names,
        options.out ? Number.POSITIVE_INFINITY : options.maxRows,
        options.out || !io.isTTY ? Number.POSITIVE_INFINITY : io.columns,
      );
  }
  if (options.out) {
    await writeFile(options.out, text);
    io.err(`wrote ${rows.length} rows to ${options.out}`);
  } else {
    io.write(text);
  }
}

/** RFC 4180 CSV; nested values as JSON. */
export function toCsv(rows: readonly Record<string, unknown>[], names: readonly string[]): string {
  const cell = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [names.map(cell).join(',')];
  for (const row of rows) lines.push(names.map((n) => cell(row[n])).join(','));
  return `${lines.join('\n')}\n`;
}

/** A plain-text table, numbers right-aligned, cells cut to fit the terminal. */
export function toTable(
  rows: readonly Record<string, unknown>[],
  names: readonly string[],
  maxRows: number,
  width: number,
): string {
  if (names.length === 0) return '(no columns)\n';
  const shown = rows.slice(0, maxRows);
  const text = (v: unknown) =>
    v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  const numeric = names.map(
    (n) => shown.length > 0 && shown.every((r) => r[n] === null || typeof r[n] === 'number'),
  );
  const cap = Number.isFinite(width)
    ? Math.max(24, Math.floor((width - 3 * names.length) / names.length) * 2)
    : Infinity;
  const cells = shown.map((r) => names.map((n) => cut(text(r[n]), cap)));
  const widths = names.map((n, i) => Math.max(n.length, ...cells.map((c) => (c[i] ?? '').length)));
  const pad = (s: string, i: number) => (numeric[i] ? s.padStart(widths[i] ?? 0) : s.padEnd(widths[i] ?? 0));
  const line = (parts: string[]) => parts.map(pad).join(' | ').trimEnd();
  const out = [line([...names]), widths.map((w) => '-'.repeat(w)).join('-+-'), ...cells.map(line)];
  if (rows.length === 0) out.push('(no rows)');
  else if (rows.length > shown.length) {
    out.push(
      `… ${rows.length - shown.length} more rows (${rows.length} in all); --all or --format csv shows them`,
    );
  } else out.push(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
  return `${out.join('\n')}\n`;
}

function cut(s: string, max: number): string {
  const one = s.replace(/\s*\n\s*/g, ' ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
