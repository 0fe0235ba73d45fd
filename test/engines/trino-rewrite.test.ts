import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.ts';
import { localSqlCandidates } from '../../src/engines/duckdb/duckdb-local-sql.ts';
import { rewriteTrinoForDuckDb } from '../../src/engines/duckdb/duckdb-trino-rewrite.ts';
import { tokenize } from '../../src/engines/trino/trino-lexer.ts';
import { parseTrino } from '../../src/engines/trino/trino-parser.ts';

let engine: DuckDbEngine;
let dir: string;
beforeAll(async () => {
  engine = await createDuckDbEngine({ maxConnections: 2 });
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-rewrite-'));
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

const rows = async (sql: string, params: unknown[] = []) =>
  (await engine.execute(CompiledQuery.raw(sql, params))).rows as Record<string, unknown>[];

describe('the Trino parser', () => {
  it('keeps every node inside its parent, kids in text order', () => {
    const sql = `WITH a AS (SELECT x, transform(arr, y -> y + 1) AS t FROM s TABLESAMPLE BERNOULLI (5))
      SELECT listagg(x, ',') WITHIN GROUP (ORDER BY x) FILTER (WHERE x > 1) OVER (PARTITION BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
      FROM a CROSS JOIN UNNEST(m) WITH ORDINALITY AS u(k, v, n) LEFT JOIN b USING (x)
      WHERE ts AT TIME ZONE 'UTC' > TIMESTAMP '2020-01-01 00:00 UTC' AND x IN (1, 2) AND y NOT LIKE 'a%' ESCAPE '\\'
      GROUP BY GROUPING SETS ((x), ()) HAVING count(*) > 1 ORDER BY 1 DESC NULLS LAST OFFSET 1 LIMIT 5`;
    const [statement] = parseTrino(sql);
    const check = (node: {
      start: number;
      end: number;
      kids: { start: number; end: number; kids: never[] }[];
    }) => {
      let pos = node.start;
      for (const kid of node.kids) {
        expect(kid.start).toBeGreaterThanOrEqual(pos);
        expect(kid.end).toBeLessThanOrEqual(node.end);
        pos = kid.end;
        check(kid);
      }
    };
    expect(statement?.kind).toBe('statement');
    check(statement as never);
  });

  it('tokenizes Trino literals: escapes, Unicode and binary strings, quoted names, comments', () => {
    const tokens = tokenize(`SELECT 'it''s', U&'\\0041', X'0A', "a""b", 1_000, 0x1F, 1.5e3 -- c\n/* d */ ?`);
    expect(tokens.map((t) => [t.kind, t.value])).toEqual([
      ['word', 'select'],
      ['string', "it's"],
      ['op', ','],
      ['string', '\\0041'],
      ['op', ','],
      ['string', '0A'],
      ['op', ','],
      ['quoted', 'a"b'],
      ['op', ','],
      ['number', '1000'],
      ['op', ','],
      ['number', '0x1F'],
      ['op', ','],
      ['number', '1.5e3'],
      ['param', '?'],
      ['eof', ''],
    ]);
  });
});

describe('the rewrite', () => {
  it('leaves SQL that is not Trino (DuckDB’s own, as lakeq writes internally) as it is', () => {
    for (const sql of [
      "SELECT {'a': 1} AS s",
      'SELECT x::VARCHAR FROM t',
      "CREATE VIEW v AS SELECT * FROM read_json('f.json', columns = {a: 'INT'})",
      'SET threads = 2',
      'PRAGMA version',
    ]) {
      const out = rewriteTrinoForDuckDb(sql);
      expect(out.sql).toBe(sql);
    }
  });

  it('copies comments and layout it does not touch', () => {
    const sql = 'SELECT /* keep */ a,\n  -- and this\n  b FROM t';
    expect(rewriteTrinoForDuckDb(sql).sql).toBe(sql);
  });

  it('quotes names Trino takes unquoted and DuckDB reserves (TPC-DS Q77’s returns, Q90’s alias at)', async () => {
    const sql =
      'select sum(returns) as "returns", max(at.n) as n from (select 2 as returns) r, (select 1 as n) at';
    expect(rewriteTrinoForDuckDb(sql).sql).toBe(
      'select sum("returns") as "returns", max("at".n) as n from (select 2 as "returns") r, (select 1 as n) "at"',
    );
    expect(await rows(sql)).toEqual([{ returns: 2, n: 1 }]);
  });

  it('names unaliased expressions _colN as Trino does, but not columns', async () => {
    expect(await rows('SELECT 1, x, 2 FROM (VALUES 5) t(x)')).toEqual([{ _col0: 1, x: 5, _col2: 2 }]);
  });

  it('rewrites the query inside COPY (…) TO and CREATE TABLE … AS, as loads and dashboard snapshots write them', async () => {
    const file = path.join(dir, 'out.parquet');
    await engine.execute(
      CompiledQuery.raw(
        `COPY (SELECT transform(ARRAY[1, 2], x -> x * 3) AS a) TO '${file}' (FORMAT parquet)`,
      ),
    );
    expect(await rows(`SELECT a FROM read_parquet('${file}')`)).toEqual([{ a: [3, 6] }]);
    await engine.execute(
      CompiledQuery.raw(
        "CREATE OR REPLACE TABLE rw AS SELECT listagg(v, ',') WITHIN GROUP (ORDER BY v DESC) AS l FROM (VALUES 'a', 'b', ?) t(v)",
        ['c'],
      ),
    );
    expect(await rows('SELECT l FROM rw')).toEqual([{ l: 'c,b,a' }]);
  });

  it('keeps ? parameters bound, and inlines them when a rewrite repeats the argument holding one', async () => {
    expect(await rows('SELECT transform(ARRAY[?, 2], x -> x + 1) AS a', [5])).toEqual([{ a: [6, 3] }]);
    const query = CompiledQuery.raw(
      "SELECT map_zip_with(MAP(ARRAY['k'], ARRAY[?]), MAP(ARRAY['k'], ARRAY[2]), (k, a, b) -> a + b) AS m",
      [40],
    );
    const [candidate] = localSqlCandidates(query);
    expect(candidate?.parameters).toEqual([]);
    expect(candidate?.sql).toContain("MAP(ARRAY['k'], ARRAY[40])");
    expect((await engine.execute(query)).rows).toEqual([{ m: { k: 42 } }]);
  });

  it('UNNEST: a column that is an array of rows, read first as a map, then as rows when DuckDB’s binder says so', async () => {
    const sql = `SELECT a, b FROM (SELECT ARRAY[CAST(ROW(1, 'x') AS ROW(a integer, b varchar)), CAST(ROW(2, 'y') AS ROW(a integer, b varchar))] AS arr)
      CROSS JOIN UNNEST(arr) AS t(a, b) ORDER BY a`;
    expect(localSqlCandidates(CompiledQuery.raw(sql))).toHaveLength(2);
    const seen: string[] = [];
    const result = await engine.execute(CompiledQuery.raw(sql), { onLocalSql: (s) => seen.push(s) });
    expect(result.rows).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
    ]);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toContain('map_entries(arr)');
  });

  it('UNNEST: a map column, several arrays zipped with NULLs, WITH ORDINALITY, LEFT JOIN … ON true', async () => {
    expect(
      await rows(
        `SELECT k, v FROM (SELECT MAP(ARRAY['a', 'b'], ARRAY[1, 2]) AS m) CROSS JOIN UNNEST(m) AS t(k, v) ORDER BY k`,
      ),
    ).toEqual([
      { k: 'a', v: 1 },
      { k: 'b', v: 2 },
    ]);
    expect(
      await rows(
        'SELECT x, y, n FROM UNNEST(ARRAY[1, 2], ARRAY[7]) WITH ORDINALITY AS t(x, y, n) ORDER BY n',
      ),
    ).toEqual([
      { x: 1, y: 7, n: 1 },
      { x: 2, y: null, n: 2 },
    ]);
    expect(
      await rows(
        'SELECT id, x FROM (VALUES (1, ARRAY[5]), (2, ARRAY[])) s(id, arr) LEFT JOIN UNNEST(arr) AS t(x) ON true ORDER BY id',
      ),
    ).toEqual([
      { id: 1, x: 5 },
      { id: 2, x: null },
    ]);
  });

  it('lambda parameters shadow columns, nest, and capture outer ones', async () => {
    expect(
      await rows(
        'SELECT transform(arr, x -> x + y) AS a, transform(arr, y -> transform(ARRAY[y], z -> z * y)) AS b FROM (VALUES (ARRAY[1, 2], 10)) t(arr, y)',
      ),
    ).toEqual([{ a: [11, 12], b: [[1], [4]] }]);
  });

  it('TABLESAMPLE BERNOULLI (100) keeps every row, (0) none', async () => {
    expect(await rows('SELECT count(*) AS n FROM (VALUES 1, 2, 3) t(x) TABLESAMPLE BERNOULLI (100)')).toEqual(
      [{ n: 3 }],
    );
    expect(await rows('SELECT count(*) AS n FROM (VALUES 1, 2, 3) t(x) TABLESAMPLE SYSTEM (0)')).toEqual([
      { n: 0 },
    ]);
  });

  it('rewrites each of several statements', () => {
    expect(
      rewriteTrinoForDuckDb('SELECT typeof(1) AS a;\nSELECT transform(x, y -> y) AS b FROM t;').sql,
    ).toBe('SELECT _lakeq_typeof(1) AS a;\nSELECT list_transform(x, lambda y: y) AS b FROM t;');
  });
});
