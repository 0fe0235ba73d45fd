/**
 * What the local engine does with each Trino function Athena engine v3 offers, by the section of Trino's
 * "Functions and operators" documentation it is in:
 *
 * - `native`: DuckDB's builtin of the same name already gives Trino's result;
 * - `macro`: a TEMP macro of the same name (duckdb-trino-compat.ts) gives Trino's result;
 * - `rewrite`: the compile-time rewrite (duckdb-trino-function-rewrites.ts) turns the call into DuckDB SQL;
 * - `unsupported`: the rewrite fails with "Trino function f() is not supported on the local engine" and `note`.
 *
 * Tests check the table against the macros and rewrites, and run every unsupported entry.
 *
 * @example
 * ```ts
 * TRINO_FUNCTIONS.transform // { section: 'lambda', how: 'rewrite', note: 'list_transform(a, lambda x: …)' }
 * ```
 */

export type TrinoSection =
  | 'logical'
  | 'comparison'
  | 'conditional'
  | 'lambda'
  | 'conversion'
  | 'math'
  | 'bitwise'
  | 'decimal'
  | 'string'
  | 'regexp'
  | 'binary'
  | 'json'
  | 'datetime'
  | 'aggregate'
  | 'window'
  | 'array'
  | 'map'
  | 'url'
  | 'ip'
  | 'uuid'
  | 'session'
  | 'teradata'
  | 'geospatial'
  | 'hyperloglog'
  | 'qdigest'
  | 'tdigest'
  | 'setdigest'
  | 'color'
  | 'ml'
  | 'table'
  | 'system';

export type SupportHow = 'native' | 'macro' | 'rewrite' | 'unsupported';

export interface FunctionSupport {
  readonly section: TrinoSection;
  readonly how: SupportHow;
  /** How it is emulated, or why it cannot be. */
  readonly note: string;
}

const table: Record<string, FunctionSupport> = {};
function add(section: TrinoSection, how: SupportHow, names: string, note = ''): void {
  for (const name of names.trim().split(/\s+/)) table[name] = { section, how, note };
}

// Comparison, conditional, logical
add('comparison', 'macro', 'greatest least', 'NULL when any argument is NULL (DuckDB skips NULLs)');
add('conditional', 'native', 'coalesce nullif try');
add('conditional', 'rewrite', 'if', 'CASE WHEN c THEN a [ELSE b] END');

// Lambda functions (each also belongs to its array/map section in Trino's documentation)
add('lambda', 'rewrite', 'transform', 'list_transform(a, lambda x: …)');
add('lambda', 'rewrite', 'filter', 'list_filter(a, lambda x: …)');
add('lambda', 'rewrite', 'reduce', 'list_reduce(a, lambda s, x: …, initial), then the output lambda');
add('lambda', 'rewrite', 'zip_with', 'list_transform(list_zip(a, b), …) with the lambda inlined');
add('lambda', 'rewrite', 'any_match all_match none_match', 'list_transform, then Trino three-valued logic');
add('lambda', 'rewrite', 'transform_keys transform_values map_filter', 'over map_entries(m)');
add('lambda', 'rewrite', 'map_zip_with', 'over the union of both maps’ keys');
add('lambda', 'rewrite', 'find_first', 'list_filter(a, …)[1] (the two-argument form)');

// Conversion
add(
  'conversion',
  'rewrite',
  'typeof',
  'Trino type names (varchar(3) for literals, timestamp(3) with time zone…)',
);
add('conversion', 'macro', 'format', "Java's %s %d %.nf %% through printf; %s of non-strings is cast first");
add('conversion', 'macro', 'format_number parse_data_size');

// Mathematical
add(
  'math',
  'native',
  `abs acos asin atan atan2 cbrt ceil ceiling cos cosh degrees exp floor ln log2 log10 mod pi pow power
  radians sign sin sqrt tan tanh`,
);
add('math', 'native', 'round', 'half away from zero, as in Trino');
add('math', 'native', 'log', 'log(b, x)');
add('math', 'macro', 'e infinity nan is_finite is_infinite is_nan rand random truncate width_bucket');
add(
  'math',
  'macro',
  'from_base to_base cosine_similarity cosine_distance wilson_interval_lower wilson_interval_upper',
);
add(
  'math',
  'unsupported',
  'beta_cdf inverse_beta_cdf normal_cdf inverse_normal_cdf t_cdf t_pdf',
  'DuckDB has no statistical distribution functions',
);

