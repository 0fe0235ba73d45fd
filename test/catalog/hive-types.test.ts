import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { TrinoSQL } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';
import {
  type HiveType,
  HiveTypeError,
  parseHiveType,
  toDuckDbType,
  toHiveType,
  toTrinoType,
} from '../../src/catalog/hive-types.ts';
import { TABLES } from '../../src/catalog/tables/index.ts';
import { REAL_FIXTURES_URL } from '../support/fixture-dirs.ts';

const trino = new TrinoSQL();
const STRING: HiveType = { kind: 'primitive', name: 'string' };

/** `name TYPE` pairs of a CREATE TABLE's column list (top-level commas only). */
function ddlColumns(ddl: string): { name: string; type: string }[] {
  const open = ddl.indexOf('(');
  let depth = 0;
  let end = open;
  for (let i = open; i < ddl.length; i++) {
    if (ddl[i] === '(' || ddl[i] === '<') depth++;
    if (ddl[i] === ')' || ddl[i] === '>') depth--;
    if (depth === 0) {
      end = i;
      break;
    }
  }
  const parts: string[] = [];
  let current = '';
  depth = 0;
  for (const ch of ddl.slice(open + 1, end)) {
    if (ch === '<') depth++;
    if (ch === '>') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => {
    const m = /^\s*(\S+)\s+([\s\S]+?)\s*$/.exec(p);
    if (!m?.[1] || !m[2]) throw new Error(`not a column: ${p}`);
    return { name: m[1], type: m[2] };
  });
}

