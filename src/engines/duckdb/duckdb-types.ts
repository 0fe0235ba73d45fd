import {
  type DuckDBMapValue,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
  type DuckDBValueConverter,
  type Json,
  JsonDuckDBValueConverter,
  timestampValue,
} from '@duckdb/node-api';
import { LakeqError } from '../engine.ts';

/** JSON-safe values, the one shape every engine returns. */
export type PlainValue = string | number | boolean | null | PlainValue[] | { [key: string]: PlainValue };

const TIMESTAMP_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.TIMESTAMP_MS,
  DuckDBTypeId.TIMESTAMP_NS,
  DuckDBTypeId.TIMESTAMP_TZ,
]);
const INTEGER_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
]);

function integerValue(value: DuckDBValue): PlainValue {
  const n = typeof value === 'bigint' ? value : BigInt(String(value));
  const asNumber = Number(n);
  // Numbers past 2^53 lose digits; a string keeps them and survives JSON.
  return Number.isSafeInteger(asNumber) ? asNumber : n.toString();
}

function timestampIso(value: DuckDBValue, type: DuckDBType): string {
  const v = value as { micros?: bigint; millis?: bigint; seconds?: bigint; nanos?: bigint };
  let micros: bigint;
  if (type.typeId === DuckDBTypeId.TIMESTAMP_S) micros = (v.seconds ?? 0n) * 1_000_000n;
  else if (type.typeId === DuckDBTypeId.TIMESTAMP_MS) micros = (v.millis ?? 0n) * 1000n;
  else if (type.typeId === DuckDBTypeId.TIMESTAMP_NS) micros = (v.nanos ?? 0n) / 1000n;
  else micros = v.micros ?? 0n;
  const ms = Number(micros / 1000n);
  const date = new Date(ms);
  // Infinity and other out-of-range timestamps have no ISO form; DuckDB's own text is clearer.
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

function mapObject(
  value: DuckDBValue,
  _type: DuckDBType,
  converter: DuckDBValueConverter<PlainValue>,
): PlainValue {
  const out: Record<string, PlainValue> = {};
  for (const entry of (value as DuckDBMapValue).entries) {
    const key = entry.key === null ? 'null' : String(entry.key);
    out[key] = entry.value === null ? null : (converter(entry.value, mapValueType(_type), converter) ?? null);
  }
  return out;
}

function mapValueType(type: DuckDBType): DuckDBType {
  return (type as unknown as { valueType: DuckDBType }).valueType;
}

/**
 * Converts one DuckDB value to a plain JSON-safe value, the same way for every query:
 * BIGINT as a number when safe (a string otherwise, never a JS bigint), timestamps as UTC ISO
 * strings, dates as 'YYYY-MM-DD', DECIMAL as a number, MAP as an object, STRUCT and LIST as
 * plain objects and arrays.
 */
export const plainValueConverter: DuckDBValueConverter<PlainValue> = (value, type, converter) => {
  if (value === null) return null;
  if (INTEGER_TYPES.has(type.typeId)) return integerValue(value);
  if (TIMESTAMP_TYPES.has(type.typeId)) return timestampIso(value, type);
  switch (type.typeId) {
    case DuckDBTypeId.DATE:
      return String(value);
    case DuckDBTypeId.DECIMAL:
      return Number(String(value));
    case DuckDBTypeId.MAP:
      return mapObject(value, type, converter);
    default:
      return JsonDuckDBValueConverter(value, type, converter as DuckDBValueConverter<Json>) as PlainValue;
  }
};

const SIMPLE_TRINO_TYPES: Partial<Record<DuckDBTypeId, string>> = {
  [DuckDBTypeId.BOOLEAN]: 'boolean',
  [DuckDBTypeId.TINYINT]: 'tinyint',
  [DuckDBTypeId.SMALLINT]: 'smallint',
  [DuckDBTypeId.INTEGER]: 'integer',
  [DuckDBTypeId.BIGINT]: 'bigint',
  // sum() and count over integers: Trino's are bigint.
  [DuckDBTypeId.HUGEINT]: 'bigint',
  [DuckDBTypeId.UTINYINT]: 'smallint',
  [DuckDBTypeId.USMALLINT]: 'integer',
  [DuckDBTypeId.UINTEGER]: 'bigint',
  [DuckDBTypeId.UBIGINT]: 'bigint',
  [DuckDBTypeId.FLOAT]: 'real',
  [DuckDBTypeId.DOUBLE]: 'double',
  [DuckDBTypeId.VARCHAR]: 'varchar',
  [DuckDBTypeId.BLOB]: 'varbinary',
  [DuckDBTypeId.DATE]: 'date',
  [DuckDBTypeId.TIME]: 'time(3)',
  [DuckDBTypeId.TIME_TZ]: 'time(3) with time zone',
  [DuckDBTypeId.TIMESTAMP]: 'timestamp(3)',
  [DuckDBTypeId.TIMESTAMP_MS]: 'timestamp(3)',
  [DuckDBTypeId.TIMESTAMP_S]: 'timestamp(0)',
  [DuckDBTypeId.TIMESTAMP_NS]: 'timestamp(9)',
  [DuckDBTypeId.TIMESTAMP_TZ]: 'timestamp(3) with time zone',
  [DuckDBTypeId.INTERVAL]: 'interval day to second',
  [DuckDBTypeId.UUID]: 'uuid',
  [DuckDBTypeId.SQLNULL]: 'unknown',
};

/**
 * A DuckDB result type by Trino's name for it, as Athena reports a column's type: `integer`, `varchar`,
 * `timestamp(3) with time zone`, `array(row(key varchar, value bigint))`. The local engine's results and
 * `typeof()` (the `_lakeq_trino_type` macro) name types the same way.
 *
 * @example
 * ```ts
 * trinoTypeName(LIST(INTEGER)) // 'array(integer)'
 * ```
 */
export function trinoTypeName(type: DuckDBType): string {
  if (type.alias?.toUpperCase() === 'JSON') return 'json';
  const simple = SIMPLE_TRINO_TYPES[type.typeId];
  if (simple) return simple;
  const t = type as unknown as {
    valueType?: DuckDBType;
    keyType?: DuckDBType;
    entryNames?: readonly string[];
    entryTypes?: readonly DuckDBType[];
    width?: number;
    scale?: number;
  };
  switch (type.typeId) {
    case DuckDBTypeId.DECIMAL:
      return `decimal(${t.width},${t.scale})`;
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return `array(${trinoTypeName(t.valueType as DuckDBType)})`;
    case DuckDBTypeId.MAP:
      return `map(${trinoTypeName(t.keyType as DuckDBType)}, ${trinoTypeName(t.valueType as DuckDBType)})`;
    case DuckDBTypeId.STRUCT:
      return `row(${(t.entryTypes ?? [])
        .map((f, i) => {
          const name = t.entryNames?.[i] ?? '';
          return name === '' ? trinoTypeName(f) : `${name} ${trinoTypeName(f)}`;
        })
        .join(', ')})`;
    default:
      return String(type).toLowerCase();
  }
}

/**
 * Turns a parameter from a compiled query into a value DuckDB can bind: Dates become
 * TIMESTAMP values (UTC), the rest binds as is.
 */
export function toDuckDbParameter(value: unknown): DuckDBValue {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new LakeqError('BAD_PARAMETER', 'invalid Date parameter');
    return timestampValue(BigInt(value.getTime()) * 1000n);
  }
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value;
  throw new LakeqError('BAD_PARAMETER', `cannot bind a parameter of type ${typeof value} on DuckDB`);
}
