import { TrinoNotSupportedError } from '../trino/trino-not-supported.ts';
import type { FunctionCall, SqlNode } from '../trino/trino-syntax-tree.ts';
import type { RewriteEmitter as Emitter } from './duckdb-trino-emitter.ts';

/**
 * A rewrite of one Trino function call into DuckDB SQL, for what a macro cannot do: lambdas, aggregates
 * that keep FILTER/DISTINCT/ORDER BY/OVER, WITHIN GROUP, and calls whose meaning depends on the text
 * (a literal's type, a zoned timestamp). Returning undefined keeps the call as written.
 */
export type FunctionRewrite = (call: FunctionCall, e: Emitter) => string | undefined;

const arity = (call: FunctionCall, ...allowed: number[]): void => {
  if (!allowed.includes(call.args.length)) {
    throw new TrinoNotSupportedError(
      `function ${call.name}() with ${call.args.length} argument${call.args.length === 1 ? '' : 's'}`,
      `lakeq knows the forms with ${allowed.join(' or ')}`,
    );
  }
};

/** An aggregate `name(args)` applied with the call's FILTER/OVER, then wrapped by `wrap`. */
const aggregate =
  (
    name: string,
    wrap: (inner: string) => string = (s) => s,
    args?: (call: FunctionCall, e: Emitter) => string[],
  ) =>
  (call: FunctionCall, e: Emitter): string =>
    wrap(e.renamed(call, name, args ? args(call, e) : e.args(call)));

/** Functions that read a timestamp's fields: a zoned argument is read at its wall-clock time. */
const WALL_CLOCK_FIRST = [
  'hour',
  'minute',
  'second',
  'millisecond',
  'day',
  'day_of_month',
  'month',
  'year',
  'quarter',
  'week',
  'week_of_year',
  'day_of_week',
  'dow',
  'day_of_year',
  'doy',
  'year_of_week',
  'yow',
  'date',
  'date_format',
  'format_datetime',
  'last_day_of_month',
];

const wallClockFirst: FunctionRewrite = (call, e) => {
  const wall = e.wallClock(call.args[0]);
  if (wall === undefined) return undefined;
  return e.renamed(call, call.name, [wall, ...call.args.slice(1).map((a) => e.emit(a))]);
};

