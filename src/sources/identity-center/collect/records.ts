import { createHmac } from 'node:crypto';
import {
  ACCOUNT_INSTANCE,
  IDENTITY_CENTER_APPLICATION_ASSIGNMENTS,
  IDENTITY_CENTER_APPLICATIONS,
  IDENTITY_CENTER_INSTANCES,
  IDENTITY_CENTER_USERS,
  type IdentityCenterRelation,
  ORGANIZATION_INSTANCE,
} from '../schema.ts';
import type {
  Application,
  ApplicationAssignment,
  IdentityStoreUser,
  InstanceDescription,
  InstanceMetadata,
} from './api.ts';

/**
 * The collected records, one NDJSON line each, keys in the order of their relation's columns
 * (schema.ts), times as ISO 8601 text, absent values as null.
 */

export interface InstanceRecord {
  account_id: string | null;
  region: string;
  instance_arn: string;
  identity_store_id: string | null;
  owner_account_id: string | null;
  instance_type: string | null;
  organization_id: string | null;
  name: string | null;
  status: string | null;
  status_reason: string | null;
  created_date: string | null;
  primary_region: string | null;
  permission_sets_enabled: boolean | null;
  encryption_key_type: string | null;
}

/** Where an instance's records come from: the instance, the account it was listed from, its Region. */
export interface InstanceScope {
  instance_arn: string;
  identity_store_id: string | null;
  account_id: string | null;
  region: string;
}

export interface UserRecord extends InstanceScope {
  user_id: string;
  user_name: string | null;
  display_name: string | null;
  user_status: string | null;
  emails: string[];
  primary_email: string | null;
  email_count: number;
  emails_hashed: boolean;
  created_at: string | null;
  updated_at: string | null;
}

export interface ApplicationRecord extends InstanceScope {
  application_arn: string;
  application_account: string | null;
  name: string | null;
  description: string | null;
  status: string | null;
  application_provider_arn: string | null;
  visibility: string | null;
  sign_in_origin: string | null;
  created_date: string | null;
  created_from: string | null;
}

export interface ApplicationAssignmentRecord extends InstanceScope {
  application_arn: string;
  principal_type: string;
  principal_id: string;
}

/** What the instance records need to know of the organization. */
export interface OrganizationInfo {
  /** The management account, from an account ARN of ListAccounts; null when unknown. */
  readonly managementAccountId: string | null;
  readonly organizationId: string | null;
  /** True when the calling account is in no organization: every instance is then an account instance. */
  readonly noOrganization: boolean;
}

const text = (v: string | undefined | null): string | null => (v === undefined || v === null ? null : v);
const iso = (d: Date | undefined): string | null =>
  d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString() : null;

/**
 * The organization's management account and id, from the ARN of any account ListAccounts returns
 * (`arn:aws:organizations::<management>:account/<o-…>/<account>`).
 *
 * @example
 * ```ts
 * organizationOf('arn:aws:organizations::111111111111:account/o-exampleorgid/222222222222')
 * // { managementAccountId: '111111111111', organizationId: 'o-exampleorgid', noOrganization: false }
 * ```
 */
export function organizationOf(accountArn: string | undefined): OrganizationInfo | null {
  const m = /^arn:aws[a-z-]*:organizations::(\d{12}):account\/(o-[a-z0-9]+)\/\d{12}$/.exec(accountArn ?? '');
  return m
    ? { managementAccountId: m[1] as string, organizationId: m[2] as string, noOrganization: false }
    : null;
}

/**
 * An instance's record: ListInstances' metadata, with DescribeInstance's details when there are.
 * An instance owned by the management account is the organization instance; one owned by any
 * other account (or by an account in no organization) is an account instance; when the
 * organization could not be read, the type is null.
 */
