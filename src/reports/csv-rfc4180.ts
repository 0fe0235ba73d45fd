/**
 * CSV as RFC 4180 writes it: records end in CRLF, a field holding a comma, a double quote, CR or
 * LF is enclosed in double quotes and its quotes doubled; null is an empty field. Spreadsheets
 * and CSV parsers read titles with commas, quotes and line breaks back whole.
 *
 * @example
 * ```ts
 * toRfc4180Csv(['title', 'n'], [{ title: 'say "hi", then\nleave', n: 1 }])
 * // 'title,n\r\n"say ""hi"", then\nleave",1\r\n'
 * ```
 */
export function toRfc4180Csv(
  columns: readonly string[],
  rows: Iterable<Readonly<Record<string, unknown>>>,
): string {
  const field = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines = [columns.map(field).join(',')];
  for (const row of rows) lines.push(columns.map((c) => field(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
