import type { ColumnInfo, Row } from '@aws-sdk/client-athena';

/** A converted Athena value: rows stay JSON-safe (no JS bigint, no Date). */
export type AthenaValue = string | number | boolean | null;

/**
 * Converts one `VarCharValue` by its `ColumnInfo.Type`. An absent value is SQL NULL.
 *
 * - boolean → boolean; tinyint, smallint, integer → number
 * - bigint → number while `Number.isSafeInteger`, else the exact digits as a string
 * - double, float, real → number (`NaN` and `±Infinity` included)
 * - decimal → string, always: a column keeps one JS type, and decimal(38, s) does not fit a double
 * - date → `'YYYY-MM-DD'` as Athena writes it
 * - timestamp, timestamp with time zone → UTC ISO `'YYYY-MM-DDTHH:mm:ss.sssZ'` (a naive timestamp is
 *   UTC, as everywhere in lakeq; digits beyond milliseconds are dropped)
 * - varchar, char, json, ipaddress, time, interval, varbinary, uuid → string as returned
 * - array, map, row → the string Athena renders (`[a, b]`, `{k=v}`): it does not quote strings, so
 *   it cannot be parsed back reliably; select `json_format(cast(x as json))` to get JSON instead
 *
 * @example
 * ```ts
 * convertAthenaValue('9007199254740993', 'bigint')                  // '9007199254740993'
 * convertAthenaValue('2026-03-01 12:00:00.123', 'timestamp')        // '2026-03-01T12:00:00.123Z'
 * convertAthenaValue('2026-03-01 13:00:00.000 +01:00', 'timestamp with time zone') // '2026-03-01T12:00:00.000Z'
 * ```
 */
export function convertAthenaValue(text: string | null | undefined, type: string): AthenaValue {
  if (text === undefined || text === null) return null;
  switch (baseType(type)) {
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'int':
      return toNumber(text);
    case 'bigint': {
      const n = Number(text);
      return /^-?\d+$/.test(text.trim()) && Number.isSafeInteger(n) ? n : text;
    }
    case 'double':
    case 'float':
    case 'real':
      return toNumber(text);
    case 'timestamp':
    case 'timestamp with time zone':
      return timestampToIso(text) ?? text;
    default:
      return text;
  }
}

/**
 * Turns one result row into a record keyed by column name. DESCRIBE and SHOW return a single
 * tab-joined field per row while ColumnInfo lists several columns; that field is split on tabs.
 *
 * @example
 * ```ts
 * athenaRowToRecord({ Data: [{ VarCharValue: '200' }, {}] }, [{ Name: 'status', Type: 'integer' }, { Name: 'uri', Type: 'varchar' }])
 * // { status: 200, uri: null }
 * ```
 */
export function athenaRowToRecord(row: Row, columns: readonly ColumnInfo[]): Record<string, AthenaValue> {
  let texts = (row.Data ?? []).map((datum) => datum.VarCharValue);
  const only = texts[0];
  if (texts.length === 1 && columns.length > 1 && only?.includes('\t')) {
    texts = only.split('\t').map((part) => part.trim());
  }
  const record: Record<string, AthenaValue> = {};
  columns.forEach((column, i) => {
    record[column.Name ?? `_col${i}`] = convertAthenaValue(texts[i], column.Type ?? 'varchar');
  });
  return record;
}

/** True when a row repeats the column names: the header row of a SELECT's first result page. */
export function isHeaderRow(row: Row | undefined, columns: readonly ColumnInfo[]): boolean {
  const data = row?.Data;
  if (!data || data.length !== columns.length || columns.length === 0) return false;
  return columns.every((column, i) => {
    const text = data[i]?.VarCharValue;
    return text === column.Name || text === column.Label;
  });
}

/** `timestamp(3) with time zone` → `timestamp with time zone`, `decimal(10,2)` → `decimal`, `array(varchar)` → `array`. */
function baseType(type: string): string {
  return type
    .toLowerCase()
    .replace(/\(.*?\)+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function toNumber(text: string): number | string {
  const n = Number(text);
  return Number.isNaN(n) && text !== 'NaN' ? text : n;
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(?:\s*(.+))?$/;

function timestampToIso(text: string): string | undefined {
  const match = TIMESTAMP.exec(text.trim());
  if (!match) return undefined;
  const [, date, clock, fraction = '', zone = 'UTC'] = match;
  const time = clock!.length === 5 ? `${clock}:00` : clock;
  const local = `${date}T${time}.${fraction.padEnd(3, '0').slice(0, 3)}`;
  if (zone === 'UTC' || zone === 'Z' || zone === 'GMT') return `${local}Z`;
  if (/^[+-]\d{2}:?\d{2}$/.test(zone)) return isoOrUndefined(Date.parse(`${local}${zone}`));
  return isoOrUndefined(zonedToUtc(Date.parse(`${local}Z`), zone));
}

/** Wall-clock time in an IANA zone (given as if it were UTC) → the UTC instant; NaN for an unknown zone. */
function zonedToUtc(wallMs: number, zone: string): number {
  try {
    const first = wallMs - zoneOffsetMs(zone, wallMs);
    return wallMs - zoneOffsetMs(zone, first);
  } catch {
    return Number.NaN;
  }
}

function zoneOffsetMs(zone: string, utcMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

function isoOrUndefined(ms: number): string | undefined {
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
