import { TrinoNotSupportedError } from '../trino/trino-not-supported.ts';
import { parseTrino } from '../trino/trino-parser.ts';
import type {
  AliasedRelation,
  AtTimeZone,
  Binary,
  Cast,
  DataType,
  FunctionCall,
  IntervalLiteral,
  Lambda,
  SampledRelation,
  SortItem,
  SqlNode,
  TypedLiteral,
  Unnest,
} from '../trino/trino-syntax-tree.ts';
import type { RewriteEmitter } from './duckdb-trino-emitter.ts';
import { FUNCTION_REWRITES } from './duckdb-trino-function-rewrites.ts';
import { TRINO_FUNCTIONS } from './trino-function-support.ts';

/** What {@link rewriteTrinoForDuckDb} made of a text. */
export interface LocalSql {
  /** The SQL to run on DuckDB. */
  readonly sql: string;
  /**
   * `UNNEST(x) AS t(a, b)` where lakeq cannot tell from the text whether x is a map or an array of rows:
   * how many there are. The engine tries the other readings when DuckDB's binder rejects the first.
   */
  readonly ambiguousUnnests: number;
  /** False when the text is not Trino SQL lakeq parses (DuckDB's own syntax): it is passed on unchanged. */
  readonly parsed: boolean;
}

export interface RewriteOptions {
  /** For each ambiguous UNNEST in text order: true reads it as an array of rows, false (default) as a map. */
  readonly unnestAsRows?: readonly boolean[];
}

/**
 * Rewrites Trino SQL (Athena engine v3) into SQL that DuckDB 1.5 runs with Trino's results, on a parse tree:
 * lambdas become DuckDB list functions, `listagg … WITHIN GROUP` becomes `string_agg(… ORDER BY …)`,
 * `UNNEST(map) AS t(k, v)` a lateral unnest of the map's entries, `TABLESAMPLE BERNOULLI (p)` DuckDB's
 * sample clause, Trino's `ARRAY(…)`/`MAP(…)`/`ROW(…)` types DuckDB's, `AT TIME ZONE` and typed literals
 * their Trino meaning, and functions the table in `trino-function-support.ts` marks unsupported fail with
 * a {@link TrinoNotSupportedError}. Everything else is copied as written (the macros installed on every
 * connection handle the functions that keep their name). Text that is not Trino SQL is returned unchanged.
 *
 * @example
 * ```ts
 * rewriteTrinoForDuckDb('select transform(a, x -> x * 2) from t').sql
 * // 'select list_transform(a, lambda x: x * 2) from t'
 * ```
 */
export function rewriteTrinoForDuckDb(sql: string, options: RewriteOptions = {}): LocalSql {
  let statements: SqlNode[];
  try {
    statements = parseTrino(sql);
  } catch (error) {
    if (error instanceof Error && error.name === 'TrinoSyntaxError')
      return { sql, ambiguousUnnests: 0, parsed: false };
    throw error;
  }
  const emitter = new Emitter(sql, options.unnestAsRows ?? []);
  let out = '';
  let pos = 0;
  for (const statement of statements) {
    out += sql.slice(pos, statement.start) + emitter.emit(statement);
    pos = statement.end;
  }
  out += sql.slice(pos);
  return { sql: out, ambiguousUnnests: emitter.ambiguous, parsed: true };
}

/** Words DuckDB's grammar reserves that Trino accepts as unquoted column names and aliases. */
const DUCKDB_KEYWORD_NAMES = new Set([
  'returns',
  'at',
  'anti',
  'semi',
  'asof',
  'positional',
  'qualify',
  'pivot',
  'unpivot',
  'pivot_longer',
  'pivot_wider',
  'summarize',
  'lambda',
]);

const MAP_PRODUCERS = new Set([
  'map',
  'map_from_entries',
  'map_agg',
  'histogram',
  'multimap_agg',
  'multimap_from_entries',
  'map_concat',
  'map_filter',
  'transform_keys',
  'transform_values',
  'map_zip_with',
  'split_to_map',
  'split_to_multimap',
  'map_union',
  'array_histogram',
]);
const ARRAY_PRODUCERS = new Set([
  'array_agg',
  'zip',
  'map_entries',
  'filter',
  'transform',
  'slice',
  'sequence',
  'split',
  'flatten',
]);

