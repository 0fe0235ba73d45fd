import type { InputColumnDataType } from '@aws-sdk/client-quicksight';
import { type HiveType, parseHiveType } from '../catalog/hive-types.ts';
import type { TableDefinition } from '../catalog/table-definition.ts';
import { LakeqError } from '../engines/engine.ts';

/** A QuickSight `InputColumn` with its members set: a column of a SPICE dataset. */
export interface SpiceColumn {
  readonly Name: string;
  readonly Type: InputColumnDataType;
}

/**
 * QuickSight's input type of a Hive column type. SPICE has no arrays, maps or structs: a dataset
 * over such a column must select a flattened form (a query source), so those are refused here.
 *
 * @example
 * ```ts
 * quickSightType('bigint')         // 'INTEGER'
 * quickSightType('decimal(10,2)')  // 'DECIMAL'
 * quickSightType('map<string,string>') // throws
 * ```
 */
export function quickSightType(hiveType: string): InputColumnDataType {
  const type: HiveType = parseHiveType(hiveType);
  switch (type.kind) {
    case 'varchar':
    case 'char':
      return 'STRING';
    case 'decimal':
      return 'DECIMAL';
    case 'primitive':
      switch (type.name) {
        case 'string':
          return 'STRING';
        case 'bigint':
        case 'int':
        case 'smallint':
        case 'tinyint':
          return 'INTEGER';
        case 'double':
        case 'float':
          return 'DECIMAL';
        case 'boolean':
          return 'BOOLEAN';
        case 'timestamp':
        case 'date':
          return 'DATETIME';
        case 'binary':
          break;
      }
      break;
    default:
      break;
  }
  throw new LakeqError('SPICE_COLUMN_TYPE', `SPICE cannot import a column of type ${hiveType}`);
}

/**
 * The input columns of a curated table as QuickSight reads it from Athena: its columns, then
 * the partition keys `dt` and `hour`.
 *
 * @example
 * ```ts
 * tableInputColumns(identityCenterInstanceChurnHourly)
 * // [{ Name: 'account_id', Type: 'STRING' }, …, { Name: 'net', Type: 'INTEGER' }, …, { Name: 'dt', Type: 'STRING' }, { Name: 'hour', Type: 'STRING' }]
 * ```
 */
export function tableInputColumns(def: TableDefinition): SpiceColumn[] {
  return [...def.columns, ...def.partitionKeys].map((c) => {
    try {
      return { Name: c.name.toLowerCase(), Type: quickSightType(c.type) };
    } catch (error) {
      throw new LakeqError(
        'SPICE_COLUMN_TYPE',
        `table ${def.name}, column ${c.name}: ${(error as Error).message}`,
      );
    }
  });
}

/** Ledger columns holding an ISO 8601 time as a string: the ledger's SPICE dataset reads them as DATETIME. */
export const LEDGER_TIME_COLUMNS: readonly string[] = ['startedAt', 'finishedAt'];

/**
 * The columns of the run ledger (`lakeq_runs`) as its SPICE dataset reads them: the scalar
 * columns of LEDGER_COLUMNS, lower-cased as Athena names them, with the ISO time strings
 * `startedAt` and `finishedAt` as DATETIME (the SQL of the ledger's dataset casts them), and `dt` a DATETIME day as in every dataset. The arrays (`quarantined`, `engineQueryIds`) are
 * left out: SPICE has no arrays.
 *
 * @example
 * ```ts
 * ledgerInputColumns(LEDGER_COLUMNS)
 * // [{ Name: 'runid', Type: 'STRING' }, { Name: 'table', Type: 'STRING' }, …, { Name: 'startedat', Type: 'DATETIME' }, …]
 * ```
 */
export function ledgerInputColumns(
  columns: readonly { readonly name: string; readonly type: string }[],
): SpiceColumn[] {
  return columns.flatMap((c) => {
    const kind = parseHiveType(c.type).kind;
    if (kind === 'array' || kind === 'map' || kind === 'struct') return [];
    const Type: InputColumnDataType =
      LEDGER_TIME_COLUMNS.includes(c.name) || c.name === 'dt' ? 'DATETIME' : quickSightType(c.type);
    return [{ Name: c.name.toLowerCase(), Type }];
  });
}
