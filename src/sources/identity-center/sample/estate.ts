import type { Estate, SampleAccount } from '../../cloudtrail/sample/estate.ts';
import { createSampleContext } from '../../cloudtrail/sample.ts';
import { Random } from '../../sample-random.ts';
import { ACCOUNT_INSTANCE, ORGANIZATION_INSTANCE } from '../schema.ts';

/**
 * The Identity Center estate of the sample, consistent with the CloudTrail sample of the same
 * options (`lakeq sample cloudtrail` with the same --from, --to, --accounts and --seed): the
 * instances that exist at `to` are
 *
 * - the organization instance of the management account (the one the CloudTrail sample's portal
 *   events name), created long before the trail;
 * - every account instance the trail's CreateInstance calls created and no DeleteInstance deleted,
 *   with the applications created in the trail and not deleted;
 * - an account instance from before the trail in each sample account that the trail never created
 *   one in (not the management account, which cannot have one), and in each of a few more member
 *   accounts of the organization that the trail sample has no logs of.
 *
 * People: one pool of people, all in the organization instance; each account instance has a few of
 * them again (some e-mails in another case, one person with a second address), so some people are
 * in two or three instances; a break-glass user and service users have no e-mail.
 */

export interface SamplePerson {
  readonly userName: string;
  readonly displayName: string;
  readonly email: string;
}

export interface SampleUser {
  readonly userId: string;
  readonly userName: string;
  readonly displayName: string;
  /** As written in the responses (case kept); none for break-glass and service users. */
  readonly emails: readonly { readonly value: string; readonly primary: boolean }[];
  readonly created: number;
}

export interface SampleApplication {
  readonly arn: string;
  readonly name: string;
  readonly providerArn: string;
  readonly description: string | null;
  readonly status: 'ENABLED' | 'DISABLED';
  readonly visibility: 'ENABLED' | 'DISABLED';
  readonly origin: 'IDENTITY_CENTER' | 'APPLICATION';
  readonly created: number;
  readonly assignments: readonly { readonly principalId: string; readonly principalType: 'USER' | 'GROUP' }[];
}

export interface SampleInstance {
  readonly arn: string;
  readonly identityStoreId: string;
  readonly ownerAccountId: string;
  readonly region: string;
  readonly name: string | null;
  readonly created: number;
  readonly type: typeof ORGANIZATION_INSTANCE | typeof ACCOUNT_INSTANCE;
  /** Created by a CreateInstance call of the CloudTrail sample (else from before the trail). */
  readonly inTrail: boolean;
  readonly users: readonly SampleUser[];
  readonly applications: readonly SampleApplication[];
}

export interface SampleOrgAccount {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly joined: number;
  /** One of the CloudTrail sample's accounts (else an account the trail sample has no logs of). */
  readonly inTrail: boolean;
}

export interface IdentityCenterSampleEstate {
  readonly estate: Estate;
  /** The organization's management account, null when the sample has no organization. */
  readonly managementAccountId: string | null;
  readonly organizationId: string | null;
  /** The accounts of the organization (ListAccounts). */
  readonly organizationAccounts: readonly SampleOrgAccount[];
  /** Sample accounts outside the organization (a standalone trail's account), captured apart. */
  readonly standaloneAccounts: readonly string[];
  /** The instances that exist at `to`, by ARN order. */
  readonly instances: readonly SampleInstance[];
  /** Instances the trail created and deleted: none of them exists at `to`. */
  readonly deletedInTrail: readonly string[];
}

export interface IdentityCenterEstateOptions {
  readonly from: Date;
  readonly to: Date;
  /** The CloudTrail sample's accounts (default 3). */
  readonly accounts?: number | undefined;
  readonly seed?: number | undefined;
  /** Member accounts of the organization besides the CloudTrail sample's (default 2). */
  readonly extraAccounts?: number | undefined;
}

const DAY = 86_400_000;

