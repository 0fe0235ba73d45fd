import { createHash, randomUUID } from 'node:crypto';
import {
  AthenaClient,
  BatchGetNamedQueryCommand,
  type BatchGetNamedQueryInput,
  CreateNamedQueryCommand,
  type CreateNamedQueryInput,
  CreateWorkGroupCommand,
  type CreateWorkGroupInput,
  GetQueryExecutionCommand,
  type GetQueryExecutionInput,
  GetQueryResultsCommand,
  GetWorkGroupCommand,
  type GetWorkGroupInput,
  InvalidRequestException,
  ListNamedQueriesCommand,
  type ListNamedQueriesInput,
  type NamedQuery,
  StartQueryExecutionCommand,
  type StartQueryExecutionInput,
  UpdateNamedQueryCommand,
  type UpdateNamedQueryInput,
  UpdateWorkGroupCommand,
  type UpdateWorkGroupInput,
  type WorkGroup,
} from '@aws-sdk/client-athena';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandInput,
  type MetricAlarm,
  PutMetricAlarmCommand,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateDatabaseCommand,
  type CreateDatabaseRequest,
  CreateTableCommand,
  type CreateTableRequest,
  type DatabaseInput,
  EntityNotFoundException,
  GetDatabaseCommand,
  type GetDatabaseRequest,
  GetTableCommand,
  type GetTableRequest,
  GlueClient,
  type TableInput,
  UpdateDatabaseCommand,
  type UpdateDatabaseRequest,
  UpdateTableCommand,
  type UpdateTableRequest,
} from '@aws-sdk/client-glue';
import {
  CreateFunctionCommand,
  type CreateFunctionRequest,
  type FunctionConfiguration,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  type GetFunctionRequest,
  LambdaClient,
  ResourceNotFoundException as LambdaNotFound,
  UpdateFunctionCodeCommand,
  type UpdateFunctionCodeRequest,
  UpdateFunctionConfigurationCommand,
  type UpdateFunctionConfigurationRequest,
} from '@aws-sdk/client-lambda';
import {
  CreateDataSetCommand,
  type CreateDataSetRequest,
  CreateDataSourceCommand,
  type CreateDataSourceRequest,
  type DataSource,
  DescribeDataSetCommand,
  DescribeDataSetPermissionsCommand,
  type DescribeDataSetRequest,
  DescribeDataSourceCommand,
  DescribeDataSourcePermissionsCommand,
  type DescribeDataSourceRequest,
  QuickSightClient,
  ResourceNotFoundException as QuickSightNotFound,
  type ResourcePermission,
  UpdateDataSetCommand,
  UpdateDataSetPermissionsCommand,
  type UpdateDataSetPermissionsRequest,
  type UpdateDataSetRequest,
  UpdateDataSourceCommand,
  UpdateDataSourcePermissionsCommand,
  type UpdateDataSourcePermissionsRequest,
  type UpdateDataSourceRequest,
} from '@aws-sdk/client-quicksight';
import {
  CreateScheduleCommand,
  type CreateScheduleInput,
  GetScheduleCommand,
  type GetScheduleInput,
  SchedulerClient,
  ResourceNotFoundException as SchedulerNotFound,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import {
  CreateStateMachineCommand,
  type CreateStateMachineInput,
  DescribeStateMachineCommand,
  type DescribeStateMachineInput,
  SFNClient,
  StateMachineDoesNotExist,
  UpdateStateMachineCommand,
  type UpdateStateMachineInput,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';

/*
 * An in-memory AWS behind aws-sdk-client-mock, for the deploy tests: what a Create/Update
 * stores, a Describe/Get returns, with the members AWS adds (times, ARNs, defaults), so "no
 * change on a second deploy" is tested against realistic responses.
 */

export const glue = mockClient(GlueClient);
export const athena = mockClient(AthenaClient);
export const sfn = mockClient(SFNClient);
export const lambda = mockClient(LambdaClient);
export const scheduler = mockClient(SchedulerClient);
export const quicksight = mockClient(QuickSightClient);
export const cloudwatch = mockClient(CloudWatchClient);
export const MOCKS = { glue, athena, sfn, lambda, scheduler, quicksight, cloudwatch } as const;

interface FakeDataSource {
  source: CreateDataSourceRequest;
  permissions: ResourcePermission[];
  status: string;
  settlesAs: string;
}

export interface FakeAws {
  databases: Map<string, DatabaseInput>;
  tables: Map<string, TableInput>;
  workGroups: Map<string, WorkGroup>;
  namedQueries: Map<string, NamedQuery>;
  queries: string[];
  functions: Map<string, FunctionConfiguration>;
  stateMachines: Map<string, CreateStateMachineInput>;
  schedules: Map<string, CreateScheduleInput>;
  dataSources: Map<string, FakeDataSource>;
  /** How the next CreateDataSource ends, once a Describe has seen it in progress. */
  dataSourceCreation: 'CREATION_SUCCESSFUL' | 'CREATION_FAILED';
  dataSets: Map<string, { set: CreateDataSetRequest; permissions: ResourcePermission[] }>;
  alarms: Map<string, MetricAlarm>;
}

const created = new Date('2026-11-01T00:00:00Z');
const glueMissing = (what: string) =>
  new EntityNotFoundException({ message: `${what} not found.`, $metadata: {} });
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');

function presto(sql: string): string {
  const body = sql.replace(/^\s*CREATE\s+OR\s+REPLACE\s+VIEW\s+\S+\s+AS\s+/i, '');
  const view = { originalSql: body, catalog: 'awsdatacatalog', schema: 'lakeq', columns: [], owner: ACCOUNT };
  return `/* Presto View: ${Buffer.from(JSON.stringify(view)).toString('base64')} */`;
}

export function installFakeAws(): FakeAws {
  const fake: FakeAws = {
    databases: new Map(),
    tables: new Map(),
    workGroups: new Map(),
    namedQueries: new Map(),
    queries: [],
    functions: new Map(),
    stateMachines: new Map(),
    schedules: new Map(),
    dataSources: new Map(),
    dataSourceCreation: 'CREATION_SUCCESSFUL',
    dataSets: new Map(),
    alarms: new Map(),
  };
  glue.on(GetDatabaseCommand).callsFake(async ({ Name }: GetDatabaseRequest) => {
    const db = fake.databases.get(Name as string);
    if (!db) throw glueMissing(`Database ${Name}`);
    return {
      Database: { ...db, CreateTime: created, CatalogId: ACCOUNT, CreateTableDefaultPermissions: [] },
    };
  });
  glue.on(CreateDatabaseCommand).callsFake(async ({ DatabaseInput }: CreateDatabaseRequest) => {
    fake.databases.set(DatabaseInput?.Name as string, DatabaseInput as DatabaseInput);
    return {};
  });
  glue.on(UpdateDatabaseCommand).callsFake(async ({ Name, DatabaseInput }: UpdateDatabaseRequest) => {
    fake.databases.set(Name as string, DatabaseInput as DatabaseInput);
    return {};
  });
  glue.on(GetTableCommand).callsFake(async ({ DatabaseName, Name }: GetTableRequest) => {
    if (!fake.databases.has(DatabaseName as string)) throw glueMissing(`Database ${DatabaseName}`);
    const table = fake.tables.get(`${DatabaseName}.${Name}`);
    if (!table) throw glueMissing(`Table ${Name}`);
    const sd = table.StorageDescriptor;
    return {
      Table: {
        ...table,
        Name: table.Name as string,
        DatabaseName,
        CreateTime: created,
        UpdateTime: created,
        Retention: 0,
        CatalogId: ACCOUNT,
        IsRegisteredWithLakeFormation: false,
        Parameters: { ...table.Parameters, transient_lastDdlTime: '1793491200' },
        ...(sd
          ? { StorageDescriptor: { ...sd, NumberOfBuckets: -1, SortColumns: [], BucketColumns: [] } }
          : {}),
      },
    };
  });
  const putTable = async ({ DatabaseName, TableInput }: CreateTableRequest | UpdateTableRequest) => {
    fake.tables.set(`${DatabaseName}.${TableInput?.Name}`, structuredClone(TableInput as TableInput));
    return {};
  };
  glue.on(CreateTableCommand).callsFake(putTable);
  glue.on(UpdateTableCommand).callsFake(putTable);

  const noWorkGroup = (name: string | undefined) =>
    new InvalidRequestException({ message: `WorkGroup ${name} is not found.`, $metadata: {} });
  athena.on(GetWorkGroupCommand).callsFake(async ({ WorkGroup: name }: GetWorkGroupInput) => {
    const wg = fake.workGroups.get(name as string);
    if (!wg) throw noWorkGroup(name);
    const engine = { ...wg.Configuration?.EngineVersion, EffectiveEngineVersion: 'Athena engine version 3' };
    return {
      WorkGroup: {
        ...wg,
        CreationTime: created,
        Configuration: { ...wg.Configuration, RequesterPaysEnabled: false, EngineVersion: engine },
      },
    };
  });
  athena
    .on(CreateWorkGroupCommand)
    .callsFake(async ({ Name, Description, Configuration }: CreateWorkGroupInput) => {
      fake.workGroups.set(Name as string, {
        Name: Name as string,
        Description,
        State: 'ENABLED',
        Configuration,
      });
      return {};
    });
  athena.on(UpdateWorkGroupCommand).callsFake(async (input: UpdateWorkGroupInput) => {
    const wg = fake.workGroups.get(input.WorkGroup as string) as WorkGroup;
    const u = input.ConfigurationUpdates ?? {};
    const { BytesScannedCutoffPerQuery: _, ...kept } = wg.Configuration ?? {};
    fake.workGroups.set(wg.Name as string, {
      ...wg,
      Description: input.Description,
      State: input.State,
      Configuration: {
        ...(u.RemoveBytesScannedCutoffPerQuery ? kept : wg.Configuration),
        EnforceWorkGroupConfiguration: u.EnforceWorkGroupConfiguration,
        PublishCloudWatchMetricsEnabled: u.PublishCloudWatchMetricsEnabled,
        EngineVersion: u.EngineVersion,
        ResultConfiguration: { OutputLocation: u.ResultConfigurationUpdates?.OutputLocation },
        ...(u.BytesScannedCutoffPerQuery ? { BytesScannedCutoffPerQuery: u.BytesScannedCutoffPerQuery } : {}),
      },
    });
    return {};
  });
  // Pages of 4, fewer than asked for, as AWS may return: deploy must follow NextToken.
  athena
    .on(ListNamedQueriesCommand)
    .callsFake(async ({ WorkGroup: name, NextToken }: ListNamedQueriesInput) => {
      if (!fake.workGroups.has(name as string)) throw noWorkGroup(name);
      const ids = [...fake.namedQueries.values()]
        .filter((q) => q.WorkGroup === name)
        .map((q) => q.NamedQueryId as string);
      const start = Number(NextToken ?? 0);
      return {
        NamedQueryIds: ids.slice(start, start + 4),
        ...(start + 4 < ids.length ? { NextToken: String(start + 4) } : {}),
      };
    });
  athena.on(BatchGetNamedQueryCommand).callsFake(async ({ NamedQueryIds }: BatchGetNamedQueryInput) => ({
    NamedQueries: (NamedQueryIds ?? []).map((id) => fake.namedQueries.get(id) as NamedQuery),
    UnprocessedNamedQueryIds: [],
  }));
  athena.on(CreateNamedQueryCommand).callsFake(async (input: CreateNamedQueryInput) => {
    const id = randomUUID();
    fake.namedQueries.set(id, { ...(input as NamedQuery), NamedQueryId: id });
    return { NamedQueryId: id };
  });
  athena.on(UpdateNamedQueryCommand).callsFake(async (input: UpdateNamedQueryInput) => {
    const q = fake.namedQueries.get(input.NamedQueryId as string) as NamedQuery;
    fake.namedQueries.set(q.NamedQueryId as string, { ...q, ...input } as NamedQuery);
    return {};
  });
  athena
    .on(StartQueryExecutionCommand)
    .callsFake(async ({ QueryString, QueryExecutionContext }: StartQueryExecutionInput) => {
      fake.queries.push(QueryString as string);
      const view = /^\s*CREATE\s+OR\s+REPLACE\s+VIEW\s+(\S+)/i.exec(QueryString as string);
      if (view) {
        const name = view[1] as string;
        fake.tables.set(`${QueryExecutionContext?.Database}.${name}`, {
          Name: name,
          TableType: 'VIRTUAL_VIEW',
          ViewOriginalText: presto(QueryString as string),
          ViewExpandedText: '/* Presto View */',
          Parameters: { presto_view: 'true', comment: 'Presto View' },
        });
      }
      return { QueryExecutionId: `q-${fake.queries.length}` };
    });
  athena.on(GetQueryExecutionCommand).callsFake(async ({ QueryExecutionId }: GetQueryExecutionInput) => ({
    QueryExecution: { QueryExecutionId, StatementType: 'DDL', Status: { State: 'SUCCEEDED' } },
  }));
  athena
    .on(GetQueryResultsCommand)
    .resolves({ ResultSet: { Rows: [], ResultSetMetadata: { ColumnInfo: [] } } });

  sfn.on(DescribeStateMachineCommand).callsFake(async ({ stateMachineArn }: DescribeStateMachineInput) => {
    const sm = fake.stateMachines.get(stateMachineArn as string);
    if (!sm)
      throw new StateMachineDoesNotExist({
        message: `State Machine Does Not Exist: '${stateMachineArn}'`,
        $metadata: {},
      });
    return { ...sm, stateMachineArn, status: 'ACTIVE', creationDate: created, type: sm.type ?? 'STANDARD' };
  });
  sfn.on(CreateStateMachineCommand).callsFake(async (input: CreateStateMachineInput) => {
    const arn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${input.name}`;
    fake.stateMachines.set(arn, input);
    return { stateMachineArn: arn, creationDate: created };
  });
  sfn.on(UpdateStateMachineCommand).callsFake(async (input: UpdateStateMachineInput) => {
    const sm = fake.stateMachines.get(input.stateMachineArn as string) as CreateStateMachineInput;
    fake.stateMachines.set(input.stateMachineArn as string, {
      ...sm,
      definition: input.definition ?? sm.definition,
      roleArn: input.roleArn ?? sm.roleArn,
    });
    return { updateDate: created };
  });

  const fn = (name: string | undefined) => {
    const f = fake.functions.get(name as string);
    if (!f) throw new LambdaNotFound({ message: `Function not found: ${name}`, $metadata: {} });
    return f;
  };
  lambda.on(GetFunctionCommand).callsFake(async ({ FunctionName }: GetFunctionRequest) => ({
    Configuration: fn(FunctionName),
    Code: {
      RepositoryType: 'S3',
      Location: 'https://awslambda-eu-west-1-tasks.s3.eu-west-1.amazonaws.com/…',
    },
  }));
  // An update is "InProgress" until the next GetFunctionConfiguration: deploy must wait in between.
  lambda.on(GetFunctionConfigurationCommand).callsFake(async ({ FunctionName }: GetFunctionRequest) => {
    const f = fn(FunctionName);
    fake.functions.set(FunctionName as string, { ...f, LastUpdateStatus: 'Successful' });
    return f;
  });
  lambda.on(CreateFunctionCommand).callsFake(async (input: CreateFunctionRequest) => {
    const { Code, Publish: _, PackageType, ...rest } = input;
    const zip = Code?.ZipFile as Uint8Array;
    const config: FunctionConfiguration = {
      ...(rest as FunctionConfiguration),
      PackageType,
      FunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${input.FunctionName}`,
      CodeSha256: sha256(zip),
      CodeSize: zip.length,
      Version: '$LATEST',
      State: 'Active',
      LastUpdateStatus: 'Successful',
      LastModified: '2026-11-01T00:00:00.000+0000',
      TracingConfig: { Mode: 'PassThrough' },
      EphemeralStorage: { Size: 512 },
    };
    fake.functions.set(input.FunctionName as string, config);
    return config;
  });
  lambda
    .on(UpdateFunctionCodeCommand)
    .callsFake(async ({ FunctionName, ZipFile, Architectures }: UpdateFunctionCodeRequest) => {
      const f = fn(FunctionName);
      const next = {
        ...f,
        CodeSha256: sha256(ZipFile as Uint8Array),
        Architectures,
        LastUpdateStatus: 'InProgress' as const,
      };
      fake.functions.set(FunctionName as string, next);
      return next;
    });
  lambda
    .on(UpdateFunctionConfigurationCommand)
    .callsFake(async (input: UpdateFunctionConfigurationRequest) => {
      const f = fn(input.FunctionName);
      if (f.LastUpdateStatus === 'InProgress') {
        throw new Error('ResourceConflictException: An update is in progress for resource');
      }
      const next = { ...f, ...(input as FunctionConfiguration), LastUpdateStatus: 'InProgress' as const };
      fake.functions.set(input.FunctionName as string, next);
      return next;
    });

  const scheduleKey = (group: string | undefined, name: string | undefined) =>
    `${group ?? 'default'}/${name}`;
  scheduler.on(GetScheduleCommand).callsFake(async ({ Name, GroupName }: GetScheduleInput) => {
    const s = fake.schedules.get(scheduleKey(GroupName, Name));
    if (!s) {
      const message = `Schedule ${Name} does not exist.`;
      throw new SchedulerNotFound({ message, Message: message, $metadata: {} });
    }
    return {
      ...s,
      Arn: `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/${scheduleKey(GroupName, Name)}`,
      CreationDate: created,
      LastModificationDate: created,
      ActionAfterCompletion: 'NONE',
      Target: { ...s.Target, RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 } },
    };
  });
  const putSchedule = async (input: CreateScheduleInput) => {
    fake.schedules.set(scheduleKey(input.GroupName, input.Name), input);
    return {
      ScheduleArn: `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/${scheduleKey(input.GroupName, input.Name)}`,
    };
  };
  scheduler.on(CreateScheduleCommand).callsFake(putSchedule);
  scheduler.on(UpdateScheduleCommand).callsFake(putSchedule);

  const qsMissing = (what: string) => new QuickSightNotFound({ message: `${what} not found`, $metadata: {} });
  const grant = (have: ResourcePermission[], add: ResourcePermission[] | undefined) => [
    ...have,
    ...(add ?? []),
  ];
  quicksight.on(DescribeDataSourceCommand).callsFake(async ({ DataSourceId }: DescribeDataSourceRequest) => {
    const ds = fake.dataSources.get(DataSourceId as string);
    if (!ds) throw qsMissing(`DataSource ${DataSourceId}`);
    const { AwsAccountId: _, Permissions: __, ...source } = ds.source;
    const status = ds.status;
    ds.status = ds.settlesAs;
    return {
      DataSource: {
        ...source,
        Arn: `arn:aws:quicksight:${REGION}:${ACCOUNT}:datasource/${DataSourceId}`,
        Status: status as DataSource['Status'],
        ...(status === 'CREATION_FAILED'
          ? { ErrorInfo: { Type: 'ACCESS_DENIED' as const, Message: 'Athena denied' } }
          : {}),
        CreatedTime: created,
      },
      Status: 200,
    };
  });
  quicksight
    .on(DescribeDataSourcePermissionsCommand)
    .callsFake(async ({ DataSourceId }: DescribeDataSourceRequest) => {
      const ds = fake.dataSources.get(DataSourceId as string);
      if (!ds) throw qsMissing(`DataSource ${DataSourceId}`);
      return { Permissions: ds.permissions, DataSourceId, Status: 200 };
    });
  quicksight.on(CreateDataSourceCommand).callsFake(async (input: CreateDataSourceRequest) => {
    fake.dataSources.set(input.DataSourceId as string, {
      source: input,
      permissions: input.Permissions ?? [],
      status: 'CREATION_IN_PROGRESS',
      settlesAs: fake.dataSourceCreation,
    });
    return { Status: 202, CreationStatus: 'CREATION_IN_PROGRESS' };
  });
  quicksight.on(UpdateDataSourceCommand).callsFake(async (input: UpdateDataSourceRequest) => {
    const ds = fake.dataSources.get(input.DataSourceId as string) as FakeDataSource;
    ds.source = { ...ds.source, ...input };
    ds.status = 'UPDATE_IN_PROGRESS';
    ds.settlesAs = 'UPDATE_SUCCESSFUL';
    return { Status: 202 };
  });
  quicksight
    .on(UpdateDataSourcePermissionsCommand)
    .callsFake(async (input: UpdateDataSourcePermissionsRequest) => {
      const ds = fake.dataSources.get(input.DataSourceId as string);
      if (ds) ds.permissions = grant(ds.permissions, input.GrantPermissions);
      return { Status: 200 };
    });
  quicksight.on(DescribeDataSetCommand).callsFake(async ({ DataSetId }: DescribeDataSetRequest) => {
    const d = fake.dataSets.get(DataSetId as string);
    if (!d) throw qsMissing(`DataSet ${DataSetId}`);
    const { AwsAccountId: _, Permissions: __, ...set } = d.set;
    return {
      DataSet: {
        ...set,
        Arn: `arn:aws:quicksight:${REGION}:${ACCOUNT}:dataset/${DataSetId}`,
        CreatedTime: created,
        ConsumedSpiceCapacityInBytes: 1024,
        LogicalTableMap: set.LogicalTableMap ?? {
          'auto-generated': { Alias: set.Name, Source: { PhysicalTableId: 'lakeq-source' } },
        },
      },
      Status: 200,
    };
  });
  quicksight
    .on(DescribeDataSetPermissionsCommand)
    .callsFake(async ({ DataSetId }: DescribeDataSetRequest) => {
      const d = fake.dataSets.get(DataSetId as string);
      if (!d) throw qsMissing(`DataSet ${DataSetId}`);
      return { Permissions: d.permissions, DataSetId, Status: 200 };
    });
  quicksight.on(CreateDataSetCommand).callsFake(async (input: CreateDataSetRequest) => {
    fake.dataSets.set(input.DataSetId as string, { set: input, permissions: input.Permissions ?? [] });
    return { Status: 201, IngestionId: 'ingestion-1' };
  });
  quicksight.on(UpdateDataSetCommand).callsFake(async (input: UpdateDataSetRequest) => {
    const d = fake.dataSets.get(input.DataSetId as string);
    if (d) d.set = { ...d.set, ...input };
    return { Status: 201, IngestionId: 'ingestion-2' };
  });
  quicksight.on(UpdateDataSetPermissionsCommand).callsFake(async (input: UpdateDataSetPermissionsRequest) => {
    const d = fake.dataSets.get(input.DataSetId as string);
    if (d) d.permissions = grant(d.permissions, input.GrantPermissions);
    return { Status: 200 };
  });
  // CloudWatch: DescribeAlarms pages (3 a page) through what PutMetricAlarm stored.
  cloudwatch.on(DescribeAlarmsCommand).callsFake(async (input: DescribeAlarmsCommandInput) => {
    const names = [...fake.alarms.keys()].filter((n) => n.startsWith(input.AlarmNamePrefix ?? '')).sort();
    const start = input.NextToken ? Number(input.NextToken) : 0;
    return {
      MetricAlarms: names.slice(start, start + 3).map((n) => fake.alarms.get(n) as MetricAlarm),
      ...(start + 3 < names.length ? { NextToken: String(start + 3) } : {}),
    };
  });
  cloudwatch.on(PutMetricAlarmCommand).callsFake(async (input: PutMetricAlarmCommandInput) => {
    const name = input.AlarmName as string;
    fake.alarms.set(name, {
      ...(input as MetricAlarm),
      AlarmArn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`,
      StateValue: 'INSUFFICIENT_DATA',
      AlarmConfigurationUpdatedTimestamp: created,
    });
    return {};
  });
  return fake;
}

/** Every request sent so far, as `service:Operation`. */
export function sentCalls(): string[] {
  return Object.entries(MOCKS).flatMap(([service, mock]) =>
    mock.calls().map((c) => `${service}:${(c.args[0] as object).constructor.name.replace(/Command$/, '')}`),
  );
}

const MUTATING = /:(Create|Update|Delete|Start|Put|Batch(Create|Update|Delete))/;
export const mutatingCalls = () => sentCalls().filter((c) => MUTATING.test(c));

export function resetCalls(): void {
  for (const mock of Object.values(MOCKS)) mock.resetHistory();
}
