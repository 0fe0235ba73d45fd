import {
  type DatabaseIntrospector,
  type DatabaseMetadataOptions,
  type Kysely,
  type SchemaMetadata,
  sql,
  type TableMetadata,
} from 'kysely';

interface ColumnRow {
  table_schema: string;
  table_name: string;
  table_type: string;
  column_name: string;
  data_type: string;
  is_nullable: string;
}

/**
 * Reads tables and columns from `information_schema`, which DuckDB and Athena both offer
 * (CloudTrail Lake has none, and its dialect does not use this).
 */
export class InformationSchemaIntrospector implements DatabaseIntrospector {
  readonly #db: Kysely<unknown>;
  constructor(db: Kysely<unknown>) {
    this.#db = db;
  }
  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{
      schema_name: string;
    }>`select schema_name from information_schema.schemata`.execute(this.#db);
    return rows.map((r) => ({ name: r.schema_name }));
  }
  async getTables(
    options: DatabaseMetadataOptions = { withInternalKyselyTables: false },
  ): Promise<TableMetadata[]> {
    const { rows } = await sql<ColumnRow>`
      select c.table_schema, c.table_name, t.table_type, c.column_name, c.data_type, c.is_nullable
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      order by c.table_schema, c.table_name, c.ordinal_position`.execute(this.#db);
    type MutableTable = TableMetadata & { columns: TableMetadata['columns'][number][] };
    const tables = new Map<string, MutableTable>();
    for (const r of rows) {
      if (!options.withInternalKyselyTables && r.table_name.startsWith('kysely_')) continue;
      const key = `${r.table_schema}.${r.table_name}`;
      let table = tables.get(key);
      if (!table) {
        const isView = r.table_type === 'VIEW';
        table = { name: r.table_name, schema: r.table_schema, isView, isForeign: false, columns: [] };
        tables.set(key, table);
      }
      table.columns.push({
        name: r.column_name,
        dataType: r.data_type,
        isNullable: r.is_nullable === 'YES',
        isAutoIncrementing: false,
        hasDefaultValue: false,
      });
    }
    return [...tables.values()];
  }
}
