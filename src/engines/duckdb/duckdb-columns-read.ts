import { type Token, tokenize } from '../trino/trino-lexer.ts';

/**
 * Words that may stand alone in a query more than once without naming a column or a relation.
 * A word missing here only makes `columnsRead` answer "any column" for more queries.
 */
const KEYWORDS = new Set(
  `all and any array as asc at between bigint boolean by case cast current date day decimal desc distinct
  double else end escape except exists false filter first following from full group having hour ilike in
  inner integer intersect interval is join json last lateral left like limit map minute month not null
  nulls offset on or order ordinality outer over partition preceding range real right row rows second
  select similar smallint some table then time timestamp tinyint true try_cast unbounded union using
  values varchar when where window with within year zone`.split(/\s+/),
);

/** DuckDB forms that read columns they do not name (or whole rows): the answer is "any column". */
const READS_UNNAMED = new Set([
  'columns',
  'natural',
  'pivot',
  'unpivot',
  'pivot_longer',
  'pivot_wider',
  'summarize',
]);

/**
 * Which of `columns` a query over `relations` can read, judged from its words: the columns it names
 * (case-insensitively, quoted or not), or `undefined` when it may read others it does not name, or
 * the text cannot tell. It is "any column" for a text that is not a plain SELECT or WITH query, one
 * with `*` (except `count(*)`), DuckDB's COLUMNS, NATURAL joins and PIVOT, a bare `rowName`, and
 * for a word that stands alone more than once (a relation or alias used as a whole row, as in
 * `select to_json(e) from t e`), and for a text that names none of `relations` (it may read them
 * through other views). Erring to "any" costs time, never an answer.
 *
 * @example
 * ```ts
 * columnsRead("select eventName from cloudtrail_events_raw where errorCode is null",
 *   { relations: ['cloudtrail_events_raw'], columns: ['eventName', 'errorCode', 'userAgent'], rowName: 'r' })
 * // Set { 'eventName', 'errorCode' }
 * ```
 */
export function columnsRead(
  sql: string,
  options: { relations: readonly string[]; columns: readonly string[]; rowName?: string },
): Set<string> | undefined {
  let tokens: Token[];
  try {
    tokens = tokenize(sql).filter((t) => t.kind !== 'eof');
  } catch {
    return undefined;
  }
  const first = tokens[0];
  if (first === undefined || !(first.value === 'select' || first.value === 'with' || first.text === '('))
    return undefined;
  const relations = new Set(options.relations.map((r) => r.toLowerCase()));
  // A text that names none of the relations reads none of their columns through them.
  if (!tokens.some((t) => (t.kind === 'word' || t.kind === 'quoted') && relations.has(t.value.toLowerCase())))
    return undefined;
  const byName = new Map(options.columns.map((c) => [c.toLowerCase(), c]));
  const row = options.rowName?.toLowerCase();
  const read = new Set<string>();
  const alone = new Map<string, number>();
  for (const [i, token] of tokens.entries()) {
    const before = tokens[i - 1];
    const after = tokens[i + 1];
    if (token.kind === 'op') {
      if (token.text === '*' && !(before?.text === '(' && after?.text === ')')) return undefined;
      continue;
    }
    if (token.kind !== 'word' && token.kind !== 'quoted') continue;
    const name = token.value.toLowerCase();
    if (token.kind === 'word' && READS_UNNAMED.has(name)) return undefined;
    const column = byName.get(name);
    if (column !== undefined) {
      read.add(column);
      continue;
    }
    // The whole row (`r`, `t.r`, `r['eventName']`), where only a field of it (`r.eventName`) names one.
    if (name === row && after?.text !== '.') return undefined;
    const standsAlone = before?.text !== '.' && after?.text !== '.' && after?.text !== '(';
    if (!standsAlone || (token.kind === 'word' && KEYWORDS.has(name))) continue;
    const count = (alone.get(name) ?? 0) + 1;
    if (count > 1) return undefined;
    alone.set(name, count);
  }
  return read;
}
