import { type RawBuilder, sql } from 'kysely';

/** The event source of the public IAM Identity Center APIs (instances, applications, permission sets). */
export const SSO_SOURCE = 'sso.amazonaws.com';
export const INSTANCE_LIFECYCLE = ['CreateInstance', 'DeleteInstance'] as const;
export const APPLICATION_LIFECYCLE = ['CreateApplication', 'DeleteApplication'] as const;

/** `and recipientAccountId = ?` when an account is given. */
export function accountFilter(account: string | undefined): RawBuilder<unknown> {
  return account === undefined ? sql`` : sql`\n      and recipientAccountId = ${account}`;
}
