/**
 * `lakeq sample identity-center`: writes a deterministic folder of captured Organizations,
 * sso-admin and identitystore responses, the layout the captured-folder source reads
 * (collect/captured-api.ts), for the estate of sample/estate.ts: consistent with the CloudTrail
 * sample of the same --from, --to, --accounts and --seed, as the APIs would answer at `to`.
 *
 * - `caller-identity.json`: GetCallerIdentity of the management account (the collector's);
 * - `captured-at.json`: the last second of the window, so the snapshot is of its last day (what
 *   the CloudTrail sample's last hours see, loaded by the same backfill);
 * - `accounts/list-accounts-N.json`: ListAccounts pages, 3 accounts a page;
 * - `instances/<account>/<region>/list-instances.json` for every account and Region the collector
 *   lists (empty where an account has no instance there), and `describe-<instance id>.json`;
 * - `users/<identity store id>/page-N.json`: ListUsers pages, 5 users a page;
 * - `applications/<instance id>.json`, `application-assignments/<application id>.json`.
 *
 * Times are AWS CLI v2's ISO form. No public sso-admin or identitystore example responses exist,
 * so the shapes follow the API models (botocore sso-admin 2020-07-20, identitystore 2020-06-15).
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SampleWriter } from '../source-definition.ts';
import {
  type IdentityCenterEstateOptions,
  identityCenterSampleEstate,
  type SampleInstance,
} from './sample/estate.ts';

/**
 * Options of writeIdentityCenterSample: those of the CloudTrail sample it matches, and where to write.
 *
 * @example
 * ```ts
 * const options: IdentityCenterSampleOptions = { out: './lakeq-data/raw/identity-center-api', from: new Date('2026-11-01'), to: new Date('2026-11-08') };
 * ```
 */
export interface IdentityCenterSampleOptions extends IdentityCenterEstateOptions {
  readonly out: string;
}

/**
 * What writeIdentityCenterSample wrote.
 *
 * @example
 * ```ts
 * // { accounts: 4, instances: 4, organizationInstances: 1, accountInstances: 3, users: 27, applications: 5, assignments: 11, files: 30 }
 * ```
 */
export interface IdentityCenterSampleSummary {
  /** Accounts of the organization (ListAccounts) and outside it. */
  readonly accounts: number;
  readonly instances: number;
  readonly organizationInstances: number;
  readonly accountInstances: number;
  /** Of the instances, those the CloudTrail sample created. */
  readonly createdInTrail: number;
  readonly users: number;
  readonly applications: number;
  readonly assignments: number;
  readonly files: number;
}

/** AWS CLI v2's timestamp form: `2026-11-01T02:00:03.123000+00:00`. */
const cliTime = (ms: number) => new Date(ms).toISOString().replace('Z', '000+00:00');

const USERS_PER_PAGE = 5;
const ACCOUNTS_PER_PAGE = 3;

/**
 * Writes the sample's captured responses under `out` (see the module comment).
 *
 * @example
 * ```ts
 * const summary = await writeIdentityCenterSample({ out: './idc-api', from: new Date('2026-11-01'), to: new Date('2026-11-08') });
 * summary.instances // 4
 * ```
 */
