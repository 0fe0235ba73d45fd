import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  installTrinoCompat,
  MAX_VARIADIC_ARGS,
  TRINO_COMPAT_SQL,
} from '../../src/engines/duckdb/duckdb-trino-compat.ts';

// Each case: a Trino expression and the value Trino (Athena engine v3) documents for it, rendered as DuckDB
// renders it when cast to VARCHAR (Trino would print `2026-11-27 13:05:09.123 UTC` where we expect
// `2026-11-27 13:05:09.123`). null means SQL NULL. Some cases hold on plain DuckDB too (those marked
// "native" are only there to check that), but every macro has a case plain DuckDB 1.5 gets wrong: removing
// any macro or setting fails a test.
type Case = readonly [expr: string, trino: string | null];

const INTEGER_DIVISION: Case[] = [
  ['5 / 2', '2'],
  ['-5 / 2', '-2'],
  ['5 / 2.0', '2.5'], // native
  ['CAST(5 AS DOUBLE) / 2', '2.5'], // native
  // OCSF `time` is epoch milliseconds: Trino's bigint division drops the milliseconds.
  ['from_unixtime(1700000000999 / 1000)', '2023-11-14 22:13:20+00'],
];

const DATE_TIME: Case[] = [
  ["current_setting('TimeZone')", 'UTC'],
  ["CAST(TIMESTAMP '2024-01-01 12:00:00' AT TIME ZONE 'UTC' AS VARCHAR)", '2024-01-01 12:00:00+00'],
  // Trino's timestamp(3) with time zone is an instant: DuckDB's TIMESTAMPTZ, shown in the session zone (UTC).
  ["from_iso8601_timestamp('2026-11-27T13:05:09.123Z')", '2026-11-27 13:05:09.123+00'],
  ["from_iso8601_timestamp('2026-11-27T13:05:09+02:00')", '2026-11-27 11:05:09+00'], // same instant
  ["from_iso8601_timestamp('2026-11-27T13:05:09.123456-0530')", '2026-11-27 18:35:09.123+00'],
  ["from_iso8601_timestamp('2026-11-27T13:05:09')", '2026-11-27 13:05:09+00'], // session zone: UTC
  ["from_iso8601_timestamp('2026-11-27')", '2026-11-27 00:00:00+00'],
  ["from_iso8601_timestamp('2026-11-27T13:05Z')", '2026-11-27 13:05:00+00'], // no seconds
  ["from_iso8601_timestamp_nanos('2026-11-27T13:05:09.123456Z')", '2026-11-27 13:05:09.123456+00'],
  ["typeof(from_iso8601_timestamp('2026-11-27'))", 'TIMESTAMP WITH TIME ZONE'],
  ['from_iso8601_timestamp(NULL)', null],
  ["from_iso8601_date('2026-11-27')", '2026-11-27'],
  ["typeof(from_iso8601_date('2026-11-27'))", 'DATE'],
  ["to_unixtime(TIMESTAMP '2023-11-14 22:13:20.5') = 1700000000.5", 'true'],
  ["typeof(to_unixtime(TIMESTAMP '2023-11-14 22:13:20'))", 'DOUBLE'],
  ['from_unixtime(1700000000)', '2023-11-14 22:13:20+00'],
  ['from_unixtime(1700000000.5)', '2023-11-14 22:13:20.5+00'],
  ["from_unixtime(1700000000, 'Europe/Paris')", '2023-11-14 22:13:20+00'], // the same instant
  ['from_unixtime(1700000000, 2, 0)', '2023-11-14 22:13:20+00'],
  ['from_unixtime_nanos(1700000000123456789)', '2023-11-14 22:13:20.123456+00'],
  ['from_unixtime(NULL)', null],
  ["date_format(TIMESTAMP '2026-11-27 13:05:09', '%Y-%m-%d %H:%i:%s')", '2026-11-27 13:05:09'],
  ["date_format(TIMESTAMP '2026-11-27 13:05:09.123456', '%s.%f')", '09.123000'],
  ["date_format(TIMESTAMP '2026-11-27 13:05:09', '%j %W %a %b %M %p')", '331 Friday Fri Nov November PM'],
  ["date_format(TIMESTAMP '2026-11-27 13:05:09', '%T | %r | %S')", '13:05:09 | 01:05:09 PM | 09'],
  ["date_format(TIMESTAMP '2026-01-02 03:04:05', '%e %c %y %k %l %h %I')", '2 1 26 3 3 03 03'],
  ["date_format(DATE '2021-01-01', '%v %x')", '53 2020'],
  ["date_format(TIMESTAMP '2026-01-02 03:04:05', '100%% %Q %')", '100% Q '],
  ["date_format(CAST(NULL AS TIMESTAMP), '%Y')", null],
  ["date_parse('2026-11-27 13:05:09.123456789', '%Y-%m-%d %H:%i:%s.%f')", '2026-11-27 13:05:09.123'],
  ["date_parse('27/11/2026', '%d/%m/%Y')", '2026-11-27 00:00:00'],
  ["date_parse('Nov 7 2026 1:05 PM', '%b %e %Y %l:%i %p')", '2026-11-07 13:05:00'],
  ["typeof(date_parse('2026', '%Y'))", 'TIMESTAMP'],
  ["date_add('hour', 1, TIMESTAMP '2024-01-01 23:30:00')", '2024-01-02 00:30:00'],
  ["date_add('millisecond', 1500, TIMESTAMP '2024-01-01 00:00:00')", '2024-01-01 00:00:01.5'],
  ["date_add('quarter', 1, TIMESTAMP '2024-01-01 00:00:00')", '2024-04-01 00:00:00'],
  ["date_add('month', 1, DATE '2024-01-31')", '2024-02-29'],
  ["date_add('year', 1, DATE '2024-02-29')", '2025-02-28'],
  ["date_add('DAY', -1, DATE '2024-03-01')", '2024-02-29'],
  ["date_add('week', 2, DATE '2024-01-01')", '2024-01-15'],
  ["typeof(date_add('day', 1, DATE '2024-01-01'))", 'DATE'],
  ["CAST(date_add('minute', 90, TIMESTAMPTZ '2024-01-01 00:00:00+00') AS VARCHAR)", '2024-01-01 01:30:00+00'],
  ["date_diff('hour', TIMESTAMP '2024-01-01 00:59:00', TIMESTAMP '2024-01-01 01:01:00')", '0'],
  ["date_diff('hour', TIMESTAMP '2024-01-01 01:01:00', TIMESTAMP '2024-01-01 00:59:00')", '0'],
  ["date_diff('hour', TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 02:59:59')", '2'],
  ["date_diff('second', TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:01.999')", '1'],
  ["date_diff('millisecond', TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 00:00:01.5')", '1500'],
  ["date_diff('minute', TIMESTAMP '2024-01-01 00:00:59', TIMESTAMP '2024-01-01 00:01:58')", '0'],
  ["date_diff('day', TIMESTAMP '2024-01-01 12:00:00', TIMESTAMP '2024-01-02 11:59:00')", '0'],
  ["date_diff('day', DATE '2024-01-01', DATE '2024-03-01')", '60'],
  ["date_diff('week', DATE '2024-01-01', DATE '2024-01-14')", '1'],
  ["date_diff('month', DATE '2024-01-15', DATE '2024-03-14')", '1'],
  ["date_diff('month', DATE '2024-01-31', DATE '2024-02-29')", '1'], // Joda: end of the shorter month
  ["date_diff('month', DATE '2024-01-31', DATE '2024-02-28')", '0'],
  ["date_diff('quarter', DATE '2024-01-15', DATE '2024-07-14')", '1'],
  ["date_diff('year', DATE '2024-02-29', DATE '2025-02-28')", '1'],
  ["date_diff('year', DATE '2024-03-01', DATE '2025-02-28')", '0'],
  ["date_diff('year', DATE '2025-02-28', DATE '2024-02-29')", '-1'],
  ["date_diff('day', NULL, DATE '2024-01-01')", null],
  ["date_trunc('month', DATE '2024-05-17')", '2024-05-01'],
  ["typeof(date_trunc('month', DATE '2024-05-17'))", 'DATE'],
  ["date_trunc('week', TIMESTAMP '2024-05-17 10:00:00')", '2024-05-13 00:00:00'], // native (Monday)
  ["date_trunc('quarter', TIMESTAMP '2024-05-17 10:00:00')", '2024-04-01 00:00:00'], // native
  ["date_trunc('hour', TIMESTAMP '2024-05-17 10:42:17.5')", '2024-05-17 10:00:00'], // native
  ["day_of_week(DATE '2024-01-07')", '7'], // a Sunday
  ["dow(DATE '2024-01-08')", '1'], // a Monday
  ["day_of_month(DATE '2024-02-29')", '29'],
  ["day_of_year(DATE '2024-12-31')", '366'],
  ["week_of_year(DATE '2021-01-01')", '53'],
  ["year_of_week(DATE '2021-01-01')", '2020'],
  ["yow(DATE '2021-01-01')", '2020'],
  ["millisecond(TIMESTAMP '2024-01-01 00:00:05.123')", '123'],
  ["last_day_of_month(DATE '2024-02-10')", '2024-02-29'],
];

