import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.ts';
import { TRINO_COMPAT_SQL } from '../../src/engines/duckdb/duckdb-trino-compat.ts';
import { FUNCTION_REWRITES } from '../../src/engines/duckdb/duckdb-trino-function-rewrites.ts';
import { TRINO_MORE_MACROS_SQL } from '../../src/engines/duckdb/duckdb-trino-macros.ts';
import { TRINO_FUNCTIONS, TRINO_SYNTAX } from '../../src/engines/duckdb/trino-function-support.ts';
import type { LakeqError } from '../../src/engines/engine.ts';
import { TrinoNotSupportedError } from '../../src/engines/trino/trino-not-supported.ts';

let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await createDuckDbEngine({ maxConnections: 1 });
});
afterAll(async () => {
  await engine.close();
});

const run = (sql: string) => engine.execute(CompiledQuery.raw(sql));

const unsupported = Object.entries(TRINO_FUNCTIONS).filter(([, s]) => s.how === 'unsupported');

describe('the table of Trino functions', () => {
  const macros = new Set(
    [...TRINO_COMPAT_SQL, ...TRINO_MORE_MACROS_SQL].flatMap((sql) => /TEMP MACRO (\w+)/.exec(sql)?.[1] ?? []),
  );

  it('lists every section of the documentation and a few hundred functions', () => {
    const sections = new Set(Object.values(TRINO_FUNCTIONS).map((s) => s.section));
    for (const s of [
      'math',
      'string',
      'json',
      'datetime',
      'aggregate',
      'array',
      'map',
      'lambda',
      'binary',
      'bitwise',
    ])
      expect(sections).toContain(s);
    expect(Object.keys(TRINO_FUNCTIONS).length).toBeGreaterThan(300);
  });

  it.each(Object.entries(TRINO_FUNCTIONS).filter(([, s]) => s.how === 'macro'))(
    '%s: a macro of that name exists',
    (name) => {
      expect(macros).toContain(name);
    },
  );

  it.each(Object.entries(TRINO_FUNCTIONS).filter(([, s]) => s.how === 'rewrite'))(
    '%s: a rewrite exists',
    (name) => {
      expect(FUNCTION_REWRITES[name]).toBeTypeOf('function');
    },
  );

  it('says why for every unsupported function', () => {
    expect(unsupported.length).toBeGreaterThan(100);
    for (const [, s] of unsupported) expect(s.note.length).toBeGreaterThan(10);
  });
});

describe('unsupported Trino functions fail with an error that names them', () => {
  it.each(unsupported)('%s()', async (name) => {
    const error = await run(`SELECT ${name}(1) AS v`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrinoNotSupportedError);
    expect((error as Error).message).toMatch(
      new RegExp(`^Trino function ${name}\\(\\) is not supported on the local engine \\(DuckDB\\): .+`),
    );
    expect((error as LakeqError).code).toBe('TRINO_NOT_SUPPORTED');
  });
});

describe('unsupported Trino forms fail the same way, never with a bare DuckDB message', () => {
  it.each([
    ['array_sort(ARRAY[3, 1], (x, y) -> IF(x < y, 1, -1))', /array_sort\(\) with a comparator lambda/],
    ["regexp_replace('new york', '(\\w)(\\w*)', x -> upper(x[1]))", /regexp_replace\(\) with a lambda/],
    ['transform(ARRAY[1], 5)', /transform\(\) without a 1-parameter lambda/],
    ['(SELECT approx_percentile(x, 1, 0.5) FROM (VALUES 1) t(x))', /approx_percentile\(\) with weights/],
    ["format('%,d', 1234567)", /format\(\) specifier %,d/],
    ["normalize('e', NFD)", /normalize\(…, NFD\)/],
    ["CAST('10.0.0.1' AS IPADDRESS)", /type IPADDRESS/],
    ["IPADDRESS '10.0.0.1'", /IPADDRESS literal/],
    ["json_query('{\"a\": 1}', 'lax $.a' WITH ARRAY WRAPPER)", /function json_query\(\)/],
    ["json_exists('{\"a\": 1}', 'lax $.a')", /function json_exists\(\)/],
    ["timezone(TIMESTAMP '2024-01-01 12:00:00 Asia/Tokyo')", /function timezone\(\)/],
    [
      '(SELECT count(*) FROM (VALUES 1) t(x) TABLESAMPLE BERNOULLI (10 + 1))',
      /TABLESAMPLE with a computed percentage/,
    ],
    ['(SELECT * FROM TABLE(sequence(start => 1, stop => 3)))', /table function TABLE/],
  ])('%s', async (expr, message) => {
    const error = await run(`SELECT ${expr} AS v`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrinoNotSupportedError);
    expect((error as Error).message).toMatch(/^Trino .+ is not supported on the local engine \(DuckDB\): /);
    expect((error as Error).message).toMatch(message);
  });

  it('the syntax table names what is rewritten and what is not', () => {
    expect(TRINO_SYNTAX.filter((s) => s.how === 'unsupported').length).toBeGreaterThan(0);
    for (const s of TRINO_SYNTAX) expect(s.note).not.toBe('');
  });
});
