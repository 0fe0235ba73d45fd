/**
 * The calls the Identity Center collector makes, typed as the subset it reads: implemented by the
 * AWS SDK (sdk-api.ts: Organizations, STS, sso-admin, identitystore) and by a folder of captured
 * API responses (captured-api.ts). Times are `Date`s whatever the source wrote.
 *
 * The inventory is seen from accounts: the calling account, and (with a member role) each member
 * account of the organization. `session(account)` answers the API as one account sees it; its
 * `region(name)` the Regional sso-admin and identitystore calls of that account in that Region.
 */

/** The part of an Organizations `Account` (ListAccounts) the collector reads. */
export interface OrgAccount {
  Id?: string | undefined;
  /** `arn:aws:organizations::<management account>:account/o-…/<account>`: names the management account. */
  Arn?: string | undefined;
  Name?: string | undefined;
  /** ACTIVE, SUSPENDED or PENDING_CLOSURE (deprecated in favour of State). */
  Status?: string | undefined;
  /** PENDING_ACTIVATION, ACTIVE, SUSPENDED, PENDING_CLOSURE or CLOSED. */
  State?: string | undefined;
}

export interface OrgAccountsPage {
  Accounts?: OrgAccount[] | undefined;
  NextToken?: string | undefined;
}

/** An sso-admin `InstanceMetadata` (ListInstances). */
export interface InstanceMetadata {
  InstanceArn?: string | undefined;
  IdentityStoreId?: string | undefined;
  OwnerAccountId?: string | undefined;
  Name?: string | undefined;
  CreatedDate?: Date | undefined;
  Status?: string | undefined;
  StatusReason?: string | undefined;
  PrimaryRegion?: string | undefined;
}

export interface InstancesPage {
  Instances?: InstanceMetadata[] | undefined;
  NextToken?: string | undefined;
}

/** The part of DescribeInstance's output the collector adds to ListInstances'. */
export interface InstanceDescription extends InstanceMetadata {
  PermissionSetsEnabled?: boolean | undefined;
  EncryptionConfigurationDetails?: { KeyType?: string | undefined } | undefined;
}

/** An identitystore `User` (ListUsers), the members the collector reads. */
export interface IdentityStoreUser {
  UserId?: string | undefined;
  IdentityStoreId?: string | undefined;
  UserName?: string | undefined;
  DisplayName?: string | undefined;
  UserStatus?: string | undefined;
  Emails?:
    | { Value?: string | undefined; Type?: string | undefined; Primary?: boolean | undefined }[]
    | undefined;
  CreatedAt?: Date | undefined;
  UpdatedAt?: Date | undefined;
}

export interface UsersPage {
  Users?: IdentityStoreUser[] | undefined;
  NextToken?: string | undefined;
}

/** An sso-admin `Application` (ListApplications). */
export interface Application {
  ApplicationArn?: string | undefined;
  ApplicationProviderArn?: string | undefined;
  Name?: string | undefined;
  ApplicationAccount?: string | undefined;
  InstanceArn?: string | undefined;
  Status?: string | undefined;
  PortalOptions?:
    | { Visibility?: string | undefined; SignInOptions?: { Origin?: string | undefined } | undefined }
    | undefined;
  Description?: string | undefined;
  CreatedDate?: Date | undefined;
  CreatedFrom?: string | undefined;
}

export interface ApplicationsPage {
  Applications?: Application[] | undefined;
  NextToken?: string | undefined;
}

/** An sso-admin `ApplicationAssignment` (ListApplicationAssignments). */
export interface ApplicationAssignment {
  ApplicationArn?: string | undefined;
  PrincipalId?: string | undefined;
  PrincipalType?: string | undefined;
}

export interface ApplicationAssignmentsPage {
  ApplicationAssignments?: ApplicationAssignment[] | undefined;
  NextToken?: string | undefined;
}

/** The Regional calls of one account: sso-admin and identitystore in one Region. */
export interface RegionalIdentityCenterApi {
  listInstances(nextToken?: string): Promise<InstancesPage>;
  describeInstance(instanceArn: string): Promise<InstanceDescription>;
  listUsers(identityStoreId: string, nextToken?: string): Promise<UsersPage>;
  listApplications(instanceArn: string, nextToken?: string): Promise<ApplicationsPage>;
  listApplicationAssignments(applicationArn: string, nextToken?: string): Promise<ApplicationAssignmentsPage>;
}

/** The API as one account sees it. */
export interface AccountSession {
  region(name: string): RegionalIdentityCenterApi;
}

/**
 * What the collector reads.
 *
 * @example
 * ```ts
 * const api: IdentityCenterApi = createSdkIdentityCenterApi({ memberRoleName: 'LakeqIdentityCenterRead' });
 * const caller = await api.callerAccount(); // '111122223333'
 * const member = await api.session('444455556666'); // AssumeRole into the member account
 * const { Instances } = await member.region('eu-west-1').listInstances();
 * ```
 */
export interface IdentityCenterApi {
  /** The account the calls are made from (STS GetCallerIdentity); null when unknown. */
  callerAccount(): Promise<string | null>;
  /** Organizations ListAccounts, one page; throws when the account is not in an organization. */
  listAccounts(nextToken?: string): Promise<OrgAccountsPage>;
  /**
   * The calls as `account` makes them: the calling account's own (`null` or its id), or a member
   * account's through its role. Throws when the member account cannot be reached.
   */
  session(account: string | null): Promise<AccountSession>;
  /** Whether member accounts can be reached (a member role is configured, or captured responses hold them). */
  readonly readsMemberAccounts: boolean;
  /**
   * Accounts to read besides the organization's members (accounts outside the organization:
   * captured responses of a standalone account; on AWS, the configured ones with the member role).
   */
  readonly extraAccounts?: readonly string[];
  /**
   * When the responses were captured (a captured folder's `captured-at.json`): the snapshot's time,
   * and so its day, instead of the collection's. Undefined for the live APIs.
   */
  readonly capturedAt?: Date;
  /** Regions the source holds responses of, read besides the configured ones (captured responses). */
  readonly regions?: readonly string[];
  /** Problems met while preparing the source (malformed captured files). */
  readonly warnings?: readonly string[];
}

/** Names of the errors that mean "this account is not in an organization" or "not allowed to list it". */
export const NO_ORGANIZATION_ERRORS: ReadonlySet<string> = new Set([
  'AWSOrganizationsNotInUseException',
  'AccessDeniedException',
]);