// Bitwise
add(
  'bitwise',
  'macro',
  'bit_count bitwise_and bitwise_not bitwise_or bitwise_xor bitwise_left_shift bitwise_right_shift bitwise_right_shift_arithmetic',
  'on BIGINT, two’s complement',
);

// String
add(
  'string',
  'native',
  'chr length lower upper ltrim rtrim trim starts_with ends_with translate strpos position lpad rpad',
);
add('string', 'macro', 'concat', 'NULL when any argument is NULL');
add('string', 'macro', 'concat_ws', 'skips NULLs; the array form too');
add('string', 'macro', 'codepoint hamming_distance levenshtein_distance luhn_check');
add('string', 'rewrite', 'normalize', 'nfc_normalize; the NFD, NFKC and NFKD forms are unsupported');
add('string', 'macro', 'replace', 'the two-argument form removes the search string');
add('string', 'macro', 'reverse', 'strings and arrays');
add('string', 'macro', 'split split_part split_to_map split_to_multimap substr substring');
add('string', 'macro', 'title_case', 'words are runs of letters and digits');
add(
  'string',
  'unsupported',
  'word_stem soundex',
  'DuckDB ships no stemmer or phonetic codes without extensions',
);

// Regular expressions (RE2 on DuckDB, Joni on Trino: no look-around, no back-references)
add('regexp', 'macro', 'regexp_like regexp_extract regexp_replace regexp_count regexp_position regexp_split');
add('regexp', 'native', 'regexp_extract_all');

// Binary
add('binary', 'native', 'to_base64 from_base64');
add('binary', 'macro', 'to_utf8 from_utf8 to_hex from_hex md5 sha1 sha256 to_base64url from_base64url');
add('binary', 'macro', 'to_big_endian_32 from_big_endian_32 to_big_endian_64 from_big_endian_64');
add(
  'binary',
  'unsupported',
  `sha512 xxhash64 murmur3 spooky_hash_v2_32 spooky_hash_v2_64 hmac_md5 hmac_sha1 hmac_sha256 hmac_sha512
  crc32 to_base32 from_base32 to_ieee754_32 from_ieee754_32 to_ieee754_64 from_ieee754_64`,
  'DuckDB has no builtin for this hash or encoding; compute it in the ETL',
);

// JSON
add('json', 'macro', 'json_extract json_extract_scalar json_array_length json_parse json_format json_size');
add('json', 'macro', 'json_array_contains json_array_get is_json_scalar');
add(
  'json',
  'unsupported',
  'json_exists json_value json_query json_object json_array json_table',
  'SQL/JSON path functions are not emulated; use json_extract or json_extract_scalar',
);

// Date and time
add('datetime', 'native', 'day hour minute month quarter second week year now timezone_hour timezone_minute');
add(
  'datetime',
  'macro',
  `date date_add date_diff date_format date_parse date_trunc day_of_month day_of_week day_of_year dow doy
  from_iso8601_date from_iso8601_timestamp from_iso8601_timestamp_nanos from_unixtime from_unixtime_nanos
  last_day_of_month millisecond to_iso8601 to_unixtime week_of_year year_of_week yow current_timezone
  format_datetime parse_datetime parse_duration human_readable_seconds`,
);
add(
  'datetime',
  'rewrite',
  'at_timezone with_timezone',
  'the instant; the zone itself is not kept (a DuckDB TIMESTAMPTZ has none), but functions reading the fields of `x AT TIME ZONE z` read them in z',
);
add(
  'datetime',
  'rewrite',
  'to_milliseconds',
  'epoch_ms(interval) (DuckDB’s to_milliseconds builds an interval)',
);
add(
  'datetime',
  'rewrite',
  'timezone',
  'one argument (the zone of a value): unsupported, a DuckDB TIMESTAMPTZ has no zone; two: DuckDB’s own',
);

