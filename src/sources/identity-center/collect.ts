import { storeAt } from '../../storage/local-folder-store.ts';
import { mapLimited } from '../../storage/map-limited.ts';
import type { ObjectStore } from '../../storage/object-store.ts';
import type { CollectResult } from '../source-definition.ts';
import type {
  AccountSession,
  IdentityCenterApi,
  InstanceDescription,
  InstanceMetadata,
  OrgAccount,
  RegionalIdentityCenterApi,
} from './collect/api.ts';
import { NO_ORGANIZATION_ERRORS } from './collect/api.ts';
import {
  type ApplicationAssignmentRecord,
  type ApplicationRecord,
  applicationRecord,
  assignmentRecord,
  type InstanceRecord,
  type InstanceScope,
  instanceRecord,
  type OrganizationInfo,
  organizationOf,
  RELATION_OF,
  type UserRecord,
  userRecord,
} from './collect/records.ts';
import { hasSnapshot, writeSnapshotFile } from './collect/snapshot-files.ts';
import { snapshotDay } from './schema.ts';

/**
 * The Identity Center collector: the inventory of AWS's blog post "How to use multiple instances
 * of AWS IAM Identity Center", as a daily snapshot.
 *
 * 1. Organizations ListAccounts (paged): the member accounts, and from their ARNs the management
 *    account (whose instance is the organization instance). An account in no organization, or not
 *    allowed to list it, is read alone.
 * 2. sso-admin ListInstances (paged) in each configured Region, from the calling account and, when
 *    the API reads member accounts (a member role), from each active member account. An account
 *    whose role cannot be assumed, or a Region that refuses, is reported and the rest go on.
 *    Instances are Regional; one seen from two accounts (the organization instance from the
 *    management and a delegated administrator account) is kept once, as first seen.
 * 3. Per instance: DescribeInstance; identitystore ListUsers (paged, e-mails normalized, or keyed
 *    hashes); ListApplications (paged) and, per application, ListApplicationAssignments (paged),
 *    each with the credentials and Region the instance was listed with.
 *
 * The snapshot goes to the day's files (schema.ts). What a failed part could not read (an
 * unreachable account, a failed ListUsers) keeps the rows of the day's earlier snapshot, if any,
 * so a partial collection never loses what an earlier one that day saw.
 */

/** Accounts read at once (each a chain of calls; Identity Center's quotas are per account). */
const ACCOUNT_CONCURRENCY = 4;

/**
 * What collectIdentityCenter needs.
 *
 * @example
 * ```ts
 * const options: CollectIdentityCenterOptions = { api, root: '/d/raw/identity-center',
 *   regions: ['us-east-1', 'eu-west-1'], now: new Date() };
 * ```
 */
