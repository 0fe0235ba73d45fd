import {
  IdentitystoreClient,
  ListUsersCommand,
  type ListUsersCommandInput,
  type User,
} from '@aws-sdk/client-identitystore';
import {
  type Account,
  ListAccountsCommand,
  type ListAccountsCommandInput,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  type Application,
  DescribeInstanceCommand,
  type DescribeInstanceCommandInput,
  type DescribeInstanceCommandOutput,
  type InstanceMetadata,
  ListApplicationAssignmentsCommand,
  type ListApplicationAssignmentsCommandInput,
  ListApplicationsCommand,
  type ListApplicationsCommandInput,
  ListInstancesCommand,
  type ListInstancesCommandInput,
  type ApplicationAssignment as SdkAssignment,
  SSOAdminClient,
  ThrottlingException,
} from '@aws-sdk/client-sso-admin';
import {
  AssumeRoleCommand,
  type AssumeRoleCommandInput,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { expectValidCommands } from '../../support/aws-model-validator.ts';

/**
 * An in-memory AWS estate for the Identity Center collector, behind aws-sdk-client-mock: an
 * organization (ListAccounts), member roles (AssumeRole answers credentials whose key id names
 * the account; `refuseRole` accounts get AccessDenied), and per account and Region the instances
 * ListInstances returns, with their users, applications and assignments. Every List call pages by
 * `pageSize` (less than the MaxResults the collector asks for), so paging is always exercised.
 * `throttle` makes the first calls of an operation in a scope fail with ThrottlingException.
 */

/** Where a call is made: `account|region`. */
export type Scope = `${string}|${string}`;

export interface FakeIdentityCenterState {
  callerAccount: string;
  accounts: Account[];
  /** Accounts whose member role cannot be assumed. */
  refuseRole: Set<string>;
  /** What ListInstances answers per account and Region. */
  instances: Map<Scope, InstanceMetadata[]>;
  /** DescribeInstance's extra members per instance ARN. */
  details: Map<string, Partial<DescribeInstanceCommandOutput>>;
  users: Map<string, User[]>;
  applications: Map<string, Application[]>;
  assignments: Map<string, SdkAssignment[]>;
  /** Throttled calls left, keyed `Operation|account|region`. */
  throttle: Map<string, number>;
  pageSize: number;
}

export const CALLER_KEY = 'AKIAOWNCALLERKEY0001';

/** The credentials' key id of a member account: `ASIA<account>`. */
const memberKey = (account: string) => `ASIA${account}`;

function page<T>(items: readonly T[], token: string | undefined, max: number | undefined, size: number) {
  const offset = token ? Number(token) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw new Error(`bad NextToken ${token}`);
  const n = Math.min(size, max ?? size);
  const next = offset + n < items.length ? String(offset + n) : undefined;
  return { slice: items.slice(offset, offset + n), next };
}

export function mockIdentityCenterAws(state: FakeIdentityCenterState) {
  const org = mockClient(OrganizationsClient);
  const sts = mockClient(STSClient);
  const sso = mockClient(SSOAdminClient);
  const store = mockClient(IdentitystoreClient);
  const calls: string[] = [];

  async function scopeOf(client: {
    config: { credentials: () => Promise<{ accessKeyId: string }>; region: () => Promise<string> };
  }): Promise<{ account: string; region: string }> {
    const { accessKeyId } = await client.config.credentials();
    const region = await client.config.region();
    const account = accessKeyId.startsWith('ASIA') ? accessKeyId.slice(4) : state.callerAccount;
    return { account, region };
  }
  function throttled(operation: string, account: string, region: string) {
    const key = `${operation}|${account}|${region}`;
    calls.push(key);
    const left = state.throttle.get(key) ?? 0;
    if (left > 0) {
      state.throttle.set(key, left - 1);
      throw new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
    }
  }
  // biome-ignore lint/suspicious/noExplicitAny: aws-sdk-client-mock's getClient is typed per client
  type GetClient = () => any;

  sts.on(GetCallerIdentityCommand).resolves({
    Account: state.callerAccount,
    Arn: `arn:aws:iam::${state.callerAccount}:role/lakeq-lambda`,
    UserId: 'AROAEXAMPLEID:lakeq',
  });
  sts.on(AssumeRoleCommand).callsFake((input: AssumeRoleCommandInput) => {
    const account = /^arn:aws:iam::(\d{12}):role\//.exec(input.RoleArn ?? '')?.[1] ?? '';
    calls.push(`AssumeRole|${account}`);
    if (state.refuseRole.has(account)) {
      const error = new Error(
        `User: arn:aws:sts::${state.callerAccount}:assumed-role/lakeq-lambda/lakeq is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`,
      );
      error.name = 'AccessDenied';
      throw error;
    }
    return {
      Credentials: {
        AccessKeyId: memberKey(account),
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(Date.now() + 3_600_000),
      },
      AssumedRoleUser: { AssumedRoleId: 'AROAEXAMPLE:lakeq-identity-center', Arn: `${input.RoleArn}/lakeq` },
    };
  });
  org.on(ListAccountsCommand).callsFake((input: ListAccountsCommandInput) => {
    calls.push('ListAccounts');
    const { slice, next } = page(state.accounts, input.NextToken, input.MaxResults, state.pageSize);
    return { Accounts: slice, ...(next ? { NextToken: next } : {}) };
  });
  sso.on(ListInstancesCommand).callsFake(async (input: ListInstancesCommandInput, getClient: GetClient) => {
    const { account, region } = await scopeOf(getClient());
    throttled('ListInstances', account, region);
    const all = state.instances.get(`${account}|${region}`) ?? [];
    const { slice, next } = page(all, input.NextToken, input.MaxResults, state.pageSize);
    return { Instances: slice, ...(next ? { NextToken: next } : {}) };
  });
  sso
    .on(DescribeInstanceCommand)
    .callsFake(async (input: DescribeInstanceCommandInput, getClient: GetClient) => {
      const { account, region } = await scopeOf(getClient());
      throttled('DescribeInstance', account, region);
      const listed = state.instances
        .get(`${account}|${region}`)
        ?.find((i) => i.InstanceArn === input.InstanceArn);
      if (!listed) {
        const error = new Error(`instance ${input.InstanceArn} not found`);
        error.name = 'ResourceNotFoundException';
        throw error;
      }
      return { ...listed, ...state.details.get(input.InstanceArn as string) };
    });
  store.on(ListUsersCommand).callsFake(async (input: ListUsersCommandInput, getClient: GetClient) => {
    const { account, region } = await scopeOf(getClient());
    throttled('ListUsers', account, region);
    const { slice, next } = page(
      state.users.get(input.IdentityStoreId as string) ?? [],
      input.NextToken,
      input.MaxResults,
      state.pageSize,
    );
    return { Users: slice, ...(next ? { NextToken: next } : {}) };
  });
  sso
    .on(ListApplicationsCommand)
    .callsFake(async (input: ListApplicationsCommandInput, getClient: GetClient) => {
      const { account, region } = await scopeOf(getClient());
      throttled('ListApplications', account, region);
      const { slice, next } = page(
        state.applications.get(input.InstanceArn as string) ?? [],
        input.NextToken,
        input.MaxResults,
        state.pageSize,
      );
      return { Applications: slice, ...(next ? { NextToken: next } : {}) };
    });
  sso
    .on(ListApplicationAssignmentsCommand)
    .callsFake(async (input: ListApplicationAssignmentsCommandInput, getClient: GetClient) => {
      const { account, region } = await scopeOf(getClient());
      throttled('ListApplicationAssignments', account, region);
      const { slice, next } = page(
        state.assignments.get(input.ApplicationArn as string) ?? [],
        input.NextToken,
        input.MaxResults,
        state.pageSize,
      );
      return { ApplicationAssignments: slice, ...(next ? { NextToken: next } : {}) };
    });

  return {
    /** Every call, as `Operation|account|region` (`ListAccounts`, `AssumeRole|account`), in order. */
    calls,
    sso,
    store,
    sts,
    org,
    /** Validates every request sent so far against the AWS models; returns how many. */
    validate(): number {
      return (
        expectValidCommands(
          'organizations',
          org.calls().map((c) => c.args[0]),
        ) +
        expectValidCommands(
          'sts',
          sts.calls().map((c) => c.args[0]),
        ) +
        expectValidCommands(
          'sso-admin',
          sso.calls().map((c) => c.args[0]),
        ) +
        expectValidCommands(
          'identitystore',
          store.calls().map((c) => c.args[0]),
        )
      );
    },
    restore() {
      org.restore();
      sts.restore();
      sso.restore();
      store.restore();
    },
  };
}

/** A fixture account (the AWS CLI printed JoinedTimestamp as epoch seconds) as the SDK returns it. */
export function asSdkAccount(account: Record<string, unknown>): Account {
  const joined = account.JoinedTimestamp;
  return {
    ...account,
    ...(typeof joined === 'number' ? { JoinedTimestamp: new Date(joined * 1000) } : {}),
  } as Account;
}
