import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListUsersCommand, type User } from '@aws-sdk/client-identitystore';
import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import {
  type Application,
  type ApplicationAssignment,
  type InstanceMetadata,
  ListApplicationAssignmentsCommand,
  ListApplicationsCommand,
} from '@aws-sdk/client-sso-admin';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hashEmail } from '../../../src/sources/identity-center/collect/records.ts';
import { createSdkIdentityCenterApi } from '../../../src/sources/identity-center/collect/sdk-api.ts';
import { collectIdentityCenter } from '../../../src/sources/identity-center/collect.ts';
import { loadFixture } from '../../support/load-fixture.ts';
import {
  asSdkAccount,
  CALLER_KEY,
  type FakeIdentityCenterState,
  mockIdentityCenterAws,
} from './identity-center-fake-aws.ts';

const FAST_RETRY = { minTimeoutMs: 1, maxTimeoutMs: 5 };
const NOW = new Date('2026-11-27T13:05:00Z');
const DAY = '2026-11-27';

// The AWS CLI's ListAccounts example: management account 111111111111 and members 222…, 333…, 444….
const fixtureAccounts = loadFixture<{ Accounts: Record<string, unknown>[] }>(
  'identity-center/api-responses/organizations__list-accounts.json',
).Accounts.map(asSdkAccount);

const MGMT = '111111111111';
const PROD = '222222222222';
const DEV = '333333333333'; // its member role cannot be assumed
const TEST = '444444444444'; // a delegated administrator: sees the organization instance too
const ORG_INSTANCE = 'arn:aws:sso:::instance/ssoins-1111aaaa2222bbbb';
const PROD_INSTANCE = 'arn:aws:sso:::instance/ins-2222cccc3333dddd';
const TEST_INSTANCE = 'arn:aws:sso:::instance/ssoins-4444eeee5555ffff';
const DEV_INSTANCE = 'arn:aws:sso:::instance/ssoins-3333999988887777';
const ORG_STORE = 'd-1111111111';
const PROD_STORE = 'd-2222222222';
const TEST_STORE = 'd-4444444444';

const instance = (
  arn: string,
  store: string,
  owner: string,
  name: string,
  created: string,
): InstanceMetadata => ({
  InstanceArn: arn,
  IdentityStoreId: store,
  OwnerAccountId: owner,
  Name: name,
  Status: 'ACTIVE',
  CreatedDate: new Date(created),
});
const user = (
  id: string,
  name: string,
  emails: { Value: string; Primary?: boolean }[] | undefined,
): User => ({
  IdentityStoreId: 'd-0000000000',
  UserId: id,
  UserName: name,
  DisplayName: name.replace('.', ' '),
  UserStatus: 'ENABLED',
  ...(emails ? { Emails: emails.map((e) => ({ Type: 'work', ...e })) } : {}),
});
const userId = (n: number) => `${'a'.repeat(8)}-0000-4000-8000-${n.toString().padStart(12, '0')}`;
const app = (instanceArn: string, account: string, n: number, name: string): Application => ({
  ApplicationArn: `arn:aws:sso::${account}:application/${instanceArn.split('/')[1]}/apl-${n.toString().padStart(16, '0')}`,
  ApplicationProviderArn: 'arn:aws:sso::aws:applicationProvider/custom-saml',
  ApplicationAccount: account,
  InstanceArn: instanceArn,
  Name: name,
  Status: 'ENABLED',
  PortalOptions: { Visibility: 'ENABLED', SignInOptions: { Origin: 'IDENTITY_CENTER' } },
  CreatedDate: new Date('2025-03-01T10:00:00Z'),
  CreatedFrom: 'us-east-1',
});

