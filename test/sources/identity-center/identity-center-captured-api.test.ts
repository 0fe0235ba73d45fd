import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCapturedIdentityCenterApi } from '../../../src/sources/identity-center/collect/captured-api.ts';
import { collectIdentityCenter } from '../../../src/sources/identity-center/collect.ts';
import { REAL_FIXTURES_URL } from '../../support/load-fixture.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-idc-captured-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(rel: string, content: unknown): Promise<string> {
  const file = path.join(dir, 'src', rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}
async function putFixture(rel: string, fixture: string): Promise<void> {
  const file = path.join(dir, 'src', rel);
  await mkdir(path.dirname(file), { recursive: true });
  await copyFile(new URL(`identity-center/api-responses/${fixture}`, REAL_FIXTURES_URL), file);
}
const lines = async (relation: string, day: string) =>
  (await readFile(path.join(dir, 'out', relation, `dt=${day}`, 'hour=00', `${relation}.json`), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const ORG = 'arn:aws:sso:::instance/ssoins-7223c2d2a4c3a8f1';
const ACCT = 'arn:aws:sso:::instance/ins-0123456789abcdef';

describe('openCapturedIdentityCenterApi', () => {
  it('reads the AWS CLI and botocore ListAccounts examples (epoch and compact times) and captured sso-admin and identitystore pages', async () => {
    await putFixture('accounts/cli/list-accounts.json', 'organizations__list-accounts.json');
    await putFixture('accounts/botocore/ListAccounts.json', 'organizations__ListAccounts.json');
    await putFixture('accounts/describe-account.json', 'organizations__describe-account.json');
    // The management account's own ListInstances, in two pages and a DescribeInstance beside them.
    await put('instances/111111111111/us-east-1/page-1.json', {
      Instances: [
        {
          InstanceArn: ORG,
          IdentityStoreId: 'd-906707d2e1',
          OwnerAccountId: '111111111111',
          Name: 'acme',
          CreatedDate: 1704873600,
          Status: 'ACTIVE',
        },
      ],
      NextToken: 'AAMA-EFRSURBSGhV',
    });
    await put('instances/111111111111/us-east-1/describe-org.json', {
      InstanceArn: ORG,
      IdentityStoreId: 'd-906707d2e1',
      OwnerAccountId: '111111111111',
      Status: 'ACTIVE',
      PermissionSetsEnabled: true,
      EncryptionConfigurationDetails: { KeyType: 'CUSTOMER_MANAGED_KEY', EncryptionStatus: 'ENABLED' },
    });
    // A member account's instance, its account and Region in the file name.
    await put('instances/222222222222-eu-west-1.json', {
      Instances: [
        {
          InstanceArn: ACCT,
          IdentityStoreId: 'd-93670abc12',
          OwnerAccountId: '222222222222',
          CreatedDate: '2026-11-02T09:30:00.000000+00:00',
          Status: 'ACTIVE',
        },
      ],
    });
    await put('users/org/page-1.json', {
      Users: [
        {
          IdentityStoreId: 'd-906707d2e1',
          UserId: '906707d2e1-aaaaaaaa-0000-4000-8000-000000000001',
          UserName: 'maria',
          Emails: [{ Value: 'Maria@Example.com', Primary: true }],
        },
      ],
    });
    // A page without IdentityStoreId on its users: the path names the store.
    await put('users/d-93670abc12/p1.json', {
      Users: [
        {
          UserId: '93670abc12-bbbbbbbb-0000-4000-8000-000000000002',
          UserName: 'mg',
          Emails: [{ Value: 'maria@example.com' }],
        },
      ],
    });
    await put('applications/all.json', {
      Applications: [
        {
          ApplicationArn:
            'arn:aws:sso::111111111111:application/ssoins-7223c2d2a4c3a8f1/apl-0000000000000001',
          InstanceArn: ORG,
          Name: 'Grafana',
          Status: 'ENABLED',
          CreatedDate: '2025-01-01T00:00:00Z',
        },
      ],
    });
    await put('application-assignments/grafana.json', {
      ApplicationAssignments: [
        {
          ApplicationArn:
            'arn:aws:sso::111111111111:application/ssoins-7223c2d2a4c3a8f1/apl-0000000000000001',
          PrincipalId: '906707d2e1-aaaaaaaa-0000-4000-8000-000000000001',
          PrincipalType: 'USER',
        },
      ],
    });
    const broken = await put('users/broken.json', '{ "Users": [');
    const wrong = await put('applications/wrong.json', { Applications: [{ Name: 'no arn' }] });

    const api = await openCapturedIdentityCenterApi(path.join(dir, 'src'), { pageSize: 2 });
    expect(await api.callerAccount()).toBe('111111111111');
    expect(api.regions).toEqual(['eu-west-1', 'us-east-1']);
    // Read in the order of the folders: users/ before applications/.
    expect(api.warnings).toEqual([
      expect.stringMatching(new RegExp(`^${broken}: skipped, not valid JSON`)),
      expect.stringMatching(
        new RegExp(
          `^${wrong}: skipped, not an sso-admin ListApplications output \\(.* at Applications\\.0\\.ApplicationArn\\)$`,
        ),
      ),
    ]);
    // The three account files: 111…444 from the CLI example, 555 from DescribeAccount, pages of 2.
    const first = await api.listAccounts();
    expect(first.Accounts?.map((a) => a.Id)).toEqual(['111111111111', '222222222222']);
    expect(first.NextToken).toBe('2');

    const result = await collectIdentityCenter({
      api,
      root: path.join(dir, 'out'),
      regions: [],
      now: new Date('2026-11-27T08:00:00Z'),
    });
    expect(result.unreachable).toEqual([]);
    const instances = await lines('instances', '2026-11-27');
    expect(
      instances.map((i) => [i.instance_arn, i.account_id, i.region, i.instance_type, i.created_date]),
    ).toEqual([
      [ACCT, '222222222222', 'eu-west-1', 'ACCOUNT', '2026-11-02T09:30:00.000Z'],
      [ORG, '111111111111', 'us-east-1', 'ORGANIZATION', '2024-01-10T08:00:00.000Z'],
    ]);
    expect(instances[1]).toMatchObject({
      permission_sets_enabled: true,
      encryption_key_type: 'CUSTOMER_MANAGED_KEY',
      organization_id: 'o-exampleorgid',
    });
    const users = await lines('users', '2026-11-27');
    expect(users.map((u) => [u.identity_store_id, u.user_name, u.emails])).toEqual([
      ['d-906707d2e1', 'maria', ['maria@example.com']],
      ['d-93670abc12', 'mg', ['maria@example.com']],
    ]);
    expect((await lines('application-assignments', '2026-11-27')).map((a) => a.principal_type)).toEqual([
      'USER',
    ]);
  });

  it('refuses a folder that does not exist, in one line naming it', async () => {
    await expect(openCapturedIdentityCenterApi(path.join(dir, 'nope'))).rejects.toThrow(
      `Identity Center source folder not found: ${path.join(dir, 'nope')}`,
    );
  });

  it('without captured accounts, says the organization is unknown and leaves instance types null', async () => {
    await put('instances/page.json', {
      Instances: [
        {
          InstanceArn: ORG,
          IdentityStoreId: 'd-906707d2e1',
          OwnerAccountId: '111111111111',
          Status: 'ACTIVE',
        },
      ],
    });
    const api = await openCapturedIdentityCenterApi(path.join(dir, 'src'));
    expect(api.warnings).toEqual([expect.stringContaining('no Organizations ListAccounts output')]);
    await collectIdentityCenter({
      api,
      root: path.join(dir, 'out'),
      regions: ['us-east-1'],
      now: new Date('2026-11-27T08:00:00Z'),
    });
    const instances = await lines('instances', '2026-11-27');
    expect(instances.map((i) => [i.instance_arn, i.account_id, i.instance_type])).toEqual([
      [ORG, null, null],
    ]);
  });
});