const JSON_CASES: Case[] = [
  ['json_extract_scalar(\'{"a":{"b":"x"}}\', \'$.a.b\')', 'x'],
  ['json_extract_scalar(\'{"a":{"b":"x"}}\', \'$.a\')', null], // not a scalar
  ["json_extract_scalar('{\"a\":[1,2]}', '$.a')", null],
  ["json_extract_scalar('{\"a\":[1,2]}', '$.a[1]')", '2'],
  ['json_extract_scalar(\'{"a":true,"n":1.5}\', \'$.a\')', 'true'],
  ['json_extract_scalar(\'{"a":true,"n":1.5}\', \'$.n\')', '1.5'],
  ["json_extract_scalar('{\"a\":null}', '$.a')", null],
  ["json_extract_scalar('{\"a\":1}', '$.missing')", null],
  ['json_extract_scalar(\'{"aws:SourceIp":"10.0.0.1"}\', \'$["aws:SourceIp"]\')', '10.0.0.1'],
  ["json_extract_scalar('not json', '$.a')", null],
  ["json_extract_scalar(NULL, '$.a')", null],
  ['json_extract(\'{"a":{"b":"x"}}\', \'$.a\')', '{"b":"x"}'],
  ["typeof(json_extract('{\"a\":1}', '$.a'))", 'JSON'],
  ["json_extract('not json', '$.a')", null],
  ["json_array_length('[1,2,3]')", '3'],
  ['json_array_length(\'{"a":1}\')', null],
  ["json_array_length('not json')", null],
  ["typeof(json_array_length('[]'))", 'BIGINT'],
  ['json_parse(\'{"a": 1}\')', '{"a":1}'],
  ["typeof(json_parse('[1]'))", 'JSON'],
  ["json_format(json_parse('[1, 2]'))", '[1,2]'],
];