function estate(): FakeIdentityCenterState {
  const orgApps = [
    app(ORG_INSTANCE, MGMT, 1, 'Grafana'),
    app(ORG_INSTANCE, MGMT, 2, 'Wiki'),
    app(ORG_INSTANCE, MGMT, 3, 'Jenkins'),
  ];
  return {
    callerAccount: MGMT,
    accounts: fixtureAccounts,
    refuseRole: new Set([DEV]),
    instances: new Map([
      [`${MGMT}|us-east-1`, [instance(ORG_INSTANCE, ORG_STORE, MGMT, 'acme-org', '2024-01-10T08:00:00Z')]],
      [
        `${PROD}|eu-west-1`,
        [instance(PROD_INSTANCE, PROD_STORE, PROD, 'team-analytics', '2026-11-02T09:30:00Z')],
      ],
      [
        `${TEST}|us-east-1`,
        [
          instance(ORG_INSTANCE, ORG_STORE, MGMT, 'acme-org', '2024-01-10T08:00:00Z'),
          instance(TEST_INSTANCE, TEST_STORE, TEST, 'qa-identity', '2026-10-30T15:00:00Z'),
        ],
      ],
      [`${DEV}|us-east-1`, [instance(DEV_INSTANCE, 'd-3333333333', DEV, 'dev-sso', '2026-01-01T00:00:00Z')]],
    ]),
    details: new Map([
      [
        ORG_INSTANCE,
        { PermissionSetsEnabled: true, EncryptionConfigurationDetails: { KeyType: 'AWS_OWNED_KMS_KEY' } },
      ],
      [
        PROD_INSTANCE,
        { PermissionSetsEnabled: false, EncryptionConfigurationDetails: { KeyType: 'CUSTOMER_MANAGED_KEY' } },
      ],
    ]),
    users: new Map([
      [
        ORG_STORE,
        [
          user(userId(1), 'maria.garcia', [{ Value: 'Maria.Garcia@Example.com', Primary: true }]),
          user(userId(2), 'james.chen', [
            { Value: 'james.chen@example.com' },
            { Value: 'JC@Example.com', Primary: true },
          ]),
          user(userId(3), 'breakglass', undefined),
          user(userId(4), 'priya.patel', [{ Value: 'priya.patel@example.com' }]),
          user(userId(5), 'noah.johnson', [{ Value: ' noah.johnson@example.com ' }]),
        ],
      ],
      [
        PROD_STORE,
        [
          user(userId(11), 'maria', [{ Value: 'maria.garcia@example.COM' }]),
          user(userId(12), 'svc-reporting', []),
          user(userId(13), 'jc', [{ Value: 'jc@example.com' }]),
        ],
      ],
      [TEST_STORE, [user(userId(21), 'priya.patel', [{ Value: 'Priya.Patel@example.com' }])]],
    ]),
    applications: new Map([
      [ORG_INSTANCE, orgApps],
      [TEST_INSTANCE, [app(TEST_INSTANCE, TEST, 4, 'Data Portal')]],
    ]),
    assignments: new Map<string, ApplicationAssignment[]>([
      [
        orgApps[0]?.ApplicationArn as string,
        [1, 2, 4].map((n) => ({
          ApplicationArn: orgApps[0]?.ApplicationArn,
          PrincipalId: userId(n),
          PrincipalType: 'USER',
        })),
      ],
      [
        orgApps[2]?.ApplicationArn as string,
        [
          {
            ApplicationArn: orgApps[2]?.ApplicationArn,
            PrincipalId: `${'b'.repeat(8)}-0000-4000-8000-000000000001`,
            PrincipalType: 'GROUP',
          },
        ],
      ],
    ]),
    throttle: new Map([
      [`ListInstances|${MGMT}|eu-west-1`, 2],
      [`ListUsers|${MGMT}|us-east-1`, 1],
    ]),
    pageSize: 2,
  };
}

