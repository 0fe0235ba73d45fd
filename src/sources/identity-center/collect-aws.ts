import type { AwsCollect } from '../source-definition.ts';
import { emailHashKey } from './collect/settings.ts';
import { collectIdentityCenterResult } from './collect.ts';

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/**
 * The Identity Center collector on AWS: Organizations, STS, sso-admin and identitystore from the
 * Lambda's account (and, with `LAKEQ_IDENTITY_CENTER_MEMBER_ROLE`, each member account through that
 * role), into `s3://<bucket>/<prefix>/raw/identity-center/`, where the Athena tables read them.
 * It runs as a step of the hourly run but collects once a day: the first run of a UTC day takes
 * the day's snapshot, the others find it there. Settings from the environment:
 * `LAKEQ_IDENTITY_CENTER_REGIONS` (comma-separated; without it nothing is collected: the
 * organization's inventory needs the permissions of `lakeq iam-policy`, and a member role),
 * `LAKEQ_IDENTITY_CENTER_MEMBER_ROLE`, `LAKEQ_IDENTITY_CENTER_EXTRA_ACCOUNTS`,
 * `LAKEQ_IDENTITY_CENTER_HASH_EMAILS` (`true`: keyed hashes, key in `LAKEQ_IDENTITY_CENTER_EMAIL_KEY`).
 *
 * @example
 * ```ts
 * await collectAwsIdentityCenter({ root, store, region: 'eu-west-1', accountId: '111122223333', env: process.env }, { from, to, now })
 * ```
 */
export const collectAwsIdentityCenter: AwsCollect = async ({ store, region, env }, window) => {
  const regions = list(env.LAKEQ_IDENTITY_CENTER_REGIONS);
  // Opt-in: reading the organization needs permissions (and a member role) a deployment may not have.
  if (regions.length === 0)
    return { collected: false, reason: 'LAKEQ_IDENTITY_CENTER_REGIONS names no Region to read' };
  const memberRoleName = env.LAKEQ_IDENTITY_CENTER_MEMBER_ROLE;
  const { createSdkIdentityCenterApi } = await import('./collect/sdk-api.ts');
  return collectIdentityCenterResult({
    api: createSdkIdentityCenterApi({
      region,
      ...(memberRoleName ? { memberRoleName } : {}),
      extraAccounts: list(env.LAKEQ_IDENTITY_CENTER_EXTRA_ACCOUNTS),
      ...(window.signal ? { signal: window.signal } : {}),
    }),
    root: store,
    regions,
    now: window.now,
    hashKey: emailHashKey(env.LAKEQ_IDENTITY_CENTER_HASH_EMAILS === 'true', env),
    oncePerDay: true,
    signal: window.signal,
  });
};