/** Emits DuckDB SQL for a parse tree, copying the text between the nodes it rewrites. */
export class Emitter implements RewriteEmitter {
  readonly #sql: string;
  readonly #unnestAsRows: readonly boolean[];
  /** Lambda parameters in scope: name → the SQL that stands for it (itself, or an element of a zip). */
  readonly #scopes: Map<string, string>[] = [];
  /** Inside try(…): Trino's errors become NULL, and DuckDB's TRY rejects error() (a volatile function). */
  #inTry = 0;
  #names = 0;
  ambiguous = 0;

  constructor(sql: string, unnestAsRows: readonly boolean[]) {
    this.#sql = sql;
    this.#unnestAsRows = unnestAsRows;
  }

  /** The source text of `[start, end)`. */
  text(start: number, end: number): string {
    return this.#sql.slice(start, end);
  }

  /** A fresh name for a lambda parameter lakeq introduces. */
  fresh(): string {
    this.#names++;
    return `_lakeq_${this.#names}`;
  }

  emit(node: SqlNode): string {
    switch (node.kind) {
      case 'call':
        return this.#call(node);
      case 'lambda':
        return this.lambda(node);
      case 'cast':
        return this.#cast(node);
      case 'atTimeZone':
        return this.#atTimeZone(node);
      case 'aliased':
        if (node.relation.kind === 'unnest') return this.#unnest(node.relation, node);
        break;
      case 'unnest':
        return this.#unnest(node, undefined);
      case 'sampled':
        return this.#sample(node);
      case 'ident': {
        const replacement = this.#lookup(node.name);
        if (replacement !== undefined) return replacement;
        // Trino takes these as plain names (TPC-DS Q77's `returns`, Q90's alias `at`); DuckDB's parser does not.
        if (this.#sql[node.start] !== '"' && DUCKDB_KEYWORD_NAMES.has(node.name.toLowerCase()))
          return `"${node.name}"`;
        break;
      }
      case 'typedLiteral':
        return this.#typedLiteral(node);
      case 'interval':
        return this.#interval(node);
      case 'literal':
        if (node.type === 'number') return this.#number(node.value, node.start, node.end);
        if (node.type === 'binary') return `unhex('${node.value.replace(/\s+/g, '')}')`;
        if (node.type === 'string' && this.#sql[node.start] !== "'")
          return `'${decodeUnicodeEscapes(node.value).replace(/'/g, "''")}'`; // U&'…'
        break;
      case 'extract':
        return this.#extract(node.field, node.expr, node.start);
      case 'binary':
        return this.#binary(node);
      case 'special':
        return this.#special(node.name, node.precision, this.text(node.start, node.end));
      case 'expr':
        if (node.form === 'tableFunction')
          throw new TrinoNotSupportedError(
            'table function TABLE(...)',
            'DuckDB has no Trino table functions',
          );
        if (node.form === 'values') return this.#values(node);
        break;
      case 'select':
        return this.#select(node);
      default:
        break;
    }
    return this.splice(node);
  }

  /** The text of `node` (or of `[from, to)` inside it) with its kids emitted. */
  splice(node: SqlNode, from = node.start, to = node.end): string {
    let out = '';
    let pos = from;
    for (const kid of node.kids) {
      if (kid.start < from || kid.end > to) continue;
      out += this.#sql.slice(pos, kid.start) + this.emit(kid);
      pos = kid.end;
    }
    return out + this.#sql.slice(pos, to);
  }

  /** Trino names an unaliased select item that is not a column `_col<position>`; DuckDB uses its text. */
  #select(node: SqlNode): string {
    let index = -1;
    let out = '';
    let pos = node.start;
    for (const kid of node.kids) {
      out += this.#sql.slice(pos, kid.start);
      pos = kid.end;
      if (kid.kind === 'expr' && kid.form.startsWith('select')) {
        index++;
        const expr = kid.kids[0];
        const named = expr === undefined || expr.kind === 'ident' || expr.kind === 'deref';
        out += this.emit(kid) + (kid.form === 'selectExpr' && !named ? ` AS _col${index}` : '');
      } else out += this.emit(kid);
    }
    return out + this.#sql.slice(pos, node.end);
  }

  /** `VALUES 1, 2` (a row per expression in Trino) as DuckDB's `VALUES (1), (2)`. */
  #values(node: SqlNode): string {
    const rows = node.kids.map((k) => (k.kind === 'row' ? this.emit(k) : `(${this.emit(k)})`));
    return `VALUES ${rows.join(', ')}`;
  }