export async function writeIdentityCenterSample(
  options: IdentityCenterSampleOptions,
): Promise<IdentityCenterSampleSummary> {
  const idc = identityCenterSampleEstate(options);
  const out = options.out;
  let files = 0;
  const write = async (rel: string, body: unknown) => {
    const file = path.join(out, ...rel.split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(body, null, 4)}\n`);
    files++;
  };

  const caller = idc.managementAccountId ?? idc.estate.accounts[0]?.id ?? '111122223333';
  await write('caller-identity.json', {
    UserId: 'AROASAMPLECOLLECTOR01:lakeq-identity-center',
    Account: caller,
    Arn: `arn:aws:sts::${caller}:assumed-role/lakeq-collector/lakeq-identity-center`,
  });

  await write('captured-at.json', { CapturedAt: cliTime(options.to.getTime() - 1000) });

  const accounts = idc.organizationAccounts.map((a) => ({
    Id: a.id,
    Arn: `arn:aws:organizations::${idc.managementAccountId}:account/${idc.organizationId}/${a.id}`,
    Email: a.email,
    Name: a.name,
    Status: 'ACTIVE',
    State: 'ACTIVE',
    JoinedMethod: a.id === idc.managementAccountId ? 'CREATED' : 'INVITED',
    JoinedTimestamp: cliTime(a.joined),
  }));
  for (let i = 0; i * ACCOUNTS_PER_PAGE < accounts.length; i++) {
    const next = (i + 1) * ACCOUNTS_PER_PAGE < accounts.length;
    await write(`accounts/list-accounts-${i + 1}.json`, {
      Accounts: accounts.slice(i * ACCOUNTS_PER_PAGE, (i + 1) * ACCOUNTS_PER_PAGE),
      ...(next ? { NextToken: `page-${i + 2}` } : {}),
    });
  }

  // Every account the collector lists, in every Region: instances where they are, else none.
  const listed = [...idc.organizationAccounts.map((a) => a.id), ...idc.standaloneAccounts].sort();
  const regions = [...new Set([...idc.estate.regions, ...idc.instances.map((i) => i.region)])].sort();
  const metadata = (i: SampleInstance) => ({
    InstanceArn: i.arn,
    IdentityStoreId: i.identityStoreId,
    OwnerAccountId: i.ownerAccountId,
    ...(i.name ? { Name: i.name } : {}),
    CreatedDate: cliTime(i.created),
    Status: 'ACTIVE',
  });
  for (const account of listed) {
    for (const region of regions) {
      const here = idc.instances.filter((i) => i.ownerAccountId === account && i.region === region);
      await write(`instances/${account}/${region}/list-instances.json`, { Instances: here.map(metadata) });
      for (const i of here) {
        await write(`instances/${account}/${region}/describe-${i.arn.slice(i.arn.indexOf('/') + 1)}.json`, {
          ...metadata(i),
          EncryptionConfigurationDetails: { KeyType: 'AWS_OWNED_KMS_KEY', EncryptionStatus: 'ENABLED' },
          PermissionSetsEnabled: i.type === 'ORGANIZATION',
        });
      }
    }
  }

  let users = 0;
  let applications = 0;
  let assignments = 0;
  for (const i of idc.instances) {
    const rows = i.users.map((u) => ({
      IdentityStoreId: i.identityStoreId,
      UserId: u.userId,
      UserName: u.userName,
      Name: {
        Formatted: u.displayName,
        FamilyName: u.displayName.split(' ').at(-1),
        GivenName: u.displayName.split(' ')[0],
      },
      DisplayName: u.displayName,
      ...(u.emails.length > 0
        ? { Emails: u.emails.map((e) => ({ Value: e.value, Type: 'work', Primary: e.primary })) }
        : {}),
      UserStatus: 'ENABLED',
      CreatedAt: cliTime(u.created),
      CreatedBy: 'arn:aws:sts::000000000000:assumed-role/AWSReservedSSO_AdministratorAccess/admin',
      UpdatedAt: cliTime(u.created),
    }));
    users += rows.length;
    for (let p = 0; p * USERS_PER_PAGE < rows.length; p++) {
      const next = (p + 1) * USERS_PER_PAGE < rows.length;
      await write(`users/${i.identityStoreId}/page-${p + 1}.json`, {
        Users: rows.slice(p * USERS_PER_PAGE, (p + 1) * USERS_PER_PAGE),
        ...(next ? { NextToken: `${i.identityStoreId}:${p + 2}` } : {}),
      });
    }
    if (i.applications.length === 0) continue;
    const instanceId = i.arn.slice(i.arn.indexOf('/') + 1);
    await write(`applications/${instanceId}.json`, {
      Applications: i.applications.map((a) => ({
        ApplicationArn: a.arn,
        ApplicationProviderArn: a.providerArn,
        Name: a.name,
        ApplicationAccount: i.ownerAccountId,
        InstanceArn: i.arn,
        Status: a.status,
        PortalOptions: { SignInOptions: { Origin: a.origin }, Visibility: a.visibility },
        ...(a.description ? { Description: a.description } : {}),
        CreatedDate: cliTime(a.created),
        CreatedFrom: i.region,
      })),
    });
    applications += i.applications.length;
    for (const a of i.applications) {
      await write(`application-assignments/${a.arn.slice(a.arn.lastIndexOf('/') + 1)}.json`, {
        ApplicationAssignments: a.assignments.map((x) => ({
          ApplicationArn: a.arn,
          PrincipalId: x.principalId,
          PrincipalType: x.principalType,
        })),
      });
      assignments += a.assignments.length;
    }
  }

  return {
    accounts: listed.length,
    instances: idc.instances.length,
    organizationInstances: idc.instances.filter((i) => i.type === 'ORGANIZATION').length,
    accountInstances: idc.instances.filter((i) => i.type === 'ACCOUNT').length,
    createdInTrail: idc.instances.filter((i) => i.inTrail).length,
    users,
    applications,
    assignments,
    files,
  };
}

/**
 * The `sample` hook's writer: `lakeq sample identity-center --out DIR --from T --to T [--accounts N]
 * [--seed N]` (the same --from, --to, --accounts and --seed as the CloudTrail sample it matches),
 * and what `npm start` writes where the input has no captured responses.
 *
 * @example
 * ```ts
 * await identityCenterSampleWriter.write({ out: './lakeq-data/raw/identity-center-api', from, to, seed: 1, options: { accounts: 3 } });
 * ```
 */
export const identityCenterSampleWriter: SampleWriter = {
  write: async ({ out, from, to, seed, options }) => {
    const s = await writeIdentityCenterSample({
      out,
      from,
      to,
      seed,
      ...(options.accounts !== undefined ? { accounts: options.accounts } : {}),
    });
    return {
      summary:
        `wrote the Identity Center inventory of the sample estate in ${s.files} files to ${out}: ` +
        `${s.instances} instances (${s.organizationInstances} organization, ${s.accountInstances} account; ` +
        `${s.createdInTrail} created in the CloudTrail sample), ${s.users} users, ${s.applications} applications, ` +
        `${s.assignments} assignments, ${s.accounts} accounts`,
      brief: `  ${s.instances} Identity Center instances, ${s.users} users, ${s.applications} applications`,
    };
  },
  inspect: async (input) => {
    const entries = await readdir(input).catch(() => undefined);
    return entries && entries.length > 0
      ? { found: true }
      : {
          found: false,
          message: `No captured Identity Center API responses in ${input}: writing a sample there…`,
        };
  },
};
