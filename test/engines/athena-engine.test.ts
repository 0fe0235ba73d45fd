import {
  AthenaClient,
  type ColumnInfo,
  GetQueryExecutionCommand,
  type GetQueryExecutionOutput,
  GetQueryResultsCommand,
  type GetQueryResultsInput,
  type GetQueryResultsOutput,
  InvalidRequestException,
  type QueryExecution,
  StartQueryExecutionCommand,
  type StartQueryExecutionInput,
  type StartQueryExecutionOutput,
  StopQueryExecutionCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { CompiledQuery, Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ATHENA_CAPABILITIES } from '../../src/engines/athena/athena-capabilities.ts';
import type { AthenaDialectConfig } from '../../src/engines/athena/athena-dialect-config.ts';
import {
  createAthenaEngine,
  isNonRetryableAthenaError,
  NON_RETRYABLE_ATHENA_ERRORS,
} from '../../src/engines/athena/athena-engine.ts';
import { convertAthenaValue } from '../../src/engines/athena/athena-types.ts';
import { LakeqError, QueryFailedError } from '../../src/engines/engine.ts';
import { tagSql } from '../../src/engines/trino/trino-literals.ts';
import { expectValidCommands } from '../support/aws-model-validator.ts';
import { loadFixture } from '../support/load-fixture.ts';

const FIXTURES = 'athena/api-responses';
const started = loadFixture<StartQueryExecutionOutput>(`${FIXTURES}/athena__start-query-execution.json`);
const startedAgain = loadFixture<StartQueryExecutionOutput>(
  `${FIXTURES}/athena__start-query-execution__1.json`,
);
const executionFixture = loadFixture<GetQueryExecutionOutput>(`${FIXTURES}/athena__get-query-execution.json`);
const ID = started.QueryExecutionId!;

const athena = mockClient(AthenaClient);

beforeEach(() => {
  athena.reset();
});

// Every request the engine sent must be one AWS would accept.
afterEach(() => {
  expectValidCommands(
    'athena',
    athena.calls().map((call) => call.args[0]),
  );
});

function engine(overrides: Partial<AthenaDialectConfig> = {}) {
  return createAthenaEngine({
    client: new AthenaClient({ region: 'us-east-1' }),
    workGroup: 'AthenaAdmin',
    database: 'mydatabase',
    catalog: 'awsdatacatalog',
    outputLocation: 's3://amzn-s3-demo-bucket/',
    sleep: async () => {},
    retry: { minTimeoutMs: 0, maxTimeoutMs: 0 },
    ...overrides,
  });
}

/** The CLI example's execution, with its state (and anything else) replaced. */
function execution(patch: Partial<QueryExecution> & { State?: string } = {}): GetQueryExecutionOutput {
  const { State = 'SUCCEEDED', ...rest } = patch;
  const base = structuredClone(executionFixture.QueryExecution!);
  return { QueryExecution: { ...base, ...rest, Status: { ...base.Status, State, ...rest.Status } as never } };
}

function column(Name: string, Type: string): ColumnInfo {
  return { CatalogName: 'hive', SchemaName: '', TableName: '', Name, Label: Name, Type, Nullable: 'UNKNOWN' };
}

function row(...values: (string | undefined)[]) {
  return { Data: values.map((v) => (v === undefined ? {} : { VarCharValue: v })) };
}

/** A page as Athena sends it; `header` puts the column names first, as on a SELECT's first page. */
function page(
  columns: ColumnInfo[],
  rows: (string | undefined)[][],
  options: { header?: boolean; next?: string } = {},
): GetQueryResultsOutput {
  const all = options.header ? [columns.map((c) => c.Name!), ...rows] : rows;
  return {
    ResultSet: { Rows: all.map((values) => row(...values)), ResultSetMetadata: { ColumnInfo: columns } },
    UpdateCount: 0,
    ...(options.next && { NextToken: options.next }),
  };
}

// The rows of the aws-cli GetQueryResults example (whose JSON file is malformed upstream).
const CLOUDFRONT_COLUMNS = [
  column('date', 'date'),
  column('location', 'varchar'),
  column('browser', 'varchar'),
  column('uri', 'varchar'),
  column('status', 'integer'),
];
const BROWSERS = ['Safari', 'Opera', 'Firefox', 'Lynx', 'IE', 'Opera', 'Chrome', 'Firefox', 'Chrome', 'IE'];
const CLOUDFRONT_ROWS = BROWSERS.map((b, i) => [
  '2014-07-05',
  'SFO4',
  b,
  `/test-image-${(i % 3) + 1}.jpeg`,
  '200',
]);

function mockSelect(pages: GetQueryResultsOutput[], exec = execution()) {
  athena.on(StartQueryExecutionCommand).resolves(started);
  athena.on(GetQueryExecutionCommand).resolves(exec);
  athena.on(GetQueryResultsCommand).callsFake((input: GetQueryResultsInput) => {
    const index = input.NextToken === undefined ? 0 : Number(input.NextToken.replace('page-', ''));
    return pages[index];
  });
}

function sent<T>(command: new (input: T) => { input: T }): T[] {
  return athena.commandCalls(command as never).map((call) => (call.args[0] as { input: T }).input);
}

describe('athena engine: a SELECT', () => {
  it('sends the tagged query with its context and reads the CLI example result', async () => {
    mockSelect([page(CLOUDFRONT_COLUMNS, CLOUDFRONT_ROWS, { header: true })]);
    const sql = executionFixture.QueryExecution!.Query!;
    const tag = { queryId: 'cloudfront/sfo-requests', version: '1.2.0' };
    const result = await engine().execute(CompiledQuery.raw(sql), { tag });

    const [start] = sent<StartQueryExecutionInput>(StartQueryExecutionCommand);
    expect(start?.QueryString).toMatch(/^-- lakeq:cloudfront.sfo-requests@1\.2\.0\nselect date, location/);
    expect(start).toMatchObject({
      QueryString: tagSql(sql, tag),
      WorkGroup: 'AthenaAdmin',
      QueryExecutionContext: { Database: 'mydatabase', Catalog: 'awsdatacatalog' },
      ResultConfiguration: { OutputLocation: 's3://amzn-s3-demo-bucket/' },
    });
    expect(start?.ClientRequestToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(start).not.toHaveProperty('ExecutionParameters');
    expect(start).not.toHaveProperty('ResultReuseConfiguration');

    expect(result.rows).toHaveLength(10);
    expect(result.rows[0]).toEqual({
      date: '2014-07-05',
      location: 'SFO4',
      browser: 'Safari',
      uri: '/test-image-1.jpeg',
      status: 200,
    });
    expect(result.rows.map((r) => r.browser)).toEqual(BROWSERS);
    expect(result.columns).toEqual(CLOUDFRONT_COLUMNS.map((c) => ({ name: c.Name, type: c.Type })));
  });

  it('maps the execution statistics into stats', async () => {
    mockSelect([page(CLOUDFRONT_COLUMNS, CLOUDFRONT_ROWS, { header: true })]);
    const { stats } = await engine().execute(CompiledQuery.raw('select 1'));
    expect(stats).toMatchObject({
      engine: 'athena',
      engineQueryId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      rows: 10,
      dataScannedBytes: 203089,
      engineMs: 3600,
      queueMs: 267,
    });
    expect(stats.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(stats.reusedResult).toBeUndefined();
    expect(stats.rowsAffected).toBeUndefined();
  });

  it('pages through 2,500 rows with NextToken and drops the header row on page 1 only', async () => {
    const cols = [column('word', 'varchar')];
    const words = Array.from({ length: 2500 }, (_, i) => [`w${i}`]);
    words[999] = ['word']; // a data row that looks like the header, first on page 2
    mockSelect([
      page(cols, words.slice(0, 999), { header: true, next: 'page-1' }),
      page(cols, words.slice(999, 1999), { next: 'page-2' }),
      page(cols, words.slice(1999)),
    ]);
    const { rows, stats } = await engine().execute(CompiledQuery.raw('select word from words'));

    expect(rows).toHaveLength(2500);
    expect(stats.rows).toBe(2500);
    expect(rows[0]).toEqual({ word: 'w0' });
    expect(rows[999]).toEqual({ word: 'word' });
    expect(rows[2499]).toEqual({ word: 'w2499' });
    const requests = sent<GetQueryResultsInput>(GetQueryResultsCommand);
    expect(requests.map((r) => r.NextToken)).toEqual([undefined, 'page-1', 'page-2']);
    expect(requests.every((r) => r.MaxResults === 1000 && r.QueryExecutionId === ID)).toBe(true);
  });

  it('honours maxPageRows and refuses one Athena would reject', async () => {
    mockSelect([page([column('n', 'integer')], [['1']], { header: true })]);
    await engine({ maxPageRows: 250 }).execute(CompiledQuery.raw('select 1 as n'));
    expect(sent<GetQueryResultsInput>(GetQueryResultsCommand)[0]?.MaxResults).toBe(250);
    expect(() => engine({ maxPageRows: 5000 })).toThrow(/maxPageRows must be 1–1000, got 5000/);
  });

  it('converts every Athena type', async () => {
    const types: [string, string, string | undefined, unknown][] = [
      ['b', 'boolean', 'true', true],
      ['b0', 'boolean', 'false', false],
      ['ti', 'tinyint', '-8', -8],
      ['si', 'smallint', '300', 300],
      ['i', 'integer', '2147483647', 2147483647],
      ['big', 'bigint', '9007199254740991', 9007199254740991],
      ['huge', 'bigint', '9007199254740993', '9007199254740993'],
      ['min', 'bigint', '-9223372036854775808', '-9223372036854775808'],
      ['d', 'double', '1.0E10', 1e10],
      ['f', 'float', '0.5', 0.5],
      ['r', 'real', '-2.25', -2.25],
      ['nan', 'double', 'NaN', Number.NaN],
      ['dec', 'decimal', '12345678901234567890.12', '12345678901234567890.12'],
      ['day', 'date', '2026-03-01', '2026-03-01'],
      ['ts', 'timestamp', '2026-03-01 12:34:56.789', '2026-03-01T12:34:56.789Z'],
      ['ts6', 'timestamp(6)', '2026-03-01 12:34:56.789123', '2026-03-01T12:34:56.789Z'],
      ['tsz', 'timestamp with time zone', '2026-03-01 12:34:56.789 UTC', '2026-03-01T12:34:56.789Z'],
      ['tso', 'timestamp(3) with time zone', '2026-03-01 14:34:56.789 +02:00', '2026-03-01T12:34:56.789Z'],
      [
        'tsn',
        'timestamp with time zone',
        '2026-07-01 08:00:00.000 America/New_York',
        '2026-07-01T12:00:00.000Z',
      ],
      ['v', 'varchar', 'O\'Brien, "x"', 'O\'Brien, "x"'],
      ['c', 'char', 'ab ', 'ab '],
      ['j', 'json', '{"a":1}', '{"a":1}'],
      ['ip', 'ipaddress', '10.0.0.1', '10.0.0.1'],
      ['arr', 'array', '[a, b]', '[a, b]'],
      ['m', 'map', '{k=v}', '{k=v}'],
      ['rw', 'row', '{field0=1, field1=2.0}', '{field0=1, field1=2.0}'],
      ['nothing', 'varchar', undefined, null],
      ['no_int', 'integer', undefined, null],
    ];
    const cols = types.map(([name, type]) => column(name, type));
    mockSelect([page(cols, [types.map(([, , text]) => text)], { header: true })]);
    const { rows } = await engine().execute(CompiledQuery.raw('select ...'));
    expect(rows).toHaveLength(1);
    for (const [name, type, , expected] of types) {
      expect([type, rows[0]?.[name]]).toEqual([type, expected]);
    }
  });

  it('splits the tab-joined rows of DESCRIBE and drops no header from them', async () => {
    const cols = [column('col_name', 'string'), column('data_type', 'string'), column('comment', 'string')];
    const describeExec = execution({ StatementType: 'UTILITY' });
    mockSelect(
      [
        page(cols, [
          ['eventversion        \tstring              \tfrom deserializer   '],
          ['useridentity\tstruct<type:string>\t'],
        ]),
      ],
      describeExec,
    );
    const { rows } = await engine().execute(CompiledQuery.raw('describe cloudtrail_logs'));
    expect(rows).toEqual([
      { col_name: 'eventversion', data_type: 'string', comment: 'from deserializer' },
      { col_name: 'useridentity', data_type: 'struct<type:string>', comment: '' },
    ]);
    expect(sent<StartQueryExecutionInput>(StartQueryExecutionCommand)[0]?.QueryString).toBe(
      'describe cloudtrail_logs',
    );
  });

  it('warns instead of dropping a first SELECT row that is not the header', async () => {
    mockSelect([page([column('n', 'integer')], [['1'], ['2']])]);
    const athenaEngine = engine();
    const { rows } = await athenaEngine.execute(CompiledQuery.raw('select n from t'));
    expect(rows).toEqual([{ n: 1 }, { n: 2 }]);
    expect(athenaEngine.warnings()).toEqual([expect.objectContaining({ code: 'ATHENA_NO_HEADER_ROW' })]);
  });

  it('polls with exponential backoff capped at pollMaxMs', async () => {
    const waits: number[] = [];
    athena.on(StartQueryExecutionCommand).resolves(started);
    const running = Array.from({ length: 7 }, () => execution({ State: 'RUNNING' }));
    const stub = athena.on(GetQueryExecutionCommand);
    for (const r of [execution({ State: 'QUEUED' }), ...running]) stub.resolvesOnce(r);
    stub.resolves(execution());
    athena.on(GetQueryResultsCommand).resolves(page([column('n', 'integer')], [], { header: true }));
    await engine({ sleep: async (ms) => void waits.push(ms) }).execute(CompiledQuery.raw('select 1 as n'));
    expect(waits).toEqual([200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
  });
});

describe('athena engine: parameters, reuse and Kysely', () => {
  it('sends each parameter as a typed Trino literal in ExecutionParameters', async () => {
    mockSelect([page([column('n', 'bigint')], [['3']], { header: true })]);
    const when = new Date('2026-03-01T00:00:00Z');
    await engine().execute(
      CompiledQuery.raw(
        'select count(*) as n from t where region = ? and time >= ? and code = ? and ok = ? and who = ?',
        ['us-east-1', when, 42, true, "O'Brien"],
      ),
    );
    expect(sent<StartQueryExecutionInput>(StartQueryExecutionCommand)[0]?.ExecutionParameters).toEqual([
      "'us-east-1'",
      "TIMESTAMP '2026-03-01 00:00:00.000'",
      '42',
      'TRUE',
      "'O''Brien'",
    ]);
  });

  it('inlines parameters too long for an execution parameter', async () => {
    mockSelect([page([column('n', 'bigint')], [['0']], { header: true })]);
    const long = 'x'.repeat(1100);
    await engine().execute(CompiledQuery.raw('select count(*) as n from t where a = ? and b = ?', [long, 1]));
    const [start] = sent<StartQueryExecutionInput>(StartQueryExecutionCommand);
    expect(start?.QueryString).toBe(`select count(*) as n from t where a = '${long}' and b = 1`);
    expect(start).not.toHaveProperty('ExecutionParameters');
  });

  it('compiles Kysely queries to Trino SQL and runs them through the engine', async () => {
    mockSelect([page([column('eventName', 'varchar')], [['CreateInstance']], { header: true })]);
    const db = new Kysely<{ cloudtrail_events: { eventName: string; awsRegion: string } }>({
      dialect: engine().dialect,
    });
    const rows = await db
      .selectFrom('cloudtrail_events')
      .select('eventName')
      .where('awsRegion', '=', 'us-east-1')
      .execute();
    expect(rows).toEqual([{ eventName: 'CreateInstance' }]);
    expect(sent<StartQueryExecutionInput>(StartQueryExecutionCommand)[0]).toMatchObject({
      QueryString: 'select "eventName" from "cloudtrail_events" where "awsRegion" = ?',
      ExecutionParameters: ["'us-east-1'"],
    });
  });

  it('asks for result reuse only when opted in, and reports a reused result', async () => {
    mockSelect([page([column('n', 'integer')], [['1']], { header: true })]);
    await engine().execute(CompiledQuery.raw('select 1 as n'));
    await engine({ resultReuse: { enabled: false, maxAgeMinutes: 30 } }).execute(
      CompiledQuery.raw('select 1 as n'),
    );
    const reused = execution({
      Statistics: {
        ...executionFixture.QueryExecution!.Statistics,
        ResultReuseInformation: { ReusedPreviousResult: true },
      },
    });
    athena.on(GetQueryExecutionCommand).resolves(reused);
    const { stats } = await engine({ resultReuse: { enabled: true, maxAgeMinutes: 30 } }).execute(
      CompiledQuery.raw('select 1 as n'),
    );
    const starts = sent<StartQueryExecutionInput>(StartQueryExecutionCommand);
    expect(starts.map((s) => s.ResultReuseConfiguration)).toEqual([
      undefined,
      undefined,
      { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: 30 } },
    ]);
    expect(stats.reusedResult).toBe(true);
    expect(() => engine({ resultReuse: { enabled: true, maxAgeMinutes: 20000 } })).toThrow(/maxAgeMinutes/);
  });

  it('omits the context members that are not configured', async () => {
    mockSelect([page([column('n', 'integer')], [['1']], { header: true })]);
    await createAthenaEngine({ client: new AthenaClient({}), sleep: async () => {} }).execute(
      CompiledQuery.raw('select 1 as n'),
    );
    const [start] = sent<StartQueryExecutionInput>(StartQueryExecutionCommand);
    expect(Object.keys(start ?? {}).sort()).toEqual(['ClientRequestToken', 'QueryString']);
  });
});

describe('athena engine: writes', () => {
  it('reports an INSERT’s UpdateCount as rowsAffected without reading rows', async () => {
    athena.on(StartQueryExecutionCommand).resolves(started);
    athena.on(GetQueryExecutionCommand).resolves(execution({ SubstatementType: 'INSERT' }));
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: { Rows: [], ResultSetMetadata: { ColumnInfo: [column('rows', 'bigint')] } },
      UpdateCount: 1234,
      NextToken: 'never-followed',
    });
    const db = new Kysely<{ t: { a: number } }>({ dialect: engine().dialect });
    const inserted = await db
      .insertInto('t')
      .expression((eb) => eb.selectFrom('t').select('a'))
      .executeTakeFirst();
    expect(inserted.numInsertedOrUpdatedRows).toBe(1234n);
    expect(sent<GetQueryResultsInput>(GetQueryResultsCommand)).toHaveLength(1);

    const { rows, stats, columns } = await engine().execute(
      CompiledQuery.raw('-- lakeq:x@1\ninsert into t select a from t'),
    );
    expect(rows).toEqual([]);
    expect(columns).toEqual([]);
    expect(stats.rowsAffected).toBe(1234);
    expect(stats.rows).toBe(0);
  });

  it('recognises CTAS from the SQL even when SubstatementType is absent', async () => {
    athena.on(StartQueryExecutionCommand).resolves(started);
    athena.on(GetQueryExecutionCommand).resolves(execution({ StatementType: 'DDL' }));
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: { Rows: [], ResultSetMetadata: { ColumnInfo: [column('rows', 'bigint')] } },
      UpdateCount: 77,
    });
    const { stats } = await engine().execute(
      CompiledQuery.raw("create table hour_2026 with (external_location = 's3://b/p/') as select * from t"),
    );
    expect(stats.rowsAffected).toBe(77);
  });
});

