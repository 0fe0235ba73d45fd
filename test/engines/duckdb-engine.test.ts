import { tmpdir } from 'node:os';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.ts';
import { QueryFailedError } from '../../src/engines/engine.ts';

let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await createDuckDbEngine({ maxConnections: 3 });
});
afterAll(async () => {
  await engine.close();
});

const one = async (text: string, params: unknown[] = []) => {
  const { rows } = await engine.execute(CompiledQuery.raw(text, params));
  return rows[0] as Record<string, unknown>;
};

describe('duckdb engine: result conversion, the same for every query', () => {
  it('BIGINT is a number when safe and a string beyond 2^53, never a bigint', async () => {
    const row = await one(
      'select 42::BIGINT as small, 9007199254740993::BIGINT as big, count(*) as n from range(3)',
    );
    expect(row).toEqual({ small: 42, big: '9007199254740993', n: 3 });
    expect(() => JSON.stringify(row)).not.toThrow();
  });

  it('timestamps are UTC ISO strings, dates YYYY-MM-DD, decimals numbers', async () => {
    const row = await one(
      `select TIMESTAMP '2026-11-27 13:05:09.123' as ts, TIMESTAMPTZ '2026-11-27 13:05:09+02:00' as tstz,
              DATE '2026-11-27' as d, 12.50::DECIMAL(10,2) as dec, 1.5::DOUBLE as dbl, NULL::TIMESTAMP as nothing`,
    );
    expect(row).toEqual({
      ts: '2026-11-27T13:05:09.123Z',
      tstz: '2026-11-27T11:05:09.000Z',
      d: '2026-11-27',
      dec: 12.5,
      dbl: 1.5,
      nothing: null,
    });
  });

  it('maps become objects; structs and lists plain values, recursively converted', async () => {
    const row = await one(
      `select MAP {'a': 1::BIGINT, 'b': 2::BIGINT} as m,
              {'x': 1::BIGINT, 'when': TIMESTAMP '2026-01-01 00:00:00', 'tags': ['p', 'q']} as s,
              [[1, 2], [3]] as l`,
    );
    expect(row).toEqual({
      m: { a: 1, b: 2 },
      s: { x: 1, when: '2026-01-01T00:00:00.000Z', tags: ['p', 'q'] },
      l: [[1, 2], [3]],
    });
  });

  it('columns carry names and Trino type names; stats say engine and rows', async () => {
    const result = await engine.execute(CompiledQuery.raw("select 1 as a, 'x' as b"));
    expect(result.columns).toEqual([
      { name: 'a', type: 'integer' },
      { name: 'b', type: 'varchar' },
    ]);
    expect(result.stats).toMatchObject({ engine: 'duckdb', rows: 1 });
  });
});

describe('duckdb engine: Trino behaviour on every connection', () => {
  it('integer division and UTC on each pooled connection', async () => {
    const rows = await Promise.all(
      Array.from({ length: 6 }, () => one("select 5 / 2 as q, current_setting('TimeZone') as tz")),
    );
    for (const row of rows) expect(row).toEqual({ q: 2, tz: expect.stringMatching(/UTC/) });
  });
});

describe('duckdb engine: threads asked per statement (threadsFor)', () => {
  it('sets the threads before a statement when the answer changes, in queries and in reconfigure', async () => {
    let want = 1;
    const fitted = await createDuckDbEngine({ threads: 1, threadsFor: () => want });
    const threads = async () =>
      Number((await fitted.execute(CompiledQuery.raw("select current_setting('threads') as t"))).rows[0]?.t);
    try {
      expect(await threads()).toBe(1);
      want = 2;
      expect(await threads()).toBe(2);
      want = 1;
      await fitted.reconfigure((run) => run('CREATE TABLE x AS SELECT 1 AS a'));
      const { rows } = await fitted.execute(
        CompiledQuery.raw("select current_setting('threads') as t, a from x"),
      );
      expect(rows[0]).toEqual({ t: 1, a: 1 });
    } finally {
      await fitted.close();
    }
    // A sandbox locks the configuration: the two cannot go together.
    await expect(
      createDuckDbEngine({ threadsFor: () => 2, sandbox: { allowedDirectories: [tmpdir()] } }),
    ).rejects.toThrow(/threadsFor/);
  });
});

describe('duckdb engine: parameters and Kysely', () => {
  it('binds Date parameters as UTC timestamps', async () => {
    const row = await one("select ? = TIMESTAMP '2026-11-01 10:00:00' as same, ? as s", [
      new Date('2026-11-01T10:00:00Z'),
      "O'Brien",
    ]);
    expect(row).toEqual({ same: true, s: "O'Brien" });
  });

  it('runs Kysely-built queries through its dialect with Trino-quoted identifiers', async () => {
    const { Kysely } = await import('kysely');
    const db = new Kysely<{ t: { a: number } }>({ dialect: engine.dialect });
    const compiled = db.selectFrom('t').select('a').where('a', '>', 1).compile();
    expect(compiled.sql).toBe('select "a" from "t" where "a" > ?');
    const result = await sql<{ n: number }>`select ${3} * 2 as n`.execute(db);
    expect(result.rows).toEqual([{ n: 6 }]);
  });
});

describe('duckdb engine: failures', () => {
  it("a bad query fails with QueryFailedError naming DuckDB's reason", async () => {
    await expect(engine.execute(CompiledQuery.raw('select * from no_such_table'))).rejects.toSatisfy(
      (e) => e instanceof QueryFailedError && /no_such_table/.test(e.message),
    );
  });

  it('an aborted query stops with CANCELLED', async () => {
    const controller = new AbortController();
    const running = engine.execute(
      CompiledQuery.raw(
        'select count(*) from range(1000000000) a, range(1000) b where a.range * b.range = -1',
      ),
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('recovers when the recover hook repairs the cause, then reports the repair', async () => {
    let created = false;
    const repairing = await createDuckDbEngine({
      recover: async (_error, run, warn) => {
        if (created) return false;
        created = true;
        await run('create table late_table as select 7 as v');
        warn({ code: 'REPAIRED', message: 'created late_table' });
        return true;
      },
    });
    try {
      const { rows } = await repairing.execute(CompiledQuery.raw('select v from late_table'));
      expect(rows).toEqual([{ v: 7 }]);
      expect(repairing.warnings()).toEqual([{ code: 'REPAIRED', message: 'created late_table' }]);
    } finally {
      await repairing.close();
    }
  });
});
