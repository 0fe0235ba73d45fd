import type { InputColumn, InputColumnDataType } from '@aws-sdk/client-quicksight';
import { type HiveType, parseHiveType } from '../../catalog/hive-types.ts';
import type { TableDefinition } from '../../catalog/table-definition.ts';
import { LakeqError } from '../../engines/engine.ts';

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
export function tableInputColumns(def: TableDefinition): InputColumn[] {
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
