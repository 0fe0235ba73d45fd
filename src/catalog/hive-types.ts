/**
 * Hive column types, as the Glue Data Catalog stores them (`string`, `map<string,string>`,
 * `struct<a:string,b:array<bigint>>`), parsed into a tree and rendered for DuckDB, Trino and Hive.
 */

export type HivePrimitive =
  | 'string'
  | 'bigint'
  | 'int'
  | 'smallint'
  | 'tinyint'
  | 'double'
  | 'float'
  | 'boolean'
  | 'timestamp'
  | 'date'
  | 'binary';

export type HiveType =
  | { readonly kind: 'primitive'; readonly name: HivePrimitive }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'varchar' | 'char'; readonly length: number }
  | { readonly kind: 'array'; readonly element: HiveType }
  | { readonly kind: 'map'; readonly key: HiveType; readonly value: HiveType }
  | { readonly kind: 'struct'; readonly fields: readonly HiveStructField[] };

export interface HiveStructField {
  readonly name: string;
  readonly type: HiveType;
}

/** A malformed type string; `position` is the 0-based offset where parsing stopped. */
export class HiveTypeError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.name = 'HiveTypeError';
    this.position = position;
  }
}

const PRIMITIVES: ReadonlySet<string> = new Set<HivePrimitive>([
  'string',
  'bigint',
  'int',
  'smallint',
  'tinyint',
  'double',
  'float',
  'boolean',
  'timestamp',
  'date',
  'binary',
]);
// Hive spells some types two ways; Glue keeps whatever was written.
const ALIASES: Readonly<Record<string, HivePrimitive>> = { integer: 'int' };

/**
 * Parses a Hive type string. Keywords are case-insensitive and whitespace is allowed between
 * tokens (Athena's DDL is often written `STRUCT< type: STRING, ...>`); struct field names keep
 * their case. `decimal` alone means `decimal(10,0)`, as in Hive.
 *
 * @example
 * ```ts
 * parseHiveType('array<struct<accountId:string,type:string>>')
 * // { kind: 'array', element: { kind: 'struct', fields: [{ name: 'accountId', type: { kind: 'primitive', name: 'string' } }, …] } }
 * parseHiveType('struct<a string>') // throws HiveTypeError: … at position 9: expected ':' after field name "a"
 * ```
 */
export function parseHiveType(text: string): HiveType {
  const parser = new Parser(text);
  const type = parser.type();
  parser.end();
  return type;
}

class Parser {
  readonly #text: string;
  #pos = 0;

  constructor(text: string) {
    this.#text = text;
  }

  type(): HiveType {
    this.#skipSpace();
    const start = this.#pos;
    const word = this.#word().toLowerCase();
    if (word === '') this.#fail('expected a type name');
    switch (word) {
      case 'array': {
        this.#expect('<');
        const element = this.type();
        this.#expect('>');
        return { kind: 'array', element };
      }
      case 'map': {
        this.#expect('<');
        const key = this.type();
        this.#expect(',');
        const value = this.type();
        this.#expect('>');
        return { kind: 'map', key, value };
      }
      case 'struct':
        return this.#struct();
      case 'decimal': {
        if (!this.#peek('(')) return { kind: 'decimal', precision: 10, scale: 0 };
        this.#expect('(');
        const precision = this.#int();
        let scale = 0;
        if (this.#peek(',')) {
          this.#expect(',');
          scale = this.#int();
        }
        this.#expect(')');
        if (precision < 1 || precision > 38 || scale > precision)
          this.#fail(`decimal(${precision},${scale}) is out of range`, start);
        return { kind: 'decimal', precision, scale };
      }
      case 'varchar':
      case 'char': {
        this.#expect('(');
        const length = this.#int();
        this.#expect(')');
        if (length < 1) this.#fail(`${word}(${length}) needs a positive length`, start);
        return { kind: word, length };
      }
      default: {
        const name = ALIASES[word] ?? word;
        if (!PRIMITIVES.has(name)) this.#fail(`unknown type "${word}"`, start);
        return { kind: 'primitive', name: name as HivePrimitive };
      }
    }
  }

  end(): void {
    this.#skipSpace();
    if (this.#pos < this.#text.length)
      this.#fail(`unexpected "${this.#text.slice(this.#pos)}" after the type`);
  }

  #struct(): HiveType {
    this.#expect('<');
    const fields: HiveStructField[] = [];
    const seen = new Set<string>();
    if (this.#peek('>')) this.#fail('a struct needs at least one field');
    for (;;) {
      this.#skipSpace();
      const at = this.#pos;
      const name = this.#fieldName();
      if (seen.has(name.toLowerCase())) this.#fail(`field "${name}" appears twice in the struct`, at);
      seen.add(name.toLowerCase());
      this.#skipSpace();
      if (!this.#peek(':')) this.#fail(`expected ':' after field name "${name}"`);
      this.#expect(':');
      fields.push({ name, type: this.type() });
      this.#skipSpace();
      if (this.#peek('>')) break;
      this.#expect(',');
    }
    this.#expect('>');
    return { kind: 'struct', fields };
  }

  #fieldName(): string {
    if (this.#text[this.#pos] === '`') {
      const close = this.#text.indexOf('`', this.#pos + 1);
      if (close <= this.#pos + 1) this.#fail('unterminated or empty `quoted` field name');
      const name = this.#text.slice(this.#pos + 1, close);
      this.#pos = close + 1;
      return name;
    }
    const name = this.#word();
    if (name === '') this.#fail('expected a field name');
    return name;
  }

  #word(): string {
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.#text.slice(this.#pos));
    const word = match?.[0] ?? '';
    this.#pos += word.length;
    return word;
  }

  #int(): number {
    this.#skipSpace();
    const match = /^[0-9]+/.exec(this.#text.slice(this.#pos));
    if (!match) this.#fail('expected a number');
    this.#pos += match[0].length;
    return Number(match[0]);
  }

  #peek(ch: string): boolean {
    this.#skipSpace();
    return this.#text[this.#pos] === ch;
  }

  #expect(ch: string): void {
    this.#skipSpace();
    if (this.#text[this.#pos] !== ch) {
      const found = this.#pos < this.#text.length ? `"${this.#text[this.#pos]}"` : 'the end';
      this.#fail(`expected '${ch}', found ${found}`);
    }
    this.#pos++;
  }

  #skipSpace(): void {
    while (this.#pos < this.#text.length && /\s/.test(this.#text[this.#pos] ?? '')) this.#pos++;
  }

  #fail(message: string, at = this.#pos): never {
    throw new HiveTypeError(`malformed Hive type "${this.#text}" at position ${at}: ${message}`, at);
  }
}

const SIMPLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The canonical Hive spelling (lower-case keywords, no spaces), as Glue shows types.
 *
 * @example
 * ```ts
 * toHiveType(parseHiveType('MAP< STRING, ARRAY<INT> >')) // 'map<string,array<int>>'
 * ```
 */
export function toHiveType(type: HiveType): string {
  switch (type.kind) {
    case 'primitive':
      return type.name;
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'varchar':
    case 'char':
      return `${type.kind}(${type.length})`;
    case 'array':
      return `array<${toHiveType(type.element)}>`;
    case 'map':
      return `map<${toHiveType(type.key)},${toHiveType(type.value)}>`;
    case 'struct':
      return `struct<${type.fields
        .map((f) => `${SIMPLE_NAME.test(f.name) ? f.name : `\`${f.name}\``}:${toHiveType(f.type)}`)
        .join(',')}>`;
  }
}

const DUCKDB_PRIMITIVES: Readonly<Record<HivePrimitive, string>> = {
  string: 'VARCHAR',
  bigint: 'BIGINT',
  int: 'INTEGER',
  smallint: 'SMALLINT',
  tinyint: 'TINYINT',
  double: 'DOUBLE',
  float: 'FLOAT',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
  date: 'DATE',
  binary: 'BLOB',
};

/**
 * The DuckDB spelling. Struct field names are always quoted, so their case survives.
 *
 * @example
 * ```ts
 * toDuckDbType(parseHiveType('array<struct<arn:string,n:bigint>>')) // 'STRUCT("arn" VARCHAR, "n" BIGINT)[]'
 * ```
 */
export function toDuckDbType(type: HiveType): string {
  switch (type.kind) {
    case 'primitive':
      return DUCKDB_PRIMITIVES[type.name];
    case 'decimal':
      // Always explicit: DuckDB's bare DECIMAL is (18,3), Hive's is (10,0).
      return `DECIMAL(${type.precision}, ${type.scale})`;
    case 'varchar':
    case 'char':
      return 'VARCHAR'; // DuckDB ignores lengths
    case 'array':
      return `${toDuckDbType(type.element)}[]`;
    case 'map':
      return `MAP(${toDuckDbType(type.key)}, ${toDuckDbType(type.value)})`;
    case 'struct':
      return `STRUCT(${type.fields
        .map((f) => `"${f.name.replace(/"/g, '""')}" ${toDuckDbType(f.type)}`)
        .join(', ')})`;
  }
}

const TRINO_PRIMITIVES: Readonly<Record<HivePrimitive, string>> = {
  string: 'varchar',
  bigint: 'bigint',
  int: 'integer',
  smallint: 'smallint',
  tinyint: 'tinyint',
  double: 'double',
  float: 'real',
  boolean: 'boolean',
  timestamp: 'timestamp',
  date: 'date',
  binary: 'varbinary',
};

/** Trino's reserved words (Trino SQL reference, "Reserved keywords"): a row field so named needs quotes. */
const TRINO_RESERVED = new Set(
  (
    'alter and as between by case cast constraint create cross cube current_catalog current_date ' +
    'current_path current_role current_schema current_time current_timestamp current_user deallocate ' +
    'delete describe distinct drop else end escape except execute exists extract false for from full ' +
    'group grouping having in inner insert intersect into is join json_array json_exists json_object ' +
    'json_query json_table json_value left like listagg localtime localtimestamp natural normalize not ' +
    'null on or order outer prepare recursive right rollup select skip table then trim true uescape ' +
    'union unnest using values when where with'
  ).split(' '),
);

/** A Trino identifier, quoted only when it must be. */
export function trinoIdentifier(name: string): string {
  return SIMPLE_NAME.test(name) && !TRINO_RESERVED.has(name.toLowerCase())
    ? name
    : `"${name.replace(/"/g, '""')}"`;
}

/**
 * The Trino (Athena engine v3) spelling, for `CAST(... AS <type>)`.
 *
 * @example
 * ```ts
 * toTrinoType(parseHiveType('struct<type:string,tags:map<string,string>>'))
 * // 'row(type varchar, tags map(varchar, varchar))'
 * ```
 */
export function toTrinoType(type: HiveType): string {
  switch (type.kind) {
    case 'primitive':
      return TRINO_PRIMITIVES[type.name];
    case 'decimal':
      return `decimal(${type.precision}, ${type.scale})`;
    case 'varchar':
    case 'char':
      return `${type.kind}(${type.length})`;
    case 'array':
      return `array(${toTrinoType(type.element)})`;
    case 'map':
      return `map(${toTrinoType(type.key)}, ${toTrinoType(type.value)})`;
    case 'struct':
      return `row(${type.fields.map((f) => `${trinoIdentifier(f.name)} ${toTrinoType(f.type)}`).join(', ')})`;
  }
}
