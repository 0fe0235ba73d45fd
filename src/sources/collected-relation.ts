import type { TableColumn } from '../catalog/table-definition.ts';

/**
 * A relation a `collected` source's collector writes (Glue's job runs, Identity Center's users):
 * NDJSON files in `<root>/<folder>/dt=…/hour=…/<fileName>`, read locally as a DuckDB view and on
 * Athena as an external table of the same columns.
 */
export interface CollectedRelation<S extends string = string> {
  readonly source: S;
  /** The relation transforms read: a DuckDB view locally, an external table on Athena. */
  readonly relation: string;
  /** The folder under the collected root. */
  readonly folder: string;
  /** The name the collector gives each partition's file. */
  readonly fileName: string;
  /**
   * The collected keys, in file order, with the curated table's Hive types. In the raw
   * relation a `timestamp` column is the collector's ISO 8601 text, converted by the transform.
   */
  readonly columns: readonly TableColumn[];
  /** The key one row stands for; the transform keeps one row per key. */
  readonly key: readonly string[];
}

/** A collected column's type in the raw relation: timestamps stay the collector's ISO text. */
export function rawColumnType(column: TableColumn): string {
  return column.type === 'timestamp' ? 'string' : column.type;
}
