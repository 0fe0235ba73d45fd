import { writeFile } from 'node:fs/promises';
import { LakeqError, type ResultColumn } from '../engines/engine.ts';
import { toCsv } from '../reports/csv.ts';
import type { CliIO } from './io.ts';
import type { OutputFormat } from './options.ts';

import { fitColumns } from './table-layout.ts';
import { cutToWidth, displayWidth, padToWidth } from './text-width.ts';

export interface OutputOptions {
  readonly format: OutputFormat;
  readonly out?: string;
  /** Rows shown in a terminal table; the rest are counted, not printed. */
  readonly maxRows: number;
  /**
   * `--max-width`: a table's width in terminal columns, `0` for cells whole. Without it a table
   * fits the terminal when stdout is one, and is printed whole to a pipe or a file.
   */
  readonly maxWidth?: number;
}

/**
 * The width a table is fitted into: `--max-width N` (0: no limit), else the terminal's width when
 * stdout is a terminal, else no limit: piped or written to a file, a table is for a program, a
 * log or a pager, and no cell is cut.
 */
export function tableWidth(options: Pick<OutputOptions, 'maxWidth' | 'out'>, io: CliIO): number {
  if (options.maxWidth !== undefined) {
    return options.maxWidth === 0 ? Number.POSITIVE_INFINITY : options.maxWidth;
  }
  return options.out || !io.isTTY ? Number.POSITIVE_INFINITY : io.columns;
}

/**
 * Writes rows as a table for a person, or as CSV / JSON / NDJSON / Parquet for programs.
 * Values are already plain JSON (engines convert them), so every format shows the same data;
 * only the table cuts cells to fit a width ({@link tableWidth}).
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
      // Lines end in LF on the CLI, for the Unix tools it is piped into.
      text = toCsv(rows, names, '\n');
      break;
    case 'json':
      text = `${JSON.stringify(rows, null, 2)}\n`;
      break;
    case 'ndjson':
      text = rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length > 0 ? '\n' : '');
      break;
    default:
      text = toTable(
        rows,
        names,
        options.out ? Number.POSITIVE_INFINITY : options.maxRows,
        tableWidth(options, io),
      );
  }
  if (options.out) {
    await writeFile(options.out, text);
    io.err(`wrote ${rows.length} rows to ${options.out}`);
  } else {
    io.write(text);
  }
}

/**
 * A plain-text table for a person: numbers right-aligned on their decimal points (up to 6 decimals),
 * control characters shown as escapes
 * (`\n`, `\t`, `\x1b`…) so a value cannot break the layout or drive the terminal, and, when
 * `maxWidth` is finite, the columns fitted into that many terminal columns ({@link fitColumns}:
 * wide cells cut with `…`, columns hidden from the middle when there are too many).
 *
 * @example
 * ```ts
 * toTable([{ id: 1, actors: 'arn:aws:iam::111122223333:role/Admin' }], ['id', 'actors'], 50, 24)
 * // 'id | actors\n---+--------------------\n 1 | arn:aws:iam::11112…\n(1 row)\n'
 * ```
 */
export function toTable(
  rows: readonly Record<string, unknown>[],
  names: readonly string[],
  maxRows: number,
  maxWidth: number,
): string {
  if (names.length === 0) return '(no columns)\n';
  const shown = rows.slice(0, maxRows);
  const numeric = names.map(
    (n) => shown.length > 0 && shown.every((r) => r[n] === null || typeof r[n] === 'number'),
  );
  const header = names.map(escapeControls);
  // A numeric column lines its points up: fractions to the column's decimals (13.30 above 1.36,
  // up to 6), integers padded where the decimals would be.
  const decimals = names.map((n, i) =>
    numeric[i] ? Math.max(0, ...shown.map((r) => fractionDigits(r[n]))) : Number.POSITIVE_INFINITY,
  );
  const body = shown.map((r) =>
    names.map((n, i) => {
      const v = r[n];
      const d = decimals[i] ?? Number.POSITIVE_INFINITY;
      if (typeof v !== 'number' || d === 0 || d > 6) return cellText(v);
      return Number.isInteger(v) ? `${v}${' '.repeat(d + 1)}` : v.toFixed(d);
    }),
  );
  const natural = names.map((_, i) =>
    Math.max(displayWidth(header[i] ?? ''), ...body.map((cells) => displayWidth(cells[i] ?? ''))),
  );
  const layout = fitColumns(natural, maxWidth);
  const line = (cells: readonly string[], right: readonly boolean[]) =>
    layout.columns
      .map((c, k) => {
        const w = layout.widths[k] ?? 1;
        if (c === null) return padToWidth('…', w, 'end');
        return padToWidth(cutToWidth(cells[c] ?? '', w), w, right[c] ? 'start' : 'end');
      })
      .join(' | ')
      .trimEnd();
  const out = [
    line(header, numeric),
    layout.widths.map((w) => '-'.repeat(w)).join('-+-'),
    ...body.map((cells) => line(cells, numeric)),
  ];
  const columnsNote =
    layout.hidden > 0
      ? `, ${names.length - layout.hidden} of ${names.length} columns; --max-width 0 shows all`
      : '';
  if (rows.length === 0) out.push(`(no rows${columnsNote})`);
  else if (rows.length > shown.length) {
    out.push(
      `… ${rows.length - shown.length} more rows (${rows.length} in all); --all or --format csv shows them${columnsNote}`,
    );
  } else out.push(`(${rows.length} row${rows.length === 1 ? '' : 's'}${columnsNote})`);
  return `${out.join('\n')}\n`;
}

/** Digits after the point in a number's shortest form; Infinity for exponent forms, NaN and ±Infinity. */
function fractionDigits(v: unknown): number {
  if (typeof v !== 'number') return 0;
  const text = String(v);
  if (!Number.isFinite(v) || text.includes('e')) return Number.POSITIVE_INFINITY;
  return text.split('.')[1]?.length ?? 0;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return escapeControls(typeof v === 'object' ? JSON.stringify(v) : String(v));
}

const CONTROL_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** C0 and C1 control characters and DEL as visible escapes: a cell stays on one line. */
function escapeControls(text: string): string {
  return text.replace(
    /\p{Cc}/gu,
    (c) => CONTROL_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
