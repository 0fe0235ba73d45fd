/**
 * Makes a DuckDB 1.5 connection accept the Trino SQL (as Athena engine v3 runs it) that lakeq writes, and
 * return Trino's results. See DESIGN.md, "SQL dialect policy".
 *
 * Everything here is per connection: `integer_division` and `TimeZone` are session settings, and the macros are
 * TEMP macros. TEMP is deliberate: the temp catalog is searched before `system`, so a macro shadows the
 * DuckDB builtin of the same name; it stays visible after `USE other_db`; it works on read-only databases;
 * and it is never persisted into a user's database file. Inside a macro, `system.main.f(...)` still calls
 * the builtin `f` that the macro shadows (an unqualified call would bind to the macro itself).
 *
 * DuckDB 1.5 macros can be overloaded by arity and by exact parameter type (`(t DATE)` beats `(t)`), but
 * they cannot be variadic, cannot receive lambdas, and when they wrap an aggregate they reject
 * FILTER / DISTINCT / ORDER BY (OVER works).
 */

import { TRINO_MORE_MACROS_SQL } from './duckdb-trino-macros.ts';

/** The highest arity generated for Trino's variadic concat, format, greatest and least. */
export const MAX_VARIADIC_ARGS = 16;

const macro = (name: string, ...overloads: string[]): string =>
  `CREATE OR REPLACE TEMP MACRO ${name}${overloads.join(', ')}`;

/** One `(a1, …, an) AS body` overload per arity. */
const variadic = (from: number, body: (args: string[]) => string): string[] =>
  Array.from({ length: MAX_VARIADIC_ARGS - from + 1 }, (_, i) => {
    const args = Array.from({ length: from + i }, (_, j) => `a${j + 1}`);
    return `(${args.join(', ')}) AS ${body(args)}`;
  });

const nullIfAnyNull = (args: string[], expr: string): string =>
  `CASE WHEN ${args.map((a) => `${a} IS NULL`).join(' OR ')} THEN NULL ELSE ${expr} END`;

// Trino's date_format/date_parse specifiers (MySQL style) → DuckDB strftime. Any other `%x` means `x`, and
// Trino drops a trailing lone `%`.
const MYSQL_SPECIFIERS: Readonly<Record<string, string>> = {
  a: '%a',
  b: '%b',
  c: '%-m',
  d: '%d',
  e: '%-d',
  f: '%f',
  H: '%H',
  h: '%I',
  I: '%I',
  i: '%M',
  j: '%j',
  k: '%-H',
  l: '%-I',
  M: '%B',
  m: '%m',
  p: '%p',
  r: '%I:%M:%S %p',
  S: '%S',
  s: '%S',
  T: '%H:%M:%S',
  v: '%V',
  W: '%A',
  x: '%G',
  Y: '%Y',
  y: '%y',
  '%': '%%',
};
const specifierCases = Object.entries(MYSQL_SPECIFIERS)
  .map(([k, v]) => `WHEN '%${k}' THEN '${v}'`)
  .join(' ');

