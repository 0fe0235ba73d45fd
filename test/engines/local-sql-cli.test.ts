import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { captureIO } from '../support/capture-io.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-local-sql-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sql = (text: string, ...flags: string[]) => [
  'sql',
  text,
  '--data-dir',
  dir,
  '--format',
  'json',
  ...flags,
];

describe('lakeq sql runs Trino SQL on the local engine', () => {
  it('answers as Trino does: lambdas, listagg WITHIN GROUP, UNNEST of a map', async () => {
    const io = captureIO();
    const text = `SELECT listagg(k || '=' || CAST(v AS varchar), ',') WITHIN GROUP (ORDER BY k) AS pairs,
        transform(ARRAY[1, 2], x -> x * 10) AS tens
      FROM (SELECT MAP(ARRAY['b', 'a'], ARRAY[2, 1]) AS m) CROSS JOIN UNNEST(m) AS t(k, v)`;
    expect(await main(sql(text), io)).toBe(0);
    expect(JSON.parse(io.stdout())).toEqual([{ pairs: 'a=1,b=2', tens: [10, 20] }]);
    expect(io.stderr()).toBe('');
  });

  it('--show-local-sql prints the DuckDB SQL it ran on stderr, and the rows on stdout', async () => {
    const io = captureIO();
    expect(
      await main(
        sql("SELECT transform(ARRAY[1], x -> x + 1) AS a, replace('abc', 'b') AS r", '--show-local-sql'),
        io,
      ),
    ).toBe(0);
    expect(JSON.parse(io.stdout())).toEqual([{ a: [2], r: 'ac' }]);
    expect(io.stderr()).toBe(
      "-- SQL the local engine (DuckDB) ran:\nSELECT list_transform(ARRAY[1], lambda x: x + 1) AS a, replace('abc', 'b') AS r\n",
    );
  });

  it('an unsupported Trino function is a one-line error naming it', async () => {
    const io = captureIO();
    expect(await main(sql('SELECT approx_set(1)'), io)).not.toBe(0);
    expect(io.stderr()).toMatch(
      /Trino function approx_set\(\) is not supported on the local engine \(DuckDB\)/,
    );
    expect(io.stderr().trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(io.stderr()).not.toMatch(/\n\s+at /);
  });

  it('--help mentions --show-local-sql', async () => {
    const io = captureIO();
    expect(await main(['sql', '--help'], io)).toBe(0);
    expect(io.stdout()).toMatch(/--show-local-sql/);
  });
});
