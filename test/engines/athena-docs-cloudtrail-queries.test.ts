import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalEngine } from '../../src/catalog/duckdb/local-engine.ts';
import type { DuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.ts';
import {
  type CloudTrailRecord,
  loadCloudTrailFixtureRecords,
  writeRecordsInS3Layout,
} from '../support/cloudtrail-fixtures.ts';

// The five queries over `cloudtrail_logs` in the Athena User Guide's "Querying AWS CloudTrail logs" page
// (awsdocs/amazon-athena-user-guide, doc_source/cloudtrail-logs.md, commit 24df7d8a: "Querying Nested
// Fields", the two UNNEST examples, "Example Query" and the basic template of "Tips"), as printed there.
// The local engine's `cloudtrail_logs` has the name of the docs' table, so not even it changes. Two use
// Trino's two-argument replace(string, search).
const DOC_QUERIES = {
  nestedFields: `SELECT 
    eventsource, 
    eventname,
    useridentity.sessioncontext.attributes.creationdate,
    useridentity.sessioncontext.sessionissuer.arn
FROM cloudtrail_logs
WHERE useridentity.sessioncontext.sessionissuer.arn IS NOT NULL
ORDER BY eventsource, eventname
LIMIT 10`,
  resourceArn: `SELECT 
    awsregion,
    replace(unnested.resources_entry.ARN,'arn:aws:s3:::') as s3_resource,
    eventname,
    eventtime,
    useragent
FROM cloudtrail_logs t
CROSS JOIN UNNEST(t.resources) unnested (resources_entry)
WHERE unnested.resources_entry.ARN LIKE '%example/datafile.txt'
ORDER BY eventtime`,
  deletedBuckets: `SELECT 
    awsregion,
    replace(unnested.resources_entry.ARN,'arn:aws:s3:::') as deleted_bucket,
    eventtime AS time_deleted,
    useridentity.username, 
    unnested.resources_entry.accountid as bucket_acct_id 
FROM cloudtrail_logs t
CROSS JOIN UNNEST(t.resources) unnested (resources_entry)
WHERE eventname = 'DeleteBucket'
ORDER BY eventtime`,
  anonymous: `SELECT *
FROM cloudtrail_logs
WHERE 
    eventsource = 's3.amazonaws.com' AND 
    eventname in ('GetObject') AND 
    useridentity.accountid LIKE '%ANONYMOUS%' AND 
    useridentity.arn IS NULL AND
    requestparameters LIKE '%[your bucket name ]%';`,
  template: `SELECT
 useridentity.arn,
 eventname,
 sourceipaddress,
 eventtime
FROM cloudtrail_logs
LIMIT 100;`,
};

// The fixtures (AWS documentation examples and public detection-rule tests) have no S3 data event on
// example/datafile.txt, no anonymous GetObject and no DeleteBucket with resources: three records of
// lakeq's own, shaped like the S3 user guide's PutObject data event, give those queries something to find. The anonymous one names the
// bucket as the docs' query does, placeholder included, so the query runs exactly as printed.
const OWN_RECORDS: CloudTrailRecord[] = [
  {
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: 'arn:aws:iam::111122223333:user/analyst',
      accountId: '111122223333',
      userName: 'analyst',
    },
    eventTime: '2026-11-20T10:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'us-east-1',
    sourceIPAddress: '192.0.2.10',
    userAgent: '[aws-cli/2.15.0]',
    requestParameters: { bucketName: 'amzn-s3-demo-bucket', key: 'example/datafile.txt' },
    responseElements: null,
    requestID: 'EXAMPLE0000000001',
    eventID: '00000000-0000-4000-8000-000000000001',
    readOnly: true,
    resources: [
      { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::amzn-s3-demo-bucket/example/datafile.txt' },
      { accountId: '111122223333', type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::amzn-s3-demo-bucket' },
    ],
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
  },
  {
    eventVersion: '1.08',
    userIdentity: { type: 'AWSAccount', principalId: '', accountId: 'ANONYMOUS_PRINCIPAL' },
    eventTime: '2026-11-20T11:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'curl/8.5.0',
    requestParameters: { bucketName: '[your bucket name ]', key: 'public/index.html' },
    responseElements: null,
    requestID: 'EXAMPLE0000000002',
    eventID: '00000000-0000-4000-8000-000000000002',
    readOnly: true,
    resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::[your bucket name ]/public/index.html' }],
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
  },
  {
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE2',
      arn: 'arn:aws:iam::111122223333:user/ops',
      accountId: '111122223333',
      userName: 'ops',
    },
    eventTime: '2026-11-21T09:30:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'DeleteBucket',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '192.0.2.20',
    userAgent: '[aws-cli/2.15.0]',
    requestParameters: { bucketName: 'old-logs', Host: 'old-logs.s3.eu-west-1.amazonaws.com' },
    responseElements: null,
    requestID: 'EXAMPLE0000000003',
    eventID: '00000000-0000-4000-8000-000000000003',
    readOnly: false,
    resources: [{ accountId: '111122223333', type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::old-logs' }],
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
  },
];

let root: string;
let engine: DuckDbEngine;
let records: CloudTrailRecord[];

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-athena-docs-'));
  records = [...loadCloudTrailFixtureRecords().map((f) => f.record), ...OWN_RECORDS];
  await writeRecordsInS3Layout(root, records, { perFile: 50 });
  engine = await openLocalEngine({ sources: { cloudtrail: root } });
});
afterAll(async () => {
  await engine.close();
  await rm(root, { recursive: true, force: true });
});

const run = async (sql: string) =>
  (await engine.execute(CompiledQuery.raw(sql))).rows as Record<string, unknown>[];

const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const resourcesOf = (r: CloudTrailRecord) =>
  (Array.isArray(r.resources) ? r.resources : []).map(obj) as Record<string, unknown>[];
/** Trino orders varchar by code point; the records' strings here are ASCII. */
const byText = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;

describe("the Athena User Guide's CloudTrail queries run unchanged on the local engine", () => {
  it('querying nested fields: the first ten by event source and name, with the session issuer', async () => {
    const matching = records.filter((r) =>
      str(obj(obj(obj(r.userIdentity).sessionContext).sessionIssuer).arn),
    );
    const expected = matching
      .map((r) => [str(r.eventSource), str(r.eventName)] as const)
      .sort((a, b) => byText(a[0], b[0]) || byText(a[1], b[1]))
      .slice(0, 10);
    const rows = await run(DOC_QUERIES.nestedFields);
    expect(rows.map((r) => [r.eventsource, r.eventname])).toEqual(expected);
    for (const row of rows) {
      const issuers = matching
        .filter((r) => r.eventSource === row.eventsource && r.eventName === row.eventname)
        .map((r) => obj(obj(obj(r.userIdentity).sessionContext).sessionIssuer).arn);
      expect(issuers).toContain(row.arn);
    }
    expect(expected.length).toBe(10);
  });

  it('resources: the object ARN without its arn:aws:s3::: prefix (two-argument replace)', async () => {
    const expected = records
      .flatMap((r) =>
        resourcesOf(r)
          .filter((e) => String(e.ARN ?? '').endsWith('example/datafile.txt'))
          .map((e) => ({
            awsregion: r.awsRegion,
            s3_resource: String(e.ARN).replace('arn:aws:s3:::', ''),
            eventname: r.eventName,
            eventtime: r.eventTime,
            useragent: r.userAgent,
          })),
      )
      .sort((a, b) => byText(str(a.eventtime), str(b.eventtime)));
    expect(await run(DOC_QUERIES.resourceArn)).toEqual(expected);
    expect(expected).toEqual([
      expect.objectContaining({
        s3_resource: 'amzn-s3-demo-bucket/example/datafile.txt',
        eventname: 'GetObject',
      }),
    ]);
  });

  it('DeleteBucket events: the bucket and its account from the resources', async () => {
    const expected = records
      .filter((r) => r.eventName === 'DeleteBucket')
      .flatMap((r) =>
        resourcesOf(r).map((e) => ({
          awsregion: r.awsRegion ?? null,
          deleted_bucket: typeof e.ARN === 'string' ? e.ARN.replace(/arn:aws:s3:::/g, '') : null,
          time_deleted: r.eventTime ?? null,
          username: obj(r.userIdentity).userName ?? null,
          bucket_acct_id: e.accountId ?? null,
        })),
      );
    const rows = await run(DOC_QUERIES.deletedBuckets);
    const key = (r: Record<string, unknown>) =>
      JSON.stringify([r.time_deleted, r.deleted_bucket, r.bucket_acct_id]);
    expect(rows.map(key).sort()).toEqual(expected.map(key).sort());
    expect(rows.map((r) => r.time_deleted)).toEqual([...rows.map((r) => r.time_deleted)].sort());
    expect(expected).toEqual([expect.objectContaining({ deleted_bucket: 'old-logs', username: 'ops' })]);
    for (const row of rows) expect(Object.keys(row)).toEqual(Object.keys(expected[0] as object));
  });

  it('anonymous (unsigned) requests: the one GetObject without an ARN', async () => {
    const rows = await run(DOC_QUERIES.anonymous);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ eventname: 'GetObject', sourceipaddress: '198.51.100.7' });
    expect(JSON.parse(String(rows[0]?.requestparameters))).toEqual(OWN_RECORDS[1]?.requestParameters);
  });

  it('the basic template: 100 rows of who called what from where and when', async () => {
    const rows = await run(DOC_QUERIES.template);
    expect(rows).toHaveLength(Math.min(100, records.length));
    const known = new Set(
      records.map((r) => JSON.stringify([r.eventName, r.eventTime, r.sourceIPAddress ?? null])),
    );
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['arn', 'eventname', 'sourceipaddress', 'eventtime']);
      expect(known).toContain(JSON.stringify([row.eventname, row.eventtime, row.sourceipaddress]));
    }
  });
});
