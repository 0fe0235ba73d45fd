import { randomUUID } from 'node:crypto';
import type { CloudTrailRecord } from './cloudtrail-fixtures.ts';

export const ADMIN_ROLE_ARN =
  'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice';
export const IAM_USER_ARN = 'arn:aws:iam::111122223333:user/bob';
export const ROOT_ARN = 'arn:aws:iam::444455556666:root';

/** One Identity Center lifecycle call, shaped like CloudTrail records it (sso-admin members in camelCase). */
export function ssoCall(options: {
  time: string;
  eventName: 'CreateInstance' | 'DeleteInstance' | 'CreateApplication' | 'DeleteApplication';
  account: string;
  region?: string;
  actorArn: string;
  actorType?: string;
  instanceId?: string;
  errorCode?: string;
}): CloudTrailRecord {
  const instanceArn = `arn:aws:sso:::instance/ssoins-${options.instanceId ?? '1234567890abcdef'}`;
  const failed = options.errorCode !== undefined;
  let requestParameters: Record<string, unknown>;
  let responseElements: Record<string, unknown> | null = null;
  switch (options.eventName) {
    case 'CreateInstance':
      requestParameters = { name: 'team-instance', clientToken: randomUUID() };
      if (!failed) responseElements = { instanceArn };
      break;
    case 'DeleteInstance':
      requestParameters = { instanceArn };
      break;
    case 'CreateApplication':
      requestParameters = {
        instanceArn,
        name: 'app',
        applicationProviderArn: 'arn:aws:sso::aws:applicationProvider/custom',
      };
      if (!failed)
        responseElements = {
          applicationArn: `arn:aws:sso::${options.account}:application/ssoins-x/apl-1234567890abcdef`,
        };
      break;
    default:
      requestParameters = {
        applicationArn: `arn:aws:sso::${options.account}:application/ssoins-x/apl-1234567890abcdef`,
      };
  }
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: options.actorType ?? 'AssumedRole',
      principalId: 'AROAEXAMPLE:alice',
      arn: options.actorArn,
      accountId: options.account,
    },
    eventTime: options.time,
    eventSource: 'sso.amazonaws.com',
    eventName: options.eventName,
    awsRegion: options.region ?? 'us-east-1',
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.15.0',
    ...(failed ? { errorCode: options.errorCode, errorMessage: `${options.errorCode}: refused` } : {}),
    requestParameters,
    responseElements,
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: options.account,
    eventCategory: 'Management',
  };
}