const STRINGS: Case[] = [
  ["regexp_replace('abcabc', '(b)', '[$1]')", 'a[b]ca[b]c'],
  ["regexp_replace('abcabc', 'b')", 'acac'],
  [String.raw`regexp_replace('a.b.c', '\.', '-')`, 'a-b-c'],
  [String.raw`regexp_replace('a1b22', '(\d+)', '<$1>')`, 'a<1>b<22>'],
  [String.raw`regexp_replace('ab', 'b', '\$1')`, 'a$1'], // escaped dollar
  [String.raw`regexp_replace('abc', 'b', '\\')`, String.raw`a\c`], // escaped backslash
  ["regexp_replace(NULL, 'b', 'x')", null],
  ["regexp_extract('abc', 'x')", null],
  ["regexp_extract('abc', 'x', 1)", null],
  ["regexp_extract('abc', 'b')", 'b'],
  ["regexp_extract('a1b2', '[a-z]([0-9])', 1)", '1'],
  ["regexp_like('abc', 'b')", 'true'],
  ["regexp_like('abc', '^b')", 'false'],
  ["concat('a', NULL)", null],
  ["concat('a', 'b', 'c')", 'abc'],
  ['concat(ARRAY[1], ARRAY[2, 3])', '[1, 2, 3]'],
  [
    `concat(${Array.from({ length: MAX_VARIADIC_ARGS }, () => "'x'").join(', ')})`,
    'x'.repeat(MAX_VARIADIC_ARGS),
  ],
  ["format('%s-%s', 'a', 'b')", 'a-b'],
  ["format('%.2f', 3.14159)", '3.14'],
  ["format('%d%%', 5)", '5%'],
  ["split_part('a,b', ',', 3)", null],
  ["split_part('a,,c', ',', 2)", ''],
  ["split_part('a,b,c', ',', 3)", 'c'],
  ["strpos('abc', 'c')", '3'], // native
  ["strpos('abc', 'x')", '0'], // native
  ["strpos('abc', '')", '1'], // native
  ["length('🇺🇸')", '2'], // native: code points, like Trino
  ["substr('abcdef', -3)", 'def'],
  ["substr('abcdef', 2, 3)", 'bcd'],
  ["substr('abc', 0)", ''],
  ["substr('abc', 0, 2)", ''],
  ["substr('abc', 2, -1)", ''],
  ['substr(NULL, 0)', null],
  ["substring('abcdef' FROM 2 FOR 3)", 'bcd'],
  ["substring('abc', 0, 2)", ''],
  ["url_extract_host('https://user@Example.com:8080/a?b=c#d')", 'Example.com'],
  ["url_extract_host('http://[::1]/x')", '[::1]'],
  ["url_extract_host('example.com/path')", null],
  ['greatest(1, NULL)', null],
  ['greatest(1, 3, 2)', '3'],
  ['least(2, NULL, 1)', null],
  ["least('b', 'a')", 'a'],
];

