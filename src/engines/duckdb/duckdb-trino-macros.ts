/**
 * More Trino functions as DuckDB TEMP macros, by section of Trino's documentation, and the `_lakeq_*`
 * helpers the compile-time rewrite (duckdb-trino-rewrite.ts) calls. Installed with the core macros of
 * duckdb-trino-compat.ts on every connection.
 *
 * Two DuckDB 1.5 facts shape these bodies: `integer_division` is on, so `/` between integers divides
 * integers here too (hence `/ 1e0` where a fraction is meant); and a macro overload with a typed parameter
 * matches only arguments of that type (`(x VARCHAR)` takes strings and NULL, not lists), except TIMESTAMPTZ
 * and JSON, which take anything castable. Where the type decides, `CASE typeof(x) WHEN …` is folded by the
 * binder, so only the taken branch runs (every branch must still bind, hence the casts in dead branches).
 */

const macro = (name: string, ...overloads: string[]): string =>
  `CREATE OR REPLACE TEMP MACRO ${name}${overloads.join(', ')}`;

const EXACT_NUMERIC = `('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT')`;

// Joda-Time patterns (format_datetime, parse_datetime) → strftime. Runs of a letter are one field.
const JODA_FIELDS: Readonly<Record<string, string>> = {
  yyyy: '%Y',
  yyy: '%Y',
  yy: '%y',
  y: '%Y',
  YYYY: '%Y',
  YY: '%y',
  Y: '%Y',
  xxxx: '%G',
  xx: '%g',
  MMMM: '%B',
  MMM: '%b',
  MM: '%m',
  M: '%-m',
  dd: '%d',
  d: '%-d',
  DDD: '%j',
  D: '%-j',
  HH: '%H',
  H: '%-H',
  kk: '%H',
  k: '%-H',
  hh: '%I',
  h: '%-I',
  KK: '%I',
  K: '%-I',
  mm: '%M',
  m: '%-M',
  ss: '%S',
  s: '%-S',
  SSSSSS: '%f',
  SSS: '%g',
  a: '%p',
  EEEE: '%A',
  EEE: '%a',
  EE: '%a',
  E: '%a',
  e: '%u',
  ww: '%V',
  w: '%-V',
  ZZ: '%z',
  Z: '%z',
  z: '%Z',
  zzzz: '%Z',
};
const jodaCases = Object.entries(JODA_FIELDS)
  .map(([k, v]) => `WHEN '${k}' THEN '${v}'`)
  .join(' ');

// Teradata's to_char/to_date/to_timestamp specifiers.
const TERADATA_FIELDS: Readonly<Record<string, string>> = {
  yyyy: '%Y',
  yy: '%y',
  mm: '%m',
  dd: '%d',
  hh24: '%H',
  hh: '%I',
  mi: '%M',
  ss: '%S',
};
const teradataCases = Object.entries(TERADATA_FIELDS)
  .map(([k, v]) => `WHEN '${k}' THEN '${v}'`)
  .join(' ');

const combination = (n: number): string => {
  if (n === 0) return '[x[1:0]]';
  if (n === 1) return 'list_transform(x, lambda c1: [c1])';
  // Indexes i1 < i2 < … < in, nested; flatten n-1 times.
  const vars = Array.from({ length: n }, (_, k) => `i${k + 1}`);
  let inner = `[${vars.map((v) => `x[${v}]`).join(', ')}]`;
  for (let k = n - 1; k >= 0; k--) {
    const from = k === 0 ? '1' : `${vars[k - 1]} + 1`;
    inner = `list_transform(range(${from}, len(x) + 1), lambda ${vars[k]}: ${inner})`;
  }
  for (let k = 1; k < n; k++) inner = `flatten(${inner})`;
  return inner;
};

// DuckDB type names → Trino's, as successive replacements over the lower-cased name (typeof only: the
// result columns' types are mapped from DuckDB's type objects in duckdb-types.ts).
const TYPE_NAME_REPLACEMENTS: readonly [string, string][] = [
  ['"([^"]*)"', String.raw`\1`],
  [' with time zone', '_tz'],
  [String.raw`\btimestamp\b`, 'timestamp(3)'],
  [String.raw`\btimestamp_ms\b`, 'timestamp(3)'],
  [String.raw`\btimestamp_ns\b`, 'timestamp(9)'],
  [String.raw`\btimestamp_s\b`, 'timestamp(0)'],
  [String.raw`\btime\b`, 'time(3)'],
  [String.raw`\btimestamp_tz\b`, 'timestamp(3) with time zone'],
  [String.raw`\btime_tz\b`, 'time(3) with time zone'],
  [String.raw`\bblob\b`, 'varbinary'],
  [String.raw`\bfloat\b`, 'real'],
  [String.raw`\b(hugeint|ubigint|uinteger)\b`, 'bigint'],
  [String.raw`\busmallint\b`, 'integer'],
  [String.raw`\butinyint\b`, 'smallint'],
  [String.raw`\binterval\b`, 'interval day to second'],
  [String.raw`\bstruct\(`, 'row('],
  ['^null$', 'unknown'],
];

function trinoTypeNameSql(arg: string): string {
  let sql = `lower(${arg})`;
  for (const [pattern, replacement] of TYPE_NAME_REPLACEMENTS)
    sql = `system.main.regexp_replace(${sql}, '${pattern}', '${replacement}', 'g')`;
  // Arrays nest: element[] → array(element), three levels deep.
  for (let i = 0; i < 3; i++) sql = `_lakeq_array_types(${sql})`;
  return sql;
}

