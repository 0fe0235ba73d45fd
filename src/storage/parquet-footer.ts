import { LakeqError } from '../engines/engine.ts';

/*
 * A Parquet file ends with its footer (a Thrift compact-protocol FileMetaData), the footer's
 * length (4 bytes, little-endian) and the magic "PAR1". FileMetaData's field 3 is num_rows, so
 * the row count is read from the footer alone, without a Parquet library: fields 1 (version)
 * and 2 (the schema, a list of structs) are skipped with a generic compact-protocol skip.
 */

/** The bytes after the footer: its length (u32 little-endian) and the magic `PAR1`. */
export const PARQUET_TRAILER_BYTES = 8;

const MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"
const MAX_DEPTH = 64;

// Thrift compact-protocol type codes (a bool field carries its value in the type: 1 true, 2 false).
const T_STOP = 0;
const T_BOOL_TRUE = 1;
const T_BOOL_FALSE = 2;
const T_BYTE = 3;
const T_I16 = 4;
const T_I32 = 5;
const T_I64 = 6;
const T_DOUBLE = 7;
const T_BINARY = 8;
const T_LIST = 9;
const T_SET = 10;
const T_MAP = 11;
const T_STRUCT = 12;

/**
 * Fetches a byte range of a file: `range` is an HTTP Range value, here always a suffix range
 * `bytes=-N` (the last N bytes, or the whole file when it is shorter), as S3 GetObject takes it.
 *
 * @example
 * ```ts
 * const read: RangeReader = async (range) =>
 *   (await s3.send(new GetObjectCommand({ Bucket, Key, Range: range }))).Body!.transformToByteArray();
 * ```
 */
export type RangeReader = (range: string) => Promise<Uint8Array>;

/**
 * The footer's length from the last 8 bytes of a Parquet file (or any longer tail of it),
 * refused when the magic is not there or the footer cannot fit in the file (`size`, when known).
 *
 * @example
 * ```ts
 * parquetFooterLength(lastEightBytes, { name: 's3://lake/x.parquet', size: 23995 }) // 14638
 * ```
 */
