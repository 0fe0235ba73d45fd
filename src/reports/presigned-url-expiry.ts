import { LakeqError } from '../engines/engine.ts';

/** The longest a report's download link is valid: 24 hours, as in AWS's post. */
export const REPORT_LINK_MAX_SECONDS = 24 * 60 * 60;
/** A link that would be valid for less than this is not worth sending. */
export const REPORT_LINK_MIN_SECONDS = 60;

/**
 * How long a presigned S3 URL of the report is valid: 24 hours, or until the credentials that
 * sign it expire, whichever comes first. A URL signed with temporary credentials (a Lambda's
 * role session) stops working when the session ends, whatever its `X-Amz-Expires` says, so the
 * link is given the lifetime it really has and the mail says when it ends. Credentials without
 * an expiration (long-term keys) leave the 24 hours; ones that end within a minute are refused.
 *
 * @example
 * ```ts
 * presignedUrlExpiry(new Date('2026-11-30T08:00:00Z'), new Date('2026-11-30T14:00:00Z'))
 * // { expiresInSeconds: 21600, expiresAt: 2026-11-30T14:00:00.000Z, limitedByCredentials: true }
 * presignedUrlExpiry(new Date('2026-11-30T08:00:00Z'), undefined)
 * // { expiresInSeconds: 86400, expiresAt: 2026-12-01T08:00:00.000Z, limitedByCredentials: false }
 * ```
 */
export function presignedUrlExpiry(
  now: Date,
  credentialsExpireAt: Date | undefined,
  maxSeconds: number = REPORT_LINK_MAX_SECONDS,
): { expiresInSeconds: number; expiresAt: Date; limitedByCredentials: boolean } {
  const credentialSeconds =
    credentialsExpireAt === undefined
      ? Number.POSITIVE_INFINITY
      : Math.floor((credentialsExpireAt.getTime() - now.getTime()) / 1000);
  const limitedByCredentials = credentialSeconds < maxSeconds;
  const expiresInSeconds = Math.min(maxSeconds, credentialSeconds);
  if (expiresInSeconds < REPORT_LINK_MIN_SECONDS) {
    throw new LakeqError(
      'CREDENTIALS_EXPIRING',
      `the credentials signing the report link expire at ${credentialsExpireAt?.toISOString()}, in ${Math.max(0, credentialSeconds)} s: too soon for a download link`,
    );
  }
  return {
    expiresInSeconds,
    expiresAt: new Date(now.getTime() + expiresInSeconds * 1000),
    limitedByCredentials,
  };
}