  // ---- lambdas -------------------------------------------------------------------------------------------

  #lookup(name: string): string | undefined {
    for (let i = this.#scopes.length - 1; i >= 0; i--) {
      const scope = this.#scopes[i] as Map<string, string>;
      if (scope.has(name)) return scope.get(name);
    }
    return undefined;
  }

  /** Emits `node` with lambda parameters bound to SQL text. */
  withScope(bindings: Record<string, string>, node: SqlNode): string {
    this.#scopes.push(new Map(Object.entries(bindings)));
    try {
      return this.emit(node);
    } finally {
      this.#scopes.pop();
    }
  }

  /** `x -> e` as DuckDB's `lambda x: e`. */
  lambda(node: Lambda): string {
    const bindings = Object.fromEntries(node.params.map((p) => [p, quoteName(p)]));
    const names = node.params.map(quoteName);
    return `lambda ${names.join(', ')}: ${this.withScope(bindings, node.body)}`;
  }

  /** A lambda argument of `call`, checked for its arity. */
  lambdaArg(call: FunctionCall, index: number, arity: number): Lambda {
    const arg = call.args[index];
    if (arg?.kind !== 'lambda' || arg.params.length !== arity) {
      throw new TrinoNotSupportedError(
        `${call.name}() without a ${arity}-parameter lambda as argument ${index + 1}`,
        'lakeq rewrites only literal lambda expressions for DuckDB',
      );
    }
    return arg;
  }

  /** The body of a lambda with each parameter replaced by a SQL expression. */
  inline(lambda: Lambda, values: string[]): string {
    const bindings: Record<string, string> = {};
    lambda.params.forEach((p, i) => {
      bindings[p] = values[i] as string;
    });
    return this.withScope(bindings, lambda.body);
  }

  // ---- calls ---------------------------------------------------------------------------------------------

  #call(call: FunctionCall): string {
    if (call.qualified) return this.splice(call);
    if (call.name === 'try') {
      this.#inTry++;
      try {
        return this.splice(call);
      } finally {
        this.#inTry--;
      }
    }
    const support = TRINO_FUNCTIONS[call.name];
    if (support?.how === 'unsupported')
      throw new TrinoNotSupportedError(`function ${call.name}()`, support.note);
    const rewrite = FUNCTION_REWRITES[call.name];
    if (rewrite) {
      const out = rewrite(call, this);
      if (out !== undefined) return out;
    }
    return this.splice(call);
  }

  /** The call's arguments, emitted. */
  args(call: FunctionCall): string[] {
    return call.args.map((a) => this.emit(a));
  }

  /** The call rebuilt with another name and argument text, keeping DISTINCT, ORDER BY, FILTER and OVER. */
  renamed(
    call: FunctionCall,
    name: string,
    args: string[] = this.args(call),
    orderBy = call.orderBy,
  ): string {
    const distinct = call.distinct ? 'DISTINCT ' : '';
    const order = orderBy.length > 0 ? ` ORDER BY ${this.sortItems(orderBy)}` : '';
    const argText = call.star ? '*' : args.join(', ');
    return `${name}(${distinct}${argText}${order})${this.splice(call, call.tailStart, call.end)}`;
  }

  sortItems(items: SortItem[]): string {
    return items.map((s) => this.emit(s)).join(', ');
  }

  // ---- types ---------------------------------------------------------------------------------------------

  /** A Trino type in DuckDB's syntax. */
  type(type: DataType): string {
    const base = type.base;
    switch (base) {
      case 'array':
        return `${this.type(type.types[0] as DataType)}[]`;
      case 'map':
        return `MAP(${this.type(type.types[0] as DataType)}, ${this.type(type.types[1] as DataType)})`;
      case 'row':
        return `STRUCT(${type.types
          // Always quoted: a field may be a keyword of DuckDB's (group, desc, order).
          .map((t, i) => `"${(type.fieldNames[i] ?? `field${i}`).replace(/"/g, '""')}" ${this.type(t)}`)
          .join(', ')})`;
      case 'varchar':
      case 'char':
      case 'string':
        return 'VARCHAR';
      case 'varbinary':
        return 'BLOB';
      case 'timestamp':
        return type.withTimeZone ? 'TIMESTAMPTZ' : 'TIMESTAMP';
      case 'time':
        return type.withTimeZone ? 'TIMETZ' : 'TIME';
      case 'double precision':
        return 'DOUBLE';
      case 'decimal':
      case 'numeric':
        return type.numbers.length > 0 ? `DECIMAL(${type.numbers.join(', ')})` : 'DECIMAL(38, 0)';
      case 'interval day to second':
      case 'interval year to month':
        return 'INTERVAL';
      case 'tinyint':
      case 'smallint':
      case 'integer':
      case 'int':
      case 'bigint':
      case 'real':
      case 'double':
      case 'boolean':
      case 'date':
      case 'json':
      case 'uuid':
        return base.toUpperCase();
      default:
        if (ATHENA_ONLY_TYPES.has(base))
          throw new TrinoNotSupportedError(
            `type ${this.text(type.start, type.end).toUpperCase()}`,
            'DuckDB has no such type (IP addresses, sketches, digests and geometries exist only on Athena)',
          );
        // Not a Trino type: DuckDB's own (TIMESTAMPTZ, HUGEINT…) in lakeq's internal SQL.
        return this.text(type.start, type.end);
    }
  }

  #cast(node: Cast): string {
    const { type } = node;
    const cast = node.try ? 'TRY_CAST' : 'CAST';
    if (type.base === 'varchar' || type.base === 'char') {
      const zoned = this.#zoned(node.expr);
      const text = zoned
        ? `_lakeq_zoned_varchar(${zoned.expr}, ${zoned.zone})`
        : `${node.try ? '_lakeq_try_to_varchar' : '_lakeq_to_varchar'}(${this.emit(node.expr)})`;
      const wrapped = node.try && zoned ? `try(${text})` : text;
      const length = type.numbers[0];
      if (length === undefined) return wrapped;
      return type.base === 'char' ? `rpad(${wrapped}, ${length}, ' ')` : `left(${wrapped}, ${length})`;
    }
    // A zoned value read as a date or a naive timestamp: its wall-clock time in its zone, as in Trino.
    const wallClock =
      type.base === 'date' || ((type.base === 'timestamp' || type.base === 'time') && !type.withTimeZone)
        ? this.#wallClock(node.expr)
        : undefined;
    const expr = wallClock ?? this.emit(node.expr);
    if (type.base === 'json') return `_lakeq_to_json(${expr})`;
    if (type.base === 'timestamp' && !type.withTimeZone && isPrecision(type.numbers[0])) {
      // Trino rounds to the type's precision; DuckDB's TIMESTAMP keeps microseconds.
      const p = Number(type.numbers[0]);
      const ts = `${cast}(${expr} AS TIMESTAMP)`;
      return p >= 6 ? ts : `_lakeq_round_timestamp(${ts}, ${p})`;
    }
    return `${cast}(${expr} AS ${this.type(type)})`;
  }

  /** `x AT TIME ZONE z` or at_timezone(x, z), under parentheses: the instant and the zone, emitted. */
  #zoned(node: SqlNode): { expr: string; zone: string } | undefined {
    let inner = node;
    while (inner.kind === 'expr' && inner.form === 'paren') inner = inner.kids[0] as SqlNode;
    if (inner.kind === 'atTimeZone' && inner.zone)
      return { expr: this.emit(inner.expr), zone: this.emit(inner.zone) };
    if (inner.kind === 'call' && !inner.qualified && inner.args.length === 2) {
      const [ts, zone] = inner.args as [SqlNode, SqlNode];
      if (inner.name === 'at_timezone') return { expr: this.emit(ts), zone: this.emit(zone) };
      if (inner.name === 'with_timezone') {
        const z = this.emit(zone);
        return { expr: `_lakeq_with_timezone(${this.emit(ts)}, ${z})`, zone: z };
      }
    }
    return undefined;
  }

  // ---- time zones ----------------------------------------------------------------------------------------

  /** `ts AT TIME ZONE z` as the same instant (DuckDB's TIMESTAMPTZ keeps no zone; wall-clock uses see below). */
  #atTimeZone(node: AtTimeZone): string {
    const expr = this.emit(node.expr);
    if (!node.zone) return `CAST(${expr} AS TIMESTAMPTZ)`;
    return `_lakeq_at_timezone(${expr}, ${this.emit(node.zone)})`;
  }

  /**
   * For a function that reads the fields of a timestamp (hour, date_format, CAST to date…): when its
   * argument is `x AT TIME ZONE z` (or at_timezone(x, z)), the wall-clock time in z as a naive timestamp, so
   * that the fields are those Trino reads from the zoned value. Undefined for any other argument.
   */
  wallClock(node: SqlNode | undefined): string | undefined {
    return node ? this.#wallClock(node) : undefined;
  }

  #wallClock(node: SqlNode): string | undefined {
    let inner = node;
    while (inner.kind === 'expr' && inner.form === 'paren') inner = inner.kids[0] as SqlNode;
    if (inner.kind === 'atTimeZone' && inner.zone)
      return `_lakeq_wall_clock(${this.emit(inner.expr)}, ${this.emit(inner.zone)})`;
    if (inner.kind === 'call' && !inner.qualified && inner.args.length === 2) {
      const [ts, zone] = inner.args as [SqlNode, SqlNode];
      if (inner.name === 'at_timezone') return `_lakeq_wall_clock(${this.emit(ts)}, ${this.emit(zone)})`;
      if (inner.name === 'with_timezone') return `CAST(${this.emit(ts)} AS TIMESTAMP)`;
    }
    return undefined;
  }

  #extract(field: string, expr: SqlNode, offset: number): string {
    const fn = EXTRACT_FIELDS[field];
    if (!fn)
      throw new TrinoNotSupportedError(
        `EXTRACT(${field.toUpperCase()} FROM …)`,
        `unknown field at offset ${offset}`,
      );
    return `${fn}(${this.#wallClock(expr) ?? this.emit(expr)})`;
  }

  #special(name: string, precision: string | undefined, text: string): string {
    switch (name) {
      case 'current_timestamp':
      case 'localtimestamp':
        // DuckDB's are the transaction's start (as Trino's are the query's), with microseconds.
        return precision === undefined
          ? `_lakeq_round_timestamp(${name}, 3)`
          : `_lakeq_round_timestamp(${name}, ${precision})`;
      case 'current_catalog':
        return 'current_database()';
      case 'current_path':
      case 'current_role':
        throw new TrinoNotSupportedError(name.toUpperCase(), 'DuckDB has no SQL path or roles');
      default:
        return text;
    }
  }

  // ---- literals ------------------------------------------------------------------------------------------

  #number(value: string, start: number, end: number): string {
    if (/^0x/i.test(value)) return BigInt(value).toString();
    if (value !== this.text(start, end)) return value; // 1_000
    return value;
  }

  #typedLiteral(node: TypedLiteral): string {
    // DuckDB wants seconds: Trino's TIMESTAMP '2012-10-31 01:00 UTC' is 01:00:00.
    const text =
      node.type === 'timestamp' || node.type === 'time'
        ? node.value.replace(/(^|[ T])(\d{1,2}:\d{2})(?!:|\d)/, '$1$2:00')
        : node.value;
    const value = `'${text.replace(/'/g, "''")}'`;
    switch (node.type) {
      case 'timestamp':
        // With a zone (`… UTC`, `… +02:00`, `… America/New_York`) Trino's literal is a timestamp with time zone.
        if (/\d(\s*[A-Za-z][\w/+-]*|\s*[+-]\d{1,2}(:?\d{2})?)$/.test(node.value.trim()))
          return `TIMESTAMPTZ ${value}`;
        return `TIMESTAMP ${value}`;
      case 'date':
      case 'time':
        return `${node.type.toUpperCase()} ${value}`;
      case 'json':
        return `json(${value})`;
      case 'decimal': {
        const digits = node.value.trim().replace(/^[-+]/, '');
        const [whole = '', frac = ''] = digits.split('.');
        const scale = frac.length;
        const precision = Math.max(1, whole.replace(/^0+/, '').length + scale);
        return `CAST(${value} AS DECIMAL(${Math.min(38, Math.max(precision, scale))}, ${scale}))`;
      }
      case 'varbinary':
        return `unhex(${value})`;
      case 'char':
      case 'varchar':
        return value;
      case 'ipaddress':
      case 'ipprefix':
        throw new TrinoNotSupportedError(
          `${node.type.toUpperCase()} literal`,
          'DuckDB has no IP address types',
        );
      default:
        return `CAST(${value} AS ${node.type === 'int' ? 'INTEGER' : node.type.toUpperCase()})`;
    }
  }

  #interval(node: IntervalLiteral): string {
    const sign = node.sign === '-' ? '-' : '';
    const v = node.value.trim();
    const from = node.from;
    const to = node.to;
    if (!to || to === from) {
      const unit = from.replace(/s$/, '');
      return `${sign}INTERVAL '${v.replace(/'/g, "''")}' ${unit.toUpperCase()}`;
    }
    if (from === 'year' && to === 'month') {
      const m = /^(-?)(\d+)-(\d+)$/.exec(v);
      if (!m) throw new TrinoNotSupportedError(`interval literal '${v}' YEAR TO MONTH`, 'write it as Y-M');
      return `${sign}${m[1]}(INTERVAL '${m[2]} years ${m[3]} months')`;
    }
    if (from === 'day') {
      const m = /^(-?)(\d+)\s+(\d+)(?::(\d+))?(?::(\d+(?:\.\d+)?))?$/.exec(v);
      if (!m)
        throw new TrinoNotSupportedError(
          `interval literal '${v}' DAY TO ${to.toUpperCase()}`,
          "write it as 'D HH:MM:SS'",
        );
      return `${sign}${m[1]}(INTERVAL '${m[2]} days ${m[3]} hours ${m[4] ?? 0} minutes ${m[5] ?? 0} seconds')`;
    }
    const m = /^(-?)(\d+)(?::(\d+))?(?::(\d+(?:\.\d+)?))?$/.exec(v);
    if (!m) throw new TrinoNotSupportedError(`interval literal '${v}'`, 'unrecognised value');
    const parts =
      from === 'hour'
        ? `${m[2]} hours ${m[3] ?? 0} minutes ${m[4] ?? 0} seconds`
        : `${m[2]} minutes ${m[3] ?? 0} seconds`;
    return `${sign}${m[1]}(INTERVAL '${parts}')`;
  }

  // ---- operators -----------------------------------------------------------------------------------------

  #binary(node: Binary): string {
    const { op } = node;
    if (op === '/' || op === '%') {
      // Trino fails on an exact division by zero where DuckDB returns NULL.
      const fn = (op === '/' ? '_lakeq_divide' : '_lakeq_modulus') + (this.#inTry > 0 ? '_or_null' : '');
      return `${fn}(${this.emit(node.left)}, ${this.emit(node.right)})`;
    }
    if ((op === '+' || op === '-') && (node.right.kind === 'interval' || node.left.kind === 'interval')) {
      // DATE ± interval is a DATE in Trino, a TIMESTAMP in DuckDB.
      const l = this.emit(node.left);
      const r = this.emit(node.right);
      if (node.right.kind === 'interval') return `_lakeq_date_plus(${l}, ${op === '-' ? `-(${r})` : r})`;
      if (op === '+') return `_lakeq_date_plus(${r}, ${l})`;
    }
    return this.splice(node);
  }

  // ---- relations -----------------------------------------------------------------------------------------

  #sample(node: SampledRelation): string {
    const relation = this.emit(node.relation);
    const method = node.method === 'system' ? 'system' : 'bernoulli';
    const p = node.percentage;
    if (p.kind !== 'literal' || p.type !== 'number')
      throw new TrinoNotSupportedError(
        'TABLESAMPLE with a computed percentage',
        'DuckDB samples a literal percentage only',
      );
    // DuckDB reads a bare number as a row count: the percentage needs its unit.
    return `${relation} TABLESAMPLE ${p.value} PERCENT (${method})`;
  }

  /**
   * Trino's UNNEST zips its arguments (padding with NULL), expands a map into key and value and an array
   * of rows into the rows' fields, and numbers the rows WITH ORDINALITY. DuckDB's select-list unnest
   * zips the same way, so each argument becomes one or more unnest() in a LATERAL subquery.
   */
  #unnest(node: Unnest, aliased: AliasedRelation | undefined): string {
    const columns = aliased?.columns.length ?? 0;
    const args = node.args.map((a) => this.emit(a));
    const exprs: string[] = [];
    const perArg = node.args.length === 1 && columns > 1 + (node.ordinality ? 1 : 0);
    if (perArg) {
      const arg = node.args[0] as SqlNode;
      const text = args[0] as string;
      let asRows = this.#isArray(arg);
      if (!asRows && !this.#isMap(arg)) {
        asRows = this.#unnestAsRows[this.ambiguous] ?? false;
        this.ambiguous++;
      }
      exprs.push(
        asRows ? `unnest(${text}, recursive := true)` : `unnest(map_entries(${text}), recursive := true)`,
      );
    } else {
      for (const text of args) exprs.push(`unnest(${text})`);
    }
    if (node.ordinality) {
      const lengths = args.map((a) => `coalesce(len(${a}), 0)`);
      const n = lengths.length === 1 ? lengths[0] : `greatest(${lengths.join(', ')})`;
      exprs.push(`unnest(generate_series(1, ${n}))`);
    }
    const lateral = `LATERAL (SELECT ${exprs.join(', ')})`;
    if (!aliased) return `${lateral} AS _lakeq_unnest`;
    const alias = this.text(aliased.alias!.start, aliased.alias!.end);
    const names = aliased.columns.map((c) => this.text(c.start, c.end));
    return `${lateral} AS ${alias}${names.length > 0 ? `(${names.join(', ')})` : ''}`;
  }

  #isMap(node: SqlNode): boolean {
    if (node.kind === 'cast') return node.type.base === 'map';
    if (node.kind === 'call') return MAP_PRODUCERS.has(node.name);
    return false;
  }

  #isArray(node: SqlNode): boolean {
    if (node.kind === 'array') return true;
    if (node.kind === 'cast') return node.type.base === 'array';
    if (node.kind === 'call') return ARRAY_PRODUCERS.has(node.name);
    return false;
  }
}