let dir: string;
let fake: ReturnType<typeof mockIdentityCenterAws> | undefined;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-idc-collect-'));
  // The calling account's clients use the default chain: the environment's keys, no IMDS.
  vi.stubEnv('AWS_ACCESS_KEY_ID', CALLER_KEY);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
  vi.stubEnv('AWS_PROFILE', '');
});
afterEach(async () => {
  fake?.restore();
  fake = undefined;
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

const lines = async (relation: string) =>
  (await readFile(path.join(dir, relation, `dt=${DAY}`, 'hour=00', `${relation}.json`), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const collect = (
  state: FakeIdentityCenterState,
  extra: { memberRoleName?: string; hashKey?: string } = {},
) => {
  fake = mockIdentityCenterAws(state);
  const api = createSdkIdentityCenterApi({
    region: 'us-east-1',
    memberRoleName: extra.memberRoleName ?? 'LakeqIdentityCenterRead',
    retry: FAST_RETRY,
  });
  return collectIdentityCenter({
    api,
    root: dir,
    regions: ['us-east-1', 'eu-west-1'],
    now: NOW,
    ...(extra.hashKey ? { hashKey: extra.hashKey } : {}),
  });
};

describe('the Identity Center collector on the AWS SDK', () => {
  it('reads every account it can reach in two Regions, pages every call, and reports the account it cannot', async () => {
    const state = estate();
    const result = await collect(state);
    // Every request AWS would get is one its models accept.
    expect(fake?.validate()).toBeGreaterThan(30);

    expect(result.collected).toBe(true);
    expect(result.day).toBe(DAY);
    expect(result.accounts).toBe(3); // 111 (caller), 222, 444; 333 refused
    expect(result.unreachable).toEqual([
      { account: DEV, reason: expect.stringMatching(/^AccessDenied: .*sts:AssumeRole/) },
    ]);
    expect(result.warnings).toContain(`account ${DEV} not read: ${result.unreachable[0]?.reason}`);
    expect(result.touchedHours).toEqual([`${DAY}T00:00:00.000Z`]);
    expect(result.files.map((f) => path.relative(dir, f))).toEqual([
      `application-assignments/dt=${DAY}/hour=00/application-assignments.json`,
      `applications/dt=${DAY}/hour=00/applications.json`,
      `instances/dt=${DAY}/hour=00/instances.json`,
      `users/dt=${DAY}/hour=00/users.json`,
    ]);

    // The organization instance, seen from the management and the delegated administrator account, once.
    const instances = await lines('instances');
    expect(
      instances.map((i) => [i.instance_arn, i.account_id, i.region, i.owner_account_id, i.instance_type]),
    ).toEqual([
      [PROD_INSTANCE, PROD, 'eu-west-1', PROD, 'ACCOUNT'],
      [ORG_INSTANCE, MGMT, 'us-east-1', MGMT, 'ORGANIZATION'],
      [TEST_INSTANCE, TEST, 'us-east-1', TEST, 'ACCOUNT'],
    ]);
    expect(instances.find((i) => i.instance_arn === ORG_INSTANCE)).toMatchObject({
      organization_id: 'o-exampleorgid',
      name: 'acme-org',
      status: 'ACTIVE',
      created_date: '2024-01-10T08:00:00.000Z',
      permission_sets_enabled: true,
      encryption_key_type: 'AWS_OWNED_KMS_KEY',
    });
    expect(instances.some((i) => i.instance_arn === DEV_INSTANCE)).toBe(false);

    // Member accounts were read with their own role; the refused one was not listed at all.
    const calls = fake?.calls ?? [];
    expect(calls.filter((c) => c.startsWith('AssumeRole'))).toEqual(
      expect.arrayContaining([`AssumeRole|${PROD}`, `AssumeRole|${DEV}`, `AssumeRole|${TEST}`]),
    );
    expect(calls.some((c) => c.includes(`|${DEV}|`))).toBe(false);
    expect(calls).toContain(`ListInstances|${PROD}|eu-west-1`);
    expect(calls).toContain(`ListUsers|${PROD}|eu-west-1`);

    // Paging: 4 accounts in 2 pages; 5 users of the organization store in 3; 3 applications in 2.
    const listAccounts = fake?.org.commandCalls(ListAccountsCommand) ?? [];
    expect(listAccounts.map((c) => c.args[0].input.NextToken)).toEqual([undefined, '2']);
    expect(listAccounts.every((c) => c.args[0].input.MaxResults === 20)).toBe(true);
    const orgUsers = (fake?.store.commandCalls(ListUsersCommand) ?? []).filter(
      (c) => c.args[0].input.IdentityStoreId === ORG_STORE,
    );
    // One throttled attempt, then three pages.
    expect(orgUsers.map((c) => c.args[0].input.NextToken)).toEqual([undefined, undefined, '2', '4']);
    const orgApps = (fake?.sso.commandCalls(ListApplicationsCommand) ?? []).filter(
      (c) => c.args[0].input.InstanceArn === ORG_INSTANCE,
    );
    expect(orgApps.map((c) => c.args[0].input.NextToken)).toEqual([undefined, '2']);
    const grafana = state.applications.get(ORG_INSTANCE)?.[0]?.ApplicationArn;
    const grafanaPages = (fake?.sso.commandCalls(ListApplicationAssignmentsCommand) ?? []).filter(
      (c) => c.args[0].input.ApplicationArn === grafana,
    );
    expect(grafanaPages.map((c) => c.args[0].input.NextToken)).toEqual([undefined, '2']);
    // Throttled ListInstances in eu-west-1 of the calling account: two retries, then the answer.
    expect(calls.filter((c) => c === `ListInstances|${MGMT}|eu-west-1`)).toHaveLength(3);

    const users = await lines('users');
    expect(users).toHaveLength(9);
    const byName = (store: string, name: string) =>
      users.find((u) => u.identity_store_id === store && u.user_name === name);
    expect(byName(ORG_STORE, 'maria.garcia')).toMatchObject({
      instance_arn: ORG_INSTANCE,
      account_id: MGMT,
      region: 'us-east-1',
      emails: ['maria.garcia@example.com'],
      primary_email: 'maria.garcia@example.com',
      email_count: 1,
      emails_hashed: false,
      user_status: 'ENABLED',
      display_name: 'maria garcia',
    });
    // The primary address first, every address lower-cased and trimmed.
    expect(byName(ORG_STORE, 'james.chen')).toMatchObject({
      emails: ['jc@example.com', 'james.chen@example.com'],
      primary_email: 'jc@example.com',
      email_count: 2,
    });
    expect(byName(ORG_STORE, 'noah.johnson')?.emails).toEqual(['noah.johnson@example.com']);
    expect(byName(ORG_STORE, 'breakglass')).toMatchObject({
      emails: [],
      primary_email: null,
      email_count: 0,
    });
    expect(byName(PROD_STORE, 'svc-reporting')).toMatchObject({ emails: [], email_count: 0 });
    expect(byName(PROD_STORE, 'maria')).toMatchObject({
      instance_arn: PROD_INSTANCE,
      account_id: PROD,
      region: 'eu-west-1',
    });

    const apps = await lines('applications');
    expect(apps.map((a) => [a.name, a.instance_arn, a.account_id])).toEqual([
      ['Grafana', ORG_INSTANCE, MGMT],
      ['Wiki', ORG_INSTANCE, MGMT],
      ['Jenkins', ORG_INSTANCE, MGMT],
      ['Data Portal', TEST_INSTANCE, TEST],
    ]);
    expect(apps[0]).toMatchObject({
      visibility: 'ENABLED',
      sign_in_origin: 'IDENTITY_CENTER',
      status: 'ENABLED',
      created_from: 'us-east-1',
    });
    const assignments = await lines('application-assignments');
    expect(assignments.map((a) => [a.application_arn, a.principal_type, a.principal_id])).toEqual([
      [grafana, 'USER', userId(1)],
      [grafana, 'USER', userId(2)],
      [grafana, 'USER', userId(4)],
      [
        state.applications.get(ORG_INSTANCE)?.[2]?.ApplicationArn,
        'GROUP',
        `${'b'.repeat(8)}-0000-4000-8000-000000000001`,
      ],
    ]);
  });

  it('collecting the same estate again writes nothing; a day gone wrong for one account keeps that account', async () => {
    await collect(estate());
    fake?.restore();
    const before = await stat(path.join(dir, `instances/dt=${DAY}/hour=00/instances.json`));
    const again = await collect(estate());
    expect(again.files).toEqual([]);
    // The day is asked for again all the same: the planner's fingerprints find it unchanged.
    expect(again.touchedHours).toEqual([`${DAY}T00:00:00.000Z`]);
    const after = await stat(path.join(dir, `instances/dt=${DAY}/hour=00/instances.json`));
    expect(after.mtimeMs).toBe(before.mtimeMs);
    fake?.restore();

    // Later that day the production account's role cannot be assumed: its instance and users stay.
    const state = estate();
    state.refuseRole.add(PROD);
    state.users.get(ORG_STORE)?.pop(); // noah.johnson left
    const partial = await collect(state);
    expect(partial.unreachable.map((u) => u.account)).toEqual([PROD, DEV]);
    const instances = await lines('instances');
    expect(instances.map((i) => i.instance_arn)).toContain(PROD_INSTANCE);
    const users = await lines('users');
    expect(users.filter((u) => u.instance_arn === PROD_INSTANCE)).toHaveLength(3);
    expect(users.some((u) => u.user_name === 'noah.johnson')).toBe(false);
    expect(partial.files.map((f) => path.basename(f))).toEqual(['users.json']);
  });

  it('without a member role reads the calling account only; an account in no organization has account instances', async () => {
    const state = estate();
    const result = await collect(state, { memberRoleName: '' });
    expect(fake?.calls.some((c) => c.startsWith('AssumeRole'))).toBe(false);
    expect(result.accounts).toBe(1);
    expect((await lines('instances')).map((i) => i.instance_arn)).toEqual([ORG_INSTANCE]);
    fake?.restore();

    const alone = estate();
    alone.instances = new Map([
      [`${MGMT}|eu-west-1`, [instance(PROD_INSTANCE, PROD_STORE, MGMT, 'solo', '2026-11-02T09:30:00Z')]],
    ]);
    fake = mockIdentityCenterAws(alone);
    const error = new Error('Your account is not a member of an organization.');
    error.name = 'AWSOrganizationsNotInUseException';
    fake.org.on(ListAccountsCommand).rejects(error);
    const api = createSdkIdentityCenterApi({
      region: 'us-east-1',
      memberRoleName: 'LakeqIdentityCenterRead',
      retry: FAST_RETRY,
    });
    const solo = await collectIdentityCenter({
      api,
      root: dir,
      regions: ['us-east-1', 'eu-west-1'],
      now: new Date('2026-11-28T01:00:00Z'),
    });
    expect(solo.warnings[0]).toMatch(
      /^Organizations ListAccounts: AWSOrganizationsNotInUseException: .*only the calling account is read$/,
    );
    const rows = (await readFile(path.join(dir, 'instances/dt=2026-11-28/hour=00/instances.json'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.instance_arn, r.instance_type, r.organization_id])).toEqual([
      [PROD_INSTANCE, 'ACCOUNT', null],
    ]);
    expect(fake.validate()).toBeGreaterThan(0);
  });

  it('hashEmails: keyed hashes instead of addresses, equal for the same address whatever its case', async () => {
    const result = await collect(estate(), { hashKey: 'k3y' });
    expect(result.users).toBe(9);
    const users = await lines('users');
    const text = JSON.stringify(users);
    expect(text).not.toContain('@');
    const maria = users.filter((u) => u.user_name === 'maria.garcia' || u.user_name === 'maria');
    expect(maria.map((u) => u.primary_email)).toEqual([
      hashEmail('maria.garcia@example.com', 'k3y'),
      hashEmail('maria.garcia@example.com', 'k3y'),
    ]);
    expect(maria.every((u) => u.emails_hashed === true)).toBe(true);
    expect(hashEmail('maria.garcia@example.com', 'other')).not.toBe(
      hashEmail('maria.garcia@example.com', 'k3y'),
    );
  });

  it('oncePerDay leaves a day that has a snapshot alone', async () => {
    await collect(estate());
    fake?.restore();
    fake = mockIdentityCenterAws(estate());
    const api = createSdkIdentityCenterApi({ region: 'us-east-1', retry: FAST_RETRY });
    const second = await collectIdentityCenter({
      api,
      root: dir,
      regions: ['us-east-1'],
      now: NOW,
      oncePerDay: true,
    });
    expect(second.collected).toBe(false);
    expect(fake.calls).toEqual([]);
  });

  it('throttling that does not stop fails the collection, with the throttling error', async () => {
    const state = estate();
    fake = mockIdentityCenterAws(state);
    const error = new Error('Rate exceeded');
    error.name = 'TooManyRequestsException';
    fake.org.on(ListAccountsCommand).rejects(error);
    const api = createSdkIdentityCenterApi({ region: 'us-east-1', retry: { ...FAST_RETRY, retries: 2 } });
    await expect(collectIdentityCenter({ api, root: dir, regions: ['us-east-1'], now: NOW })).rejects.toThrow(
      'Rate exceeded',
    );
    expect(fake.org.commandCalls(ListAccountsCommand)).toHaveLength(3);
  });
});

describe('the Identity Center collector of the Lambda (collect-aws.ts)', () => {
  it('is opt-in, reads the configured Regions through the member role, and collects once a day', async () => {
    const { collectAwsIdentityCenter } = await import('../../../src/sources/identity-center/collect-aws.ts');
    const { localFolderStore } = await import('../../../src/storage/local-folder-store.ts');
    const store = localFolderStore(dir);
    const common = {
      root: 's3://lake/lakeq/raw/identity-center',
      store,
      region: 'us-east-1',
      accountId: MGMT,
    };
    const window = { from: new Date('2026-11-27T12:00:00Z'), to: new Date('2026-11-27T13:00:00Z'), now: NOW };
    expect(await collectAwsIdentityCenter({ ...common, env: {} }, window)).toEqual({
      collected: false,
      reason: 'LAKEQ_IDENTITY_CENTER_REGIONS names no Region to read',
    });
    fake = mockIdentityCenterAws(estate());
    const env = {
      LAKEQ_IDENTITY_CENTER_REGIONS: 'us-east-1, eu-west-1',
      LAKEQ_IDENTITY_CENTER_MEMBER_ROLE: 'LakeqIdentityCenterRead',
    };
    const first = await collectAwsIdentityCenter({ ...common, env }, window);
    expect(first).toMatchObject({
      collected: true,
      touchedHours: [`${DAY}T00:00:00.000Z`],
      summary: { day: DAY, accounts: 3, instances: 3, users: 9, applications: 4, applicationAssignments: 4 },
    });
    expect((first as unknown as { summary: { unreachable: unknown[] } }).summary.unreachable).toEqual([
      { account: DEV, reason: expect.stringMatching(/^AccessDenied/) },
    ]);
    expect(fake.validate()).toBeGreaterThan(30);
    const calls = fake.calls.length;
    expect(
      await collectAwsIdentityCenter(
        { ...common, env },
        { ...window, now: new Date('2026-11-27T18:05:00Z') },
      ),
    ).toEqual({
      collected: false,
      reason: `the snapshot of ${DAY} was collected already (once a day)`,
    });
    expect(fake.calls).toHaveLength(calls);
    // Hashing without a key is refused in one line.
    await expect(
      collectAwsIdentityCenter(
        { ...common, env: { ...env, LAKEQ_IDENTITY_CENTER_HASH_EMAILS: 'true' } },
        { ...window, now: new Date('2026-11-28T00:05:00Z') },
      ),
    ).rejects.toThrow(/hashEmails needs a key of at least 16 characters in LAKEQ_IDENTITY_CENTER_EMAIL_KEY/);
  });
});