export interface CollectIdentityCenterOptions {
  readonly api: IdentityCenterApi;
  /** Where the snapshot files go: a local folder or any ObjectStore (an S3 prefix on AWS). */
  readonly root: string | ObjectStore;
  /** The Regions to list instances in (Identity Center instances are Regional), besides the API's own `regions`. */
  readonly regions: readonly string[];
  /** The collection's time: its UTC day is the snapshot's `dt` (captured responses: the capture's time, `api.capturedAt`). */
  readonly now: Date;
  /** Store keyed hashes of e-mail addresses instead of the addresses (identityCenter.hashEmails). */
  readonly hashKey?: string | undefined;
  /** Leave a day alone once it has a snapshot (on AWS: one collection a day however often it runs). */
  readonly oncePerDay?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** An account, or one Region of it, that could not be read. */
export interface UnreachableScope {
  readonly account: string;
  /** Absent when the whole account could not be reached (AssumeRole failed). */
  readonly region?: string;
  readonly reason: string;
}

/**
 * What a collection did.
 *
 * @example
 * ```ts
 * // { collected: true, day: '2026-11-27', accounts: 3, instances: 4, users: 31, applications: 5,
 * //   applicationAssignments: 12, unreachable: [{ account: '444455556666', reason: 'AccessDenied: …' }],
 * //   touchedHours: ['2026-11-27T00:00:00.000Z'], files: ['…/instances/dt=2026-11-27/hour=00/instances.json', …], warnings: [] }
 * ```
 */
export interface CollectIdentityCenterResult {
  /** False when the day already had a snapshot and `oncePerDay` left it alone. */
  readonly collected: boolean;
  readonly day: string;
  /** Accounts read (the calling account and the member accounts reached). */
  readonly accounts: number;
  readonly instances: number;
  readonly users: number;
  readonly applications: number;
  readonly applicationAssignments: number;
  readonly unreachable: readonly UnreachableScope[];
  /**
   * The hour start (ISO) of the day's partition, `['YYYY-MM-DDT00:00:00.000Z']`, whenever the day was
   * collected, its files changed or not: a snapshot written during that hour (00:05) could not be
   * loaded then (the current hour is never loaded), so every collection asks for it again; the
   * planner's fingerprints leave it alone when nothing changed. `[]` when `oncePerDay` skipped the day.
   */
  readonly touchedHours: string[];
  /** Where the files that changed are, sorted. */
  readonly files: string[];
  readonly warnings: string[];
}

const describe = (error: unknown): string => {
  const e = error as { name?: string; message?: string };
  const name = typeof e?.name === 'string' && e.name !== 'Error' ? `${e.name}: ` : '';
  return `${name}${(e?.message ?? String(error)).split('\n')[0]}`;
};

const isActive = (a: OrgAccount) => (a.State ?? a.Status ?? 'ACTIVE') === 'ACTIVE';

async function paged<P, T>(
  fetch: (token: string | undefined) => Promise<P>,
  items: (page: P) => readonly T[] | undefined,
  next: (page: P) => string | undefined,
  signal: AbortSignal | undefined,
): Promise<T[]> {
  const out: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    signal?.throwIfAborted();
    const page = await fetch(token);
    out.push(...(items(page) ?? []));
    token = next(page) || undefined;
    // A token that comes back again would page forever.
    if (token !== undefined) {
      if (seen.has(token)) throw new Error(`the API returned NextToken ${token} twice`);
      seen.add(token);
    }
  } while (token);
  return out;
}

async function listOrganization(
  api: IdentityCenterApi,
  signal: AbortSignal | undefined,
  warnings: string[],
): Promise<{ accounts: OrgAccount[]; organization: OrganizationInfo }> {
  try {
    const accounts = await paged(
      (t) => api.listAccounts(t),
      (p) => p.Accounts,
      (p) => p.NextToken,
      signal,
    );
    const org = accounts.map((a) => organizationOf(a.Arn)).find((o) => o !== null);
    return {
      accounts,
      organization: org ?? { managementAccountId: null, organizationId: null, noOrganization: false },
    };
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (!NO_ORGANIZATION_ERRORS.has(name)) throw error;
    warnings.push(`Organizations ListAccounts: ${describe(error)}; only the calling account is read`);
    return {
      accounts: [],
      organization: {
        managementAccountId: null,
        organizationId: null,
        noOrganization: name === 'AWSOrganizationsNotInUseException',
      },
    };
  }
}

interface FoundInstance {
  readonly listed: InstanceMetadata & { InstanceArn: string };
  readonly account: string | null;
  readonly region: string;
  readonly api: RegionalIdentityCenterApi;
}

/**
 * Collects the Identity Center inventory into the day's snapshot files under `root`.
 *
 * @example
 * ```ts
 * const api = await openCapturedIdentityCenterApi('./captured-identity-center');
 * const result = await collectIdentityCenter({ api, root: './lakeq-data/raw/identity-center',
 *   regions: ['us-east-1'], now: new Date('2026-11-27T13:05:00Z') });
 * result.touchedHours // ['2026-11-27T00:00:00.000Z']
 * ```
 */