const ATHENA_ONLY_TYPES = new Set([
  'ipaddress',
  'ipprefix',
  'hyperloglog',
  'p4hyperloglog',
  'khyperloglog',
  'setdigest',
  'qdigest',
  'tdigest',
  'geometry',
  'sphericalgeography',
  'bingtile',
  'color',
  'kdbtree',
  'jsonpath',
]);

/** EXTRACT fields and the Trino function (a macro or DuckDB builtin) that reads each. */
const EXTRACT_FIELDS: Readonly<Record<string, string>> = {
  year: 'year',
  quarter: 'quarter',
  month: 'month',
  week: 'week',
  day: 'day',
  day_of_month: 'day',
  day_of_week: 'day_of_week',
  dow: 'day_of_week',
  day_of_year: 'day_of_year',
  doy: 'day_of_year',
  year_of_week: 'year_of_week',
  yow: 'year_of_week',
  hour: 'hour',
  minute: 'minute',
  second: 'second',
  timezone_hour: 'timezone_hour',
  timezone_minute: 'timezone_minute',
};

/** The value of Trino's `U&'…'`: `\XXXX` and `\+XXXXXX` are code points, `\\` a backslash. */
function decodeUnicodeEscapes(value: string): string {
  return value.replace(/\\(\\|\+[0-9a-fA-F]{6}|[0-9a-fA-F]{4})/g, (_, esc: string) =>
    esc === '\\' ? '\\' : String.fromCodePoint(Number.parseInt(esc.replace('+', ''), 16)),
  );
}

function quoteName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function isPrecision(n: string | undefined): boolean {
  return n !== undefined && /^\d+$/.test(n);
}