/** Statements to run on every new connection, after the core macros. */
export const TRINO_MORE_MACROS_SQL: readonly string[] = [
  // ---- helpers of the rewrite ---------------------------------------------------------------------------
  macro(
    '_lakeq_divide',
    `(a, b) AS CASE WHEN typeof(a) IN ${EXACT_NUMERIC} AND typeof(b) IN ${EXACT_NUMERIC} AND b = 0
      THEN error('Division by zero') ELSE a / b END`,
  ),
  ...(['divide', 'modulus'] as const).map((op) =>
    macro(
      `_lakeq_${op}_or_null`,
      `(a, b) AS CASE WHEN typeof(a) IN ${EXACT_NUMERIC} AND typeof(b) IN ${EXACT_NUMERIC} AND b = 0
        THEN NULL ELSE a ${op === 'divide' ? '/' : '%'} b END`,
    ),
  ),
  macro(
    '_lakeq_modulus',
    `(a, b) AS CASE WHEN typeof(a) IN ${EXACT_NUMERIC} AND typeof(b) IN ${EXACT_NUMERIC} AND b = 0
      THEN error('Division by zero') ELSE a % b END`,
  ),
  macro('_lakeq_date_plus', '(d DATE, i) AS CAST(d + i AS DATE)', '(d, i) AS d + i'),
  // Trino rounds a timestamp to the precision of its type; arithmetic on t keeps t's type (naive or zoned).
  macro(
    '_lakeq_round_timestamp',
    `(t, p) AS t - to_microseconds(((epoch_us(t) % CAST(10 ** (6 - p) AS BIGINT)) + CAST(10 ** (6 - p) AS BIGINT))
      % CAST(10 ** (6 - p) AS BIGINT)) + CASE WHEN ((epoch_us(t) % CAST(10 ** (6 - p) AS BIGINT)) + CAST(10 ** (6 - p) AS BIGINT))
      % CAST(10 ** (6 - p) AS BIGINT) * 2 >= CAST(10 ** (6 - p) AS BIGINT) THEN to_microseconds(CAST(10 ** (6 - p) AS BIGINT))
      ELSE to_microseconds(0) END`,
  ),
  // Trino zone ids DuckDB's ICU lacks: fixed offsets of whole hours.
  macro(
    '_lakeq_zone',
    String.raw`(z) AS CASE WHEN regexp_matches(z, '^[+-]\d{2}:00$')
      THEN 'Etc/GMT' || CASE WHEN starts_with(z, '+') THEN '-' ELSE '+' END || CAST(CAST(z[2:3] AS INTEGER) AS VARCHAR)
      WHEN z IN ('Z', 'z', '+00:00', '-00:00') THEN 'UTC' ELSE z END`,
  ),
  // x AT TIME ZONE z: the same instant (checking the zone, as Trino does).
  macro(
    '_lakeq_at_timezone',
    `(t, z) AS CASE WHEN timezone(_lakeq_zone(z), CAST(t AS TIMESTAMPTZ)) IS NULL THEN NULL ELSE CAST(t AS TIMESTAMPTZ) END`,
  ),
  macro('_lakeq_wall_clock', '(t, z) AS timezone(_lakeq_zone(z), CAST(t AS TIMESTAMPTZ))'),
  macro('_lakeq_with_timezone', '(t, z) AS timezone(_lakeq_zone(z), CAST(t AS TIMESTAMP))'),
  macro(
    '_lakeq_offset_minutes',
    `(t, z) AS CAST((epoch(_lakeq_wall_clock(t, z)) - epoch(CAST(t AS TIMESTAMPTZ))) // 60 AS BIGINT)`,
  ),
  macro('_lakeq_zone_offset_hour', '(t, z) AS CAST(trunc(_lakeq_offset_minutes(t, z) / 60e0) AS BIGINT)'),
  macro('_lakeq_zone_offset_minute', '(t, z) AS _lakeq_offset_minutes(t, z) % 60'),
  macro(
    '_lakeq_offset_text',
    `(m) AS CASE WHEN m = 0 THEN 'Z' ELSE CASE WHEN m < 0 THEN '-' ELSE '+' END
      || lpad(CAST(abs(m) // 60 AS VARCHAR), 2, '0') || ':' || lpad(CAST(abs(m) % 60 AS VARCHAR), 2, '0') END`,
  ),
  macro(
    '_lakeq_zoned_iso8601',
    `(t, z) AS strftime(_lakeq_wall_clock(t, z), '%Y-%m-%dT%H:%M:%S.%g') || _lakeq_offset_text(_lakeq_offset_minutes(t, z))`,
  ),
  macro(
    '_lakeq_zoned_varchar',
    `(t, z) AS strftime(_lakeq_wall_clock(t, z), '%Y-%m-%d %H:%M:%S.%g') || ' ' || z`,
  ),
  // Java's Double.toString: plain between 1e-3 and 1e7, else d.dddE±n.
  macro(
    '_lakeq_mantissa',
    `(d) AS d[1] || '.' || CASE WHEN length(rtrim(d, '0')) <= 1 THEN '0' ELSE rtrim(d, '0')[2:] END`,
  ),
  macro(
    '_lakeq_sci_text',
    `(s, negative) AS CASE WHEN negative THEN '-' ELSE '' END || CASE
      WHEN system.main.contains(s, 'e') THEN
        CASE WHEN system.main.contains(split_part(s, 'e', 1), '.') THEN split_part(s, 'e', 1) ELSE split_part(s, 'e', 1) || '.0' END
        || 'E' || CAST(CAST(split_part(s, 'e', 2) AS INTEGER) AS VARCHAR)
      WHEN starts_with(s, '0.') THEN
        _lakeq_mantissa(ltrim(split_part(s, '.', 2), '0'))
        || 'E-' || CAST(length(split_part(s, '.', 2)) - length(ltrim(split_part(s, '.', 2), '0')) + 1 AS VARCHAR)
      ELSE _lakeq_mantissa(rtrim(split_part(s, '.', 1) || split_part(s, '.', 2), '0'))
        || 'E' || CAST(length(split_part(s, '.', 1)) - 1 AS VARCHAR) END`,
  ),
  macro(
    '_lakeq_double_text',
    `(x) AS CASE WHEN isnan(x) THEN 'NaN' WHEN isinf(x) THEN CASE WHEN x > 0 THEN 'Infinity' ELSE '-Infinity' END
      WHEN x = 0 OR (abs(x) >= 1e-3 AND abs(x) < 1e7) THEN CAST(x AS VARCHAR)
      ELSE _lakeq_sci_text(CAST(abs(x) AS VARCHAR), x < 0) END`,
  ),
  // Trino prints a day-to-second interval as 'D HH:MM:SS.mmm' and a year-to-month one as 'Y-M'.
  macro(
    '_lakeq_interval_text',
    `(i) AS CASE WHEN datepart('month', i) <> 0 OR datepart('year', i) <> 0
      THEN CAST(datepart('year', i) AS VARCHAR) || '-' || CAST(datepart('month', i) AS VARCHAR)
      ELSE CAST(epoch_us(i) // 86400000000 AS VARCHAR) || ' '
        || strftime(TIMESTAMP '2000-01-01' + to_microseconds(epoch_us(i) % 86400000000), '%H:%M:%S.%g') END`,
  ),
  // Trino's CAST(json AS varchar): a scalar's value, NULL for null; arrays and objects do not cast.
  macro(
    '_lakeq_json_to_varchar',
    `(j) AS CASE json_type(j) WHEN 'VARCHAR' THEN json_extract_string(j, '$') WHEN 'NULL' THEN NULL
      WHEN 'ARRAY' THEN error('Cannot cast JSON array to varchar') WHEN 'OBJECT' THEN error('Cannot cast JSON object to varchar')
      ELSE CAST(j AS VARCHAR) END`,
  ),
  // CAST(x AS varchar) as Trino prints x; TRY_CAST's twin has no error() (TRY rejects volatile functions).
  ...(['_lakeq_to_varchar', '_lakeq_try_to_varchar'] as const).map((name) =>
    macro(
      name,
      `(x) AS CASE typeof(x)
      WHEN 'JSON' THEN ${name === '_lakeq_to_varchar' ? '_lakeq_json_to_varchar(CAST(x AS VARCHAR))' : "CASE WHEN json_type(CAST(x AS VARCHAR)) IN ('VARCHAR', 'NULL', 'ARRAY', 'OBJECT') THEN CASE WHEN json_type(CAST(x AS VARCHAR)) = 'VARCHAR' THEN json_extract_string(CAST(x AS VARCHAR), '$') END ELSE CAST(x AS VARCHAR) END"}
      WHEN 'TIMESTAMP WITH TIME ZONE' THEN strftime(CAST(x AS TIMESTAMPTZ), '%Y-%m-%d %H:%M:%S.%g') || ' UTC'
      WHEN 'TIMESTAMP' THEN strftime(CAST(x AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%g')
      WHEN 'TIMESTAMP_MS' THEN strftime(CAST(x AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%g')
      WHEN 'DOUBLE' THEN _lakeq_double_text(CAST(x AS DOUBLE))
      WHEN 'FLOAT' THEN _lakeq_double_text(CAST(x AS FLOAT))
      WHEN 'INTERVAL' THEN _lakeq_interval_text(CAST(x AS INTERVAL))
      WHEN 'TIME' THEN strftime(DATE '2000-01-01' + CAST(x AS TIME), '%H:%M:%S.%g')
      ELSE CAST(x AS VARCHAR) END`,
    ),
  ),
  macro('_lakeq_to_json', '(x) AS to_json(x)'),
  // DuckDB type names → Trino's (typeof, and the result columns' types use the same mapping in JS).
  macro(
    '_lakeq_array_types',
    String.raw`(t) AS system.main.regexp_replace(t, '([a-z0-9_]+(\([^()]*\))?)\[\]', 'array(\1)', 'g')`,
  ),
  macro('_lakeq_trino_type', `(t) AS ${trinoTypeNameSql('t')}`),
  macro('_lakeq_typeof', '(x) AS _lakeq_trino_type(typeof(x))'),
  // any_match / all_match / none_match over the predicate's results, with Trino's NULLs.
  macro(
    '_lakeq_any_true',
    `(l) AS CASE WHEN l IS NULL THEN NULL WHEN list_contains(l, true) THEN true WHEN list_count(l) < len(l) THEN NULL ELSE false END`,
  ),
  macro(
    '_lakeq_all_true',
    `(l) AS CASE WHEN l IS NULL THEN NULL WHEN list_contains(l, false) THEN false WHEN list_count(l) < len(l) THEN NULL ELSE true END`,
  ),
  macro(
    '_lakeq_none_true',
    `(l) AS CASE WHEN l IS NULL THEN NULL WHEN list_contains(l, true) THEN false WHEN list_count(l) < len(l) THEN NULL ELSE true END`,
  ),
  macro(
    '_lakeq_bigint_values',
    `(m) AS map_from_entries(list_transform(map_entries(m), lambda e: {'key': e.key, 'value': CAST(e.value AS BIGINT)}))`,
  ),
  // map_agg: the first value of each non-NULL key.
  macro(
    '_lakeq_map_from_pairs',
    `(l) AS map_from_entries(list_transform(list_filter(list_filter(l, lambda p: p.k IS NOT NULL),
      lambda p, i: list_position(list_transform(list_filter(l, lambda q: q.k IS NOT NULL), lambda q: q.k), p.k) = i),
      lambda p: {'key': p.k, 'value': p.v}))`,
  ),
  macro(
    '_lakeq_multimap',
    `(l) AS map_from_entries(list_transform(
      list_filter(list_transform(list_filter(l, lambda p: p.k IS NOT NULL), lambda p: p.k),
        lambda k, i: list_position(list_transform(list_filter(l, lambda q: q.k IS NOT NULL), lambda q: q.k), k) = i),
      lambda k: {'key': k, 'value': list_transform(list_filter(l, lambda p: p.k = k), lambda p: p.v)}))`,
  ),
  macro(
    '_lakeq_map_union',
    `(l) AS map_from_entries(list_filter(flatten(list_transform(l, lambda m: map_entries(m))),
      lambda e, i: list_position(list_transform(flatten(list_transform(l, lambda m: map_entries(m))), lambda f: f.key), e.key) = i))`,
  ),
  macro(
    '_lakeq_joda_format',
    `(f, parse) AS array_to_string(list_transform(
      regexp_extract_all(f, '''[^'']*''|''''|y+|Y+|x+|M+|d+|D+|H+|k+|h+|K+|m+|s+|S+|a+|E+|e+|w+|Z+|z+|G+|C+|[a-zA-Z]|[^a-zA-Z'']+'),
      lambda t: CASE
        WHEN t = '''''' THEN ''''
        WHEN starts_with(t, '''') THEN replace(t[2:-2], '%', '%%')
        WHEN regexp_matches(t, '^[a-zA-Z]') THEN CASE t ${jodaCases}
          WHEN 'SSSSSSSSS' THEN CASE WHEN parse THEN '%n' ELSE '%n' END
          ELSE CASE WHEN regexp_matches(t, '^S+$') THEN '%g' ELSE t END END
        ELSE replace(t, '%', '%%') END), '')`,
  ),
  macro(
    '_lakeq_teradata_format',
    `(f) AS array_to_string(list_transform(regexp_extract_all(lower(f), 'yyyy|yy|mm|dd|hh24|hh|mi|ss|[^a-z]+|[a-z]+'),
      lambda t: CASE t ${teradataCases} ELSE replace(t, '%', '%%') END), '')`,
  ),

  // ---- conversion -----------------------------------------------------------------------------------------
  // Three significant digits, half up, no trailing zeros (Trino: 123456 → 123K, 1234 → 1.23K).
  macro(
    '_lakeq_scaled',
    `(v) AS rtrim(rtrim(printf('%.' || CAST(greatest(0, 2 - CAST(floor(log10(greatest(abs(v), 1e-9))) AS INTEGER)) AS VARCHAR) || 'f',
      CAST(round(CAST(v AS DECIMAL(38, 6)), greatest(0, 2 - CAST(floor(log10(greatest(abs(v), 1e-9))) AS INTEGER))) AS DOUBLE)), '0'), '.')`,
  ),
  macro(
    'format_number',
    `(x) AS CASE WHEN abs(x) >= 1e15 THEN _lakeq_scaled(x / 1e15) || 'P' WHEN abs(x) >= 1e12 THEN _lakeq_scaled(x / 1e12) || 'T'
      WHEN abs(x) >= 1e9 THEN _lakeq_scaled(x / 1e9) || 'B' WHEN abs(x) >= 1e6 THEN _lakeq_scaled(x / 1e6) || 'M'
      WHEN abs(x) >= 1e3 THEN _lakeq_scaled(x / 1e3) || 'K' ELSE _lakeq_scaled(CAST(x AS DOUBLE)) END`,
  ),
  // Java's DecimalFormat("#.##"), HALF_UP.
  macro(
    'parse_data_size',
    String.raw`(s) AS CASE WHEN NOT regexp_matches(trim(s), '^\d+(\.\d+)?\s*[kMGTPEZY]?B$') THEN error('Invalid data size: ''' || s || '''')
      ELSE CAST(floor(CAST(regexp_extract(trim(s), '^(\d+(\.\d+)?)', 1) AS DECIMAL(38, 10))
      * CAST(1024 AS DECIMAL(38, 0)) ** (CASE regexp_extract(trim(s), '([kMGTPEZY]?)B$', 1) WHEN '' THEN 0
        ELSE strpos('kMGTPEZY', regexp_extract(trim(s), '([kMGTPEZY]?)B$', 1)) END)) AS DECIMAL(38, 0)) END`,
  ),

  // ---- mathematical ---------------------------------------------------------------------------------------
  macro('e', '() AS exp(1)'),
  // Exact for perfect cubes, as Java's Math.cbrt.
  macro(
    'cbrt',
    '(x) AS CASE WHEN round(system.main.cbrt(x)) ** 3 = x THEN round(system.main.cbrt(x)) ELSE system.main.cbrt(x) END',
  ),
  macro('infinity', "() AS CAST('Infinity' AS DOUBLE)"),
  macro('nan', "() AS CAST('NaN' AS DOUBLE)"),
  macro('is_finite', '(x) AS isfinite(x)'),
  macro('is_infinite', '(x) AS isinf(x)'),
  macro('is_nan', '(x) AS isnan(x)'),
  macro(
    'random',
    '() AS system.main.random()',
    '(n) AS CAST(floor(system.main.random() * n) AS BIGINT)',
    '(m, n) AS m + CAST(floor(system.main.random() * (n - m)) AS BIGINT)',
  ),
  macro('rand', '() AS system.main.random()', '(n) AS random(n)', '(m, n) AS random(m, n)'),
  macro('truncate', '(x) AS trunc(x)', '(x, n) AS trunc(x, n)'),
  macro(
    'width_bucket',
    `(x, bins) AS CAST(len(list_filter(bins, lambda b: b <= x)) AS BIGINT)`,
    `(x, b1, b2, n) AS CASE WHEN n <= 0 THEN error('bucketCount must be greater than 0') WHEN b1 = b2 THEN error('bounds cannot equal each other')
      WHEN b1 < b2 THEN CASE WHEN x < b1 THEN 0 WHEN x >= b2 THEN n + 1 ELSE CAST(floor((x - b1) / CAST(b2 - b1 AS DOUBLE) * n) AS BIGINT) + 1 END
      ELSE CASE WHEN x > b1 THEN 0 WHEN x <= b2 THEN n + 1 ELSE CAST(floor((b1 - x) / CAST(b1 - b2 AS DOUBLE) * n) AS BIGINT) + 1 END END`,
  ),
  macro(
    'from_base',
    `(s, radix) AS CASE WHEN radix < 2 OR radix > 36 THEN error('Radix must be between 2 and 36')
      WHEN NOT regexp_matches(lower(s), '^-?[0-9a-z]+$') OR list_bool_or(list_transform(string_split(ltrim(lower(s), '-'), ''),
        lambda c: strpos('0123456789abcdefghijklmnopqrstuvwxyz', c) > radix)) THEN error('Not a valid base-' || radix || ' number: ' || s)
      ELSE CASE WHEN starts_with(s, '-') THEN -1 ELSE 1 END * list_reduce(list_transform(string_split(ltrim(lower(s), '-'), ''),
        lambda c: CAST(strpos('0123456789abcdefghijklmnopqrstuvwxyz', c) - 1 AS BIGINT)), lambda acc, d: acc * radix + d, CAST(0 AS BIGINT)) END`,
  ),
  macro(
    'to_base',
    `(x, radix) AS CASE WHEN radix < 2 OR radix > 36 THEN error('Radix must be between 2 and 36') WHEN x = 0 THEN '0'
      ELSE CASE WHEN x < 0 THEN '-' ELSE '' END || array_to_string(list_reverse(list_transform(
        range(0, CAST(floor(log(radix, abs(CAST(x AS DOUBLE))) + 1e-9) AS BIGINT) + 1),
        lambda i: substr('0123456789abcdefghijklmnopqrstuvwxyz', CAST((abs(CAST(x AS HUGEINT)) // CAST(pow(radix, i) AS HUGEINT)) % radix AS INTEGER) + 1, 1))), '') END`,
  ),
  macro('cosine_similarity', '(a, b) AS list_cosine_similarity(a, b)'),
  macro('cosine_distance', '(a, b) AS 1 - list_cosine_similarity(a, b)'),
  macro(
    'wilson_interval_lower',
    `(s, n, z) AS (s / CAST(n AS DOUBLE) + z * z / (2e0 * n) - z * sqrt((s / CAST(n AS DOUBLE)) * (1 - s / CAST(n AS DOUBLE)) / n + z * z / (4e0 * n * n)))
      / (1 + z * z / CAST(n AS DOUBLE))`,
  ),
  macro(
    'wilson_interval_upper',
    `(s, n, z) AS (s / CAST(n AS DOUBLE) + z * z / (2e0 * n) + z * sqrt((s / CAST(n AS DOUBLE)) * (1 - s / CAST(n AS DOUBLE)) / n + z * z / (4e0 * n * n)))
      / (1 + z * z / CAST(n AS DOUBLE))`,
  ),

  // ---- bitwise --------------------------------------------------------------------------------------------
  macro(
    'bit_count',
    `(x, bits) AS CASE WHEN bits < 2 OR bits > 64 THEN error('Bits specified in bit_count must be between 2 and 64')
      WHEN bits < 64 AND (x >= CAST(1 AS BIGINT) << least(bits - 1, 62) OR x < -(CAST(1 AS BIGINT) << least(bits - 1, 62)))
        THEN error('Number must be representable with the bits specified. ' || x || ' cannot be represented with ' || bits || ' bits')
      ELSE CAST(system.main.bit_count(CASE WHEN bits = 64 THEN CAST(x AS BIGINT) ELSE CAST(x AS BIGINT) & ((CAST(1 AS BIGINT) << least(bits, 62)) - 1) END) AS BIGINT) END`,
  ),
  macro('bitwise_and', '(x, y) AS CAST(x AS BIGINT) & CAST(y AS BIGINT)'),
  macro('bitwise_or', '(x, y) AS CAST(x AS BIGINT) | CAST(y AS BIGINT)'),
  macro('bitwise_xor', '(x, y) AS xor(CAST(x AS BIGINT), CAST(y AS BIGINT))'),
  macro('bitwise_not', '(x) AS ~CAST(x AS BIGINT)'),
  macro(
    '_lakeq_bits',
    `(x) AS CASE typeof(x) WHEN 'TINYINT' THEN 8 WHEN 'SMALLINT' THEN 16 WHEN 'INTEGER' THEN 32 ELSE 64 END`,
  ),
  // Shifts work within the width of the value's type, as Trino's do.
  macro(
    '_lakeq_signed',
    `(x, bits) AS CASE WHEN bits = 64 THEN x ELSE CASE WHEN (x & (CAST(1 AS BIGINT) << (bits - 1))) <> 0
      THEN (x & ((CAST(1 AS BIGINT) << least(bits, 62)) - 1)) - (CAST(1 AS BIGINT) << least(bits, 62)) ELSE x & ((CAST(1 AS BIGINT) << least(bits, 62)) - 1) END END`,
  ),
  macro(
    'bitwise_left_shift',
    `(v, s) AS CASE WHEN s >= _lakeq_bits(v) THEN 0 ELSE _lakeq_signed(CAST(v AS BIGINT) << s, _lakeq_bits(v)) END`,
  ),
  // Logical: the value's bits as unsigned (of its type's width), shifted; a negative BIGINT loses its sign bit first.
  macro(
    'bitwise_right_shift',
    `(v, s) AS CASE WHEN s >= _lakeq_bits(v) THEN 0 WHEN s = 0 THEN CAST(v AS BIGINT)
      WHEN _lakeq_bits(v) < 64 THEN (CAST(v AS BIGINT) & ((CAST(1 AS BIGINT) << least(_lakeq_bits(v), 62)) - 1)) >> s
      WHEN v >= 0 THEN CAST(v AS BIGINT) >> s ELSE ((CAST(v AS BIGINT) >> 1) & 9223372036854775807) >> (s - 1) END`,
  ),
  macro(
    'bitwise_right_shift_arithmetic',
    `(v, s) AS CASE WHEN s >= _lakeq_bits(v) THEN CASE WHEN v < 0 THEN -1 ELSE 0 END ELSE CAST(v AS BIGINT) >> s END`,
  ),

  // ---- strings --------------------------------------------------------------------------------------------
  macro('replace', "(s, f) AS system.main.replace(s, f, '')", '(s, f, r) AS system.main.replace(s, f, r)'),
  macro('reverse', '(x VARCHAR) AS system.main.reverse(x)', '(x) AS list_reverse(x)'),
  macro(
    'length',
    '(x BLOB) AS CAST(octet_length(x) AS BIGINT)',
    '(x) AS CAST(system.main.length(x) AS BIGINT)',
  ),
  macro(
    'concat_ws',
    `(s, a) AS CASE WHEN s IS NULL THEN NULL WHEN typeof(a) LIKE '%[]' THEN array_to_string(CAST(a AS VARCHAR[]), s)
      ELSE system.main.concat_ws(s, a) END`,
    ...Array.from({ length: 15 }, (_, i) => {
      const args = Array.from({ length: i + 2 }, (_, j) => `a${j + 1}`);
      return `(s, ${args.join(', ')}) AS system.main.concat_ws(s, ${args.join(', ')})`;
    }),
  ),
  macro(
    'codepoint',
    "(c) AS CASE WHEN length(c) <> 1 THEN error('Input string must be a single character string') ELSE unicode(c) END",
  ),
  macro('hamming_distance', '(a, b) AS CAST(hamming(a, b) AS BIGINT)'),
  macro('levenshtein_distance', '(a, b) AS CAST(levenshtein(a, b) AS BIGINT)'),
  macro(
    'luhn_check',
    String.raw`(s) AS CASE WHEN s IS NULL THEN NULL WHEN NOT regexp_matches(s, '^\d+$') THEN error('Input contains non-digit character')
      ELSE list_sum(list_transform(list_reverse(string_split(s, '')), lambda c, i:
        CASE WHEN i % 2 = 0 THEN (CAST(c AS INTEGER) * 2) // 10 + (CAST(c AS INTEGER) * 2) % 10 ELSE CAST(c AS INTEGER) END)) % 10 = 0 END`,
  ),
  macro(
    'split',
    '(s, d) AS string_split(s, d)',
    `(s, d, n) AS CASE WHEN n <= 0 THEN error('Limit must be positive') WHEN len(string_split(s, d)) <= n THEN string_split(s, d)
      ELSE list_append(string_split(s, d)[1:n - 1], array_to_string(string_split(s, d)[n:], d)) END`,
  ),
  macro(
    'split_to_map',
    `(s, ed, kd) AS map_from_entries(list_transform(list_filter(string_split(s, ed), lambda e: e <> ''), lambda e:
      CASE WHEN len(string_split(e, kd)) <> 2 THEN error('Key-value delimiter must appear exactly once in each entry. Bad input: ''' || e || '''')
      ELSE {'key': string_split(e, kd)[1], 'value': string_split(e, kd)[2]} END))`,
  ),
  macro(
    'split_to_multimap',
    `(s, ed, kd) AS _lakeq_multimap(list_transform(list_filter(string_split(s, ed), lambda e: e <> ''), lambda e:
      CASE WHEN len(string_split(e, kd)) <> 2 THEN error('Key-value delimiter must appear exactly once in each entry. Bad input: ''' || e || '''')
      ELSE {'k': string_split(e, kd)[1], 'v': string_split(e, kd)[2]} END))`,
  ),
  macro(
    'strpos',
    '(s, sub) AS system.main.strpos(s, sub)',
    `(s, sub, n) AS CASE WHEN n = 0 THEN error('''instance'' must be a positive or negative number.')
      WHEN n > 0 THEN CASE WHEN len(string_split(s, sub)) - 1 < n THEN 0
        ELSE list_sum(list_transform(string_split(s, sub)[1:n], lambda p: length(p))) + (n - 1) * length(sub) + 1 END
      ELSE CASE WHEN len(string_split(s, sub)) - 1 < -n THEN 0
        ELSE length(s) - list_sum(list_transform(string_split(s, sub)[n:], lambda p: length(p))) - (-n) * length(sub) + 1 END END`,
  ),
  macro('index', '(s, sub) AS system.main.strpos(s, sub)'),
  macro(
    'title_case',
    "(s) AS array_to_string(list_transform(regexp_extract_all(s, '[[:alnum:]]+|[^[:alnum:]]+'), lambda w: upper(w[1]) || lower(w[2:])), '')",
  ),
  macro(
    'char2hexint',
    "(s) AS array_to_string(list_transform(string_split(s, ''), lambda c: lpad(upper(printf('%x', unicode(c))), 4, '0')), '')",
  ),

  // ---- regular expressions --------------------------------------------------------------------------------
  macro('regexp_count', '(s, p) AS CAST(len(regexp_extract_all(s, p)) AS BIGINT)'),
  macro(
    'regexp_position',
    `(s, p) AS CASE WHEN regexp_matches(s, p) THEN length(system.main.regexp_replace(s, '(?s)(' || p || ').*$', '')) + 1 ELSE -1 END`,
    `(s, p, st) AS CASE WHEN st < 1 THEN error('start position cannot be smaller than 1')
      WHEN regexp_matches(substr(s, st), p) THEN length(system.main.regexp_replace(substr(s, st), '(?s)(' || p || ').*$', '')) + st ELSE -1 END`,
    // The n-th match from st: the pieces between matches and the matches before it add up to its offset.
    `(s, p, st, n) AS CASE WHEN st < 1 THEN error('start position cannot be smaller than 1')
      WHEN n < 1 THEN error('occurrence must be a positive integer')
      WHEN len(regexp_extract_all(substr(s, st), p)) < n THEN -1
      ELSE st + list_sum(list_transform(string_split_regex(substr(s, st), p)[1:n], lambda x: length(x)))
        + coalesce(list_sum(list_transform(regexp_extract_all(substr(s, st), p)[1:n - 1], lambda x: length(x))), 0) END`,
  ),
  macro('regexp_split', '(s, p) AS string_split_regex(s, p)'),

  // ---- binary ---------------------------------------------------------------------------------------------
  macro('to_utf8', '(s) AS encode(s)'),
  macro('from_utf8', '(b) AS decode(b)', '(b, r) AS decode(b)'),
  macro('to_hex', '(b) AS hex(b)'),
  macro('from_hex', '(s) AS unhex(s)'),
  macro('md5', '(b) AS unhex(system.main.md5(b))'),
  macro('sha1', '(b) AS unhex(system.main.sha1(b))'),
  macro('sha256', '(b) AS unhex(system.main.sha256(b))'),
  macro('to_base64url', "(b) AS replace(replace(to_base64(b), '+', '-'), '/', '_')"),
  macro(
    'from_base64url',
    "(s) AS from_base64(rpad(replace(replace(s, '-', '+'), '_', '/'), CAST(ceil(length(s) / 4e0) * 4 AS INTEGER), '='))",
  ),
  macro('to_big_endian_64', "(x) AS unhex(lpad(hex(CAST(x AS BIGINT)), 16, '0'))"),
  macro('to_big_endian_32', "(x) AS unhex(lpad(hex(CAST(x AS INTEGER)), 8, '0'))"),
  macro(
    'from_big_endian_64',
    `(b) AS CASE WHEN octet_length(b) <> 8 THEN error('expected 8-byte input, but got instead: ' || octet_length(b))
      ELSE CAST(CAST(CAST('0x' || hex(b) AS UBIGINT) AS HUGEINT) - CASE WHEN substr(hex(b), 1, 1) >= '8'
        THEN CAST('18446744073709551616' AS HUGEINT) ELSE 0 END AS BIGINT) END`,
  ),
  macro(
    'from_big_endian_32',
    `(b) AS CASE WHEN octet_length(b) <> 4 THEN error('expected 4-byte input, but got instead: ' || octet_length(b))
      ELSE CAST(CAST('0x' || hex(b) AS BIGINT) - CASE WHEN substr(hex(b), 1, 1) >= '8' THEN CAST(4294967296 AS BIGINT) ELSE 0 END AS INTEGER) END`,
  ),

  // ---- JSON -----------------------------------------------------------------------------------------------
  macro(
    'json_size',
    `(j, p) AS CASE WHEN json_valid(j) THEN CASE json_type(j, _lakeq_json_path(p)) WHEN 'ARRAY' THEN CAST(system.main.json_array_length(j, _lakeq_json_path(p)) AS BIGINT)
      WHEN 'OBJECT' THEN CAST(len(json_keys(j, _lakeq_json_path(p))) AS BIGINT) WHEN NULL THEN NULL ELSE 0 END END`,
  ),
  macro(
    'json_array_contains',
    `(j, v) AS CASE WHEN NOT json_valid(j) OR json_type(j) <> 'ARRAY' THEN NULL
      ELSE coalesce(list_bool_or(list_transform(CAST(json(j) AS JSON[]), lambda e: CASE typeof(v)
        WHEN 'VARCHAR' THEN json_type(e) = 'VARCHAR' AND json_extract_string(e, '$') = CAST(v AS VARCHAR)
        WHEN 'BOOLEAN' THEN json_type(e) = 'BOOLEAN' AND CAST(e AS VARCHAR) = CAST(v AS VARCHAR)
        ELSE json_type(e) IN ('UBIGINT', 'BIGINT', 'DOUBLE') AND CAST(e AS DOUBLE) = CAST(v AS DOUBLE) END)), false) END`,
  ),
  macro(
    '_lakeq_json_element_text',
    "(e) AS CASE WHEN json_type(e) = 'VARCHAR' THEN json_extract_string(e, '$') ELSE CAST(e AS VARCHAR) END",
  ),
  macro(
    'json_array_get',
    // Trino's documented quirk: a string element comes back unquoted.
    `(j, i) AS CASE WHEN NOT json_valid(j) OR json_type(j) <> 'ARRAY' THEN NULL
      ELSE _lakeq_json_element_text(CAST(json(j) AS JSON[])[CASE WHEN i >= 0 THEN i + 1 ELSE i END]) END`,
  ),
  macro(
    'is_json_scalar',
    "(j) AS CASE WHEN json_valid(j) THEN json_type(j) NOT IN ('ARRAY', 'OBJECT') ELSE error('Invalid JSON value: ' || j) END",
  ),

  // ---- date and time --------------------------------------------------------------------------------------
  macro('date', '(x) AS CAST(x AS DATE)'),
  macro('doy', '(t) AS dayofyear(t)'),
  macro('current_timezone', "() AS current_setting('TimeZone')"),
  // Not named to_milliseconds: DuckDB's parser turns INTERVAL n MILLISECOND into its own to_milliseconds(n).
  macro('_lakeq_to_milliseconds', '(i) AS CAST(epoch_ms(i) AS BIGINT)'),
  macro(
    'to_iso8601',
    `(x) AS CASE typeof(x) WHEN 'DATE' THEN strftime(CAST(x AS DATE), '%Y-%m-%d')
      WHEN 'TIMESTAMP WITH TIME ZONE' THEN strftime(CAST(x AS TIMESTAMPTZ), '%Y-%m-%dT%H:%M:%S.%gZ')
      ELSE strftime(CAST(x AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%g') END`,
  ),
  macro(
    'format_datetime',
    `(t, f) AS strftime(system.main.date_trunc('millisecond', t), _lakeq_joda_format(f, false))`,
  ),
  // The format is constant in every real call; f || '' keeps DuckDB from checking it while the macro is created.
  macro('parse_datetime', `(s, f) AS CAST(strptime(s, _lakeq_joda_format(f || '', true)) AS TIMESTAMPTZ)`),
  macro(
    'parse_duration',
    String.raw`(s) AS CASE WHEN NOT regexp_matches(trim(s), '^\d+(\.\d+)?\s*(ns|us|ms|s|m|h|d)$') THEN error('duration is not a valid data duration string: ' || s)
      ELSE to_microseconds(1000 * CAST(round(CAST(regexp_extract(trim(s), '^(\d+(\.\d+)?)', 1) AS DOUBLE) * CASE regexp_extract(trim(s), '(ns|us|ms|s|m|h|d)$', 1)
        WHEN 'ns' THEN 0.000001 WHEN 'us' THEN 0.001 WHEN 'ms' THEN 1 WHEN 's' THEN 1000 WHEN 'm' THEN 60000
        WHEN 'h' THEN 3600000 ELSE 86400000 END) AS BIGINT)) END`,
  ),
  macro(
    'human_readable_seconds',
    `(x) AS CASE WHEN x IS NULL THEN NULL WHEN round(x) = 0 THEN '0 seconds' ELSE array_to_string(list_transform(list_filter([
        {'n': CAST(round(x) AS BIGINT) // 604800, 'u': 'week'},
        {'n': CAST(round(x) AS BIGINT) % 604800 // 86400, 'u': 'day'},
        {'n': CAST(round(x) AS BIGINT) % 86400 // 3600, 'u': 'hour'},
        {'n': CAST(round(x) AS BIGINT) % 3600 // 60, 'u': 'minute'},
        {'n': CAST(round(x) AS BIGINT) % 60, 'u': 'second'}], lambda p: p.n <> 0),
      lambda p: CAST(p.n AS VARCHAR) || ' ' || p.u || CASE WHEN p.n = 1 THEN '' ELSE 's' END), ', ') END`,
  ),
  macro('to_char', '(t, f) AS strftime(t, _lakeq_teradata_format(f))'),
  macro('to_date', "(s, f) AS CAST(strptime(s, _lakeq_teradata_format(f || '')) AS DATE)"),
  macro(
    'to_timestamp',
    '(x) AS system.main.to_timestamp(x)',
    "(s, f) AS strptime(s, _lakeq_teradata_format(f || ''))",
  ),

  // ---- arrays ---------------------------------------------------------------------------------------------
  // The first of equal elements (one NULL included), in order: list_position finds NULL too.
  macro('array_distinct', '(a) AS list_filter(a, lambda x, i: list_position(a, x) = i)'),
  macro('array_except', '(x, y) AS list_filter(array_distinct(x), lambda e: list_position(y, e) IS NULL)'),
  macro(
    'array_intersect',
    '(x, y) AS list_filter(array_distinct(x), lambda e: list_position(y, e) IS NOT NULL)',
  ),
  macro('array_union', '(x, y) AS array_distinct(list_concat(x, y))'),
  macro(
    'arrays_overlap',
    `(x, y) AS CASE WHEN x IS NULL OR y IS NULL THEN NULL
      WHEN len(list_filter(x, lambda e: e IS NOT NULL AND list_position(y, e) IS NOT NULL)) > 0 THEN true
      WHEN list_count(x) < len(x) OR list_count(y) < len(y) THEN NULL ELSE false END`,
  ),
  macro('array_max', '(a) AS CASE WHEN list_count(a) < len(a) THEN NULL ELSE list_max(a) END'),
  macro('array_min', '(a) AS CASE WHEN list_count(a) < len(a) THEN NULL ELSE list_min(a) END'),
  macro(
    'array_position',
    '(a, e) AS CASE WHEN a IS NULL OR e IS NULL THEN NULL ELSE CAST(coalesce(list_position(a, e), 0) AS BIGINT) END',
  ),
  macro(
    'array_remove',
    '(a, e) AS CASE WHEN e IS NULL THEN NULL ELSE list_filter(a, lambda x: x IS DISTINCT FROM e) END',
  ),
  macro('array_first', '(a) AS a[1]'),
  macro('array_last', '(a) AS a[-1]'),
  macro(
    'array_histogram',
    `(a) AS map_from_entries(list_transform(list_filter(array_distinct(a), lambda e: e IS NOT NULL),
      lambda e: {'key': e, 'value': CAST(len(list_filter(a, lambda x: x = e)) AS BIGINT)}))`,
  ),
  macro(
    'combinations',
    `(x, n) AS CASE WHEN n < 0 THEN error('combination size must not be negative: ' || n)
      WHEN n > 5 THEN error('combination size must not exceed 5: ' || n)
      WHEN n = 0 THEN ${combination(0)} WHEN n = 1 THEN ${combination(1)} WHEN n = 2 THEN ${combination(2)}
      WHEN n = 3 THEN ${combination(3)} WHEN n = 4 THEN ${combination(4)} ELSE ${combination(5)} END`,
  ),
  macro(
    'contains_sequence',
    `(x, seq) AS CASE WHEN len(seq) = 0 THEN true WHEN len(seq) > len(x) THEN false
      ELSE list_bool_or(list_transform(range(1, len(x) - len(seq) + 2), lambda i: x[i:i + len(seq) - 1] = seq)) END`,
  ),
  macro(
    'ngrams',
    `(x, n) AS CASE WHEN n <= 0 THEN error('N must be positive') WHEN len(x) <= n THEN [x]
      ELSE list_transform(range(1, len(x) - n + 2), lambda i: x[i:i + n - 1]) END`,
  ),
  macro(
    'repeat',
    `(e, n) AS CASE WHEN n < 0 THEN error('count argument of repeat function must be greater than or equal to 0')
      ELSE list_transform(range(n), lambda _i: e) END`,
  ),
  macro(
    'sequence',
    `(a DATE, b DATE) AS CAST(generate_series(CAST(a AS TIMESTAMP), CAST(b AS TIMESTAMP),
      CASE WHEN a <= b THEN INTERVAL 1 DAY ELSE -INTERVAL 1 DAY END) AS DATE[])`,
    // start + k·step, as Trino does (DuckDB steps from the previous element: Jan 31, Feb 29, Mar 29).
    `(a DATE, b DATE, s) AS list_filter(list_transform(range(0, len(generate_series(CAST(a AS TIMESTAMP), CAST(b AS TIMESTAMP), s)) + 1),
      lambda k: CAST(CAST(a AS TIMESTAMP) + k * s AS DATE)), lambda d: CASE WHEN a <= b THEN d <= b ELSE d >= b END)`,
    '(a, b) AS generate_series(a, b, CASE WHEN a <= b THEN 1 ELSE -1 END)',
    "(a, b, s) AS CASE WHEN s = 0 AND typeof(s) <> 'INTERVAL' THEN error('step must not be zero') ELSE generate_series(a, b, s) END",
  ),
  macro(
    'shuffle',
    "(a) AS list_transform(list_sort(list_transform(a, lambda e: {'r': system.main.random(), 'e': e})), lambda s: s.e)",
  ),
  macro(
    'slice',
    `(x, s, n) AS CASE WHEN s = 0 THEN error('SQL array indices start at 1') WHEN n < 0 THEN error('length must be greater than or equal to 0')
      WHEN s > 0 THEN x[s:s + n - 1] ELSE x[greatest(len(x) + s + 1, 1):len(x) + s + n] END`,
  ),
  macro(
    'trim_array',
    `(x, n) AS CASE WHEN n < 0 OR n > len(x) THEN error('size must not be negative or greater than the array length') ELSE x[1:len(x) - n] END`,
  ),
  macro(
    'zip',
    '(a, b) AS list_zip(a, b)',
    '(a, b, c) AS list_zip(a, b, c)',
    '(a, b, c, d) AS list_zip(a, b, c, d)',
    '(a, b, c, d, e) AS list_zip(a, b, c, d, e)',
  ),

  // ---- maps -----------------------------------------------------------------------------------------------
  macro(
    'multimap_from_entries',
    "(l) AS _lakeq_multimap(list_transform(l, lambda e: {'k': struct_extract_at(e, 1), 'v': struct_extract_at(e, 2)}))",
  ),

  // ---- URLs (RFC 3986's regular expression, the way java.net.URI splits) ----------------------------------
  macro(
    '_lakeq_url_part',
    String.raw`(u, g) AS CASE WHEN regexp_matches(u, '^[A-Za-z][A-Za-z0-9+.-]*:') OR starts_with(u, '/')
      THEN regexp_extract(u, '^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?', g) END`,
  ),
  macro('url_extract_protocol', "(u) AS nullif(_lakeq_url_part(u, 2), '')"),
  macro('url_extract_path', '(u) AS _lakeq_url_part(u, 5)'),
  macro(
    'url_extract_query',
    "(u) AS CASE WHEN _lakeq_url_part(u, 6) = '' THEN NULL ELSE _lakeq_url_part(u, 7) END",
  ),
  macro(
    'url_extract_fragment',
    "(u) AS CASE WHEN _lakeq_url_part(u, 8) = '' THEN NULL ELSE _lakeq_url_part(u, 9) END",
  ),
  macro(
    'url_extract_port',
    String.raw`(u) AS TRY_CAST(nullif(regexp_extract(_lakeq_url_part(u, 4), ':(\d+)$', 1), '') AS BIGINT)`,
  ),
  macro(
    'url_extract_parameter',
    `(u, name) AS list_transform(list_filter(string_split(url_extract_query(u), '&'), lambda p: split_part(p, '=', 1) = name),
      lambda p: CASE WHEN system.main.contains(p, '=') THEN p[strpos(p, '=') + 1:] ELSE '' END)[1]`,
  ),
  macro(
    'url_encode',
    "(s) AS replace(replace(replace(system.main.url_encode(s), '%20', '+'), '%2A', '*'), '~', '%7E')",
  ),
  macro('url_decode', "(s) AS system.main.url_decode(replace(s, '+', ' '))"),
];