describe('athena engine: failures', () => {
  const failed = (reason: string, retryable: boolean, category = 2) =>
    execution({
      QueryExecutionId: ID,
      Status: {
        State: 'FAILED',
        StateChangeReason: reason,
        AthenaError: { ErrorCategory: category, ErrorType: 1006, Retryable: retryable, ErrorMessage: reason },
      },
    });

  it('throws QueryFailedError with the reason when the query FAILED', async () => {
    const reason = "COLUMN_NOT_FOUND: line 1:8: Column 'x' cannot be resolved";
    athena.on(StartQueryExecutionCommand).resolves(started);
    athena.on(GetQueryExecutionCommand).resolves(failed(reason, false));
    const error = await engine()
      .execute(CompiledQuery.raw('select x from t'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(error).toMatchObject({
      code: 'QUERY_FAILED',
      state: 'FAILED',
      engine: 'athena',
      engineQueryId: ID,
    });
    expect((error as Error).message).toContain(reason);
    expect((error as Error).message).toContain('Athena error type 1006, category 2');
    expect(sent(StartQueryExecutionCommand)).toHaveLength(1);
    expect(sent(GetQueryResultsCommand)).toHaveLength(0);
  });

  it('throws QueryFailedError when the query was CANCELLED elsewhere', async () => {
    athena.on(StartQueryExecutionCommand).resolves(started);
    athena
      .on(GetQueryExecutionCommand)
      .resolves(execution({ Status: { State: 'CANCELLED', StateChangeReason: 'Query cancelled by user' } }));
    await expect(engine().execute(CompiledQuery.raw('select 1'))).rejects.toMatchObject({
      state: 'CANCELLED',
      message: expect.stringContaining('Query cancelled by user'),
    });
  });

  it('starts a read again, with a new token, after a failure Athena marks retryable', async () => {
    athena.on(StartQueryExecutionCommand).resolvesOnce(started).resolves(startedAgain);
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(failed('GENERIC_INTERNAL_ERROR: worker lost', true, 1))
      .resolves(execution({ QueryExecutionId: startedAgain.QueryExecutionId }));
    athena.on(GetQueryResultsCommand).resolves(page([column('n', 'integer')], [['1']], { header: true }));
    const athenaEngine = engine();
    const { stats } = await athenaEngine.execute(CompiledQuery.raw('select 1 as n'));
    expect(stats.engineQueryId).toBe(startedAgain.QueryExecutionId);
    const tokens = sent<StartQueryExecutionInput>(StartQueryExecutionCommand).map(
      (s) => s.ClientRequestToken,
    );
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).not.toBe(tokens[1]);
    expect(athenaEngine.warnings()[0]?.code).toBe('ATHENA_QUERY_RESUBMITTED');
  });

  it('never starts again a query whose failure is in NON_RETRYABLE_ATHENA_ERRORS, nor a write', async () => {
    expect(NON_RETRYABLE_ATHENA_ERRORS).toContain('HIVE_TOO_MANY_OPEN_PARTITIONS');
    const reason = 'HIVE_TOO_MANY_OPEN_PARTITIONS: Exceeded limit of 100 open writers for partitions/buckets';
    expect(isNonRetryableAthenaError(new Error(reason))).toBe(true);
    athena.on(StartQueryExecutionCommand).resolves(started);
    athena.on(GetQueryExecutionCommand).resolves(failed(reason, true));
    await expect(engine().execute(CompiledQuery.raw('select * from t'))).rejects.toThrow(reason);
    expect(sent(StartQueryExecutionCommand)).toHaveLength(1);

    athena.on(GetQueryExecutionCommand).resolves(failed('GENERIC_INTERNAL_ERROR', true, 1));
    await expect(engine().execute(CompiledQuery.raw('insert into t select * from s'))).rejects.toThrow(
      QueryFailedError,
    );
    expect(sent(StartQueryExecutionCommand)).toHaveLength(2);
  });

  it('retries throttled calls with the same request token, then succeeds', async () => {
    const throttled = () =>
      new TooManyRequestsException({
        message: 'Rate exceeded',
        $metadata: {},
        Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED',
      });
    athena.on(StartQueryExecutionCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves(started);
    const sdkThrottle = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const http429 = Object.assign(new Error('Too Many Requests'), {
      name: 'Unknown',
      $metadata: { httpStatusCode: 429 },
    });
    athena.on(GetQueryExecutionCommand).rejectsOnce(sdkThrottle).rejectsOnce(http429).resolves(execution());
    athena.on(GetQueryResultsCommand).resolves(page([column('n', 'integer')], [['1']], { header: true }));

    const { rows } = await engine().execute(CompiledQuery.raw('select 1 as n'));
    expect(rows).toEqual([{ n: 1 }]);
    const starts = sent<StartQueryExecutionInput>(StartQueryExecutionCommand);
    expect(starts).toHaveLength(3);
    expect(new Set(starts.map((s) => s.ClientRequestToken)).size).toBe(1);
    expect(sent(GetQueryExecutionCommand)).toHaveLength(3);
  });

  it('gives up after the configured number of throttling retries', async () => {
    const throttled = new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} });
    athena.on(StartQueryExecutionCommand).rejects(throttled);
    await expect(
      engine({ retry: { retries: 2, minTimeoutMs: 0 } }).execute(CompiledQuery.raw('select 1')),
    ).rejects.toBe(throttled);
    expect(sent(StartQueryExecutionCommand)).toHaveLength(3);
  });

  it('does not retry other errors', async () => {
    const invalid = new InvalidRequestException({
      message: "line 1:1: mismatched input 'selec'",
      $metadata: {},
    });
    athena.on(StartQueryExecutionCommand).rejects(invalid);
    await expect(engine().execute(CompiledQuery.raw('selec 1'))).rejects.toBe(invalid);
    expect(sent(StartQueryExecutionCommand)).toHaveLength(1);
  });
});

