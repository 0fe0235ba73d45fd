import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import failed from '../../queries/identity-center/failed-instance-calls.ts';
import churn, { type InstanceChurnRow } from '../../queries/identity-center/instance-churn.ts';
import events from '../../queries/identity-center/instance-events.ts';
import blog from '../../queries/identity-center/instances-created-and-deleted.ts';
import { openLocalEngine } from '../../src/catalog/duckdb/local-engine.ts';
import type { DuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.ts';
import { runQuery } from '../../src/query/run-query.ts';
import { writeRecordsInS3Layout } from '../support/cloudtrail-fixtures.ts';
import { ADMIN_ROLE_ARN, IAM_USER_ARN, ROOT_ARN, ssoCall } from '../support/identity-center-records.ts';
import { loadAll } from '../support/load-sample.ts';

const A = '111122223333';
const B = '444455556666';
let root: string;
let engine: DuckDbEngine;

// Known answers: the window is [2026-11-02, 2026-11-04); calls one second either side of each edge.
const records = [
  ssoCall({
    time: '2026-11-01T23:59:59Z',
    eventName: 'CreateInstance',
    account: A,
    actorArn: ADMIN_ROLE_ARN,
  }),
  ssoCall({
    time: '2026-11-02T00:00:00Z',
    eventName: 'CreateInstance',
    account: A,
    actorArn: ADMIN_ROLE_ARN,
  }),
  ssoCall({
    time: '2026-11-02T00:00:01Z',
    eventName: 'CreateInstance',
    account: A,
    actorArn: IAM_USER_ARN,
    actorType: 'IAMUser',
  }),
  ssoCall({
    time: '2026-11-02T12:00:00Z',
    eventName: 'DeleteInstance',
    account: A,
    actorArn: ADMIN_ROLE_ARN,
  }),
  ssoCall({
    time: '2026-11-02T13:00:00Z',
    eventName: 'CreateInstance',
    account: A,
    actorArn: IAM_USER_ARN,
    errorCode: 'ConflictException',
  }),
  ssoCall({
    time: '2026-11-02T14:00:00Z',
    eventName: 'CreateInstance',
    account: A,
    region: 'eu-west-1',
    actorArn: ADMIN_ROLE_ARN,
  }),
  ssoCall({
    time: '2026-11-02T23:59:59Z',
    eventName: 'DeleteInstance',
    account: B,
    actorArn: ROOT_ARN,
    actorType: 'Root',
  }),
  ssoCall({
    time: '2026-11-03T00:00:00Z',
    eventName: 'DeleteInstance',
    account: B,
    actorArn: ROOT_ARN,
    actorType: 'Root',
  }),
  ssoCall({
    time: '2026-11-03T08:00:00Z',
    eventName: 'DeleteInstance',
    account: B,
    actorArn: ADMIN_ROLE_ARN,
    errorCode: 'AccessDeniedException',
  }),
  ssoCall({
    time: '2026-11-03T09:00:00Z',
    eventName: 'CreateApplication',
    account: B,
    actorArn: ADMIN_ROLE_ARN,
  }),
  ssoCall({
    time: '2026-11-03T23:59:59Z',
    eventName: 'CreateInstance',
    account: B,
    actorArn: ADMIN_ROLE_ARN,
  }),
  ssoCall({
    time: '2026-11-04T00:00:00Z',
    eventName: 'DeleteInstance',
    account: B,
    actorArn: ADMIN_ROLE_ARN,
  }),
];
// Noise that must not count: other services and other event names.
const noise = [
  {
    ...ssoCall({
      time: '2026-11-02T10:00:00Z',
      eventName: 'CreateInstance',
      account: A,
      actorArn: ADMIN_ROLE_ARN,
    }),
    eventSource: 'identitystore.amazonaws.com',
  },
  {
    ...ssoCall({
      time: '2026-11-02T10:00:00Z',
      eventName: 'CreateInstance',
      account: A,
      actorArn: ADMIN_ROLE_ARN,
    }),
    eventName: 'ListInstances',
  },
];

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-churn-'));
  const trail = path.join(root, 'trail');
  const dataDir = path.join(root, 'data');
  await writeRecordsInS3Layout(trail, [...records, ...noise], { perFile: 5 });
  // The named queries read the curated Parquet table, so load the raw logs first.
  await loadAll(dataDir, trail, '2026-11-01', '2026-11-05');
  engine = await openLocalEngine({ sources: { cloudtrail: trail }, dataDir });
});
afterAll(async () => {
  await engine.close();
  await rm(root, { recursive: true, force: true });
});

const window = { from: '2026-11-02', to: '2026-11-04' };

