import { stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { capturedJsonFiles, readCaptured } from '../../captured-files.ts';
import type {
  AccountSession,
  Application,
  ApplicationAssignment,
  IdentityCenterApi,
  IdentityStoreUser,
  InstanceDescription,
  OrgAccount,
  RegionalIdentityCenterApi,
} from './api.ts';

/**
 * The Identity Center collector's local source: a folder of captured API responses, as the AWS CLI
 * writes them (`aws sso-admin list-instances > FOLDER/instances/111122223333/us-east-1/page-1.json`),
 * one folder per operation, any file names, any number of pages:
 *
 * - `FOLDER/accounts/**\/*.json`: Organizations ListAccounts (or ListAccountsForParent) outputs
 *   `{ "Accounts": [...] }`, or DescribeAccount's `{ "Account": {...} }`;
 * - `FOLDER/instances/**\/*.json`: sso-admin ListInstances outputs `{ "Instances": [...] }`, or
 *   DescribeInstance outputs (one instance, `{ "InstanceArn": …, "PermissionSetsEnabled": … }`).
 *   ListInstances does not say where it was called: a 12-digit account id and a Region name in the
 *   file's path under `instances/` do (`111122223333/eu-west-1/page-1.json`,
 *   `111122223333-eu-west-1.json`); without them the calling account and the first configured Region;
 * - `FOLDER/users/**\/*.json`: identitystore ListUsers outputs `{ "Users": [...] }` (each user names
 *   its IdentityStoreId; else a `d-…` id in the path does), or DescribeUser outputs;
 * - `FOLDER/applications/**\/*.json`: ListApplications outputs `{ "Applications": [...] }`;
 * - `FOLDER/application-assignments/**\/*.json`: ListApplicationAssignments outputs
 *   `{ "ApplicationAssignments": [...] }`;
 * - `FOLDER/caller-identity.json` (optional): STS GetCallerIdentity's `{ "Account": … }`, the
 *   calling account; without it, the organization's management account;
 * - `FOLDER/captured-at.json` (optional): `{ "CapturedAt": "2026-11-07T23:59:59Z" }`, when the
 *   responses were captured: the snapshot is of that day; without it, of the collection's day.
 *
 * Times may be ISO 8601 strings (AWS CLI v2), epoch seconds (CLI v1), or the compact
 * `20161215T193015Z`. A malformed file becomes a warning naming it and why; the other files are
 * still used. An item seen in several files is kept once (the later file, by path, wins).
 */

const DEFAULT_PAGE_SIZE = 100;

const COMPACT_TIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/;

const timestamp = z.union([z.string(), z.number()]).transform((value, ctx) => {
  let ms: number;
  if (typeof value === 'number') ms = value * 1000;
  else {
    const m = COMPACT_TIME.exec(value);
    ms = m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}Z`) : Date.parse(value);
  }
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: `not a date: ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return new Date(ms);
});

const optionalString = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);
const optionalTime = timestamp.nullish().transform((v) => v ?? undefined);
const optionalBoolean = z
  .boolean()
  .nullish()
  .transform((v) => v ?? undefined);

const accountSchema = z.looseObject({
  Id: z.string().regex(/^\d{12}$/, 'not a 12-digit account id'),
  Arn: optionalString,
  Name: optionalString,
  Status: optionalString,
  State: optionalString,
});

const instanceSchema = z.looseObject({
  InstanceArn: z.string().min(1),
  IdentityStoreId: optionalString,
  OwnerAccountId: optionalString,
  Name: optionalString,
  CreatedDate: optionalTime,
  Status: optionalString,
  StatusReason: optionalString,
  PrimaryRegion: optionalString,
  PermissionSetsEnabled: optionalBoolean,
  EncryptionConfigurationDetails: z
    .looseObject({ KeyType: optionalString })
    .nullish()
    .transform((v) => v ?? undefined),
});

