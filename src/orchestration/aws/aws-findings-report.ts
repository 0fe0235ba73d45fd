import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { withThrottlingRetry } from '../../engines/aws-retry.ts';
import { LakeqError } from '../../engines/engine.ts';
import type { FindingsReportTarget, ReportLink } from '../../reports/findings-report-target.ts';
import { presignedUrlExpiry } from '../../reports/presigned-url-expiry.ts';
import { parseS3Uri } from '../../storage/s3-uri.ts';

/** Where the report's findings come from on AWS (`LAKEQ_FINDINGS_INPUT`). */
export type AwsFindingsInput = 'security-hub' | 'security-lake';

/** What the AWS target needs; clients are made on first use. */
export interface AwsFindingsReportOptions {
  /** The lake's `s3://bucket/prefix/`: reports go under `<prefix>/reports/findings/`. */
  readonly root: string;
  readonly input: AwsFindingsInput;
  readonly clients: {
    readonly s3: () => S3Client;
    readonly securityHub: () => SecurityHubClient;
    readonly sns: () => SNSClient;
  };
  /** For `security-lake`: the Athena database and work group whose `ocsf_findings` view is read. */
  readonly athena?: { readonly database: string; readonly workGroup: string };
  readonly now?: () => Date;
}

/**
 * When the credentials an S3 client signs with expire: the Lambda's role session, from the
 * SDK's credential provider (`AWS_CREDENTIAL_EXPIRATION` for credentials in the environment);
 * undefined when the provider does not say, and whether they are temporary.
 */
async function signingCredentials(client: S3Client): Promise<{ expiration?: Date; temporary: boolean }> {
  const identity = await client.config.credentials();
  return {
    ...(identity.expiration ? { expiration: identity.expiration } : {}),
    temporary: identity.sessionToken !== undefined && identity.sessionToken !== '',
  };
}

/**
 * The findings report's target on AWS: the Security Hub API (or Security Lake's view on
 * Athena), the CSV put whole to S3 under the lake's prefix, a presigned GetObject URL valid for
 * 24 hours or until the signing credentials expire (whichever comes first), and the mail
 * published to the report's SNS topic, retried while SNS throttles.
 *
 * @example
 * ```ts
 * const target = awsFindingsReportTarget({ root: 's3://my-lake/lakeq/', input: 'security-hub',
 *   clients: { s3: () => new S3Client({}), securityHub: () => new SecurityHubClient({}), sns: () => new SNSClient({}) } });
 * ```
 */
export function awsFindingsReportTarget(options: AwsFindingsReportOptions): FindingsReportTarget {
  const { bucket, key: rootKey } = parseS3Uri(options.root, 'the lake root');
  const base = rootKey === '' || rootKey.endsWith('/') ? rootKey : `${rootKey}/`;
  const now = options.now ?? (() => new Date());
  return {
    open: async () => {
      if (options.input === 'security-hub')
        return { input: { kind: 'security-hub', client: options.clients.securityHub() } };
      if (!options.athena)
        throw new LakeqError(
          'BAD_CONFIG',
          'LAKEQ_FINDINGS_INPUT=security-lake needs the Athena database and work group',
        );
      const [{ createAthenaEngine }, athena] = await Promise.all([
        import('../../engines/athena/athena-engine.ts'),
        import('@aws-sdk/client-athena'),
      ]);
      const engine = createAthenaEngine({
        client: new athena.AthenaClient({}),
        database: options.athena.database,
        workGroup: options.athena.workGroup,
      });
      return { input: { kind: 'security-lake', engine }, close: () => engine.close() };
    },
    store: async (key, body, contentType) => {
      const s3 = options.clients.s3();
      const Key = `${base}${key}`;
      const file = key.split('/').pop() ?? key;
      await withThrottlingRetry(() =>
        s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key,
            Body: body,
            ContentType: contentType,
            ContentDisposition: `attachment; filename="${file}"`,
          }),
        ),
      );
      const signedAt = now();
      const credentials = await signingCredentials(s3);
      const expiry = presignedUrlExpiry(signedAt, credentials.expiration);
      const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key }), {
        expiresIn: expiry.expiresInSeconds,
        signingDate: signedAt,
      });
      const link: ReportLink = {
        url,
        expiresAt: expiry.expiresAt.toISOString(),
        limitedByCredentials: expiry.limitedByCredentials,
        // Temporary credentials whose end the provider does not tell may end the link sooner.
        ...(credentials.temporary && !credentials.expiration ? { atMost: true } : {}),
      };
      return { location: `s3://${bucket}/${Key}`, link };
    },
    notify: async ({ topicArn, subject, message }) => {
      const sns = options.clients.sns();
      const out = await withThrottlingRetry(() =>
        sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message })),
      );
      return { published: true, ...(out.MessageId ? { messageId: out.MessageId } : {}) };
    },
  };
}
