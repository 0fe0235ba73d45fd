import { parseHiveType, toHiveType } from '../hive-types.ts';
import type { TableDefinition } from '../table-definition.ts';
import { type CuratedTableTarget, curatedTableLocation, parquetCompression } from './curated-table-ddl.ts';

/*
 * The Glue shapes lakeq sends, spelled as @aws-sdk/client-glue spells them (only the members
 * lakeq sets), so these objects go into CreateTable/UpdateTable/Batch*Partition as they are.
 */
export interface GlueColumn {
  readonly Name: string;
  readonly Type: string;
  readonly Comment?: string;
}

export interface GlueStorageDescriptor {
  readonly Columns: readonly GlueColumn[];
  readonly Location: string;
  readonly InputFormat: string;
  readonly OutputFormat: string;
  readonly Compressed: boolean;
  readonly StoredAsSubDirectories: boolean;
  readonly SerdeInfo: {
    readonly SerializationLibrary: string;
    readonly Parameters: Readonly<Record<string, string>>;
  };
}

export interface GlueTableInput {
  readonly Name: string;
  readonly Description?: string;
  readonly TableType: 'EXTERNAL_TABLE';
  readonly Parameters: Readonly<Record<string, string>>;
  readonly PartitionKeys: readonly GlueColumn[];
  readonly StorageDescriptor: GlueStorageDescriptor;
}

export interface GluePartitionInput {
  readonly Values: readonly string[];
  readonly StorageDescriptor: GlueStorageDescriptor;
  readonly Parameters?: Readonly<Record<string, string>>;
}

export const PARQUET_INPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat';
export const PARQUET_OUTPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat';
export const PARQUET_SERDE = 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe';

/** Glue's Column.Comment: at most 255 characters, one line. */
const MAX_COMMENT = 255;
/** Glue's TableInput.Description limit. */
const MAX_DESCRIPTION = 2048;

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  // Cut by code points so a surrogate pair is never split.
  const chars = Array.from(text);
  let out = '';
  for (const ch of chars) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/** Catalog columns: names lower case (Glue and Athena fold them), canonical Hive types, short comments. */
export function glueColumns(
  columns: readonly { readonly name: string; readonly type: string; readonly comment?: string }[],
): GlueColumn[] {
  return columns.map((c) => ({
    Name: c.name.toLowerCase(),
    Type: toHiveType(parseHiveType(c.type)),
    ...(c.comment ? { Comment: clip(c.comment.replace(/\s+/g, ' ').trim(), MAX_COMMENT) } : {}),
  }));
}

/**
 * The Parquet storage descriptor of a curated table at `location`; partitions get the same one
 * with their own location, so every partition reads with the table's schema.
 */
export function parquetStorageDescriptor(def: TableDefinition, location: string): GlueStorageDescriptor {
  return {
    Columns: glueColumns(def.columns),
    Location: location,
    InputFormat: PARQUET_INPUT_FORMAT,
    OutputFormat: PARQUET_OUTPUT_FORMAT,
    Compressed: false,
    StoredAsSubDirectories: false,
    SerdeInfo: { SerializationLibrary: PARQUET_SERDE, Parameters: { 'serialization.format': '1' } },
  };
}

/**
 * The Glue `TableInput` of a curated table, for CreateTable and UpdateTable. Partitions are
 * registered one by one (BatchCreatePartition), never projected.
 *
 * @example
 * ```ts
 * await glue.send(new CreateTableCommand({
 *   DatabaseName: 'lakeq',
 *   TableInput: glueTableInput(cloudtrailEvents, { bucket: 'lake', prefix: 'lakeq' }),
 * }));
 * // TableInput.StorageDescriptor.Location = 's3://lake/lakeq/curated/cloudtrail_events/'
 * ```
 */
export function glueTableInput(
  def: TableDefinition,
  target: Omit<CuratedTableTarget, 'database'>,
): GlueTableInput {
  return {
    Name: def.name,
    Description: clip(def.description, MAX_DESCRIPTION),
    TableType: 'EXTERNAL_TABLE',
    Parameters: {
      EXTERNAL: 'TRUE',
      classification: 'parquet',
      'parquet.compression': parquetCompression(def),
    },
    PartitionKeys: glueColumns(def.partitionKeys),
    StorageDescriptor: parquetStorageDescriptor(def, curatedTableLocation(def, target)),
  };
}
