/**
 * CSV as RFC 4180 writes it: a header record of `names`, then one record per row, each ending in
 * CRLF; a field holding a comma, a double quote, CR or LF is enclosed in double quotes with its
 * quotes doubled; null is an empty field; nested values are JSON. Spreadsheets and CSV parsers
 * read titles with commas, quotes and line breaks back whole. Kept apart from the CLI's output
 * module so the Lambda bundle can write reports without the CLI's DuckDB paths.
 *
 * @example
 * ```ts
 * toCsv([{ title: 'say "hi", then\nleave', n: 1 }], ['title', 'n'])
 * // 'title,n\r\n"say ""hi"", then\nleave",1\r\n'
 * ```
 */
export function toCsv(
  rows: Iterable<Readonly<Record<string, unknown>>>,
  names: readonly string[],
  /** `'\n'` where the text goes to a Unix pipe (the CLI's stdout), not to a file for a spreadsheet. */
  recordEnd: '\r\n' | '\n' = '\r\n',
): string {
  const field = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines = [names.map(field).join(',')];
  for (const row of rows) lines.push(names.map((n) => field(row[n])).join(','));
  return `${lines.join(recordEnd)}${recordEnd}`;
}
