/**
 * A CloudTrail record as Security Lake writes it in OCSF, in source version 1 (OCSF 1.0.0-rc.2:
 * API Activity 3005, Authentication 3002, Account Change 3001) and 2 (OCSF 1.1.0: API Activity
 * 6003, 3002, 3001). The fields follow Security Lake's own records (the real samples in
 * test/fixtures/real/ocsf/security-lake-samples): in version 1 `actor.user.uuid` is the ARN and
 * `uid` the principal id; in version 2 `uid` is the ARN and `uid_alt` the principal id.
 */

type Json = Record<string, unknown>;

const AUTHENTICATION = new Set([
  'ConsoleLogin',
  'AssumeRole',
  'AssumeRoleWithSAML',
  'AssumeRoleWithWebIdentity',
  'GetSessionToken',
  'GetFederationToken',
  'CheckMfa',
  'UserAuthentication',
  'CredentialChallenge',
  'CredentialVerification',
]);
const ACCOUNT_CHANGE =
  /^(Create|Delete|Attach|Detach|Put|Update)(User|Role|UserPolicy|RolePolicy|LoginProfile|AccessKey|ServiceLinkedRole|ServiceRole)$|^AddRoleToInstanceProfile$/;

/** The OCSF class of a CloudTrail record, in source version 1 numbering. */
export function classOf(record: Json): 3001 | 3002 | 3005 {
  const name = String(record.eventName);
  if (AUTHENTICATION.has(name)) return 3002;
  if (record.eventSource === 'iam.amazonaws.com' && ACCOUNT_CHANGE.test(name)) return 3001;
  return 3005;
}

/** OCSF API activity: 1 Create, 2 Read, 3 Update, 4 Delete, 99 Other. */
function activityOf(name: string): { id: number; name: string } {
  if (/^(Create|Run|Start|Put|Add|Attach|Authorize|Import|Register)/.test(name))
    return { id: 1, name: 'Create' };
  if (/^(Get|List|Describe|Lookup|Filter|Head|Check|Batch_Get)/.test(name)) return { id: 2, name: 'Read' };
  if (/^(Update|Modify|Tag|Untag|Set|Rotate|Enable|Disable|Stop|Reset|Change|Execute)/.test(name))
    return { id: 3, name: 'Update' };
  if (/^(Delete|Remove|Detach|Revoke|Schedule|Terminate|Deregister)/.test(name))
    return { id: 4, name: 'Delete' };
  return { id: 99, name: 'Other' };
}

const CLASS_NAMES = {
  3001: 'Account Change',
  3002: 'Authentication',
  3005: 'API Activity',
  6003: 'API Activity',
};

/** The map Security Lake keeps of what OCSF has no place for: text values, nested ones as JSON. */
function unmappedOf(record: Json): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (prefix: string, value: unknown) => {
    if (value === null || value === undefined) return;
    if (typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value as Json)) add(`${prefix}.${k}`, v);
    } else out[prefix] = typeof value === 'string' ? value : JSON.stringify(value);
  };
  for (const key of ['requestParameters', 'additionalEventData']) add(key, record[key]);
  if (record.recipientAccountId) out.recipientAccountId = String(record.recipientAccountId);
  if (record.eventType) out.eventType = String(record.eventType);
  return out;
}

/** Where Security Lake files it: the account and Region of the record. */
export interface Placed {
  readonly time: number;
  readonly accountId: string;
  readonly region: string;
  readonly record: Json;
}

/**
 * One CloudTrail record in OCSF, as version 1 or 2 writes it.
 *
 * @example
 * ```ts
 * ocsfFromCloudTrail(record, 2).record.class_uid // 6003 for sso.amazonaws.com CreateInstance
 * ```
 */
