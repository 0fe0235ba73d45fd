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