const ARRAYS_AND_MAPS: Case[] = [
  ["array_join(ARRAY['a', NULL, 'b'], ',')", 'a,b'],
  ["array_join(ARRAY['a', NULL, 'b'], ',', 'N')", 'a,N,b'],
  ["array_join(ARRAY[1, 2], '-')", '1-2'],
  ['cardinality(ARRAY[1, 2, 3])', '3'],
  ["cardinality(MAP(ARRAY['a', 'b'], ARRAY[1, 2]))", '2'],
  ["cardinality(MAP(ARRAY[1, 2], ARRAY[ARRAY['x'], NULL]))", '2'],
  ['typeof(cardinality(ARRAY[1]))', 'BIGINT'],
  ['element_at(ARRAY[1, 2, 3], 1)', '1'],
  ['element_at(ARRAY[1, 2, 3], -1)', '3'],
  ['element_at(ARRAY[1], 5)', null],
  ["element_at(MAP(ARRAY['a'], ARRAY[1]), 'a')", '1'],
  ["element_at(MAP(ARRAY['a'], ARRAY[1]), 'z')", null],
  ['contains(ARRAY[1, 2], 2)', 'true'],
  ['contains(ARRAY[1, 2], 3)', 'false'],
  ['contains(ARRAY[1, NULL], 2)', null],
  ['contains(ARRAY[1, NULL], 1)', 'true'],
  ["contains(ARRAY['a'], 'a')", 'true'],
];

// Aggregates, over x = NULL, 1, 2, 2, 3 in this order.
const AGGREGATES: Case[] = [
  ['approx_distinct(x)', '3'],
  ['approx_distinct(x, 0.01)', '3'],
  ['approx_percentile(x, 0.5)', '2'],
  ['arbitrary(x) IS NOT NULL', 'true'], // DuckDB's builtin returns the first row's NULL
  ['every(x > 1)', 'false'],
  ['count_if(x >= 2)', '3'],
  ['typeof(count_if(x >= 2))', 'BIGINT'],
  ['bool_or(x > 2)', 'true'], // native
  ['bool_and(x > 0)', 'true'], // native
];

let instance: DuckDBInstance;
let con: DuckDBConnection;

async function rows(c: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await c.runAndReadAll(sql)).getRowObjectsJS();
}

/** `expr` evaluated on `c` and rendered as DuckDB's VARCHAR cast. */
async function value(expr: string, c: DuckDBConnection = con, from = ''): Promise<unknown> {
  const [row] = await rows(c, `SELECT CAST((${expr}) AS VARCHAR) AS v ${from}`);
  return row?.v;
}

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  con = await instance.connect();
  await installTrinoCompat((sql) => con.run(sql));
});

afterAll(() => {
  con.closeSync();
  instance.closeSync();
});