export function parquetFooterLength(
  tail: Uint8Array,
  options: { readonly name?: string; readonly size?: number } = {},
): number {
  const name = options.name ?? 'the file';
  if (tail.length < PARQUET_TRAILER_BYTES) {
    throw new LakeqError(
      'NOT_PARQUET',
      `${name} is not a Parquet file: it is ${tail.length} bytes, shorter than the 8-byte trailer ("<footer length>PAR1")`,
    );
  }
  const end = tail.length;
  if (!MAGIC.every((b, i) => tail[end - 4 + i] === b)) {
    const found = Array.from(tail.subarray(end - 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new LakeqError(
      'NOT_PARQUET',
      `${name} is not a Parquet file: it does not end with the magic "PAR1" (last 4 bytes: ${found})`,
    );
  }
  const length = new DataView(tail.buffer, tail.byteOffset + end - 8, 4).getUint32(0, true);
  // A whole file also starts with "PAR1": footer, trailer and leading magic must fit in it.
  if (options.size !== undefined && length + PARQUET_TRAILER_BYTES + 4 > options.size) {
    throw new LakeqError(
      'BAD_PARQUET',
      `${name}: its footer length (${length} bytes) is longer than the file (${options.size} bytes)`,
    );
  }
  return length;
}

/**
 * The row count of a Parquet file (FileMetaData.num_rows) from the end of the file: `tail` holds
 * at least the footer and the 8-byte trailer (the whole file will do).
 *
 * @example
 * ```ts
 * parquetRowCount(await readFile('x.parquet')) // 100000
 * ```
 */
export function parquetRowCount(tail: Uint8Array, name = 'the file'): number {
  const length = parquetFooterLength(tail, { name });
  if (length + PARQUET_TRAILER_BYTES > tail.length) {
    throw new LakeqError(
      'BAD_PARQUET',
      `${name}: its footer length (${length} bytes) is longer than the file (${tail.length} bytes)`,
    );
  }
  const start = tail.length - PARQUET_TRAILER_BYTES - length;
  return footerRowCount(tail.subarray(start, start + length), name);
}

/**
 * The row count of a Parquet file fetched by suffix ranges, so that only its end travels: first
 * the last 8 bytes (the footer's length), then the footer with them. `size` (from a listing)
 * catches a bad footer length before the second request.
 *
 * @example
 * ```ts
 * await parquetRowCountByRange(read, { name: 's3://lake/t/dt=2026-11-27/hour=13/part-0', size: 5120 }) // 42
 * // read('bytes=-8'), then read('bytes=-1203')
 * ```
 */
export async function parquetRowCountByRange(
  read: RangeReader,
  options: { readonly name?: string; readonly size?: number } = {},
): Promise<number> {
  const name = options.name ?? 'the file';
  if (options.size !== undefined && options.size < PARQUET_TRAILER_BYTES + 4) {
    throw new LakeqError(
      'NOT_PARQUET',
      `${name} is not a Parquet file: it is ${options.size} bytes, shorter than "PAR1" and the 8-byte trailer`,
    );
  }
  const length = parquetFooterLength(await read(`bytes=-${PARQUET_TRAILER_BYTES}`), options);
  return parquetRowCount(await read(`bytes=-${length + PARQUET_TRAILER_BYTES}`), name);
}

/** num_rows (field 3) of a compact-protocol FileMetaData. */
function footerRowCount(footer: Uint8Array, name: string): number {
  const reader = new CompactReader(footer, name);
  let field = 0;
  for (;;) {
    const header = reader.fieldHeader(field);
    if (!header) break;
    field = header.id;
    if (header.id === 3 && header.type === T_I64) {
      const rows = reader.zigzag64();
      if (rows < 0n || rows > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new LakeqError('BAD_PARQUET', `${name}: its footer says num_rows is ${rows}`);
      }
      return Number(rows);
    }
    reader.skip(header.type, 0);
  }
  throw new LakeqError('BAD_PARQUET', `${name}: its footer has no num_rows (FileMetaData field 3, i64)`);
}

/** Reads and skips Thrift compact-protocol values, refusing to run past the end. */
class CompactReader {
  private at = 0;
  private readonly bytes: Uint8Array;
  private readonly name: string;

  constructor(bytes: Uint8Array, name: string) {
    this.bytes = bytes;
    this.name = name;
  }

  /** The next field's id and type, or undefined at the struct's STOP. */
  fieldHeader(previous: number): { id: number; type: number } | undefined {
    const byte = this.byte();
    if (byte === T_STOP) return undefined;
    const delta = byte >> 4;
    const type = byte & 0x0f;
    const id = delta === 0 ? Number(this.zigzag64()) : previous + delta;
    return { id, type };
  }

  skip(type: number, depth: number): void {
    if (depth > MAX_DEPTH) this.fail(`values nested deeper than ${MAX_DEPTH}`);
    switch (type) {
      case T_BOOL_TRUE:
      case T_BOOL_FALSE:
        return; // a bool field's value is in its type
      case T_BYTE:
        this.take(1);
        return;
      case T_I16:
      case T_I32:
      case T_I64:
        this.varint();
        return;
      case T_DOUBLE:
        this.take(8);
        return;
      case T_BINARY:
        this.take(this.length());
        return;
      case T_LIST:
      case T_SET: {
        const header = this.byte();
        const size = header >> 4 === 15 ? this.length() : header >> 4;
        const element = header & 0x0f;
        this.fits(size, 1);
        for (let i = 0; i < size; i++) this.element(element, depth + 1);
        return;
      }
      case T_MAP: {
        const size = this.length();
        if (size === 0) return;
        const kinds = this.byte();
        this.fits(size, 2);
        for (let i = 0; i < size; i++) {
          this.element(kinds >> 4, depth + 1);
          this.element(kinds & 0x0f, depth + 1);
        }
        return;
      }
      case T_STRUCT: {
        let field = 0;
        for (;;) {
          const header = this.fieldHeader(field);
          if (!header) return;
          field = header.id;
          this.skip(header.type, depth + 1);
        }
      }
      default:
        this.fail(`unknown compact-protocol type ${type}`);
    }
  }

  /** A list, set or map element: a bool there is one byte, unlike a bool field. */
  private element(type: number, depth: number): void {
    if (type === T_BOOL_TRUE || type === T_BOOL_FALSE) this.take(1);
    else this.skip(type, depth);
  }

  zigzag64(): bigint {
    const n = this.varint();
    return (n >> 1n) ^ -(n & 1n);
  }

  private varint(): bigint {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.byte('a varint');
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value;
    }
    this.fail('a varint longer than 10 bytes');
  }

  /** A size or length: an unsigned varint no larger than what is left. */
  private length(): number {
    const n = this.varint();
    if (n > BigInt(this.bytes.length - this.at)) {
      this.fail(`a length of ${n} bytes or elements with ${this.bytes.length - this.at} bytes left`);
    }
    return Number(n);
  }

  /** Refuses a collection that cannot fit in what is left (each element takes at least `min` bytes). */
  private fits(size: number, min: number): void {
    if (size * min > this.bytes.length - this.at) {
      this.fail(`a collection of ${size} elements with ${this.bytes.length - this.at} bytes left`);
    }
  }

  private byte(what = 'a value'): number {
    const b = this.bytes[this.at];
    if (b === undefined) this.fail(`${what} running past its end`);
    this.at++;
    return b;
  }

  private take(n: number): void {
    if (this.at + n > this.bytes.length) this.fail(`a value of ${n} bytes running past its end`);
    this.at += n;
  }

  private fail(what: string): never {
    throw new LakeqError(
      'BAD_PARQUET',
      `${this.name}: its footer (${this.bytes.length} bytes) is truncated or damaged at byte ${this.at}: ${what}`,
    );
  }
}
