import { TPCDS_SCHEMA, type TpcdsTableName } from '../schema.ts';

/**
 * Seeded, order-independent pseudo-random values as DuckDB SQL: every value is a hash of its
 * row key, a salt naming the column and the seed, so a table comes out the same however DuckDB
 * splits the work between threads, and two runs with one seed write the same rows.
 *
 * @example
 * ```ts
 * const r = new SqlRandom(1);
 * r.int('i', 3, 1, 100)          // (1 + (hash((i)::BIGINT * 1000003 + 3 + 100000000000) % …)::BIGINT)
 * r.pick('i', 4, ['M', 'F'])     // (['M', 'F'])[1 + (hash(…) % 2)::BIGINT]
 * ```
 */
export class SqlRandom {
  readonly #seed: number;
  readonly #offset: number;
  constructor(seed: number, offset = 0) {
    if (!Number.isSafeInteger(seed) || seed < 0 || seed > 90_000_000)
      throw new Error(`seed must be an integer from 0 to 90000000, not ${seed}`);
    this.#seed = seed;
    this.#offset = offset;
  }
  /**
   * The same seed with salts moved by `offset` (under 100,000): what a sales channel draws with,
   * so store ticket 7 and web order 7 are different sales, not one sale twice.
   */
  channel(offset: number): SqlRandom {
    return new SqlRandom(this.#seed, offset);
  }
  /**
   * The hash of a key and a salt under the seed, a UBIGINT: one integer hashed, not DuckDB's
   * combination of several hashes, whose remainders are correlated from salt to salt (brands
   * would follow categories).
   */
  hash(key: string, salt: number): string {
    return `hash((${key})::BIGINT * 1000003 + ${salt + this.#offset} + ${this.#seed * 100_000_000_000})`;
  }
  /** Uniform in [0, 1). */
  unit(key: string, salt: number): string {
    return `((${this.hash(key, salt)} % 1000003)::DOUBLE / 1000003)`;
  }
  /** Uniform integer in [lo, hi]. */
  int(key: string, salt: number, lo: number | string, hi: number | string): string {
    return `(${lo} + (${this.hash(key, salt)} % ((${hi}) - (${lo}) + 1)::UBIGINT)::BIGINT)`;
  }
  /** One of `values`, uniformly. */
  pick(key: string, salt: number, values: readonly (string | number)[]): string {
    return `(${listLiteral(values)})[1 + (${this.hash(key, salt)} % ${values.length})::BIGINT]`;
  }
  /** `expr`, or NULL with probability `share`. */
  nullable(expr: string, key: string, salt: number, share: number): string {
    return `CASE WHEN ${this.unit(key, salt)} < ${share} THEN NULL ELSE ${expr} END`;
  }
  /** Money in [lo, hi), two decimals. */
  money(key: string, salt: number, lo: number, hi: number): string {
    return `round(${lo} + ${this.unit(key, salt)} * ${hi - lo}, 2)`;
  }
}

/** A DuckDB list literal. */
export function listLiteral(values: readonly (string | number)[]): string {
  return `[${values.map((v) => (typeof v === 'number' ? String(v) : sqlString(v))).join(', ')}]`;
}

export const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** dsdgen's 16-character business key (`AAAAAAAABAAAAAAA` for 1): 8 `A`s, then the number in base 16 with letters A–P, low digit first. */
export function businessKey(n: string): string {
  const digits = Array.from({ length: 8 }, (_, k) => `chr(65 + ((${n} >> ${4 * k}) & 15)::INTEGER)`);
  return `('AAAAAAAA' || ${digits.join(' || ')})`;
}

/** A spec type as DuckDB writes it to Parquet (`VARCHAR(16)` is VARCHAR, `INT` INTEGER). */
export function duckDbType(spec: string): string {
  if (spec === 'INT') return 'INTEGER';
  if (spec.startsWith('VARCHAR')) return 'VARCHAR';
  return spec;
}

/**
 * The select list of a table in the spec's column order, each column cast to its type. Every
 * column must be given: a missing one is an error (so a surrogate key is never filled at random).
 */
export function selectList(table: TpcdsTableName, exprs: Readonly<Record<string, string>>): string {
  const columns = TPCDS_SCHEMA[table].columns;
  const missing = columns.filter(([name]) => exprs[name] === undefined).map(([name]) => name);
  if (missing.length > 0) throw new Error(`tpcds ${table}: no expression for ${missing.join(', ')}`);
  const extra = Object.keys(exprs).filter((name) => !columns.some(([c]) => c === name));
  if (extra.length > 0) throw new Error(`tpcds ${table}: not a column: ${extra.join(', ')}`);
  return columns
    .map(([name, type]) => `CAST(${exprs[name]} AS ${duckDbType(type)}) AS ${name}`)
    .join(',\n  ');
}