const userSchema = z.looseObject({
  UserId: z.string().min(1),
  IdentityStoreId: optionalString,
  UserName: optionalString,
  DisplayName: optionalString,
  UserStatus: optionalString,
  Emails: z
    .array(z.looseObject({ Value: optionalString, Type: optionalString, Primary: optionalBoolean }))
    .nullish()
    .transform((v) => v ?? undefined),
  CreatedAt: optionalTime,
  UpdatedAt: optionalTime,
});

const applicationSchema = z.looseObject({
  ApplicationArn: z.string().min(1),
  ApplicationProviderArn: optionalString,
  Name: optionalString,
  ApplicationAccount: optionalString,
  InstanceArn: z.string().min(1),
  Status: optionalString,
  PortalOptions: z
    .looseObject({
      Visibility: optionalString,
      SignInOptions: z
        .looseObject({ Origin: optionalString })
        .nullish()
        .transform((v) => v ?? undefined),
    })
    .nullish()
    .transform((v) => v ?? undefined),
  Description: optionalString,
  CreatedDate: optionalTime,
  CreatedFrom: optionalString,
});

const assignmentSchema = z.looseObject({
  ApplicationArn: z.string().min(1),
  PrincipalId: z.string().min(1),
  PrincipalType: z.string().min(1),
});

const hasKey = (json: unknown, key: string) => typeof json === 'object' && json !== null && key in json;

// Chosen by key rather than z.union, so that an error names the bad member, not "Invalid input".
const listOrOne =
  <T extends z.ZodType>(listKey: string, oneKey: string, item: T) =>
  (json: unknown): z.ZodType<z.output<T>[]> =>
    hasKey(json, oneKey) && !hasKey(json, listKey)
      ? (z.looseObject({ [oneKey]: item }).transform((v) => [v[oneKey] as z.output<T>]) as z.ZodType<
          z.output<T>[]
        >)
      : (z
          .looseObject({ [listKey]: z.array(item) })
          .transform((v) => v[listKey] as z.output<T>[]) as z.ZodType<z.output<T>[]>);

const accountsFile = listOrOne('Accounts', 'Account', accountSchema);
const applicationsFile = listOrOne('Applications', 'Application', applicationSchema);
const assignmentsFile = listOrOne('ApplicationAssignments', 'ApplicationAssignment', assignmentSchema);
type CapturedInstance = z.output<typeof instanceSchema>;
/** A ListInstances output, or a DescribeInstance output: the instance itself. */
const instancesFile = (json: unknown): z.ZodType<{ items: CapturedInstance[]; described: boolean }> =>
  hasKey(json, 'Instances') || !hasKey(json, 'InstanceArn')
    ? z
        .looseObject({ Instances: z.array(instanceSchema) })
        .transform((v) => ({ items: v.Instances, described: false }))
    : instanceSchema.transform((v) => ({ items: [v], described: true }));
/** A ListUsers output, or a DescribeUser output: the user itself. */
const usersFile = (json: unknown): z.ZodType<z.output<typeof userSchema>[]> =>
  hasKey(json, 'Users') || !hasKey(json, 'UserId')
    ? z.looseObject({ Users: z.array(userSchema) }).transform((v) => v.Users)
    : userSchema.transform((v) => [v]);
const callerFile = () =>
  z.looseObject({ Account: z.string().regex(/^\d{12}$/, 'not a 12-digit account id') });
const capturedAtFile = () => z.looseObject({ CapturedAt: timestamp });