describe('athena engine: cancelling', () => {
  it('sends StopQueryExecution when the signal aborts while the query runs', async () => {
    const controller = new AbortController();
    athena.on(StartQueryExecutionCommand).resolves(started);
    athena.on(GetQueryExecutionCommand).callsFake(() => {
      controller.abort();
      return execution({ State: 'RUNNING' });
    });
    athena.on(StopQueryExecutionCommand).resolves({});
    const error = await engine()
      .execute(CompiledQuery.raw('select 1'), { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LakeqError);
    expect(error).toMatchObject({
      code: 'CANCELLED',
      message: expect.stringContaining('StopQueryExecution sent'),
    });
    expect(sent(StopQueryExecutionCommand)).toEqual([{ QueryExecutionId: ID }]);
    expect(sent(GetQueryResultsCommand)).toHaveLength(0);
  });

  it('interrupts the default poll wait when the signal aborts', async () => {
    const controller = new AbortController();
    athena.on(StartQueryExecutionCommand).resolves(started);
    athena.on(GetQueryExecutionCommand).resolves(execution({ State: 'QUEUED' }));
    athena.on(StopQueryExecutionCommand).resolves({});
    const slow = createAthenaEngine({ client: new AthenaClient({}), pollInitialMs: 60_000 });
    setTimeout(() => controller.abort(), 20);
    const t0 = performance.now();
    await expect(
      slow.execute(CompiledQuery.raw('select 1'), { signal: controller.signal }),
    ).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(sent(StopQueryExecutionCommand)).toEqual([{ QueryExecutionId: ID }]);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      engine().execute(CompiledQuery.raw('select 1'), { signal: controller.signal }),
    ).rejects.toMatchObject({
      code: 'CANCELLED',
    });
    expect(athena.calls()).toHaveLength(0);
  });
});