describe('Trino semantics on DuckDB', () => {
  const groups: [string, Case[], string?][] = [
    ['integer division', INTEGER_DIVISION],
    ['date and time', DATE_TIME],
    ['json', JSON_CASES],
    ['strings and regular expressions', STRINGS],
    ['arrays and maps', ARRAYS_AND_MAPS],
    ['aggregates', AGGREGATES, 'FROM (VALUES (NULL), (1), (2), (2), (3)) AS t(x)'],
  ];
  for (const [name, cases, from] of groups) {
    describe(name, () => {
      it.each(cases)('%s = %j', async (expr, trino) => {
        expect(await value(expr, con, from)).toBe(trino);
      });
    });
  }

  it('covers every Trino function that TRINO_COMPAT_SQL defines', () => {
    const defined = TRINO_COMPAT_SQL.flatMap((sql) => /TEMP MACRO (\w+)/.exec(sql)?.[1] ?? []).filter(
      (name) => !name.startsWith('_lakeq_'),
    );
    const tested = [INTEGER_DIVISION, DATE_TIME, JSON_CASES, STRINGS, ARRAYS_AND_MAPS, AGGREGATES]
      .flat()
      .map(([expr]) => expr)
      .join('\n');
    expect(defined.length).toBeGreaterThan(40);
    expect(defined.filter((name) => !new RegExp(`\\b${name}\\s*\\(`).test(tested))).toEqual([]);
  });

  it('rejects what Trino rejects', async () => {
    await expect(value("date_add('fortnight', 1, DATE '2024-01-01')")).rejects.toThrow(/Invalid unit/);
    await expect(value("split_part('a,b', ',', 0)")).rejects.toThrow(/greater than zero/);
    await expect(value("json_parse('not json')")).rejects.toThrow(/Malformed JSON/);
  });
});

describe('DuckDB builtins the macros shadow or rely on', () => {
  it.each<Case>([
    ["date_add(DATE '2024-01-01', INTERVAL 1 DAY)", '2024-01-02 00:00:00'], // DuckDB's own 2-argument form
    ["'a' || 'b'", 'ab'],
    ["'xabcx' LIKE '%abc%'", 'true'], // DuckDB rewrites LIKE to its own contains()
    ["map_contains_value(MAP(ARRAY['a'], ARRAY[1]), 1)", 'true'], // an internal macro that calls contains()
    ["datediff('hour', TIMESTAMP '2024-01-01 00:59:00', TIMESTAMP '2024-01-01 01:01:00')", '1'], // boundaries
    ["system.main.concat('a', NULL)", 'a'], // the builtin is still reachable by its qualified name
  ])('%s = %j', async (expr, expected) => {
    expect(await value(expr)).toBe(expected);
  });
});

describe('installTrinoCompat', () => {
  it('is per connection: macros are TEMP and integer_division is a session setting', async () => {
    const other = await instance.connect();
    try {
      await expect(value("day_of_week(DATE '2024-01-07')", other)).rejects.toThrow(/does not exist/);
      expect(await value('5 / 2', other)).toBe('2.5');
      await other.run("SET TimeZone = 'America/New_York'");
      await installTrinoCompat((sql) => other.run(sql));
      expect(await value("day_of_week(DATE '2024-01-07')", other)).toBe('7');
      expect(await value('5 / 2', other)).toBe('2');
      expect(await value("CAST(TIMESTAMPTZ '2024-01-01 12:00:00+02' AS VARCHAR)", other)).toBe(
        '2024-01-01 10:00:00+00',
      );
    } finally {
      other.closeSync();
    }
  });

  it('is idempotent and survives USE of another database', async () => {
    const other = await instance.connect();
    try {
      await installTrinoCompat((sql) => other.run(sql));
      await installTrinoCompat((sql) => other.run(sql));
      await other.run("ATTACH ':memory:' AS elsewhere");
      await other.run('USE elsewhere');
      expect(await value("concat('a', NULL)", other)).toBeNull();
    } finally {
      other.closeSync();
    }
  });

  it('runs only SET and CREATE OR REPLACE TEMP MACRO statements', () => {
    for (const sql of TRINO_COMPAT_SQL) expect(sql).toMatch(/^(SET \w+ = |CREATE OR REPLACE TEMP MACRO )/);
  });
});
