import { defineTable } from '../../../catalog/table-definition.ts';
import { CLOUDTRAIL_COPIES_SQL } from '../raw-duckdb-views.ts';

const SESSION_ISSUER = 'struct<type:string,principalId:string,arn:string,accountId:string,userName:string>';
const USER_IDENTITY =
  'struct<type:string,principalId:string,arn:string,accountId:string,accessKeyId:string,userName:string,' +
  'invokedBy:string,identityProvider:string,credentialId:string,' +
  `sessionContext:struct<attributes:struct<creationDate:string,mfaAuthenticated:string>,sessionIssuer:${SESSION_ISSUER},` +
  'webIdFederationData:string,sourceIdentity:string,ec2RoleDelivery:string>,' +
  'onBehalfOf:struct<userId:string,identityStoreArn:string>>';

/**
 * `cloudtrail_events` as a curated table: CloudTrail Lake's columns, one hour per partition,
 * placed by `eventTime` (never by the clock), one row per `eventID`.
 */
export const cloudtrailEvents = defineTable({
  name: 'cloudtrail_events',
  description:
    'CloudTrail management and data events with CloudTrail Lake column names, hour-partitioned by event time ' +
    '(dt, hour in UTC), deduplicated by eventID.',
  columns: [
    { name: 'eventVersion', type: 'string', comment: 'version of the record format' },
    { name: 'userIdentity', type: USER_IDENTITY, comment: 'the identity that made the request' },
    { name: 'eventTime', type: 'timestamp', comment: 'when the request completed, UTC' },
    { name: 'eventSource', type: 'string', comment: 'the service called, such as sso.amazonaws.com' },
    { name: 'eventName', type: 'string', comment: 'the API action' },
    { name: 'awsRegion', type: 'string', comment: 'the Region the request was made to' },
    { name: 'sourceIPAddress', type: 'string', comment: 'caller IP address or service name' },
    { name: 'userAgent', type: 'string', comment: 'the client used' },
    { name: 'errorCode', type: 'string', comment: 'the error, null when the call succeeded' },
    { name: 'errorMessage', type: 'string', comment: 'the error message' },
    {
      name: 'requestParameters',
      type: 'map<string,string>',
      comment: 'request members; nested values as JSON',
    },
    {
      name: 'responseElements',
      type: 'map<string,string>',
      comment: 'response members; nested values as JSON',
    },
    { name: 'additionalEventData', type: 'map<string,string>', comment: 'extra data; nested values as JSON' },
    { name: 'requestID', type: 'string', comment: 'the service request id' },
    { name: 'eventID', type: 'string', comment: 'unique id of the event' },
    { name: 'readOnly', type: 'boolean', comment: 'whether the call only reads' },
    {
      name: 'resources',
      type: 'array<struct<accountId:string,type:string,arn:string>>',
      comment: 'resources accessed',
    },
    { name: 'eventType', type: 'string', comment: 'AwsApiCall, AwsServiceEvent, AwsConsoleSignIn…' },
    { name: 'apiVersion', type: 'string', comment: 'API version of AwsApiCall events' },
    { name: 'managementEvent', type: 'boolean', comment: 'whether it is a management event' },
    { name: 'recipientAccountId', type: 'string', comment: 'the account that received the event' },
    { name: 'sharedEventID', type: 'string', comment: 'shared id of events delivered to several accounts' },
    { name: 'vpcEndpointId', type: 'string', comment: 'the VPC endpoint used' },
    { name: 'eventCategory', type: 'string', comment: 'Management, Data or Insight' },
    {
      name: 'tlsDetails',
      type: 'struct<tlsVersion:string,cipherSuite:string,clientProvidedHostHeader:string>',
      comment: 'TLS version, cipher and host header',
    },
    {
      name: 'sessionCredentialFromConsole',
      type: 'boolean',
      comment: 'whether the call came from a console session',
    },
  ],
  location: 'curated/cloudtrail_events',
  input: { source: 'cloudtrail' },
  transform: { queryId: 'transforms/cloudtrail-events-hour', localCopiesCheck: CLOUDTRAIL_COPIES_SQL },
  sortKey: ['eventTime', 'eventID'],
});