const PEOPLE: readonly SamplePerson[] = [
  'maria.garcia',
  'james.chen',
  'priya.patel',
  'lukas.mueller',
  'fatima.ali',
  'noah.johnson',
  'yuki.tanaka',
  'omar.haddad',
  'sofia.rossi',
  'david.kim',
  'amara.okafor',
  'erik.larsen',
].map((userName) => {
  const displayName = userName
    .split('.')
    .map((p) => `${p[0]?.toUpperCase()}${p.slice(1)}`)
    .join(' ');
  return { userName, displayName, email: `${userName}@example.com` };
});

const ORG_APPLICATIONS = [
  { name: 'Grafana', provider: 'custom-saml' },
  { name: 'Internal Wiki', provider: 'custom-saml' },
  { name: 'Jenkins', provider: 'custom-saml' },
] as const;

const EXTRA_ALIASES = ['acme-legacy', 'acme-vendor-eu', 'acme-research', 'acme-archive'];

/** An identity store user or group id: `<store hex>-<uuid>`, the form identitystore gives them. */
const principalId = (store: string, rng: Random) => `${store.slice(2)}-${rng.uuid()}`;

/** Changes the case of an e-mail address, as people type it in another directory. */
function recased(email: string, rng: Random): string {
  const [local = '', domain = ''] = email.split('@');
  return rng.chance(0.5)
    ? `${local
        .split('.')
        .map((p) => `${p[0]?.toUpperCase()}${p.slice(1)}`)
        .join('.')}@${domain}`
    : `${local}@${domain.toUpperCase()}`;
}

function usersOf(
  instanceArn: string,
  store: string,
  created: number,
  people: readonly SamplePerson[],
  seed: number,
  organization: boolean,
): SampleUser[] {
  const rng = new Random(seed, 'identity-center-users', instanceArn);
  const users: SampleUser[] = [];
  const at = (days: number) => created + days * DAY + rng.int(0, 86_399) * 1000;
  for (const person of people) {
    const emails: { value: string; primary: boolean }[] = [
      { value: !organization && rng.chance(0.35) ? recased(person.email, rng) : person.email, primary: true },
    ];
    // Someone with an alias besides the primary address.
    if (rng.chance(0.15))
      emails.push({ value: `${person.userName.split('.')[0]}@example.com`, primary: false });
    users.push({
      userId: principalId(store, rng),
      userName: organization ? person.email : person.userName,
      displayName: person.displayName,
      emails,
      created: at(rng.int(0, 3)),
    });
  }
  if (organization)
    users.push({
      userId: principalId(store, rng),
      userName: 'breakglass-admin',
      displayName: 'Break Glass',
      emails: [],
      created: at(0),
    });
  else if (rng.chance(0.5))
    users.push({
      userId: principalId(store, rng),
      userName: `svc-${rng.pick(['reporting', 'backup', 'ci'])}`,
      displayName: 'Service user',
      emails: [],
      created: at(1),
    });
  return users;
}

function assignmentsOf(app: string, users: readonly SampleUser[], store: string, seed: number) {
  const rng = new Random(seed, 'identity-center-assignments', app);
  const picked = rng.sample(users, Math.min(users.length, rng.int(1, 4)));
  const out: { principalId: string; principalType: 'USER' | 'GROUP' }[] = picked.map((u) => ({
    principalId: u.userId,
    principalType: 'USER' as const,
  }));
  if (rng.chance(0.4)) out.push({ principalId: principalId(store, rng), principalType: 'GROUP' });
  return out;
}

interface LiveInstance {
  arn: string;
  account: SampleAccount;
  region: string;
  name: string | null;
  created: number;
  store: string | null;
  apps: Map<string, SampleApplication>;
}

/**
 * The Identity Center estate of the sample at `to` (see the module comment). A pure function of
 * the options.
 *
 * @example
 * ```ts
 * const idc = identityCenterSampleEstate({ from: new Date('2026-11-01'), to: new Date('2026-11-08') });
 * idc.instances.filter((i) => i.inTrail).length // the trail's instances still alive
 * ```
 */
