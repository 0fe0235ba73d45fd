import { GetQueryExecutionCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { describe, expect, it } from 'vitest';
import { expectValidCommands, expectValidRequest, validateRequest } from './aws-model-validator.ts';

const valid = {
  QueryString: 'select 1',
  ClientRequestToken: '0b4f6c2e-4a5e-4d3b-9f55-0a1c2d3e4f50',
  WorkGroup: 'primary',
  QueryExecutionContext: { Database: 'lakeq', Catalog: 'AwsDataCatalog' },
  ResultConfiguration: { OutputLocation: 's3://bucket/results/' },
  ExecutionParameters: ["'us-east-1'", "TIMESTAMP '2026-01-01 00:00:00.000'"],
  ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: 60 } },
};

describe('validateRequest', () => {
  it('passes a valid request', () => {
    expect(validateRequest('athena', 'StartQueryExecution', valid)).toEqual([]);
    expect(() => expectValidRequest('athena', 'StartQueryExecution', valid)).not.toThrow();
  });

  it('reports a missing required member, also when set to undefined', () => {
    expect(validateRequest('athena', 'StartQueryExecution', { WorkGroup: 'primary' })).toEqual([
      'StartQueryExecution.QueryString: required member is missing',
    ]);
    expect(validateRequest('athena', 'GetQueryExecution', { QueryExecutionId: undefined })).toEqual([
      'GetQueryExecution.QueryExecutionId: required member is missing',
    ]);
  });

  it('reports a missing required member of a nested structure', () => {
    const input = {
      ...valid,
      ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { MaxAgeInMinutes: 5 } },
    };
    expect(validateRequest('athena', 'StartQueryExecution', input)).toEqual([
      'StartQueryExecution.ResultReuseConfiguration.ResultReuseByAgeConfiguration.Enabled: required member is missing',
    ]);
  });

  it('reports a bad enum value', () => {
    const input = {
      ...valid,
      ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_C' } },
    };
    expect(validateRequest('athena', 'StartQueryExecution', input)).toEqual([
      "StartQueryExecution.ResultConfiguration.EncryptionConfiguration.EncryptionOption: 'SSE_C' is not one of SSE_S3, SSE_KMS, CSE_KMS",
    ]);
  });

  it('reports strings and lists outside their length limits', () => {
    const input = { ...valid, QueryExecutionContext: { Database: 'd'.repeat(256) }, ExecutionParameters: [] };
    expect(validateRequest('athena', 'StartQueryExecution', input)).toEqual([
      'StartQueryExecution.QueryExecutionContext.Database: 256 characters, above max 255',
      'StartQueryExecution.ExecutionParameters: 0 items, below min 1',
    ]);
    expect(validateRequest('athena', 'StartQueryExecution', { ...valid, ExecutionParameters: [''] })).toEqual(
      ['StartQueryExecution.ExecutionParameters[0]: 0 characters, below min 1'],
    );
  });

  it('reports numbers outside their range and non-integers', () => {
    expect(validateRequest('athena', 'GetQueryResults', { QueryExecutionId: 'q', MaxResults: 5000 })).toEqual(
      ['GetQueryResults.MaxResults: 5000 is above max 1000'],
    );
    expect(validateRequest('athena', 'GetQueryResults', { QueryExecutionId: 'q', MaxResults: 1.5 })).toEqual([
      'GetQueryResults.MaxResults: expected a 32-bit integer, got number 1.5',
    ]);
  });

  it('matches a pattern against the whole value, as AWS does', () => {
    expect(validateRequest('athena', 'StartQueryExecution', { ...valid, WorkGroup: 'my group' })).toEqual([
      'StartQueryExecution.WorkGroup: "my group" does not match pattern [a-zA-Z0-9._-]{1,128}',
    ]);
    // The CloudTrail guide's example query id is not a UUID the model accepts.
    const problems = validateRequest('cloudtrail', 'GetQueryResults', {
      QueryId: 'EXAMPLE2-0add-4207-8135-2d8a4EXAMPLE',
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^GetQueryResults\.QueryId: .* does not match pattern/);
  });

  it('compiles Java-only pattern syntax (\\p{..}, \\A..\\z, (?s), surrogate ranges)', () => {
    // Catalog: [\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]* allows astral characters, not controls.
    expect(
      validateRequest('athena', 'StartQueryExecution', {
        ...valid,
        QueryExecutionContext: { Catalog: 'cat😀' },
      }),
    ).toEqual([]);
    expect(
      validateRequest('athena', 'StartQueryExecution', {
        ...valid,
        QueryExecutionContext: { Catalog: 'a\u0001' },
      }),
    ).toHaveLength(1);
    expect(validateRequest('cloudtrail', 'StartQuery', { QueryStatement: 'select\n1' })).toEqual([]);
  });

  it('reports unknown members with the names the shape knows', () => {
    const problems = validateRequest('athena', 'GetQueryResults', { QueryExecutionId: 'q', MaxRows: 10 });
    expect(problems).toEqual([
      'GetQueryResults.MaxRows: unknown member (known: QueryExecutionId, NextToken, MaxResults, QueryResultType)',
    ]);
  });

  it('checks types of strings, booleans, timestamps, lists and maps', () => {
    const input = {
      ...valid,
      QueryString: 42,
      ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: 'yes' } },
      ExecutionParameters: 'x',
    };
    expect(validateRequest('athena', 'StartQueryExecution', input)).toEqual([
      'StartQueryExecution.QueryString: expected a string, got number 42',
      'StartQueryExecution.ExecutionParameters: expected a list, got string "x"',
      'StartQueryExecution.ResultReuseConfiguration.ResultReuseByAgeConfiguration.Enabled: expected a boolean, got string "yes"',
    ]);
    const times = {
      StartTime: new Date(),
      EndTime: 'yesterday',
      LookupAttributes: [{ AttributeKey: 'EventName' }],
    };
    expect(validateRequest('cloudtrail', 'LookupEvents', times)).toEqual([
      'LookupEvents.EndTime: expected a timestamp (Date, epoch seconds or ISO 8601 string), got string "yesterday"',
      'LookupEvents.LookupAttributes[0].AttributeValue: required member is missing',
    ]);
    const map = { ...valid, EngineConfiguration: { AdditionalConfigs: { '': 'x', ok: 5 } } };
    expect(validateRequest('athena', 'StartQueryExecution', map)).toEqual([
      'StartQueryExecution.EngineConfiguration.AdditionalConfigs[""] (key): 0 characters, below min 1',
      'StartQueryExecution.EngineConfiguration.AdditionalConfigs["ok"]: expected a string, got number 5',
    ]);
    expect(
      validateRequest('cloudtrail', 'LookupEvents', {
        StartTime: 1_700_000_000,
        EndTime: '2026-01-01T00:00:00Z',
      }),
    ).toEqual([]);
  });

  it('refuses an unknown operation or service instead of passing it', () => {
    expect(() => validateRequest('athena', 'startQueryExecution', {})).toThrow(
      /did you mean StartQueryExecution/,
    );
    expect(() => validateRequest('no-such-service', 'Anything', {})).toThrow(
      /no AWS API model for service 'no-such-service'/,
    );
  });

  it('expectValidRequest throws listing every problem', () => {
    expect(() => expectValidRequest('athena', 'StartQueryExecution', { WorkGroup: 'a b', Foo: 1 })).toThrow(
      /invalid athena StartQueryExecution request:\n- StartQueryExecution\.QueryString: required member is missing\n- .*WorkGroup.*\n- .*Foo: unknown member/,
    );
  });

  it('expectValidCommands takes the operation from SDK command classes', () => {
    const ok = [
      new StartQueryExecutionCommand({ QueryString: 'select 1' }),
      new GetQueryExecutionCommand({ QueryExecutionId: 'q' }),
    ];
    expect(expectValidCommands('athena', ok)).toBe(2);
    expect(() =>
      expectValidCommands('athena', [new GetQueryExecutionCommand({ QueryExecutionId: '' })]),
    ).toThrow(/GetQueryExecution\.QueryExecutionId: 0 characters, below min 1/);
  });
});