// Aggregate
add(
  'aggregate',
  'native',
  `array_agg avg bool_and bool_or count max max_by min min_by sum corr covar_pop covar_samp kurtosis
  regr_intercept regr_slope skewness stddev stddev_pop stddev_samp variance var_pop var_samp geometric_mean
  any_value`,
);
add('aggregate', 'rewrite', 'listagg', 'string_agg(x, sep ORDER BY …) from WITHIN GROUP');
add('aggregate', 'rewrite', 'approx_distinct', 'approx_count_distinct (HyperLogLog too)');
add(
  'aggregate',
  'rewrite',
  'approx_percentile',
  'quantile_disc: a value of the input, exact on small inputs',
);
add(
  'aggregate',
  'rewrite',
  'arbitrary every count_if bitwise_and_agg bitwise_or_agg bitwise_xor_agg',
  'renamed',
);
add(
  'aggregate',
  'rewrite',
  'histogram map_agg multimap_agg map_union reduce_agg',
  'over list() of the group',
);
add(
  'aggregate',
  'unsupported',
  'approx_most_frequent numeric_histogram checksum',
  'no DuckDB counterpart with the same result',
);

// Window
add(
  'window',
  'native',
  'cume_dist dense_rank first_value lag last_value lead nth_value ntile percent_rank rank row_number',
);

// Array
add('array', 'native', 'flatten', '');
add('array', 'macro', 'element_at', 'negative indexes from the end, NULL out of range');
add(
  'array',
  'macro',
  `array_distinct array_except array_intersect array_union array_join array_max array_min array_position
  array_remove arrays_overlap cardinality combinations contains contains_sequence ngrams repeat sequence
  shuffle slice trim_array zip array_first array_last array_histogram`,
);
add('array', 'rewrite', 'array_sort', 'list_sort (NULLs last); the comparator-lambda form is unsupported');

// Map
add('map', 'native', 'map map_concat map_entries map_from_entries map_keys map_values');
add('map', 'macro', 'multimap_from_entries');

// URL
add(
  'url',
  'macro',
  `url_extract_fragment url_extract_host url_extract_parameter url_extract_path url_extract_port
  url_extract_protocol url_extract_query url_encode url_decode`,
);

// UUID, session, system
add('uuid', 'native', 'uuid');
add('session', 'native', 'current_user');
add('system', 'native', 'version', 'DuckDB’s version');

// Teradata
add('teradata', 'macro', 'index char2hexint to_char to_date to_timestamp');

// Everything below needs types or sketches DuckDB does not have.
add(
  'ip',
  'unsupported',
  'ip_prefix ip_subnet_min ip_subnet_max ip_subnet_range is_subnet_of',
  'DuckDB has no IPADDRESS type (the inet extension cannot be installed)',
);
add(
  'hyperloglog',
  'unsupported',
  'approx_set empty_approx_set merge cardinality_hll',
  'HyperLogLog sketches have no DuckDB counterpart',
);
add(
  'qdigest',
  'unsupported',
  'qdigest_agg value_at_quantile values_at_quantiles quantile_at_value',
  'quantile digests have no DuckDB counterpart',
);
add('tdigest', 'unsupported', 'tdigest_agg', 'T-digests have no DuckDB counterpart');
add(
  'setdigest',
  'unsupported',
  'make_set_digest merge_set_digest intersection_cardinality jaccard_index hash_counts',
  'set digests have no DuckDB counterpart',
);
add('color', 'unsupported', 'bar color render rgb', 'color functions are for terminals');
add(
  'ml',
  'unsupported',
  'classify features learn_classifier learn_libsvm_classifier learn_libsvm_regressor learn_regressor regress',
  'machine-learning functions are not emulated',
);
add('table', 'unsupported', 'exclude_columns', 'table functions are not emulated');
add(
  'geospatial',
  'unsupported',
  `bing_tile bing_tile_at bing_tile_coordinates bing_tile_polygon bing_tile_quadkey bing_tile_zoom_level
  bing_tiles_around convex_hull_agg from_encoded_polyline from_geojson_geometry geometry_from_hadoop_shape
  geometry_invalid_reason geometry_nearest_points geometry_to_bing_tiles geometry_union geometry_union_agg
  great_circle_distance line_interpolate_point line_interpolate_points line_locate_point simplify_geometry
  spatial_partitioning spatial_partitions to_encoded_polyline to_geojson_geometry to_geometry
  to_spherical_geography st_area st_asbinary st_astext st_boundary st_buffer st_centroid st_contains
  st_convexhull st_coorddim st_crosses st_difference st_dimension st_disjoint st_distance st_endpoint
  st_envelope st_envelopeaspts st_equals st_exteriorring st_geometries st_geometryfromtext st_geometryn
  st_geometrytype st_geomfrombinary st_interiorringn st_interiorrings st_intersection st_intersects
  st_isclosed st_isempty st_isring st_issimple st_isvalid st_length st_linefromtext st_linestring
  st_multipoint st_numgeometries st_numinteriorring st_numpoints st_overlaps st_point st_pointn st_points
  st_polygon st_relate st_startpoint st_symdifference st_touches st_union st_within st_x st_xmax st_xmin
  st_y st_ymax st_ymin`,
  'the spatial extension cannot be installed here',
);

