import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PARQUET_TRAILER_BYTES,
  parquetFooterLength,
  parquetRowCount,
  parquetRowCountByRange,
  type RangeReader,
} from '../../src/storage/parquet-footer.ts';
import { REAL_FIXTURES } from '../support/fixture-dirs.ts';

const SAMPLES = path.join(REAL_FIXTURES, 'ocsf', 'security-lake-samples');

let dir: string;
let db: DuckDBInstance;
let con: DuckDBConnection;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-parquet-footer-'));
  db = await DuckDBInstance.create(':memory:');
  con = await db.connect();
});
afterAll(async () => {
  con.closeSync();
  db.closeSync();
  await rm(dir, { recursive: true, force: true });
});

/** Writes `select` with DuckDB and answers the file's bytes. */
async function duckParquet(name: string, select: string, options = ''): Promise<Uint8Array> {
  const file = path.join(dir, name);
  await con.run(`COPY (${select}) TO '${file}' (FORMAT parquet${options ? `, ${options}` : ''})`);
  return readFile(file);
}

/** What DuckDB's own Parquet reader says about a file: rows and row groups. */
async function duckStats(file: string): Promise<{ rows: number; rowGroups: number }> {
  const count = await con.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet('${file}')`);
  const groups = await con.runAndReadAll(
    `SELECT count(DISTINCT row_group_id)::INTEGER AS n FROM parquet_metadata('${file}')`,
  );
  return {
    rows: Number(count.getRowObjectsJson()[0]?.n),
    rowGroups: Number(groups.getRowObjectsJson()[0]?.n),
  };
}

/** A suffix-range reader over bytes in memory, as S3 answers `bytes=-N`; logs the ranges. */
function rangesOf(bytes: Uint8Array): { read: RangeReader; ranges: string[]; fetched: () => number } {
  const ranges: string[] = [];
  let fetched = 0;
  return {
    ranges,
    fetched: () => fetched,
    read: async (range) => {
      ranges.push(range);
      const match = /^bytes=-(\d+)$/.exec(range);
      if (!match) throw new Error(`unexpected range ${range}`);
      const slice = bytes.subarray(Math.max(0, bytes.length - Number(match[1])));
      fetched += slice.length;
      return slice;
    },
  };
}

const CASES = [
  { name: 'empty', select: "SELECT 1::INTEGER AS a, 'x' AS b WHERE false", rows: 0 },
  { name: 'one', select: "SELECT 42::BIGINT AS a, 'x' AS b", rows: 1 },
  {
    name: 'hundred-thousand',
    select: "SELECT range AS id, 'event-' || range AS name, range * 1.5 AS score FROM range(100000)",
    rows: 100_000,
  },
  {
    name: 'row-groups',
    select: 'SELECT range AS id, range % 7 AS k FROM range(25000)',
    options: 'ROW_GROUP_SIZE 2048',
    rows: 25_000,
    severalRowGroups: true,
  },
  {
    name: 'zstd',
    select: "SELECT range AS id, repeat('z', 20) AS pad FROM range(12345)",
    options: 'COMPRESSION zstd',
    rows: 12_345,
  },
  {
    name: 'snappy',
    select: "SELECT range AS id, repeat('s', 20) AS pad FROM range(54321)",
    options: 'COMPRESSION snappy',
    rows: 54_321,
  },
  {
    // The shapes of cloudtrail_events: structs, a list of structs, string maps, nulls among them.
    name: 'nested',
    select: `SELECT
        range AS id,
        {'type': 'IAMUser', 'principalId': 'AID' || range, 'sessionContext': {'mfa': range % 2 = 0, 'issuer': {'arn': 'arn:aws:iam::1:role/r'}}} AS userIdentity,
        [{'accountId': '111122223333', 'type': 'AWS::IAM::Role', 'arn': 'arn:' || range}, NULL] AS resources,
        CASE WHEN range % 3 = 0 THEN NULL ELSE MAP {'instanceArn': 'arn:sso:::' || range, 'name': 'x'} END AS requestParameters,
        [range, range + 1]::BIGINT[] AS numbers,
        range % 2 = 0 AS flag,
        3.25::DOUBLE AS d
      FROM range(3000)`,
    options: 'ROW_GROUP_SIZE 1000, COMPRESSION zstd',
    rows: 3000,
    severalRowGroups: true,
  },
] as const;

describe('parquetRowCount on files DuckDB wrote', () => {
  for (const c of CASES) {
    it(`reads ${c.rows} rows from the footer (${c.name})`, async () => {
      const bytes = await duckParquet(
        `${c.name}.parquet`,
        c.select,
        'options' in c ? (c.options as string) : '',
      );
      const stats = await duckStats(path.join(dir, `${c.name}.parquet`));
      expect(stats.rows).toBe(c.rows);
      if ('severalRowGroups' in c) expect(stats.rowGroups).toBeGreaterThan(1);
      expect(parquetRowCount(bytes)).toBe(c.rows);

      // By suffix ranges: the last 8 bytes, then the footer with them, nothing more.
      const footer = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 8, 4).getUint32(0, true);
      const { read, ranges, fetched } = rangesOf(bytes);
      expect(await parquetRowCountByRange(read, { size: bytes.length })).toBe(c.rows);
      expect(ranges).toEqual(['bytes=-8', `bytes=-${footer + 8}`]);
      expect(fetched()).toBe(footer + 16);
      expect(footer + 12).toBeLessThanOrEqual(bytes.length);
    });
  }

  it('fetches a small part of a large file', async () => {
    const bytes = await readFile(path.join(dir, 'hundred-thousand.parquet'));
    const { read, fetched } = rangesOf(bytes);
    expect(await parquetRowCountByRange(read)).toBe(100_000);
    expect(fetched()).toBeLessThan(bytes.length / 20);
  });
});

describe('parquetRowCount on Security Lake samples (written by parquet-mr)', () => {
  it('agrees with DuckDB and with the JSON conversion beside each file', async () => {
    const files = (await readdir(SAMPLES, { recursive: true })).filter((f) => f.endsWith('.parquet')).sort();
    expect(files.length).toBeGreaterThan(30);
    for (const f of files) {
      const file = path.join(SAMPLES, f);
      const bytes = await readFile(file);
      const json = JSON.parse(await readFile(`${file}.json`, 'utf8')) as unknown[];
      const { rows } = await duckStats(file);
      expect(rows, f).toBe(json.length);
      expect(parquetRowCount(bytes, f), f).toBe(rows);
      expect(await parquetRowCountByRange(rangesOf(bytes).read, { size: bytes.length }), f).toBe(rows);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// A compact-protocol writer for hand-made footers: every type the skip must step over.
// ---------------------------------------------------------------------------------------------

const varint = (n: bigint): number[] => {
  const out: number[] = [];
  let v = n;
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? low | 0x80 : low);
  } while (v > 0n);
  return out;
};
const zigzag = (n: bigint): number[] => varint(n >= 0n ? n << 1n : (-n << 1n) - 1n);
const field = (delta: number, type: number) => [(delta << 4) | type];
const binary = (s: string) => [...varint(BigInt(Buffer.byteLength(s))), ...Buffer.from(s)];
const double = (x: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(x);
  return [...b];
};
/** A footer and its trailer: `<footer><u32 length>PAR1`. */
const withTrailer = (footer: number[]): Uint8Array => {
  const length = Buffer.alloc(4);
  length.writeUInt32LE(footer.length);
  return Uint8Array.from([...footer, ...length, ...Buffer.from('PAR1')]);
};

/** A struct with a field of every compact type, one of them with a long-form (delta 0) id. */
const everyType = [
  ...field(1, 1), // bool true
  ...field(1, 2), // bool false
  ...field(1, 3),
  0xfe, // byte
  ...field(1, 4),
  ...zigzag(-300n), // i16
  ...field(1, 5),
  ...zigzag(70000n), // i32
  ...field(1, 6),
  ...zigzag(-(2n ** 63n)), // i64, a 10-byte varint
  ...field(1, 7),
  ...double(-1.5),
  ...field(1, 8),
  ...binary('schema'),
  ...field(1, 9),
  (3 << 4) | 1,
  1,
  0,
  1, // list<bool> of 3: one byte each
  ...field(1, 10),
  (15 << 4) | 8,
  ...varint(16n),
  ...Array.from({ length: 16 }, (_, i) => binary(`s${i}`)).flat(), // set<binary> of 16: long size form
  ...field(1, 11),
  ...varint(2n),
  (8 << 4) | 12,
  ...binary('k1'),
  ...field(1, 5),
  ...zigzag(1n),
  0,
  ...binary('k2'),
  0, // map<binary, struct> of 2
  ...field(1, 11),
  0, // an empty map
  0x0c, // a struct field in the long form (delta 0): its id follows as a zigzag i16
  ...zigzag(200n),
  ...field(1, 12),
  ...field(2, 9),
  (1 << 4) | 9,
  (2 << 4) | 6,
  ...zigzag(5n),
  ...zigzag(-5n), // list<list<i64>>
  0,
  0, // two nested structs end
  0,
];

describe('the compact-protocol reader', () => {
  it('skips every type before num_rows and reads a large num_rows', () => {
    const rows = 2n ** 40n + 3n;
    const footer = [
      ...field(1, 5),
      ...zigzag(2n), // version
      ...field(1, 9),
      (2 << 4) | 12,
      ...everyType,
      ...everyType, // schema: list<struct> of 2
      ...field(1, 6),
      ...zigzag(rows), // num_rows
      ...field(1, 9),
      0x0c, // row_groups: never read
    ];
    expect(parquetRowCount(withTrailer(footer))).toBe(Number(rows));
  });

  it('finds num_rows given in the long field form', () => {
    const footer = [...field(1, 5), ...zigzag(1n), 0x06, ...zigzag(3n), ...zigzag(7n), 0];
    expect(parquetRowCount(withTrailer(footer))).toBe(7);
  });

  it('refuses a footer without num_rows, or with an impossible one', () => {
    expect(() => parquetRowCount(withTrailer([...field(1, 5), ...zigzag(1n), 0]), 'f.parquet')).toThrow(
      /f\.parquet: its footer has no num_rows/,
    );
    expect(() => parquetRowCount(withTrailer([...field(3, 6), ...zigzag(-1n)]))).toThrow(/num_rows is -1/);
  });
});

describe('malformed files', () => {
  it('refuses a file that is not Parquet, naming it', async () => {
    const json = Buffer.from('{"not":"parquet"}\n');
    expect(() => parquetRowCount(json, 's3://lake/x.json')).toThrow(
      /s3:\/\/lake\/x\.json is not a Parquet file: it does not end with the magic "PAR1"/,
    );
    await expect(parquetRowCountByRange(rangesOf(json).read, { name: 'x.json' })).rejects.toThrow(
      /x\.json is not a Parquet file/,
    );
    expect(() => parquetRowCount(Buffer.from('PAR1'))).toThrow(/4 bytes, shorter than the 8-byte trailer/);
    expect(() => parquetRowCount(new Uint8Array(0))).toThrow(/0 bytes/);
  });

  it('refuses a footer longer than the file', async () => {
    const real = await readFile(path.join(dir, 'one.parquet'));
    // Keep the trailer, lose the start: the footer no longer fits.
    const cut = real.subarray(real.length - 20);
    expect(() => parquetRowCount(cut, 'cut.parquet')).toThrow(
      /cut\.parquet: its footer length \(\d+ bytes\) is longer than the file \(20 bytes\)/,
    );
    const huge = Uint8Array.from([0xff, 0xff, 0xff, 0x7f, ...Buffer.from('PAR1')]);
    const { read, ranges } = rangesOf(Uint8Array.from([...Buffer.from('PAR1'), 0, 0, ...huge]));
    await expect(parquetRowCountByRange(read, { name: 'h.parquet', size: 14 })).rejects.toThrow(
      /h\.parquet: its footer length \(2147483647 bytes\) is longer than the file \(14 bytes\)/,
    );
    expect(ranges).toEqual(['bytes=-8']);
    // Without the size, the second read answers the whole (short) file.
    await expect(parquetRowCountByRange(read, { name: 'h.parquet' })).rejects.toThrow(/longer than the file/);
    expect(() => parquetFooterLength(huge, { size: 12 })).toThrow(/longer than the file \(12 bytes\)/);
  });

  it('refuses a truncated or damaged footer', async () => {
    // Field 1 (i32) whose varint never ends.
    expect(() => parquetRowCount(withTrailer([0x15, 0x80, 0x80]), 't.parquet')).toThrow(
      /t\.parquet: its footer \(3 bytes\) is truncated or damaged at byte 3: a varint running past its end/,
    );
    // A real footer cut short.
    const real = await readFile(path.join(dir, 'nested.parquet'));
    const length = parquetFooterLength(real);
    const footer = [...real.subarray(real.length - 8 - length, real.length - 8)];
    expect(() => parquetRowCount(withTrailer(footer.slice(0, 40)))).toThrow(/truncated or damaged/);
    // Garbage: an unknown type, and a list longer than what is left.
    expect(() => parquetRowCount(withTrailer([0x1d, 0]))).toThrow(/unknown compact-protocol type 13/);
    expect(() => parquetRowCount(withTrailer([0x19, 0xf8, 0xff, 0xff, 0x03]))).toThrow(
      /a length of \d+ bytes or elements with 0 bytes left/,
    );
    expect(() => parquetRowCount(withTrailer([0x15, ...new Array<number>(11).fill(0x80)]))).toThrow(
      /longer than 10 bytes/,
    );
    expect(PARQUET_TRAILER_BYTES).toBe(8);
  });
});
