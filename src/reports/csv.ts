/**
 * RFC 4180 CSV: a header line of `names`, then one line per row; a cell with a comma, a quote or
 * a line break is quoted (quotes doubled), null is empty, nested values are JSON. Kept apart from
 * the CLI's output module so the Lambda bundle can write reports without the CLI's DuckDB paths.
 *
 * @example
 * ```ts
 * toCsv([{ title: 'S3 "public", again' }], ['title']) // 'title\n"S3 ""public"", again"\n'
 * ```
 */
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