export function instanceRecord(
  listed: InstanceMetadata & { InstanceArn: string },
  described: InstanceDescription | undefined,
  where: { account: string | null; region: string },
  organization: OrganizationInfo,
): InstanceRecord {
  const merged: InstanceDescription = { ...listed, ...stripUndefined(described ?? {}) };
  const owner = text(merged.OwnerAccountId);
  let type: string | null = null;
  if (organization.noOrganization) type = ACCOUNT_INSTANCE;
  else if (owner !== null && organization.managementAccountId !== null)
    type = owner === organization.managementAccountId ? ORGANIZATION_INSTANCE : ACCOUNT_INSTANCE;
  return {
    account_id: where.account,
    region: merged.PrimaryRegion ?? where.region,
    instance_arn: listed.InstanceArn,
    identity_store_id: text(merged.IdentityStoreId),
    owner_account_id: owner,
    instance_type: type,
    organization_id: organization.organizationId,
    name: text(merged.Name),
    status: text(merged.Status),
    status_reason: text(merged.StatusReason),
    created_date: iso(merged.CreatedDate),
    primary_region: text(merged.PrimaryRegion),
    permission_sets_enabled: described?.PermissionSetsEnabled ?? null,
    encryption_key_type: text(described?.EncryptionConfigurationDetails?.KeyType),
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A keyed hash of an e-mail address (HMAC-SHA256, hex): the same address gives the same hash
 * under the same key, so duplicates are still found, but the address cannot be read back.
 *
 * @example
 * ```ts
 * hashEmail('maria.garcia@example.com', 'secret') // '5c0e…' (64 hex digits)
 * ```
 */
export function hashEmail(email: string, key: string): string {
  return createHmac('sha256', key).update(email, 'utf8').digest('hex');
}

/**
 * An e-mail address as the inventory compares it: trimmed and lower-cased (the domain is
 * case-insensitive, and identity stores treat the local part so too); empty → null.
 *
 * @example
 * ```ts
 * normalizeEmail('  Maria.Garcia@Example.COM ') // 'maria.garcia@example.com'
 * ```
 */
export function normalizeEmail(value: string | undefined | null): string | null {
  const v = (value ?? '').trim().toLowerCase();
  return v === '' ? null : v;
}

/**
 * A user's record. E-mails are normalized, the primary first (else in the order given), each
 * once; with `hashKey`, each is replaced by its keyed hash (hashEmail).
 */
export function userRecord(
  user: IdentityStoreUser & { UserId: string },
  scope: InstanceScope,
  hashKey?: string,
): UserRecord {
  const entries = (user.Emails ?? [])
    .map((e, i) => ({ value: normalizeEmail(e.Value), primary: e.Primary === true, i }))
    .filter((e): e is { value: string; primary: boolean; i: number } => e.value !== null)
    .sort((a, b) => Number(b.primary) - Number(a.primary) || a.i - b.i);
  const plain = [...new Set(entries.map((e) => e.value))];
  const emails = hashKey === undefined ? plain : plain.map((e) => hashEmail(e, hashKey));
  return {
    ...scope,
    user_id: user.UserId,
    user_name: text(user.UserName),
    display_name: text(user.DisplayName),
    user_status: text(user.UserStatus),
    emails,
    primary_email: emails[0] ?? null,
    email_count: emails.length,
    emails_hashed: hashKey !== undefined,
    created_at: iso(user.CreatedAt),
    updated_at: iso(user.UpdatedAt),
  };
}

export function applicationRecord(
  app: Application & { ApplicationArn: string },
  scope: InstanceScope,
): ApplicationRecord {
  return {
    ...scope,
    application_arn: app.ApplicationArn,
    application_account: text(app.ApplicationAccount),
    name: text(app.Name),
    description: text(app.Description),
    status: text(app.Status),
    application_provider_arn: text(app.ApplicationProviderArn),
    visibility: text(app.PortalOptions?.Visibility),
    sign_in_origin: text(app.PortalOptions?.SignInOptions?.Origin),
    created_date: iso(app.CreatedDate),
    created_from: text(app.CreatedFrom),
  };
}

export function assignmentRecord(
  assignment: ApplicationAssignment & { PrincipalId: string; PrincipalType: string },
  applicationArn: string,
  scope: InstanceScope,
): ApplicationAssignmentRecord {
  return {
    ...scope,
    application_arn: applicationArn,
    principal_type: assignment.PrincipalType,
    principal_id: assignment.PrincipalId,
  };
}

/** Any collected record, by its relation. */
export type CollectedRecord = InstanceRecord | UserRecord | ApplicationRecord | ApplicationAssignmentRecord;

const cmp = (a: unknown, b: unknown) => {
  const x = a === null || a === undefined ? '' : String(a);
  const y = b === null || b === undefined ? '' : String(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** The key of a record in its relation, as one string. */
export function recordKey(relation: IdentityCenterRelation, record: object): string {
  const r = record as Record<string, unknown>;
  return JSON.stringify(relation.key.map((k) => r[k] ?? null));
}

/**
 * A relation's file: one line per record in column order, sorted by the relation's key, so the
 * same snapshot always has the same bytes (the planner reloads a day only when they change).
 */
export function snapshotNdjson(relation: IdentityCenterRelation, records: Iterable<object>): string {
  const rows = [...records].sort((a, b) => {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    for (const k of relation.key) {
      const c = cmp(x[k], y[k]);
      if (c !== 0) return c;
    }
    return 0;
  });
  return rows
    .map((row) => {
      const r = row as Record<string, unknown>;
      const ordered = Object.fromEntries(relation.columns.map((c) => [c.name, r[c.name] ?? null]));
      return `${JSON.stringify(ordered)}\n`;
    })
    .join('');
}

/**
 * The records of a relation's file (lines that do not parse, or lack the key, are warned about
 * and dropped), for keeping what a failed part of a collection could not read again.
 */
export function parseSnapshot(
  relation: IdentityCenterRelation,
  content: string | undefined,
  where: string,
  warnings: string[],
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const [i, line] of (content ?? '').split('\n').entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    const record = value as Record<string, unknown> | undefined;
    if (!record || typeof record !== 'object' || relation.key.some((k) => typeof record[k] !== 'string')) {
      warnings.push(`${where}:${i + 1}: not a collected ${relation.folder} record, dropped`);
      continue;
    }
    out.push(record);
  }
  return out;
}

export const RELATION_OF = {
  instances: IDENTITY_CENTER_INSTANCES,
  users: IDENTITY_CENTER_USERS,
  applications: IDENTITY_CENTER_APPLICATIONS,
  assignments: IDENTITY_CENTER_APPLICATION_ASSIGNMENTS,
} as const;
