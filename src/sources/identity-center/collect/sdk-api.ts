import type { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { STSClient } from '@aws-sdk/client-sts';
import { type AwsRetryOptions, withThrottlingRetry } from '../../../engines/aws-retry.ts';
import type { AccountSession, IdentityCenterApi, RegionalIdentityCenterApi } from './api.ts';

/** Most accounts ListAccounts returns per page (organizations.service-2.json MaxResults). */
export const LIST_ACCOUNTS_PAGE_SIZE = 20;
/** Most items the sso-admin and identitystore List calls return per page (their MaxResults). */
export const LIST_PAGE_SIZE = 100;
/** The session name member-account calls are made under (CloudTrail shows it). */
export const ROLE_SESSION_NAME = 'lakeq-identity-center';
/** Credentials are assumed again this long before they expire. */
const REFRESH_BEFORE_MS = 5 * 60_000;

/**
 * Options of the AWS SDK source.
 *
 * @example
 * ```ts
 * const options: SdkIdentityCenterApiOptions = { region: 'us-east-1', memberRoleName: 'LakeqIdentityCenterRead' };
 * ```
 */
export interface SdkIdentityCenterApiOptions {
  /** The Region of the global calls (Organizations, STS); default the SDK's. */
  readonly region?: string | undefined;
  readonly profile?: string | undefined;
  /**
   * The role assumed in each member account (`identityCenter.memberRoleName`): without it only the
   * calling account's instances are listed (an organization instance and its own account instance).
   */
  readonly memberRoleName?: string | undefined;
  /** Accounts outside the organization to read with the same member role. */
  readonly extraAccounts?: readonly string[] | undefined;
  /** Backoff while AWS throttles (ThrottlingException, TooManyRequestsException); other errors are thrown at once. */
  readonly retry?: AwsRetryOptions | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** The SDK's clients and commands the source uses, imported at the first call. */
async function loadSdk() {
  // Destructured by name, so the IAM policy test sees which client each command comes from.
  const { OrganizationsClient, ListAccountsCommand } = await import('@aws-sdk/client-organizations');
  const {
    SSOAdminClient,
    ListInstancesCommand,
    DescribeInstanceCommand,
    ListApplicationsCommand,
    ListApplicationAssignmentsCommand,
  } = await import('@aws-sdk/client-sso-admin');
  const { IdentitystoreClient, ListUsersCommand } = await import('@aws-sdk/client-identitystore');
  const { STSClient, GetCallerIdentityCommand, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
  return {
    OrganizationsClient,
    SSOAdminClient,
    IdentitystoreClient,
    STSClient,
    listAccounts: (input: { MaxResults: number; NextToken?: string }) => new ListAccountsCommand(input),
    listInstances: (input: { MaxResults: number; NextToken?: string }) => new ListInstancesCommand(input),
    describeInstance: (input: { InstanceArn: string }) => new DescribeInstanceCommand(input),
    listApplications: (input: { InstanceArn: string; MaxResults: number; NextToken?: string }) =>
      new ListApplicationsCommand(input),
    listApplicationAssignments: (input: { ApplicationArn: string; MaxResults: number; NextToken?: string }) =>
      new ListApplicationAssignmentsCommand(input),
    listUsers: (input: { IdentityStoreId: string; MaxResults: number; NextToken?: string }) =>
      new ListUsersCommand(input),
    getCallerIdentity: () => new GetCallerIdentityCommand({}),
    assumeRole: (input: { RoleArn: string; RoleSessionName: string }) => new AssumeRoleCommand(input),
  };
}

type Sdk = Awaited<ReturnType<typeof loadSdk>>;

interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/**
 * The Identity Center collector's source on AWS: Organizations ListAccounts, STS GetCallerIdentity
 * and AssumeRole (into `memberRoleName` of each member account), sso-admin ListInstances,
 * DescribeInstance, ListApplications, ListApplicationAssignments, identitystore ListUsers; each
 * retried while throttled. The SDK is imported at the first call, so the CLI starts fast.
 *
 * @example
 * ```ts
 * const api = createSdkIdentityCenterApi({ region: 'us-east-1', memberRoleName: 'LakeqIdentityCenterRead' });
 * await collectIdentityCenter({ api, root: store, regions: ['us-east-1', 'eu-west-1'], now: new Date() });
 * ```
 */
export function createSdkIdentityCenterApi(options: SdkIdentityCenterApiOptions = {}): IdentityCenterApi {
  const base = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  };
  let sdk: Promise<Sdk> | undefined;
  const load = (): Promise<Sdk> => {
    sdk ??= loadSdk();
    return sdk;
  };
  const retry = <T>(call: () => Promise<T>) =>
    withThrottlingRetry(call, { ...options.retry, signal: options.signal });

  let orgClient: OrganizationsClient | undefined;
  let stsClient: STSClient | undefined;
  const sts = async () => {
    const s = await load();
    stsClient ??= new s.STSClient(base);
    return stsClient;
  };
  let identity: Promise<{ account: string | null; partition: string }> | undefined;
  const callerIdentity = () => {
    identity ??= (async () => {
      const s = await load();
      const client = await sts();
      const out = await retry(() => client.send(s.getCallerIdentity()));
      const partition = /^arn:([^:]+):/.exec(out.Arn ?? '')?.[1] ?? 'aws';
      return { account: out.Account ?? null, partition };
    })();
    return identity;
  };

  const sessionOf = (credentials: (() => Promise<Credentials>) | undefined): AccountSession => {
    const regions = new Map<string, RegionalIdentityCenterApi>();
    return {
      region(name: string): RegionalIdentityCenterApi {
        let regional = regions.get(name);
        if (regional) return regional;
        let clients: Promise<{ sso: SSOAdminClient; store: IdentitystoreClient; s: Sdk }> | undefined;
        const get = () => {
          clients ??= (async () => {
            const s = await load();
            const config = { ...base, region: name, ...(credentials ? { credentials } : {}) };
            return {
              s,
              sso: new s.SSOAdminClient(config),
              store: new s.IdentitystoreClient(config),
            };
          })();
          return clients;
        };
        const token = (t: string | undefined) => (t ? { NextToken: t } : {});
        regional = {
          async listInstances(nextToken) {
            const c = await get();
            const command = c.s.listInstances({ MaxResults: LIST_PAGE_SIZE, ...token(nextToken) });
            return retry(() => c.sso.send(command));
          },
          async describeInstance(instanceArn) {
            const c = await get();
            const command = c.s.describeInstance({ InstanceArn: instanceArn });
            return retry(() => c.sso.send(command));
          },
          async listUsers(identityStoreId, nextToken) {
            const c = await get();
            const command = c.s.listUsers({
              IdentityStoreId: identityStoreId,
              MaxResults: LIST_PAGE_SIZE,
              ...token(nextToken),
            });
            return retry(() => c.store.send(command));
          },
          async listApplications(instanceArn, nextToken) {
            const c = await get();
            const command = c.s.listApplications({
              InstanceArn: instanceArn,
              MaxResults: LIST_PAGE_SIZE,
              ...token(nextToken),
            });
            return retry(() => c.sso.send(command));
          },
          async listApplicationAssignments(applicationArn, nextToken) {
            const c = await get();
            const command = c.s.listApplicationAssignments({
              ApplicationArn: applicationArn,
              MaxResults: LIST_PAGE_SIZE,
              ...token(nextToken),
            });
            return retry(() => c.sso.send(command));
          },
        };
        regions.set(name, regional);
        return regional;
      },
    };
  };
  const own = sessionOf(undefined);
  const members = new Map<string, Promise<AccountSession>>();

  return {
    readsMemberAccounts: options.memberRoleName !== undefined && options.memberRoleName !== '',
    extraAccounts: options.extraAccounts ?? [],
    callerAccount: async () => (await callerIdentity()).account,
    async listAccounts(nextToken) {
      const s = await load();
      orgClient ??= new s.OrganizationsClient(base);
      const client = orgClient;
      const command = s.listAccounts({
        MaxResults: LIST_ACCOUNTS_PAGE_SIZE,
        ...(nextToken ? { NextToken: nextToken } : {}),
      });
      return retry(() => client.send(command));
    },
    async session(account) {
      const { account: caller, partition } = await callerIdentity();
      if (account === null || account === caller) return own;
      const roleName = options.memberRoleName;
      if (!roleName) throw new Error(`no identityCenter.memberRoleName to read account ${account} with`);
      let session = members.get(account);
      if (!session) {
        const roleArn = `arn:${partition}:iam::${account}:role/${roleName}`;
        let current: Credentials | undefined;
        const assume = async (): Promise<Credentials> => {
          if (current && current.expiration.getTime() - Date.now() > REFRESH_BEFORE_MS) return current;
          const s = await load();
          const client = await sts();
          const out = await retry(() =>
            client.send(s.assumeRole({ RoleArn: roleArn, RoleSessionName: ROLE_SESSION_NAME })),
          );
          const c = out.Credentials;
          if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
            throw new Error(`AssumeRole ${roleArn} returned no credentials`);
          current = {
            accessKeyId: c.AccessKeyId,
            secretAccessKey: c.SecretAccessKey,
            sessionToken: c.SessionToken,
            expiration: c.Expiration ?? new Date(Date.now() + 3_600_000),
          };
          return current;
        };
        // Assumed now, so an account whose role cannot be assumed is known before its calls.
        session = assume().then(() => sessionOf(assume));
        members.set(account, session);
      }
      return session;
    },
  };
}