export async function collectIdentityCenter(
  options: CollectIdentityCenterOptions,
): Promise<CollectIdentityCenterResult> {
  const { api, signal } = options;
  const store = storeAt(options.root);
  if (Number.isNaN(options.now.getTime()))
    throw new RangeError('collectIdentityCenter: now must be a valid date');
  if (options.regions.length === 0 && (api.regions ?? []).length === 0)
    throw new RangeError('collectIdentityCenter: at least one Region is needed');
  const day = snapshotDay(api.capturedAt ?? options.now);
  const warnings: string[] = [...(api.warnings ?? [])];
  const empty = {
    day,
    accounts: 0,
    instances: 0,
    users: 0,
    applications: 0,
    applicationAssignments: 0,
    unreachable: [],
    touchedHours: [],
    files: [],
  };
  if (options.oncePerDay && (await hasSnapshot(store, day))) return { ...empty, collected: false, warnings };

  const caller = await api.callerAccount();
  const { accounts, organization } = await listOrganization(api, signal, warnings);
  const members = api.readsMemberAccounts
    ? [
        ...new Set([
          ...accounts.filter((a) => a.Id && isActive(a)).map((a) => a.Id as string),
          ...(api.extraAccounts ?? []),
        ]),
      ].filter((a) => a !== caller)
    : [];
  const regions = [...new Set([...options.regions, ...(api.regions ?? [])])];
  const unreachable: UnreachableScope[] = [];

  // Step 2: instances, per account (calling account first) and Region.
  const targets: (string | null)[] = [caller, ...members.sort()];
  const perAccount = await mapLimited(targets, ACCOUNT_CONCURRENCY, async (account) => {
    const found: FoundInstance[] = [];
    let session: AccountSession;
    try {
      session = await api.session(account);
    } catch (error) {
      unreachable.push({ account: account ?? 'calling account', reason: describe(error) });
      return { found, reached: false };
    }
    for (const region of regions) {
      const regional = session.region(region);
      try {
        const listed = await paged(
          (t) => regional.listInstances(t),
          (p) => p.Instances,
          (p) => p.NextToken,
          signal,
        );
        for (const instance of listed) {
          if (!instance.InstanceArn) {
            warnings.push(
              `ListInstances ${account ?? 'calling account'} ${region}: an instance without InstanceArn, skipped`,
            );
            continue;
          }
          found.push({ listed: instance as FoundInstance['listed'], account, region, api: regional });
        }
      } catch (error) {
        if (signal?.aborted) throw error;
        unreachable.push({ account: account ?? 'calling account', region, reason: describe(error) });
      }
    }
    return { found, reached: true };
  });
  const instances = new Map<string, FoundInstance>();
  for (const { found } of perAccount)
    for (const f of found) if (!instances.has(f.listed.InstanceArn)) instances.set(f.listed.InstanceArn, f);

  // Step 3: per instance, its details, users, applications and assignments.
  const instanceRecords: InstanceRecord[] = [];
  const users: UserRecord[] = [];
  const applications: ApplicationRecord[] = [];
  const assignments: ApplicationAssignmentRecord[] = [];
  /** Instances whose users (or applications and assignments) could not all be read. */
  const incomplete = { users: new Set<string>(), applications: new Set<string>() };
  const ordered = [...instances.values()].sort((a, b) =>
    a.listed.InstanceArn < b.listed.InstanceArn ? -1 : 1,
  );
  await mapLimited(ordered, ACCOUNT_CONCURRENCY, async (f) => {
    const arn = f.listed.InstanceArn;
    const label = `${arn} (${f.account ?? 'calling account'}, ${f.region})`;
    let described: InstanceDescription | undefined;
    try {
      described = await f.api.describeInstance(arn);
    } catch (error) {
      if (signal?.aborted) throw error;
      warnings.push(`DescribeInstance ${label}: ${describe(error)}`);
    }
    const record = instanceRecord(
      f.listed,
      described,
      { account: f.account ?? caller, region: f.region },
      organization,
    );
    instanceRecords.push(record);
    const scope: InstanceScope = {
      instance_arn: arn,
      identity_store_id: record.identity_store_id,
      account_id: record.account_id,
      region: record.region,
    };
    if (record.identity_store_id) {
      try {
        const listed = await paged(
          (t) => f.api.listUsers(record.identity_store_id as string, t),
          (p) => p.Users,
          (p) => p.NextToken,
          signal,
        );
        for (const user of listed) {
          if (!user.UserId) {
            warnings.push(`ListUsers ${label}: a user without UserId, skipped`);
            continue;
          }
          users.push(userRecord(user as typeof user & { UserId: string }, scope, options.hashKey));
        }
      } catch (error) {
        if (signal?.aborted) throw error;
        incomplete.users.add(arn);
        warnings.push(`ListUsers ${label}: ${describe(error)}`);
      }
    } else warnings.push(`ListInstances ${label}: no IdentityStoreId, its users are not listed`);
    try {
      const apps = await paged(
        (t) => f.api.listApplications(arn, t),
        (p) => p.Applications,
        (p) => p.NextToken,
        signal,
      );
      for (const app of apps) {
        if (!app.ApplicationArn) {
          warnings.push(`ListApplications ${label}: an application without ApplicationArn, skipped`);
          continue;
        }
        const appArn = app.ApplicationArn;
        applications.push(applicationRecord(app as typeof app & { ApplicationArn: string }, scope));
        const listed = await paged(
          (t) => f.api.listApplicationAssignments(appArn, t),
          (p) => p.ApplicationAssignments,
          (p) => p.NextToken,
          signal,
        );
        for (const a of listed) {
          if (!a.PrincipalId || !a.PrincipalType) {
            warnings.push(`ListApplicationAssignments ${appArn}: an assignment without principal, skipped`);
            continue;
          }
          assignments.push(
            assignmentRecord(a as typeof a & { PrincipalId: string; PrincipalType: string }, appArn, scope),
          );
        }
      }
    } catch (error) {
      if (signal?.aborted) throw error;
      incomplete.applications.add(arn);
      warnings.push(`ListApplications ${label}: ${describe(error)}`);
    }
  });

  unreachable.sort((a, b) =>
    a.account < b.account ? -1 : a.account > b.account ? 1 : (a.region ?? '') < (b.region ?? '') ? -1 : 1,
  );
  // What could not be read keeps the day's earlier rows.
  const failedScope = new Set(
    unreachable.map((u) => (u.region === undefined ? `${u.account}|*` : `${u.account}|${u.region}`)),
  );
  const inFailedScope = (old: Record<string, unknown>) =>
    failedScope.has(`${old.account_id}|*`) || failedScope.has(`${old.account_id}|${old.region}`);
  const keptInstances = new Set<string>();
  const write = async (
    relation: (typeof RELATION_OF)[keyof typeof RELATION_OF],
    records: readonly object[],
    keep: (old: Record<string, unknown>) => boolean,
  ) => writeSnapshotFile(store, relation, day, records, keep, warnings);
  const written = [
    await write(RELATION_OF.instances, instanceRecords, (old) => {
      const keepIt = inFailedScope(old) && !instances.has(String(old.instance_arn));
      if (keepIt) keptInstances.add(String(old.instance_arn));
      return keepIt;
    }),
  ];
  const carried = (set: Set<string>) => (old: Record<string, unknown>) =>
    keptInstances.has(String(old.instance_arn)) || set.has(String(old.instance_arn));
  written.push(await write(RELATION_OF.users, users, carried(incomplete.users)));
  written.push(await write(RELATION_OF.applications, applications, carried(incomplete.applications)));
  written.push(await write(RELATION_OF.assignments, assignments, carried(incomplete.applications)));
  for (const u of unreachable) {
    const where = u.region === undefined ? `account ${u.account}` : `account ${u.account} in ${u.region}`;
    warnings.push(`${where} not read: ${u.reason}`);
  }
  const changed = written.filter((w) => w.changed);
  return {
    collected: true,
    day,
    accounts: perAccount.filter((a) => a.reached).length,
    instances: instanceRecords.length,
    users: users.length,
    applications: applications.length,
    applicationAssignments: assignments.length,
    unreachable,
    touchedHours: [`${day}T00:00:00.000Z`],
    files: changed.map((w) => w.location).sort(),
    warnings,
  };
}