describe('identity-center/instance-churn', () => {
  it('counts successful calls per day, account and Region inside [from, to)', async () => {
    const { rows } = await runQuery(engine, churn, window);
    const expected: InstanceChurnRow[] = [
      {
        day: '2026-11-02',
        account_id: A,
        region: 'eu-west-1',
        created: 1,
        deleted: 0,
        net: 1,
        actors: ADMIN_ROLE_ARN,
      },
      {
        day: '2026-11-02',
        account_id: A,
        region: 'us-east-1',
        created: 2,
        deleted: 1,
        net: 1,
        actors: [ADMIN_ROLE_ARN, IAM_USER_ARN].sort().join(','),
      },
      {
        day: '2026-11-02',
        account_id: B,
        region: 'us-east-1',
        created: 0,
        deleted: 1,
        net: -1,
        actors: ROOT_ARN,
      },
      {
        day: '2026-11-03',
        account_id: B,
        region: 'us-east-1',
        created: 1,
        deleted: 1,
        net: 0,
        actors: [ADMIN_ROLE_ARN, ROOT_ARN].sort().join(','),
      },
    ];
    expect(rows).toEqual(expected);
    // exactly the columns of the contract, in order
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'day',
      'account_id',
      'region',
      'created',
      'deleted',
      'net',
      'actors',
    ]);
  });

  it('filters by account', async () => {
    const { rows } = await runQuery(engine, churn, { ...window, account: B });
    expect(rows.map((r) => [r.day, r.account_id, r.net])).toEqual([
      ['2026-11-02', B, -1],
      ['2026-11-03', B, 0],
    ]);
  });

  it('accepts ISO times: a one-second window holds exactly the call at its start', async () => {
    const { rows } = await runQuery(engine, churn, {
      from: '2026-11-02T00:00:00Z',
      to: '2026-11-02T00:00:01Z',
    });
    expect(rows).toEqual([
      {
        day: '2026-11-02',
        account_id: A,
        region: 'us-east-1',
        created: 1,
        deleted: 0,
        net: 1,
        actors: ADMIN_ROLE_ARN,
      },
    ]);
  });

  it('rejects a bad parameter with its name and reason', async () => {
    await expect(runQuery(engine, churn, { from: '2026-11-05', to: '2026-11-04' })).rejects.toMatchObject({
      code: 'BAD_PARAMETER',
      usage: true,
      message: expect.stringMatching(/to: "from" must be before "to"/),
    });
    await expect(runQuery(engine, churn, { ...window, account: '12345' })).rejects.toMatchObject({
      message: expect.stringMatching(/account: an AWS account id has 12 digits/),
    });
    await expect(runQuery(engine, churn, { from: 'yesterday', to: '2026-11-04' })).rejects.toMatchObject({
      message: expect.stringMatching(/from: "yesterday" is not a date/),
    });
    await expect(runQuery(engine, churn, { ...window, acount: A })).rejects.toMatchObject({
      message: expect.stringMatching(/acount/),
    });
  });
});

describe('identity-center/failed-instance-calls', () => {
  it('has the failed attempts that churn leaves out', async () => {
    const { rows } = await runQuery(engine, failed, window);
    expect(rows).toEqual([
      {
        day: '2026-11-02',
        account_id: A,
        region: 'us-east-1',
        action: 'CreateInstance',
        error_code: 'ConflictException',
        attempts: 1,
        actors: IAM_USER_ARN,
        last_error_message: 'ConflictException: refused',
      },
      {
        day: '2026-11-03',
        account_id: B,
        region: 'us-east-1',
        action: 'DeleteInstance',
        error_code: 'AccessDeniedException',
        attempts: 1,
        actors: ADMIN_ROLE_ARN,
        last_error_message: 'AccessDeniedException: refused',
      },
    ]);
  });
});

describe('identity-center/instance-events', () => {
  it('lists every lifecycle call in the window with ARNs from request or response', async () => {
    const { rows } = await runQuery(engine, events, window);
    expect(rows.map((r) => [r.event_time, r.action, r.error_code])).toEqual([
      ['2026-11-02T00:00:00.000Z', 'CreateInstance', null],
      ['2026-11-02T00:00:01.000Z', 'CreateInstance', null],
      ['2026-11-02T12:00:00.000Z', 'DeleteInstance', null],
      ['2026-11-02T13:00:00.000Z', 'CreateInstance', 'ConflictException'],
      ['2026-11-02T14:00:00.000Z', 'CreateInstance', null],
      ['2026-11-02T23:59:59.000Z', 'DeleteInstance', null],
      ['2026-11-03T00:00:00.000Z', 'DeleteInstance', null],
      ['2026-11-03T08:00:00.000Z', 'DeleteInstance', 'AccessDeniedException'],
      ['2026-11-03T09:00:00.000Z', 'CreateApplication', null],
      ['2026-11-03T23:59:59.000Z', 'CreateInstance', null],
    ]);
    const create = rows[0]!;
    expect(create.instance_arn).toBe('arn:aws:sso:::instance/ssoins-1234567890abcdef');
    expect(create).toMatchObject({
      account_id: A,
      region: 'us-east-1',
      actor_arn: ADMIN_ROLE_ARN,
      actor_type: 'AssumedRole',
      source_ip: '203.0.113.10',
      user_agent: 'aws-cli/2.15.0',
    });
    expect(rows[2]!.instance_arn).toBe('arn:aws:sso:::instance/ssoins-1234567890abcdef');
    expect(rows[3]!.instance_arn).toBeNull();
    expect(rows[8]!.application_arn).toMatch(/^arn:aws:sso::444455556666:application\//);
  });
});

describe('identity-center/instances-created-and-deleted', () => {
  it('returns who created or deleted an instance, failed calls included as in the blog query', async () => {
    const { rows } = await runQuery(engine, blog, window);
    expect(rows).toHaveLength(9);
    expect(rows[0]).toEqual({
      user_arn: ADMIN_ROLE_ARN,
      event_name: 'CreateInstance',
      account_id: A,
      event_time: '2026-11-02T00:00:00.000Z',
    });
  });
});