const DATE_ADD_UNITS = ['millisecond', 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'];
const intervalCases = DATE_ADD_UNITS.map(
  (u) => `WHEN '${u}' THEN n * INTERVAL ${u === 'quarter' ? '3 month' : `1 ${u}`}`,
).join(' ');

/** Statements to run on every new connection, in order. */
export const TRINO_COMPAT_SQL: readonly string[] = [
  // Trino: 5 / 2 = 2. Connection-local in DuckDB, hence per connection.
  'SET integer_division = true',
  // Athena sessions are UTC. Per connection too: DuckDB's default is the machine's zone.
  "SET TimeZone = 'UTC'",

  // Helpers (prefixed, not Trino functions).
  macro(
    '_lakeq_strftime_format',
    `(f, parse) AS array_to_string(list_transform(regexp_extract_all(f, '%.?|[^%]+'), lambda t: CASE
      WHEN NOT starts_with(t, '%') THEN t WHEN t = '%' THEN '' WHEN t = '%f' AND parse THEN '%n'
      ELSE CASE t ${specifierCases} ELSE t[2] END END), '')`,
  ),
  // Trino (Java) replacement → RE2 rewrite: `$1` → `\1`, `\$` → `$`, `\\` stays a literal backslash.
  macro(
    '_lakeq_re2_rewrite',
    String.raw`(r) AS array_to_string(list_transform(regexp_extract_all(r, '\\.|\$[0-9]|[^\\$]+|\$'), lambda t: CASE
      WHEN t = '\\' THEN t WHEN starts_with(t, '\') THEN t[2] WHEN len(t) = 2 AND starts_with(t, '$') THEN '\' || t[2]
      ELSE t END), '')`,
  ),
  // Trino JSONPath `$["a b"]` → DuckDB `$."a b"`.
  macro('_lakeq_json_path', String.raw`(p) AS system.main.regexp_replace(p, '\["([^"]*)"\]', '."\1"', 'g')`),

  // Date and time. Trino's timestamp(3) with time zone is DuckDB's TIMESTAMPTZ (an instant; shown in the
  // session zone, UTC), truncated to milliseconds; its timestamp(3) a naive TIMESTAMP.
  macro(
    'from_iso8601_timestamp',
    String.raw`(s) AS system.main.date_trunc('millisecond', CAST(system.main.regexp_replace(s, '^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})([Z+-].*)?$', '\1:00\2') AS TIMESTAMPTZ))`,
  ),
  macro(
    'from_iso8601_timestamp_nanos',
    String.raw`(s) AS CAST(system.main.regexp_replace(s, '^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})([Z+-].*)?$', '\1:00\2') AS TIMESTAMPTZ)`,
  ),
  macro('from_iso8601_date', '(s) AS CAST(s AS DATE)'),
  macro('to_unixtime', '(t) AS epoch(t)'),
  macro(
    'from_unixtime',
    '(x) AS CAST(epoch_ms(CAST(round(CAST(x AS DOUBLE) * 1000) AS BIGINT)) AS TIMESTAMPTZ)',
    // The zone is checked and dropped: the instant is the same.
    "(x, zone) AS CASE WHEN timezone(zone, TIMESTAMPTZ '2000-01-01 00:00:00+00') IS NULL THEN NULL ELSE CAST(epoch_ms(CAST(round(CAST(x AS DOUBLE) * 1000) AS BIGINT)) AS TIMESTAMPTZ) END",
    '(x, h, m) AS CAST(epoch_ms(CAST(round(CAST(x AS DOUBLE) * 1000) AS BIGINT)) AS TIMESTAMPTZ)',
  ),
  macro('from_unixtime_nanos', '(n) AS CAST(make_timestamp(CAST(n AS BIGINT) // 1000) AS TIMESTAMPTZ)'),
  macro(
    'date_format',
    `(t, f) AS strftime(system.main.date_trunc('millisecond', t), _lakeq_strftime_format(f, false))`,
  ),
  // At CREATE, DuckDB binds the body with untyped parameters, and strptime rejects a computed format there
  // (it is constant in every real call). `f || ''` cannot be typed yet, which makes DuckDB skip that check.
  macro(
    'date_parse',
    `(s, f) AS system.main.date_trunc('millisecond', strptime(s, _lakeq_strftime_format(f || '', true)))`,
  ),
  macro('_lakeq_interval', `(u, n) AS CASE lower(u) ${intervalCases} ELSE error('Invalid unit: ' || u) END`),
  macro(
    'date_add',
    '(d, i) AS d + i', // DuckDB's own date_add(date, interval)
    '(u, n, t DATE) AS CAST(t + _lakeq_interval(u, n) AS DATE)',
    '(u, n, t) AS t + _lakeq_interval(u, n)',
  ),
  // DuckDB's date_sub counts whole units (Joda-like, as Trino); its date_diff counts boundaries crossed.
  macro('date_diff', '(u, a, b) AS date_sub(u, a, b)'),
  macro(
    'date_trunc',
    '(u, t DATE) AS CAST(system.main.date_trunc(u, t) AS DATE)',
    '(u, t) AS system.main.date_trunc(u, t)',
  ),
  macro('day_of_week', '(t) AS isodow(t)'),
  macro('dow', '(t) AS isodow(t)'),
  macro('day_of_month', '(t) AS dayofmonth(t)'),
  macro('day_of_year', '(t) AS dayofyear(t)'),
  macro('week_of_year', '(t) AS week(t)'),
  macro('year_of_week', '(t) AS isoyear(t)'),
  macro('yow', '(t) AS isoyear(t)'),
  macro('millisecond', "(t) AS date_part('millisecond', t) % 1000"),
  macro('last_day_of_month', '(t) AS last_day(t)'),

  // JSON. Trino returns NULL for invalid JSON where DuckDB raises an error.
  macro(
    'json_extract_scalar',
    `(j, p) AS CASE WHEN json_valid(j) THEN CASE WHEN json_type(j, _lakeq_json_path(p)) NOT IN ('OBJECT', 'ARRAY')
      THEN json_extract_string(j, _lakeq_json_path(p)) END END`,
  ),
  macro(
    'json_extract',
    '(j, p) AS CASE WHEN json_valid(j) THEN system.main.json_extract(j, _lakeq_json_path(p)) END',
  ),
  macro(
    'json_array_length',
    `(j) AS CASE WHEN json_valid(j) THEN CASE WHEN json_type(j) = 'ARRAY'
      THEN CAST(system.main.json_array_length(j) AS BIGINT) END END`,
  ),
  // json_extract(x, '$') is DuckDB's own json(x), which would bind to the json_extract macro above.
  macro('json_parse', "(s) AS system.main.json_extract(s, '$')"),
  macro('json_format', "(j) AS CAST(system.main.json_extract(j, '$') AS VARCHAR)"),

  // Strings and regular expressions.
  macro('concat', ...variadic(2, (args) => args.join(' || '))),
  // Java format → C printf: same for %s (on varchar), %d, %.2f, %%.
  macro('format', ...variadic(1, (args) => `printf(${args.join(', ')})`)),
  macro(
    'split_part',
    "(s, d, i) AS CASE WHEN i < 1 THEN error('Index must be greater than zero') ELSE string_split(s, d)[i] END",
  ),
  // Trino: start 0 or a negative length give ''. substr(s, 1, 0) is '' of the same type, NULL for NULL.
  ...['substr', 'substring'].map((name) =>
    macro(
      name,
      '(s, st) AS CASE WHEN st = 0 THEN system.main.substr(s, 1, 0) ELSE system.main.substr(s, st) END',
      '(s, st, n) AS CASE WHEN st = 0 OR n < 0 THEN system.main.substr(s, 1, 0) ELSE system.main.substr(s, st, n) END',
    ),
  ),
  macro('regexp_like', '(s, p) AS regexp_matches(s, p)'),
  macro(
    'regexp_replace',
    "(s, p) AS system.main.regexp_replace(s, p, '', 'g')",
    "(s, p, r) AS system.main.regexp_replace(s, p, _lakeq_re2_rewrite(r), 'g')",
  ),
  macro(
    'regexp_extract',
    '(s, p) AS CASE WHEN regexp_matches(s, p) THEN system.main.regexp_extract(s, p) END',
    '(s, p, g) AS CASE WHEN regexp_matches(s, p) THEN system.main.regexp_extract(s, p, g) END',
  ),
  macro(
    'url_extract_host',
    String.raw`(u) AS nullif(system.main.regexp_extract(u, '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?(\[[^\]]*\]|[^:/?#]*)', 1), '')`,
  ),
  // Trino returns NULL when any argument is NULL; DuckDB skips NULLs.
  macro(
    'greatest',
    ...variadic(2, (args) => nullIfAnyNull(args, `system.main.greatest(${args.join(', ')})`)),
  ),
  macro('least', ...variadic(2, (args) => nullIfAnyNull(args, `system.main.least(${args.join(', ')})`))),

  // Arrays and maps.
  macro(
    'array_join',
    '(a, sep) AS array_to_string(a, sep)',
    '(a, sep, r) AS array_to_string(list_transform(a, lambda e: coalesce(CAST(e AS VARCHAR), r)), sep)',
  ),
  // DuckDB's cardinality() takes only maps and len() only lists. A typed macro parameter tells them apart:
  // DuckDB 1.5 matches a MAP parameter against any map (by type id) and casts the argument to it, and every
  // map casts to map(varchar, varchar) without changing its size.
  macro(
    'cardinality',
    '(x MAP(VARCHAR, VARCHAR)) AS CAST(system.main.cardinality(x) AS BIGINT)',
    '(x) AS len(x)',
  ),
  // x[k]: 1-based, negative from the end, NULL out of range; for a map, the value or NULL.
  macro('element_at', '(x, k) AS x[k]'),
  // Trino: NULL (not false) when not found but the array holds a NULL.
  macro(
    'contains',
    `(a, x) AS CASE WHEN a IS NULL OR x IS NULL THEN NULL WHEN list_contains(a, x) THEN true
      WHEN list_count(a) < len(a) THEN NULL ELSE false END`,
  ),

  // Aggregates.
  macro('approx_distinct', '(x) AS approx_count_distinct(x)', '(x, e) AS approx_count_distinct(x)'),
  macro('approx_percentile', '(x, p) AS approx_quantile(x, p)'),
  // DuckDB's arbitrary is first(), which may return NULL; Trino's skips NULLs.
  macro('arbitrary', '(x) AS any_value(x)'),
  macro('every', '(x) AS bool_and(x)'),
  // DuckDB returns HUGEINT, which would leak into Parquet output; Trino returns bigint.
  macro('count_if', '(x) AS CAST(system.main.count_if(x) AS BIGINT)'),
];

const isSetting = (sql: string) => /^\s*SET\s/i.test(sql);
const COMPAT_SQL = [...TRINO_COMPAT_SQL, ...TRINO_MORE_MACROS_SQL];
// Settings one by one (integer_division set within a text of several statements did not hold
// for the connection's later queries); the ~200 macros in one text, which DuckDB runs in one call
// (0.07 s against 0.12–0.15 s one by one) without waiting for the event loop, which a folder scan
// shares.
const COMPAT_SETTINGS = COMPAT_SQL.filter(isSetting);
const COMPAT_MACROS = COMPAT_SQL.filter((sql) => !isSetting(sql)).join(';\n');

/**
 * Runs {@link TRINO_COMPAT_SQL} and the further macros of duckdb-trino-macros.ts through `run`; call it
 * on every new connection. Idempotent.
 */
export async function installTrinoCompat(run: (sql: string) => Promise<unknown>): Promise<void> {
  for (const sql of COMPAT_SETTINGS) await run(sql);
  await run(COMPAT_MACROS);
}