describe('parseHiveType', () => {
  it('parses primitives, parameterised and nested types', () => {
    expect(parseHiveType('string')).toEqual(STRING);
    expect(parseHiveType('INTEGER')).toEqual({ kind: 'primitive', name: 'int' });
    expect(parseHiveType('decimal(12,2)')).toEqual({ kind: 'decimal', precision: 12, scale: 2 });
    expect(parseHiveType('decimal')).toEqual({ kind: 'decimal', precision: 10, scale: 0 });
    expect(parseHiveType('decimal(7)')).toEqual({ kind: 'decimal', precision: 7, scale: 0 });
    expect(parseHiveType('varchar(64)')).toEqual({ kind: 'varchar', length: 64 });
    expect(parseHiveType('map<string,array<bigint>>')).toEqual({
      kind: 'map',
      key: STRING,
      value: { kind: 'array', element: { kind: 'primitive', name: 'bigint' } },
    });
    expect(parseHiveType('struct<accountId:string,`odd name`:struct<x:double>>')).toEqual({
      kind: 'struct',
      fields: [
        { name: 'accountId', type: STRING },
        {
          name: 'odd name',
          type: { kind: 'struct', fields: [{ name: 'x', type: { kind: 'primitive', name: 'double' } }] },
        },
      ],
    });
  });

  it("reads every column type of the Athena docs' CloudTrail DDL (upper case, spaces, new lines)", () => {
    for (const file of ['cloudtrail__cloudtrail-logs__00.sql', 'cloudtrail__cloudtrail-logs__08.sql']) {
      const ddl = readFileSync(new URL(`athena/ddl/${file}`, REAL_FIXTURES_URL), 'utf8');
      const columns = ddlColumns(ddl);
      expect(columns.length).toBeGreaterThanOrEqual(24);
      for (const c of columns) expect(() => parseHiveType(c.type), `${file} ${c.name}`).not.toThrow();
      const identity = columns.find((c) => c.name.toLowerCase() === 'useridentity');
      expect(toHiveType(parseHiveType(identity?.type ?? ''))).toMatch(
        /^struct<type:string,principal[iI]d:string,.*webIdFederationData:map<string,string>>>$/,
      );
    }
  });

  it.each([
    ['struct<a string>', 9, 'expected \':\' after field name "a"'],
    ['array<string', 12, "expected '>', found the end"],
    ['map<string>', 10, 'expected \',\', found ">"'],
    ['strin', 0, 'unknown type "strin"'],
    ['struct<>', 7, 'a struct needs at least one field'],
    ['string>', 6, 'unexpected ">" after the type'],
    ['decimal(40,2)', 0, 'decimal(40,2) is out of range'],
    ['struct<a:int,A:int>', 13, 'field "A" appears twice'],
    ['array<>', 6, 'expected a type name'],
    ['', 0, 'expected a type name'],
  ])('rejects %j naming position %i', (text, position, message) => {
    let error: unknown;
    try {
      parseHiveType(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HiveTypeError);
    expect((error as HiveTypeError).position).toBe(position);
    expect((error as HiveTypeError).message).toContain(`at position ${position}: ${message}`);
  });
});

describe('rendering', () => {
  const cases: [hive: string, duckdb: string, trino: string][] = [
    ['string', 'VARCHAR', 'varchar'],
    ['int', 'INTEGER', 'integer'],
    ['float', 'FLOAT', 'real'],
    ['binary', 'BLOB', 'varbinary'],
    ['timestamp', 'TIMESTAMP', 'timestamp'],
    ['decimal(10,0)', 'DECIMAL(10, 0)', 'decimal(10, 0)'],
    ['varchar(8)', 'VARCHAR', 'varchar(8)'],
    ['array<string>', 'VARCHAR[]', 'array(varchar)'],
    ['map<string,string>', 'MAP(VARCHAR, VARCHAR)', 'map(varchar, varchar)'],
    [
      'array<struct<accountId:string,type:string,arn:string>>',
      'STRUCT("accountId" VARCHAR, "type" VARCHAR, "arn" VARCHAR)[]',
      'array(row(accountId varchar, type varchar, arn varchar))',
    ],
    ['struct<from:bigint,`a b`:date>', 'STRUCT("from" BIGINT, "a b" DATE)', 'row("from" bigint, "a b" date)'],
  ];

  it.each(cases)('%s is %s in DuckDB and %s in Trino', (hive, duckdb, trinoType) => {
    const type = parseHiveType(hive);
    expect(toHiveType(type)).toBe(hive);
    expect(toDuckDbType(type)).toBe(duckdb);
    expect(toTrinoType(type)).toBe(trinoType);
  });

  it('canonicalises spelling: lower-case keywords, no spaces', () => {
    expect(toHiveType(parseHiveType(' MAP < STRING , ARRAY< INTEGER > > '))).toBe('map<string,array<int>>');
    expect(toHiveType(parseHiveType('STRUCT<\n  type: STRING,\n  Arn: STRING>'))).toBe(
      'struct<type:string,Arn:string>',
    );
  });
});

describe('every column of every curated table', () => {
  const columns = TABLES.flatMap((t) => t.columns.map((c) => ({ table: t.name, ...c })));

  it('round-trips through the tree unchanged', () => {
    for (const c of columns) {
      const tree = parseHiveType(c.type);
      expect(toHiveType(tree), `${c.table}.${c.name}`).toBe(c.type);
      expect(parseHiveType(toHiveType(tree))).toEqual(tree);
    }
  });

  it('renders a type DuckDB creates and reports back', async () => {
    const db = await DuckDBInstance.create();
    const con = await db.connect();
    try {
      for (const c of columns) {
        const duck = toDuckDbType(parseHiveType(c.type));
        const reader = await con.runAndReadAll(`SELECT typeof(CAST(NULL AS ${duck})) AS t`);
        const [row] = reader.getRowObjectsJson();
        // DuckDB prints struct fields unquoted where it can; the structure must be the same.
        expect(String(row?.t).replace(/"/g, ''), `${c.table}.${c.name}`).toBe(duck.replace(/"/g, ''));
      }
    } finally {
      con.closeSync();
      db.closeSync();
    }
  });

  it('renders a type a Trino grammar accepts in a CAST', () => {
    for (const c of columns) {
      const sql = `SELECT CAST(NULL AS ${toTrinoType(parseHiveType(c.type))}) AS x`;
      expect(trino.validate(sql), sql).toEqual([]);
    }
  });
});
