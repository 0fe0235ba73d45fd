import {
  CreateDatabaseCommand,
  type CreateDatabaseCommandOutput,
  CreateTableCommand,
  type CreateTableCommandOutput,
  type Database,
  GetDatabaseCommand,
  type GetDatabaseCommandOutput,
  GetTableCommand,
  type GetTableCommandOutput,
  type Table,
  type TableInput,
  UpdateDatabaseCommand,
  type UpdateDatabaseCommandOutput,
  UpdateTableCommand,
  type UpdateTableCommandOutput,
} from '@aws-sdk/client-glue';
import type { GlueTableInput } from '../catalog/athena/glue-table-input.ts';
import { diffValues } from './diff-values.ts';
import { absentIfNotFound, type Resource, sdkInput } from './resource.ts';

/** The Glue calls deploy makes; a real `GlueClient` fits. */
export interface GlueLike {
  send(command: GetDatabaseCommand): Promise<GetDatabaseCommandOutput>;
  send(command: CreateDatabaseCommand): Promise<CreateDatabaseCommandOutput>;
  send(command: UpdateDatabaseCommand): Promise<UpdateDatabaseCommandOutput>;
  send(command: GetTableCommand): Promise<GetTableCommandOutput>;
  send(command: CreateTableCommand): Promise<CreateTableCommandOutput>;
  send(command: UpdateTableCommand): Promise<UpdateTableCommandOutput>;
}

const DATABASE_DESCRIPTION =
  'lakeq: the raw CloudTrail table and the curated hour-partitioned Parquet tables';

/**
 * The Glue database. An update changes the description and keeps the database's other settings.
 *
 * @example
 * ```ts
 * await planResource(glueDatabaseResource(glue, 'lakeq'))
 * // GetDatabase → EntityNotFoundException → { action: 'create' } → CreateDatabase { DatabaseInput: { Name: 'lakeq', … } }
 * ```
 */
export function glueDatabaseResource(glue: GlueLike, name: string): Resource<Database> {
  const desired = { Name: name, Description: DATABASE_DESCRIPTION };
  return {
    kind: 'glue-database',
    name,
    describe: async () =>
      (await absentIfNotFound(() => glue.send(new GetDatabaseCommand({ Name: name }))))?.Database,
    diff: (current) => diffValues({ Description: desired.Description }, current),
    create: async () => {
      await glue.send(new CreateDatabaseCommand({ DatabaseInput: desired }));
    },
    update: async (current) => {
      const keep = {
        ...(current.LocationUri ? { LocationUri: current.LocationUri } : {}),
        ...(current.Parameters ? { Parameters: current.Parameters } : {}),
      };
      await glue.send(new UpdateDatabaseCommand({ Name: name, DatabaseInput: { ...keep, ...desired } }));
    },
  };
}

/**
 * A Glue table from its `TableInput` (a source's raw table, such as `cloudtrail_logs`, or a curated table). Only the
 * members lakeq sets are compared, so the catalog's own additions (CreateTime, `transient_lastDdlTime`)
 * never cause an update; an update sends the whole TableInput, which replaces the table's definition.
 *
 * @example
 * ```ts
 * glueTableResource(glue, 'lakeq', glueTableInput(cloudtrailEvents, { bucket: 'lake', prefix: 'lakeq' }))
 * // a column added to the definition → { action: 'update', diff: ['StorageDescriptor.Columns: + newcol (string)'] }
 * ```
 */
export function glueTableResource(glue: GlueLike, database: string, input: GlueTableInput): Resource<Table> {
  const tableInput = sdkInput<TableInput>(input);
  return {
    kind: 'glue-table',
    name: `${database}.${input.Name}`,
    describe: async () =>
      (
        await absentIfNotFound(() =>
          glue.send(new GetTableCommand({ DatabaseName: database, Name: input.Name })),
        )
      )?.Table,
    diff: (current) => diffValues(tableInput, current),
    create: async () => {
      await glue.send(new CreateTableCommand({ DatabaseName: database, TableInput: tableInput }));
    },
    update: async () => {
      await glue.send(new UpdateTableCommand({ DatabaseName: database, TableInput: tableInput }));
    },
  };
}
