import { z } from 'zod';
import { LakeqError } from '../../../engines/engine.ts';

/**
 * The `identityCenter` section of lakeq.config.json: how the inventory is collected. On AWS the
 * Lambda reads the same settings from its environment (`LAKEQ_IDENTITY_CENTER_REGIONS`,
 * `LAKEQ_IDENTITY_CENTER_MEMBER_ROLE`, `LAKEQ_IDENTITY_CENTER_EXTRA_ACCOUNTS`,
 * `LAKEQ_IDENTITY_CENTER_HASH_EMAILS`), set through `lambda.environment` of lakeq.deploy.json.
 *
 * @example
 * ```json
 * { "identityCenter": { "regions": ["us-east-1", "eu-west-1"], "memberRoleName": "LakeqIdentityCenterRead", "hashEmails": true } }
 * ```
 */
export const identityCenterSettingsSchema = z
  .object({
    regions: z
      .array(z.string().regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/, 'not a Region name'))
      .min(1)
      .optional()
      .describe("the Regions to list instances in (default the settings' aws.region, else us-east-1)"),
    memberRoleName: z
      .string()
      .regex(/^[\w+=,.@-]{1,64}$/, 'not an IAM role name')
      .optional()
      .describe('the role assumed in each member account (AWS); without it only the calling account is read'),
    extraAccounts: z
      .array(z.string().regex(/^\d{12}$/, 'an AWS account id has 12 digits'))
      .optional()
      .describe('accounts outside the organization to read with the member role (AWS)'),
    hashEmails: z
      .boolean()
      .optional()
      .describe(
        'store keyed hashes of e-mail addresses (key: LAKEQ_IDENTITY_CENTER_EMAIL_KEY) instead of the addresses',
      ),
  })
  .strict();

export type IdentityCenterSettings = z.output<typeof identityCenterSettingsSchema>;

/** The environment variable that holds the e-mail hashing key. */
export const EMAIL_KEY_ENV = 'LAKEQ_IDENTITY_CENTER_EMAIL_KEY';

/** The shortest key accepted: a keyed hash with a guessable key is a plain hash. */
const MIN_KEY_LENGTH = 16;

/**
 * The key of the e-mail hashes when `hashEmails` is on, from the environment; undefined when off.
 * Hashing without a key (or with a short one) is refused in one line: a hash anyone can compute
 * from a list of addresses protects nothing.
 *
 * @example
 * ```ts
 * emailHashKey(true, { LAKEQ_IDENTITY_CENTER_EMAIL_KEY: '…32 random characters…' }) // '…32 random characters…'
 * emailHashKey(false, {}) // undefined
 * ```
 */
export function emailHashKey(
  hashEmails: boolean | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  if (!hashEmails) return undefined;
  const key = env[EMAIL_KEY_ENV];
  if (key === undefined || key.length < MIN_KEY_LENGTH) {
    throw new LakeqError(
      'BAD_CONFIG',
      `identityCenter.hashEmails needs a key of at least ${MIN_KEY_LENGTH} characters in ${EMAIL_KEY_ENV} (keep it secret and the same: the same key gives the same hashes)`,
    );
  }
  return key;
}
