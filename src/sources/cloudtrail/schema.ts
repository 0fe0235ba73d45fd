/**
 * The CloudTrail record, once, in the three shapes lakeq needs: the JSON a trail writes
 * (camelCase), the Athena docs' `cloudtrail_logs` table (lower-case columns, JSON blobs as
 * strings), and CloudTrail Lake's event columns (`cloudtrail_events`: camelCase, `eventTime`
 * a timestamp, `requestParameters` a map).
 */

declare module '../../catalog/table-definition.ts' {
  /** The raw source name CloudTrail's tables read: the log files of the trail. */
  interface RawSourceNames {
    cloudtrail: true;
  }
}

/** A DuckDB type written as JSON structure spec (for `json_transform`) and as SQL. */
type FieldType = 'VARCHAR' | 'JSON' | { [field: string]: FieldType } | [FieldType];

const SESSION_ISSUER: FieldType = {
  type: 'VARCHAR',
  principalId: 'VARCHAR',
  arn: 'VARCHAR',
  accountId: 'VARCHAR',
  userName: 'VARCHAR',
};

const USER_IDENTITY: FieldType = {
  type: 'VARCHAR',
  principalId: 'VARCHAR',
  arn: 'VARCHAR',
  accountId: 'VARCHAR',
  accessKeyId: 'VARCHAR',
  userName: 'VARCHAR',
  invokedBy: 'VARCHAR',
  identityProvider: 'VARCHAR',
  credentialId: 'VARCHAR',
  sessionContext: {
    attributes: { creationDate: 'VARCHAR', mfaAuthenticated: 'VARCHAR' },
    sessionIssuer: SESSION_ISSUER,
    webIdFederationData: 'JSON',
    sourceIdentity: 'VARCHAR',
    ec2RoleDelivery: 'VARCHAR',
  },
  onBehalfOf: { userId: 'VARCHAR', identityStoreArn: 'VARCHAR' },
};

/** The fields of a CloudTrail record as delivered to S3, in the order of the record reference. */
export const CLOUDTRAIL_RECORD: { readonly [field: string]: FieldType } = {
  eventVersion: 'VARCHAR',
  userIdentity: USER_IDENTITY,
  eventTime: 'VARCHAR',
  eventSource: 'VARCHAR',
  eventName: 'VARCHAR',
  awsRegion: 'VARCHAR',
  sourceIPAddress: 'VARCHAR',
  userAgent: 'VARCHAR',
  errorCode: 'VARCHAR',
  errorMessage: 'VARCHAR',
  requestParameters: 'JSON',
  responseElements: 'JSON',
  additionalEventData: 'JSON',
  requestID: 'VARCHAR',
  eventID: 'VARCHAR',
  readOnly: 'VARCHAR',
  resources: [{ ARN: 'VARCHAR', accountId: 'VARCHAR', type: 'VARCHAR' }],
  eventType: 'VARCHAR',
  apiVersion: 'VARCHAR',
  managementEvent: 'VARCHAR',
  recipientAccountId: 'VARCHAR',
  serviceEventDetails: 'JSON',
  sharedEventID: 'VARCHAR',
  vpcEndpointId: 'VARCHAR',
  eventCategory: 'VARCHAR',
  tlsDetails: { tlsVersion: 'VARCHAR', cipherSuite: 'VARCHAR', clientProvidedHostHeader: 'VARCHAR' },
  sessionCredentialFromConsole: 'VARCHAR',
  edgeDeviceDetails: 'JSON',
  addendum: 'JSON',
};

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** `STRUCT("a" VARCHAR, ...)` for a field tree. */
export function duckDbType(type: FieldType): string {
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return `${duckDbType(type[0])}[]`;
  const fields = Object.entries(type).map(([name, t]) => `${quoteIdent(name)} ${duckDbType(t)}`);
  return `STRUCT(${fields.join(', ')})`;
}

/** The same tree as a `json_transform` structure spec. */
export function jsonTransformSpec(type: FieldType): unknown {
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return [jsonTransformSpec(type[0])];
  return Object.fromEntries(Object.entries(type).map(([name, t]) => [name, jsonTransformSpec(t)]));
}

/** The CloudTrail record struct type, for reading files with typed columns. */
export const CLOUDTRAIL_RECORD_SQL_TYPE = duckDbType(CLOUDTRAIL_RECORD);

/**
 * Columns of `cloudtrail_events` (CloudTrail Lake's names and shapes). Queries are written
 * against this relation so their text runs on Lake with only the table reference changed.
 */
export interface CloudTrailEventsTable {
  eventVersion: string | null;
  userIdentity: CloudTrailUserIdentity | null;
  eventTime: string;
  eventSource: string | null;
  eventName: string | null;
  awsRegion: string | null;
  sourceIPAddress: string | null;
  userAgent: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  requestParameters: Record<string, string | null> | null;
  responseElements: Record<string, string | null> | null;
  additionalEventData: Record<string, string | null> | null;
  requestID: string | null;
  eventID: string | null;
  readOnly: boolean | null;
  resources: { accountId: string | null; type: string | null; arn: string | null }[] | null;
  eventType: string | null;
  apiVersion: string | null;
  managementEvent: boolean | null;
  recipientAccountId: string | null;
  sharedEventID: string | null;
  vpcEndpointId: string | null;
  eventCategory: string | null;
  tlsDetails: {
    tlsVersion: string | null;
    cipherSuite: string | null;
    clientProvidedHostHeader: string | null;
  } | null;
  sessionCredentialFromConsole: boolean | null;
}

export interface CloudTrailUserIdentity {
  type: string | null;
  principalId: string | null;
  arn: string | null;
  accountId: string | null;
  accessKeyId: string | null;
  userName: string | null;
  invokedBy: string | null;
  identityProvider: string | null;
  credentialId: string | null;
  sessionContext: {
    attributes: { creationDate: string | null; mfaAuthenticated: string | null } | null;
    sessionIssuer: {
      type: string | null;
      principalId: string | null;
      arn: string | null;
      accountId: string | null;
      userName: string | null;
    } | null;
  } | null;
  onBehalfOf: { userId: string | null; identityStoreArn: string | null } | null;
}

/** The Athena docs' `cloudtrail_logs` columns (lower-case; JSON blobs as strings). */
export interface CloudTrailLogsTable {
  eventversion: string | null;
  useridentity: unknown;
  eventtime: string | null;
  eventsource: string | null;
  eventname: string | null;
  awsregion: string | null;
  sourceipaddress: string | null;
  useragent: string | null;
  errorcode: string | null;
  errormessage: string | null;
  requestparameters: string | null;
  responseelements: string | null;
  additionaleventdata: string | null;
  requestid: string | null;
  eventid: string | null;
  resources: { arn: string | null; accountid: string | null; type: string | null }[] | null;
  eventtype: string | null;
  apiversion: string | null;
  readonly: string | null;
  recipientaccountid: string | null;
  serviceeventdetails: string | null;
  sharedeventid: string | null;
  vpcendpointid: string | null;
  tlsdetails: unknown;
}