const ACCOUNT_IN_PATH = /(?<![0-9])(\d{12})(?![0-9])/;
const REGION_IN_PATH = /(?<![a-z])([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+)(?![0-9])/;
const STORE_IN_PATH = /(?<![0-9a-z])(d-[0-9a-f]{10})(?![0-9a-f])/;

/**
 * Options of the captured-folder source.
 *
 * @example
 * ```ts
 * const options: CapturedIdentityCenterApiOptions = { defaultRegion: 'eu-west-1', pageSize: 50 };
 * ```
 */
export interface CapturedIdentityCenterApiOptions {
  /** The Region of ListInstances files whose path names none (default us-east-1). */
  readonly defaultRegion?: string | undefined;
  /** Items per page it answers (default 100), so the collector pages as on AWS. */
  readonly pageSize?: number | undefined;
}

const key = (account: string | null, region: string) => `${account ?? ''}|${region}`;

/**
 * Opens a folder of captured Organizations, sso-admin and identitystore responses as an
 * IdentityCenterApi. The folder must exist; its files are read once, here. `warnings` lists the
 * files skipped and why.
 *
 * @example
 * ```ts
 * const api = await openCapturedIdentityCenterApi('./lakeq-data/raw/identity-center-api');
 * await collectIdentityCenter({ api, root: './lakeq-data/raw/identity-center', regions: ['us-east-1'], now: new Date() });
 * ```
 */
export async function openCapturedIdentityCenterApi(
  folder: string,
  options: CapturedIdentityCenterApiOptions = {},
): Promise<IdentityCenterApi & { readonly warnings: readonly string[] }> {
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`Identity Center source folder not found: ${folder}`);
  const pageSize = Math.max(1, options.pageSize ?? DEFAULT_PAGE_SIZE);
  const defaultRegion = options.defaultRegion ?? 'us-east-1';
  const warnings: string[] = [];
  const relative = (sub: string, file: string) => path.relative(path.join(folder, sub), file);

  const accounts = new Map<string, OrgAccount>();
  for (const file of await capturedJsonFiles(path.join(folder, 'accounts'), true)) {
    for (const a of (await readCaptured(
      file,
      accountsFile,
      'an Organizations ListAccounts output',
      warnings,
    )) ?? [])
      accounts.set(a.Id, a);
  }
  let caller: string | null = null;
  const callerPath = path.join(folder, 'caller-identity.json');
  if (await stat(callerPath).catch(() => null)) {
    caller =
      (await readCaptured(callerPath, callerFile, 'an STS GetCallerIdentity output', warnings))?.Account ??
      null;
  }
  let capturedAt: Date | undefined;
  const capturedPath = path.join(folder, 'captured-at.json');
  if (await stat(capturedPath).catch(() => null)) {
    capturedAt = (await readCaptured(capturedPath, capturedAtFile, 'a capture time', warnings))?.CapturedAt;
  }
  if (caller === null) {
    const arn = [...accounts.values()].map((a) => a.Arn).find((a) => a);
    caller = /^arn:aws[a-z-]*:organizations::(\d{12}):/.exec(arn ?? '')?.[1] ?? null;
  }

  /** Instances by `account|region`, each by ARN; what DescribeInstance adds, by ARN. */
  const instances = new Map<string, Map<string, InstanceDescription & { InstanceArn: string }>>();
  const described = new Map<string, InstanceDescription>();
  const accountsSeen = new Set<string>();
  const regionsSeen = new Set<string>();
  for (const file of await capturedJsonFiles(path.join(folder, 'instances'), true)) {
    const json = await readCaptured(file, instancesFile, 'an sso-admin ListInstances output', warnings);
    if (!json) continue;
    const rel = relative('instances', file);
    const account = ACCOUNT_IN_PATH.exec(rel)?.[1] ?? caller;
    const region = REGION_IN_PATH.exec(rel)?.[1] ?? defaultRegion;
    if (account !== null && account !== caller) accountsSeen.add(account);
    regionsSeen.add(region);
    const scope = key(account, region);
    const map = instances.get(scope) ?? new Map();
    instances.set(scope, map);
    for (const instance of json.items) {
      if (json.described) described.set(instance.InstanceArn, instance);
      const old = map.get(instance.InstanceArn);
      map.set(instance.InstanceArn, {
        ...old,
        ...stripUndefined(instance),
        InstanceArn: instance.InstanceArn,
      });
    }
  }

  const users = new Map<string, Map<string, IdentityStoreUser>>();
  for (const file of await capturedJsonFiles(path.join(folder, 'users'), true)) {
    const list = await readCaptured(file, usersFile, 'an identitystore ListUsers output', warnings);
    const fromPath = STORE_IN_PATH.exec(relative('users', file))?.[1];
    for (const user of list ?? []) {
      const store = user.IdentityStoreId ?? fromPath;
      if (!store) {
        warnings.push(`${file}: user ${user.UserId} names no IdentityStoreId (nor does the path), skipped`);
        continue;
      }
      const map = users.get(store) ?? new Map();
      users.set(store, map);
      map.set(user.UserId, { ...user, IdentityStoreId: store });
    }
  }

  const applications = new Map<string, Map<string, Application>>();
  for (const file of await capturedJsonFiles(path.join(folder, 'applications'), true)) {
    for (const app of (await readCaptured(
      file,
      applicationsFile,
      'an sso-admin ListApplications output',
      warnings,
    )) ?? []) {
      const map = applications.get(app.InstanceArn) ?? new Map();
      applications.set(app.InstanceArn, map);
      map.set(app.ApplicationArn, app);
    }
  }

  const assignments = new Map<string, Map<string, ApplicationAssignment>>();
  for (const file of await capturedJsonFiles(path.join(folder, 'application-assignments'), true)) {
    const list = await readCaptured(
      file,
      assignmentsFile,
      'an sso-admin ListApplicationAssignments output',
      warnings,
    );
    for (const a of list ?? []) {
      const map = assignments.get(a.ApplicationArn) ?? new Map();
      assignments.set(a.ApplicationArn, map);
      map.set(`${a.PrincipalType}|${a.PrincipalId}`, a);
    }
  }

  const page = <T>(items: readonly T[], nextToken: string | undefined) => {
    const offset = nextToken ? Number(nextToken) : 0;
    if (!Number.isInteger(offset) || offset < 0) throw new Error(`invalid NextToken: ${nextToken}`);
    const next = offset + pageSize < items.length ? String(offset + pageSize) : undefined;
    return { slice: items.slice(offset, offset + pageSize), next };
  };
  const values = <T>(map: Map<string, T> | undefined) =>
    [...(map?.entries() ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);

  const session = (account: string | null): AccountSession => ({
    region(name: string): RegionalIdentityCenterApi {
      const own = instances.get(key(account, name));
      return {
        async listInstances(nextToken) {
          const all = values(own).map(
            ({ PermissionSetsEnabled: _p, EncryptionConfigurationDetails: _e, ...m }) => m,
          );
          const { slice, next } = page(all, nextToken);
          return { Instances: slice, NextToken: next };
        },
        async describeInstance(instanceArn) {
          const found = own?.get(instanceArn);
          if (!found) {
            const error = new Error(
              `${instanceArn} is not captured for ${account ?? 'the calling account'} in ${name}`,
            );
            error.name = 'ResourceNotFoundException';
            throw error;
          }
          return { ...found, ...stripUndefined(described.get(instanceArn) ?? {}) };
        },
        async listUsers(identityStoreId, nextToken) {
          const { slice, next } = page(values(users.get(identityStoreId)), nextToken);
          return { Users: slice, NextToken: next };
        },
        async listApplications(instanceArn, nextToken) {
          const { slice, next } = page(values(applications.get(instanceArn)), nextToken);
          return { Applications: slice, NextToken: next };
        },
        async listApplicationAssignments(applicationArn, nextToken) {
          const { slice, next } = page(values(assignments.get(applicationArn)), nextToken);
          return { ApplicationAssignments: slice, NextToken: next };
        },
      };
    },
  });

  const orgAccounts = values(accounts);
  if (orgAccounts.length === 0)
    warnings.push(
      `${path.join(folder, 'accounts')}: no Organizations ListAccounts output, so the management account (and which instance is the organization's) is unknown`,
    );
  return {
    warnings,
    readsMemberAccounts: true,
    ...(capturedAt ? { capturedAt } : {}),
    // Captured accounts outside the organization (a standalone account's own responses) are read too.
    extraAccounts: [...accountsSeen].filter((a) => !accounts.has(a)).sort(),
    regions: [...regionsSeen].sort(),
    callerAccount: async () => caller,
    async listAccounts(nextToken) {
      const { slice, next } = page(orgAccounts, nextToken);
      return { Accounts: slice, NextToken: next };
    },
    session: async (account) => session(account === caller ? caller : account),
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