export function identityCenterSampleEstate(options: IdentityCenterEstateOptions): IdentityCenterSampleEstate {
  const seed = options.seed ?? 1;
  const ctx = createSampleContext({
    out: '',
    from: options.from,
    to: options.to,
    accounts: options.accounts ?? 3,
    seed,
  });
  const { estate } = ctx;
  const from = ctx.options.from;
  const management = estate.accounts.find((a) => a.isManagement) ?? null;
  const storeOf = (arn: string) => `d-${new Random(seed, 'identity-center-store', arn).hex(10)}`;

  // Replay the trail's successful calls: what is alive at `to`.
  const live = new Map<string, LiveInstance>();
  const deleted: string[] = [];
  const created = new Set<string>();
  for (const call of [...ctx.identityCenter].sort((a, b) => a.time - b.time)) {
    if (call.errorCode !== null) continue;
    const account = estate.accounts[call.accountIndex] as SampleAccount;
    if (call.operation === 'CreateInstance' && call.instanceArn) {
      created.add(call.accountId);
      const name = call.requestParameters.name;
      live.set(call.instanceArn, {
        arn: call.instanceArn,
        account,
        region: call.region,
        name: typeof name === 'string' ? name : null,
        created: call.time,
        store: null,
        apps: new Map(),
      });
    } else if (call.operation === 'DeleteInstance' && call.instanceArn) {
      if (live.delete(call.instanceArn)) deleted.push(call.instanceArn);
    } else if (call.operation === 'CreateApplication' && call.instanceArn && call.applicationArn) {
      const instance = live.get(call.instanceArn);
      if (!instance) continue;
      const storeArn = call.responseElements?.identityStoreArn;
      if (typeof storeArn === 'string') instance.store = storeArn.slice(storeArn.lastIndexOf('/') + 1);
      const request = call.requestParameters as {
        name?: string;
        description?: string;
        applicationProviderArn?: string;
        status?: string;
        portalOptions?: { visibility?: string; signInOptions?: { origin?: string } };
      };
      instance.apps.set(call.applicationArn, {
        arn: call.applicationArn,
        name: request.name ?? 'Application',
        providerArn: request.applicationProviderArn ?? 'arn:aws:sso::aws:applicationProvider/custom',
        description: request.description ?? null,
        status: request.status === 'DISABLED' ? 'DISABLED' : 'ENABLED',
        visibility: request.portalOptions?.visibility === 'DISABLED' ? 'DISABLED' : 'ENABLED',
        origin:
          request.portalOptions?.signInOptions?.origin === 'APPLICATION' ? 'APPLICATION' : 'IDENTITY_CENTER',
        created: call.time,
        assignments: [],
      });
    } else if (call.operation === 'DeleteApplication' && call.instanceArn && call.applicationArn) {
      live.get(call.instanceArn)?.apps.delete(call.applicationArn);
    }
  }

  const instances: SampleInstance[] = [];
  const finish = (
    base: Omit<SampleInstance, 'users' | 'applications'>,
    apps: readonly Omit<SampleApplication, 'assignments'>[],
    people: readonly SamplePerson[],
  ) => {
    const users = usersOf(
      base.arn,
      base.identityStoreId,
      base.created,
      people,
      seed,
      base.type === ORGANIZATION_INSTANCE,
    );
    instances.push({
      ...base,
      users,
      applications: apps.map((a) => ({
        ...a,
        assignments: assignmentsOf(a.arn, users, base.identityStoreId, seed),
      })),
    });
  };
  const peopleFor = (arn: string) => {
    const rng = new Random(seed, 'identity-center-people', arn);
    return rng.sample(PEOPLE, rng.int(2, 5));
  };

  // The organization instance, in the management account's home Region.
  if (management) {
    const rng = new Random(seed, 'identity-center-org-instance');
    const createdAt = from - rng.int(300, 700) * DAY;
    const instanceId = management.orgInstanceArn.slice(management.orgInstanceArn.indexOf('/') + 1);
    finish(
      {
        arn: management.orgInstanceArn,
        identityStoreId: management.identityStoreId,
        ownerAccountId: management.id,
        region: management.homeRegion,
        name: null,
        created: createdAt,
        type: ORGANIZATION_INSTANCE,
        inTrail: false,
      },
      ORG_APPLICATIONS.map((a, i) => ({
        arn: `arn:aws:sso::${management.id}:application/${instanceId}/apl-${rng.hex(16)}`,
        name: a.name,
        providerArn: `arn:aws:sso::aws:applicationProvider/${a.provider}`,
        description: `${a.name} for everyone`,
        status: 'ENABLED',
        visibility: 'ENABLED',
        origin: 'IDENTITY_CENTER',
        created: createdAt + (30 + i * 20) * DAY,
      })),
      PEOPLE,
    );
  }

  // The trail's instances still alive.
  for (const l of live.values()) {
    finish(
      {
        arn: l.arn,
        identityStoreId: l.store ?? storeOf(l.arn),
        ownerAccountId: l.account.id,
        region: l.region,
        name: l.name,
        created: l.created,
        type: ACCOUNT_INSTANCE,
        inTrail: true,
      },
      [...l.apps.values()],
      peopleFor(l.arn),
    );
  }

  // Account instances from before the trail.
  const preTrail = (accountId: string, region: string, key: string | number) => {
    const rng = new Random(seed, 'identity-center-pre-trail', key);
    const id = `ssoins-${rng.hex(16)}`;
    const arn = `arn:aws:sso:::instance/${id}`;
    const createdAt = from - rng.int(20, 300) * DAY;
    const apps = rng.chance(0.6)
      ? [
          {
            arn: `arn:aws:sso::${accountId}:application/${id}/apl-${rng.hex(16)}`,
            name: rng.pick(['Data Portal', 'Vendor Portal', 'Q Business assistant']),
            providerArn: 'arn:aws:sso::aws:applicationProvider/custom',
            description: null,
            status: 'ENABLED' as const,
            visibility: 'ENABLED' as const,
            origin: 'APPLICATION' as const,
            created: createdAt + 5 * DAY,
          },
        ]
      : [];
    finish(
      {
        arn,
        identityStoreId: storeOf(arn),
        ownerAccountId: accountId,
        region,
        name: rng.pick(['legacy-sso', 'vendor-access', 'research-idc', 'partner-portal']),
        created: createdAt,
        type: ACCOUNT_INSTANCE,
        inTrail: false,
      },
      apps,
      peopleFor(arn),
    );
  };
  for (const account of estate.accounts) {
    if (account.isManagement || created.has(account.id)) continue;
    preTrail(account.id, account.homeRegion, account.id);
  }
  const orgAccounts: SampleOrgAccount[] = [];
  if (management) {
    const rng = new Random(seed, 'identity-center-org-accounts');
    for (const account of estate.accounts) {
      if (account.organizationId === null) continue;
      orgAccounts.push({
        id: account.id,
        name: account.alias,
        email: `aws+${account.alias}@example.com`,
        joined: from - rng.int(400, 1500) * DAY,
        inTrail: true,
      });
    }
    const taken = new Set(estate.accounts.map((a) => a.id));
    const extra = options.extraAccounts ?? 2;
    for (let i = 0; i < extra; i++) {
      let id = rng.digits(12);
      while (taken.has(id) || id.startsWith('0')) id = rng.digits(12);
      taken.add(id);
      const alias = EXTRA_ALIASES[i % EXTRA_ALIASES.length] as string;
      orgAccounts.push({
        id,
        name: alias,
        email: `aws+${alias}@example.com`,
        joined: from - rng.int(100, 900) * DAY,
        inTrail: false,
      });
      preTrail(id, estate.regions[i % estate.regions.length] ?? management.homeRegion, `extra-${i}`);
    }
  }
  instances.sort((a, b) => (a.arn < b.arn ? -1 : 1));
  return {
    estate,
    managementAccountId: management?.id ?? null,
    organizationId: management ? estate.organizationId : null,
    organizationAccounts: orgAccounts,
    standaloneAccounts: estate.accounts.filter((a) => a.organizationId === null).map((a) => a.id),
    instances,
    deletedInTrail: deleted.sort(),
  };
}