/** Every Trino function lakeq knows, by lower-case name. */
export const TRINO_FUNCTIONS: Readonly<Record<string, FunctionSupport>> = table;

/** Trino syntax (not functions) and what the local engine does with it. */
export const TRINO_SYNTAX: readonly { construct: string; how: SupportHow; note: string }[] = [
  {
    construct: 'x -> expr, (x, y) -> expr',
    how: 'rewrite',
    note: "DuckDB's lambda x: expr, inside the list functions above",
  },
  {
    construct: 'listagg(x, sep) WITHIN GROUP (ORDER BY y)',
    how: 'rewrite',
    note: 'string_agg(x, sep ORDER BY y)',
  },
  {
    construct: 'UNNEST(a, b, …) [WITH ORDINALITY] AS t(…)',
    how: 'rewrite',
    note: 'LATERAL (SELECT unnest(a), unnest(b)…): zipped with NULL padding; maps give key and value, arrays of rows their fields',
  },
  {
    construct: 'TABLESAMPLE BERNOULLI (p) / SYSTEM (p)',
    how: 'rewrite',
    note: 'TABLESAMPLE (p) PERCENT (bernoulli | system)',
  },
  {
    construct: 'CAST(x AS ARRAY(T) | MAP(K, V) | ROW(a T, …) | varchar(n) | json | timestamp(p))',
    how: 'rewrite',
    note: "DuckDB's T[], MAP(K, V), STRUCT(a T); varchar as Trino prints values; JSON casts as Trino's",
  },
  {
    construct: 'x AT TIME ZONE z',
    how: 'rewrite',
    note: 'the same instant as TIMESTAMPTZ; hour(), date_format(), CAST(… AS date|timestamp|varchar) and the like read it in z',
  },
  {
    construct: "TIMESTAMP '… UTC', DATE '…', JSON '…', DECIMAL '…', X'…', U&'…', 0x1F, 1_000",
    how: 'rewrite',
    note: 'typed literals',
  },
  {
    construct: "INTERVAL '1-2' YEAR TO MONTH, INTERVAL '1 02:03:04' DAY TO SECOND",
    how: 'rewrite',
    note: 'DuckDB interval text',
  },
  {
    construct: 'EXTRACT(field FROM x)',
    how: 'rewrite',
    note: 'the field functions (DOW is ISO: Monday = 1)',
  },
  {
    construct: 'integer x / 0, x % 0',
    how: 'rewrite',
    note: 'fails with "Division by zero" as in Trino (DuckDB: NULL)',
  },
  { construct: 'DATE ± INTERVAL', how: 'rewrite', note: 'stays a DATE' },
  {
    construct: 'TABLE(f(...)) table functions',
    how: 'unsupported',
    note: 'DuckDB has no Trino table functions',
  },
  {
    construct: 'MATCH_RECOGNIZE, JSON_TABLE, FOR VERSION AS OF',
    how: 'unsupported',
    note: 'not parsed: DuckDB reports the syntax error',
  },
];