describe('athena engine: shape', () => {
  it('declares Athena’s capabilities and the configured table names', () => {
    const e = engine({ tableNames: { cloudtrail_events: 'cloudtrail_logs_org' } });
    expect(e.name).toBe('athena');
    expect(e.capabilities).toEqual({
      maxPartitionsPerWrite: 100,
      supportsParameters: true,
      supportsInsertOverwrite: false,
      supportsWrites: true,
      supportsExplain: true,
      hourPartitionedTables: true,
      readsDataFolder: false,
    });
    expect(e.capabilities).toBe(ATHENA_CAPABILITIES);
    expect(e.tableNames).toEqual({ cloudtrail_events: 'cloudtrail_logs_org' });
    expect(engine().tableNames).toEqual({});
  });

  it('refuses to run after close', async () => {
    const e = engine();
    await e.close();
    await expect(e.execute(CompiledQuery.raw('select 1'))).rejects.toMatchObject({ code: 'ENGINE_CLOSED' });
  });

  it('refuses the malformed upstream fixtures with an error naming the file', () => {
    for (const name of [
      'athena__get-query-results__RAW_MALFORMED.txt',
      'athena__batch-get-query-execution__RAW_MALFORMED.txt',
    ]) {
      expect(() => loadFixture(`${FIXTURES}/${name}`)).toThrow(
        new RegExp(
          `^fixture ${FIXTURES}/${name.replace(/\./g, '\\.')} is not valid JSON: .*line \\d+ column \\d+`,
        ),
      );
    }
  });
});

describe('convertAthenaValue', () => {
  it('keeps a value it cannot read as it is rather than inventing one', () => {
    expect(convertAthenaValue('not a number', 'integer')).toBe('not a number');
    expect(convertAthenaValue('2026-03-01 00:00:00.000 Mars/Olympus', 'timestamp with time zone')).toBe(
      '2026-03-01 00:00:00.000 Mars/Olympus',
    );
    expect(convertAthenaValue('1.5', 'bigint')).toBe('1.5');
  });

  it('resolves a named time zone on both sides of a daylight-saving change', () => {
    expect(convertAthenaValue('2026-01-15 07:00:00.000 America/New_York', 'timestamp with time zone')).toBe(
      '2026-01-15T12:00:00.000Z',
    );
    expect(convertAthenaValue('2026-03-29 03:30:00.000 Europe/Berlin', 'timestamp with time zone')).toBe(
      '2026-03-29T01:30:00.000Z',
    );
  });
});