/** Warnings the collect task's answer carries at most. */
const MAX_WARNINGS = 20;

/**
 * collectIdentityCenter's result as the collect task reports it (`CollectResult`): the day's hour
 * when files changed, counts, the accounts not read and the first warnings; or, when the day had
 * a snapshot already and `oncePerDay` left it alone, why nothing was collected.
 *
 * @example
 * ```ts
 * await collectIdentityCenterResult({ api, root, regions: ['us-east-1'], now, oncePerDay: true })
 * // { collected: true, touchedHours: ['2026-11-27T00:00:00.000Z'], summary: { day: '2026-11-27', instances: 4, … } }
 * ```
 */
export async function collectIdentityCenterResult(
  options: CollectIdentityCenterOptions,
): Promise<CollectResult> {
  const result = await collectIdentityCenter(options);
  if (!result.collected)
    return { collected: false, reason: `the snapshot of ${result.day} was collected already (once a day)` };
  return {
    collected: true,
    touchedHours: result.touchedHours,
    summary: {
      day: result.day,
      accounts: result.accounts,
      instances: result.instances,
      users: result.users,
      applications: result.applications,
      applicationAssignments: result.applicationAssignments,
      files: result.files.length,
      unreachable: result.unreachable.slice(0, MAX_WARNINGS),
      warnings: result.warnings.slice(0, MAX_WARNINGS),
    },
  };
}