const rewrites: Record<string, FunctionRewrite> = {
  // ---- lambda functions -----------------------------------------------------------------------------------
  transform: (call, e) => {
    arity(call, 2);
    return `list_transform(${e.emit(call.args[0] as SqlNode)}, ${e.lambda(e.lambdaArg(call, 1, 1))})`;
  },
  filter: (call, e) => {
    arity(call, 2);
    return `list_filter(${e.emit(call.args[0] as SqlNode)}, ${e.lambda(e.lambdaArg(call, 1, 1))})`;
  },
  reduce: (call, e) => {
    arity(call, 4);
    const input = e.lambdaArg(call, 2, 2);
    const output = e.lambdaArg(call, 3, 1);
    const array = e.emit(call.args[0] as SqlNode);
    const initial = e.emit(call.args[1] as SqlNode);
    // DuckDB's list_reduce keeps the state in the list's element type; Trino's state has a type of its own.
    // So fold a list of copies of the initial state, reading the real element by its index.
    const [i, skip] = [e.fresh(), e.fresh()];
    const state = input.params[0] as string;
    const step = e.inline(input, [state, `(${array})[${i}]`]);
    const reduced = `list_reduce(list_transform(${array}, lambda ${skip}: ${initial}), lambda ${state}, ${skip}, ${i}: ${step}, ${initial})`;
    const identity = output.body.kind === 'ident' && output.body.name === output.params[0];
    if (identity) return reduced;
    // Trino applies the output function to the final state: one more lambda over a one-element list.
    return `list_transform([${reduced}], ${e.lambda(output)})[1]`;
  },
  zip_with: (call, e) => {
    arity(call, 3);
    const f = e.lambdaArg(call, 2, 2);
    const z = e.fresh();
    const body = e.inline(f, [`struct_extract_at(${z}, 1)`, `struct_extract_at(${z}, 2)`]);
    return `list_transform(list_zip(${e.emit(call.args[0] as SqlNode)}, ${e.emit(call.args[1] as SqlNode)}), lambda ${z}: ${body})`;
  },
  any_match: (call, e) => matcher('_lakeq_any_true', call, e),
  all_match: (call, e) => matcher('_lakeq_all_true', call, e),
  none_match: (call, e) => matcher('_lakeq_none_true', call, e),
  find_first: (call, e) => {
    arity(call, 2);
    return `list_filter(${e.emit(call.args[0] as SqlNode)}, ${e.lambda(e.lambdaArg(call, 1, 1))})[1]`;
  },
  transform_keys: (call, e) => {
    arity(call, 2);
    const f = e.lambdaArg(call, 1, 2);
    const x = e.fresh();
    const key = e.inline(f, [`${x}.key`, `${x}.value`]);
    return `map_from_entries(list_transform(map_entries(${e.emit(call.args[0] as SqlNode)}), lambda ${x}: {'key': ${key}, 'value': ${x}.value}))`;
  },
  transform_values: (call, e) => {
    arity(call, 2);
    const f = e.lambdaArg(call, 1, 2);
    const x = e.fresh();
    const value = e.inline(f, [`${x}.key`, `${x}.value`]);
    return `map_from_entries(list_transform(map_entries(${e.emit(call.args[0] as SqlNode)}), lambda ${x}: {'key': ${x}.key, 'value': ${value}}))`;
  },
  map_filter: (call, e) => {
    arity(call, 2);
    const f = e.lambdaArg(call, 1, 2);
    const x = e.fresh();
    const keep = e.inline(f, [`${x}.key`, `${x}.value`]);
    return `map_from_entries(list_filter(map_entries(${e.emit(call.args[0] as SqlNode)}), lambda ${x}: ${keep}))`;
  },
  map_zip_with: (call, e) => {
    arity(call, 3);
    const f = e.lambdaArg(call, 2, 3);
    const m1 = e.emit(call.args[0] as SqlNode);
    const m2 = e.emit(call.args[1] as SqlNode);
    const k = e.fresh();
    const value = e.inline(f, [k, `${m1}[${k}]`, `${m2}[${k}]`]);
    return `map_from_entries(list_transform(list_distinct(list_concat(map_keys(${m1}), map_keys(${m2}))), lambda ${k}: {'key': ${k}, 'value': ${value}}))`;
  },
  array_sort: (call, e) => {
    if (call.args.length === 1) return `list_sort(${e.emit(call.args[0] as SqlNode)})`;
    throw new TrinoNotSupportedError(
      'function array_sort() with a comparator lambda',
      'DuckDB sorts lists only by their values; use array_sort(x) or reverse(array_sort(x))',
    );
  },
  regexp_replace: (call) => {
    if (call.args[2]?.kind === 'lambda')
      throw new TrinoNotSupportedError(
        'function regexp_replace() with a lambda',
        'DuckDB replaces with a string only',
      );
    return undefined;
  },
  reduce_agg: (call, e) => {
    arity(call, 4);
    const input = e.lambdaArg(call, 2, 2);
    e.lambdaArg(call, 3, 2); // the combine function: DuckDB folds one list, nothing to combine
    const list = e.renamed(call, 'list', [e.emit(call.args[0] as SqlNode)]);
    return `list_reduce(${list}, ${e.lambda(input)}, ${e.emit(call.args[1] as SqlNode)})`;
  },

  // ---- aggregates -----------------------------------------------------------------------------------------
  listagg: (call, e) => {
    arity(call, 1, 2);
    const args = [e.emit(call.args[0] as SqlNode), call.args[1] ? e.emit(call.args[1]) : "''"];
    return e.renamed(call, 'string_agg', args, call.withinGroup.length > 0 ? call.withinGroup : call.orderBy);
  },
  approx_distinct: aggregate(
    'approx_count_distinct',
    (s) => s,
    (call, e) => [e.emit(call.args[0] as SqlNode)],
  ),
  approx_percentile: (call, e) => {
    if (call.args.length !== 2)
      throw new TrinoNotSupportedError(
        'function approx_percentile() with weights',
        'DuckDB has no weighted quantile',
      );
    return e.renamed(call, 'quantile_disc');
  },
  arbitrary: aggregate('any_value'),
  every: aggregate('bool_and'),
  count_if: aggregate('count_if', (s) => `CAST(${s} AS BIGINT)`),
  bitwise_and_agg: aggregate('bit_and'),
  bitwise_or_agg: aggregate('bit_or'),
  bitwise_xor_agg: aggregate('bit_xor'),
  histogram: aggregate('histogram', (s) => `_lakeq_bigint_values(${s})`),
  map_agg: aggregate(
    'list',
    (s) => `_lakeq_map_from_pairs(${s})`,
    (call, e) => {
      arity(call, 2);
      return [`{'k': ${e.emit(call.args[0] as SqlNode)}, 'v': ${e.emit(call.args[1] as SqlNode)}}`];
    },
  ),
  multimap_agg: aggregate(
    'list',
    (s) => `_lakeq_multimap(${s})`,
    (call, e) => {
      arity(call, 2);
      return [`{'k': ${e.emit(call.args[0] as SqlNode)}, 'v': ${e.emit(call.args[1] as SqlNode)}}`];
    },
  ),
  map_union: aggregate('list', (s) => `_lakeq_map_union(${s})`),

  // Java's Formatter → DuckDB's printf, when the format is a literal: %s takes any type (printed as
  // Trino prints it), positional %n$ arguments are put in order, %b prints true/false.
  format: (call, e) => {
    const [fmt, ...rest] = call.args;
    if (fmt?.kind !== 'literal' || fmt.type !== 'string') return undefined;
    const args = rest.map((a) => e.emit(a));
    const out: string[] = [];
    let text = '';
    let next = 0;
    const spec = /%(?:(\d+)\$)?([-#+ 0,(<]*)(\d+)?(\.\d+)?([a-zA-Z%])/g;
    let last = 0;
    for (let m = spec.exec(fmt.value); m; m = spec.exec(fmt.value)) {
      text += fmt.value.slice(last, m.index).replace(/%/g, '%%');
      last = m.index + m[0].length;
      const [, position, flags = '', width = '', precision = '', conversion = ''] = m;
      if (conversion === '%') {
        text += '%%';
        continue;
      }
      if (conversion === 'n') {
        text += '\n';
        continue;
      }
      if (
        flags.includes(',') ||
        flags.includes('(') ||
        flags.includes('<') ||
        'tTcCeEaAgGhHoxX'.includes(conversion)
      )
        throw new TrinoNotSupportedError(
          `format() specifier ${m[0]}`,
          'lakeq passes %s, %d, %f and %b to DuckDB printf',
        );
      const index = position ? Number(position) - 1 : next++;
      const arg = args[index];
      if (arg === undefined)
        throw new TrinoNotSupportedError(`format() specifier ${m[0]}`, 'it has no argument');
      if (conversion === 's' || conversion === 'S') {
        out.push(conversion === 'S' ? `upper(_lakeq_to_varchar(${arg}))` : `_lakeq_to_varchar(${arg})`);
        text += `%${flags}${width}${precision}s`;
      } else if (conversion === 'b' || conversion === 'B') {
        out.push(`CASE WHEN ${arg} IS NULL THEN 'false' WHEN ${arg} THEN 'true' ELSE 'false' END`);
        text += `%${flags}${width}${precision}s`;
      } else {
        out.push(arg);
        text += `%${flags}${width}${precision}${conversion}`;
      }
    }
    text += fmt.value.slice(last).replace(/%/g, '%%');
    return `printf('${text.replace(/'/g, "''")}'${out.map((a) => `, ${a}`).join('')})`;
  },

  // ---- conditional, types ---------------------------------------------------------------------------------
  if: (call, e) => {
    arity(call, 2, 3);
    const [c, a, b] = e.args(call);
    return `CASE WHEN ${c} THEN ${a}${b === undefined ? '' : ` ELSE ${b}`} END`;
  },
  typeof: (call, e) => {
    arity(call, 1);
    const arg = call.args[0] as SqlNode;
    if (arg.kind === 'literal' && arg.type === 'string') return `'varchar(${[...arg.value].length})'`;
    if (arg.kind === 'typedLiteral' && (arg.type === 'timestamp' || arg.type === 'time')) {
      const fraction = /\.(\d+)/.exec(arg.value)?.[1]?.length ?? 0;
      const zoned =
        arg.type === 'timestamp' &&
        /\d(\s*[A-Za-z][\w/+-]*|\s*[+-]\d{1,2}(:?\d{2})?)$/.test(arg.value.trim());
      return `'${arg.type}(${fraction})${zoned ? ' with time zone' : ''}'`;
    }
    return `_lakeq_typeof(${e.emit(arg)})`;
  },

  // ---- time zones -----------------------------------------------------------------------------------------
  at_timezone: (call, e) => {
    arity(call, 2);
    const [ts, zone] = e.args(call);
    return `_lakeq_at_timezone(${ts}, ${zone})`;
  },
  with_timezone: (call, e) => {
    arity(call, 2);
    const [ts, zone] = e.args(call);
    return `_lakeq_with_timezone(${ts}, ${zone})`;
  },
  date_trunc: (call, e) => {
    const wall = e.wallClock(call.args[1]);
    const zone = zoneOf(call.args[1], e);
    if (wall === undefined || zone === undefined) return undefined;
    // The zone's midnight (or hour…) as an instant, like Trino's zoned result.
    return `timezone(${zone}, CAST(date_trunc(${e.emit(call.args[0] as SqlNode)}, ${wall}) AS TIMESTAMP))`;
  },
  to_iso8601: (call, e) => {
    arity(call, 1);
    const zone = zoneOf(call.args[0], e);
    if (zone === undefined) return undefined;
    return `_lakeq_zoned_iso8601(${innerInstant(call.args[0] as SqlNode, e)}, ${zone})`;
  },
  to_milliseconds: (call, e) => {
    arity(call, 1);
    return `_lakeq_to_milliseconds(${e.emit(call.args[0] as SqlNode)})`;
  },
  normalize: (call, e) => {
    arity(call, 1, 2);
    const form = call.args[1];
    const name = form?.kind === 'ident' ? form.name.toUpperCase() : 'NFC';
    if (name !== 'NFC')
      throw new TrinoNotSupportedError(`normalize(…, ${name})`, 'DuckDB normalizes to NFC only');
    return `nfc_normalize(${e.emit(call.args[0] as SqlNode)})`;
  },
  timezone: (call) => {
    if (call.args.length !== 1) return undefined; // DuckDB's timezone(zone, ts), in lakeq's own SQL
    throw new TrinoNotSupportedError('function timezone()', 'a DuckDB TIMESTAMPTZ keeps no zone to return');
  },
  timezone_hour: (call, e) => zoneOffset('hour', call, e),
  timezone_minute: (call, e) => zoneOffset('minute', call, e),
};

for (const name of WALL_CLOCK_FIRST) rewrites[name] = wallClockFirst;

function matcher(macro: string, call: FunctionCall, e: Emitter): string {
  arity(call, 2);
  return `${macro}(list_transform(${e.emit(call.args[0] as SqlNode)}, ${e.lambda(e.lambdaArg(call, 1, 1))}))`;
}

function unparen(node: SqlNode): SqlNode {
  let inner = node;
  while (inner.kind === 'expr' && inner.form === 'paren') inner = inner.kids[0] as SqlNode;
  return inner;
}

/** The zone of `x AT TIME ZONE z` / at_timezone(x, z), emitted; undefined for anything else. */
function zoneOf(node: SqlNode | undefined, e: Emitter): string | undefined {
  if (!node) return undefined;
  const inner = unparen(node);
  if (inner.kind === 'atTimeZone' && inner.zone) return e.emit(inner.zone);
  if (inner.kind === 'call' && inner.name === 'at_timezone' && inner.args.length === 2)
    return e.emit(inner.args[1] as SqlNode);
  return undefined;
}

function innerInstant(node: SqlNode, e: Emitter): string {
  const inner = unparen(node);
  if (inner.kind === 'atTimeZone') return e.emit(inner.expr);
  if (inner.kind === 'call') return e.emit(inner.args[0] as SqlNode);
  return e.emit(inner);
}

function zoneOffset(part: 'hour' | 'minute', call: FunctionCall, e: Emitter): string | undefined {
  const zone = zoneOf(call.args[0], e);
  if (zone === undefined) return undefined;
  return `_lakeq_zone_offset_${part}(${innerInstant(call.args[0] as SqlNode, e)}, ${zone})`;
}

/** The compile-time rewrites, by lower-case Trino function name. */
export const FUNCTION_REWRITES: Readonly<Record<string, FunctionRewrite>> = rewrites;