export function ocsfFromCloudTrail(record: Json, version: 1 | 2): Placed {
  const time = Date.parse(String(record.eventTime));
  const ui = (record.userIdentity ?? {}) as Json;
  const session = (ui.sessionContext ?? {}) as Json;
  const issuer = (session.sessionIssuer ?? {}) as Json;
  const attributes = (session.attributes ?? {}) as Json;
  const request = (record.requestParameters ?? {}) as Json;
  const extra = (record.additionalEventData ?? {}) as Json;
  const name = String(record.eventName);
  const v1Class = classOf(record);
  const classUid = version === 2 && v1Class === 3005 ? 6003 : v1Class;
  const category = classUid === 6003 ? 6 : 3;
  const activity = v1Class === 3002 ? { id: 1, name: 'Logon' } : activityOf(name);
  const failed = record.errorCode !== undefined && record.errorCode !== null;
  const consoleFailed =
    name === 'ConsoleLogin' && (record.responseElements as Json | undefined)?.ConsoleLogin === 'Failure';
  const status =
    failed || consoleFailed ? { status: 'Failure', status_id: 2 } : { status: 'Success', status_id: 1 };
  const userName = (ui.userName ?? issuer.userName ?? null) as string | null;
  const mfaSession =
    attributes.mfaAuthenticated === undefined ? null : attributes.mfaAuthenticated === 'true';
  const accountId = String(record.recipientAccountId ?? ui.accountId ?? '');
  const region = String(record.awsRegion);
  const resources = Array.isArray(record.resources)
    ? (record.resources as Json[]).map((r) => ({
        uid: r.ARN ?? null,
        account_uid: r.accountId ?? null,
        type: r.type ?? null,
      }))
    : null;
  const common = {
    time,
    class_name: CLASS_NAMES[classUid],
    class_uid: classUid,
    category_name: category === 6 ? 'Application Activity' : 'Identity & Access Management',
    category_uid: category,
    severity_id: 1,
    severity: 'Informational',
    activity_id: activity.id,
    activity_name: activity.name,
    type_uid: classUid * 100 + activity.id,
    type_name: `${CLASS_NAMES[classUid]}: ${activity.name}`,
    ...status,
    unmapped: unmappedOf(record),
    http_request: { user_agent: record.userAgent ?? null },
  };
  const targetUser = (request.userName ?? request.roleName ?? null) as string | null;
  if (version === 1) {
    const out: Json = {
      ...common,
      metadata: {
        product: {
          version: String(record.eventVersion ?? '1.08'),
          name: 'CloudTrail',
          vendor_name: 'AWS',
          feature: { name: 'Management, Data, and Insights' },
        },
        profiles: ['cloud'],
        version: '1.0.0-rc.2',
        uid: record.eventID ?? null,
      },
      cloud: { region, provider: 'AWS' },
      api: {
        operation: name,
        version: record.apiVersion ?? null,
        service: { name: record.eventSource },
        request: { uid: record.requestID ?? null },
        response: { error: record.errorCode ?? null, message: record.errorMessage ?? null },
      },
      actor: {
        user: {
          type: ui.type ?? null,
          name: userName,
          uid: ui.principalId ?? null,
          uuid: ui.arn ?? null,
          account_uid: ui.accountId ?? null,
          credential_uid: ui.accessKeyId ?? null,
        },
        session: { mfa: mfaSession, issuer: issuer.arn ?? null },
        invoked_by: ui.invokedBy ?? null,
      },
      src_endpoint: { ip: record.sourceIPAddress ?? null },
      resources,
    };
    if (v1Class === 3002) out.mfa = extra.MFAUsed === undefined ? mfaSession : extra.MFAUsed === 'Yes';
    if (v1Class === 3001) out.user = { name: targetUser, uid: null, uuid: null };
    return { time, accountId, region, record: out };
  }
  const out: Json = {
    ...common,
    time_dt: new Date(time).toISOString(),
    metadata: {
      product: {
        version: String(record.eventVersion ?? '1.08'),
        name: 'CloudTrail',
        vendor_name: 'AWS',
        feature: { name: 'Management' },
      },
      profiles: ['cloud', 'datetime'],
      version: '1.1.0',
      uid: record.eventID ?? null,
    },
    cloud: { account: { uid: accountId }, region, provider: 'AWS' },
    api: {
      operation: name,
      version: record.apiVersion ?? null,
      service: { name: record.eventSource },
      request: { uid: record.requestID ?? null },
      response: { error: record.errorCode ?? null, error_message: record.errorMessage ?? null },
    },
    actor: {
      user: {
        type: ui.type ?? null,
        name: userName,
        uid: ui.arn ?? null,
        uid_alt: ui.principalId ?? null,
        credential_uid: ui.accessKeyId ?? null,
        account: { uid: ui.accountId ?? null },
      },
      session: { is_mfa: mfaSession, issuer: issuer.arn ?? null },
      invoked_by: ui.invokedBy ?? null,
    },
    src_endpoint: { ip: record.sourceIPAddress ?? null },
    resources:
      resources?.map((r) => ({ uid: r.uid, type: r.type, owner: { account: { uid: r.account_uid } } })) ??
      null,
  };
  if (v1Class === 3002) out.is_mfa = extra.MFAUsed === undefined ? mfaSession : extra.MFAUsed === 'Yes';
  if (v1Class === 3001) {
    out.user = { name: targetUser };
    if (request.policyArn)
      out.policy = { uid: request.policyArn, name: String(request.policyArn).split('/').at(-1) };
  }
  return { time, accountId, region, record: out };
}
