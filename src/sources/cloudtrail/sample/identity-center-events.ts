/**
 * IAM Identity Center instance and application churn (`sso.amazonaws.com` CreateInstance, DeleteInstance,
 * CreateApplication, DeleteApplication) as CloudTrail records.
 *
 * The calls are planned up front for the whole window, per account, with the account's state tracked:
 * an account has at most one account instance at a time (the sso-admin model: "You can create only one
 * instance per account and across all AWS Regions"; the organization management account cannot create
 * one), deletes and application calls only refer to instances created earlier in the sample, and
 * deleting an instance removes its applications. The plan is small (a few calls per account and day),
 * so tests can compute the expected churn from `identityCenterCalls(...)` and compare it with what a
 * query reads back from the files.
 *
 * Request and response members follow the sso-admin API model (botocore sso-admin 2020-07-20), written
 * the way CloudTrail writes API members: the first letter lower-cased (`Name` → `name`,
 * `Tags[].Key` → `tags[].key`). Error messages are plausible, not copied from AWS.
 */

import { Random } from '../../sample-random.ts';
import type { ActorKind, CloudTrailRecord, Estate, SampleAccount } from './estate.ts';
import { buildRecord, notAuthorizedMessage, openSession } from './estate.ts';

export const IDENTITY_CENTER_OPERATIONS = [
  'CreateInstance',
  'DeleteInstance',
  'CreateApplication',
  'DeleteApplication',
] as const;
export type IdentityCenterOperation = (typeof IDENTITY_CENTER_OPERATIONS)[number];

/** Who makes the call: the Identity Center admin permission set's role, an IAM user, or the root user. */
export type IdentityCenterActor = 'admin-role' | 'iam-user' | 'root';

export interface IdentityCenterCall {
  accountId: string;
  accountIndex: number;
  region: string;
  /** eventTime, epoch ms (whole seconds). */
  time: number;
  operation: IdentityCenterOperation;
  actor: IdentityCenterActor;
  /** null when the call succeeded. */
  errorCode: string | null;
  errorMessage: string | null;
  /** The instance created, deleted or used (null for a CreateInstance that failed). */
  instanceArn: string | null;
  /** The application created or deleted (CreateApplication/DeleteApplication that succeeded). */
  applicationArn: string | null;
  requestParameters: Record<string, unknown>;
  /** null for failed calls and for deletes. */
  responseElements: Record<string, unknown> | null;
  eventID: string;
  requestID: string;
}

export interface IdentityCenterChurn {
  created: number;
  deleted: number;
  failed: number;
}

/** Chance that an account has Identity Center activity in a given hour. */
const EPISODES_PER_HOUR = 0.2;

const INSTANCE_NAMES = [
  'sandbox-idc',
  'team-analytics',
  'vendor-portal',
  'dev-sso',
  'contractors',
  'qa-identity',
];
const APPLICATIONS = [
  { name: 'Grafana', provider: 'custom-saml', url: 'https://grafana.example.com/login/saml' },
  { name: 'Internal Wiki', provider: 'custom-saml', url: 'https://wiki.example.com/saml/acs' },
  { name: 'Data Portal', provider: 'custom', url: 'https://data.example.com/' },
  { name: 'Jenkins', provider: 'custom-saml', url: 'https://ci.example.com/securityRealm/finishLogin' },
  { name: 'Q Business assistant', provider: 'custom', url: 'https://assistant.example.com/' },
];

interface InstanceState {
  arn: string;
  id: string;
  region: string;
  identityStoreId: string;
  applications: string[];
}

function pickActor(rng: Random): IdentityCenterActor {
  return rng.weighted<IdentityCenterActor>([
    { value: 'admin-role', weight: 0.75 },
    { value: 'iam-user', weight: 0.2 },
    { value: 'root', weight: 0.05 },
  ]);
}

function tags(rng: Random): { key: string; value: string }[] | undefined {
  if (!rng.chance(0.5)) return undefined;
  return [
    { key: 'owner', value: rng.pick(['platform', 'security', 'data']) },
    { key: 'cost-center', value: String(rng.int(1000, 9999)) },
  ];
}

/** Plans every Identity Center call of the window; sorted by account, then time. */
export function identityCenterCalls(estate: Estate, window: { from: Date; to: Date }): IdentityCenterCall[] {
  const calls: IdentityCenterCall[] = [];
  const from = window.from.getTime();
  const to = window.to.getTime();
  for (const account of estate.accounts) {
    const rng = new Random(estate.seed, 'identity-center', account.index);
    let instance: InstanceState | null = null;
    const others = estate.regions.filter((r) => r !== account.homeRegion);
    const call = (
      time: number,
      operation: IdentityCenterOperation,
      actor: IdentityCenterActor,
      region: string,
      fields: Partial<IdentityCenterCall> & { requestParameters: Record<string, unknown> },
    ): IdentityCenterCall => {
      const c: IdentityCenterCall = {
        accountId: account.id,
        accountIndex: account.index,
        region,
        time,
        operation,
        actor,
        errorCode: null,
        errorMessage: null,
        instanceArn: null,
        applicationArn: null,
        responseElements: null,
        eventID: rng.uuid(),
        requestID: rng.uuid(),
        ...fields,
      };
      if (c.errorCode === 'AccessDeniedException') {
        // The message names the caller: the same session the record will show.
        const { session } = callSession(estate, c);
        c.errorMessage = notAuthorizedMessage(session, 'sso.amazonaws.com', operation, c.errorMessage ?? '*');
      }
      calls.push(c);
      return c;
    };
    const denied = (resource: string) => ({ errorCode: 'AccessDeniedException', errorMessage: resource });
    const createRequest = () => {
      const name = rng.chance(0.8) ? rng.pick(INSTANCE_NAMES) : undefined;
      const t = tags(rng);
      return {
        ...(name ? { name } : {}),
        clientToken: rng.uuid(),
        ...(t ? { tags: t } : {}),
      };
    };

    for (let hour = Math.floor(from / 3_600_000) * 3_600_000; hour < to; hour += 3_600_000) {
      if (!rng.chance(EPISODES_PER_HOUR)) continue;
      let time = Math.max(hour, from) + rng.int(0, 2400) * 1000;
      if (time >= to) continue;
      const next = () => {
        time += rng.int(20, 240) * 1000;
        return time < Math.min(to, hour + 3_600_000) ? time : null;
      };
      if (!instance) {
        if (account.isManagement) {
          if (rng.chance(0.15)) {
            call(time, 'CreateInstance', 'admin-role', account.homeRegion, {
              requestParameters: createRequest(),
              errorCode: 'ValidationException',
              errorMessage:
                'The organization management account cannot create an account instance of IAM Identity Center.',
            });
          }
          continue;
        }
        const region = others.length > 0 && rng.chance(0.15) ? rng.pick(others) : account.homeRegion;
        let t: number | null = time;
        if (rng.chance(0.2)) {
          call(time, 'CreateInstance', 'iam-user', region, {
            requestParameters: createRequest(),
            ...denied('arn:aws:sso:::instance/*'),
          });
          t = next();
        }
        if (t === null) continue;
        const id = `ssoins-${rng.hex(16)}`;
        const arn = `arn:aws:sso:::instance/${id}`;
        instance = { arn, id, region, identityStoreId: `d-${rng.hex(10)}`, applications: [] };
        call(t, 'CreateInstance', pickActor(rng), region, {
          requestParameters: createRequest(),
          responseElements: { instanceArn: arn },
          instanceArn: arn,
        });
        continue;
      }
      const current: InstanceState = instance;
      const action = rng.weighted([
        { value: 'create-app', weight: current.applications.length < 3 ? 0.4 : 0 },
        { value: 'delete-app', weight: current.applications.length > 0 ? 0.2 : 0 },
        { value: 'delete-instance', weight: 0.3 },
        { value: 'conflict', weight: 0.12 },
      ]);
      if (action === 'conflict') {
        const region = rng.chance(0.5) && others.length > 0 ? rng.pick(others) : current.region;
        call(time, 'CreateInstance', pickActor(rng), region, {
          requestParameters: createRequest(),
          errorCode: 'ConflictException',
          errorMessage: `An instance of IAM Identity Center already exists in this account (${current.arn} in ${current.region}). You can create only one instance per account.`,
        });
      } else if (action === 'create-app') {
        const app = rng.pick(APPLICATIONS);
        const provider = `arn:aws:sso::aws:applicationProvider/${app.provider}`;
        const request: Record<string, unknown> = {
          instanceArn: current.arn,
          applicationProviderArn: provider,
          name: app.name,
          ...(rng.chance(0.6) ? { description: `${app.name} for ${account.alias}` } : {}),
          ...(rng.chance(0.7)
            ? {
                portalOptions: {
                  signInOptions:
                    app.provider === 'custom'
                      ? { origin: 'APPLICATION', applicationUrl: app.url }
                      : { origin: 'IDENTITY_CENTER' },
                  visibility: rng.chance(0.8) ? 'ENABLED' : 'DISABLED',
                },
              }
            : {}),
          ...(rng.chance(0.5) ? { status: 'ENABLED' } : {}),
          clientToken: rng.uuid(),
        };
        if (rng.chance(0.1)) {
          call(time, 'CreateApplication', 'admin-role', current.region, {
            requestParameters: request,
            instanceArn: current.arn,
            errorCode: 'ConflictException',
            errorMessage: `An application named ${app.name} already exists in this instance.`,
          });
        } else {
          const appArn = `arn:aws:sso::${account.id}:application/${current.id}/apl-${rng.hex(16)}`;
          current.applications.push(appArn);
          call(time, 'CreateApplication', 'admin-role', current.region, {
            requestParameters: request,
            responseElements: {
              applicationArn: appArn,
              instanceArn: current.arn,
              identityStoreArn: `arn:aws:identitystore::${account.id}:identitystore/${current.identityStoreId}`,
            },
            instanceArn: current.arn,
            applicationArn: appArn,
          });
        }
      } else if (action === 'delete-app') {
        const index = rng.int(0, current.applications.length - 1);
        const appArn = current.applications[index] as string;
        current.applications.splice(index, 1);
        call(time, 'DeleteApplication', 'admin-role', current.region, {
          requestParameters: { applicationArn: appArn },
          instanceArn: current.arn,
          applicationArn: appArn,
        });
      } else {
        let t: number | null = time;
        // Admins often remove the applications before the instance.
        for (const appArn of [...current.applications]) {
          if (t === null || !rng.chance(0.6)) continue;
          call(t, 'DeleteApplication', 'admin-role', current.region, {
            requestParameters: { applicationArn: appArn },
            instanceArn: current.arn,
            applicationArn: appArn,
          });
          current.applications.splice(current.applications.indexOf(appArn), 1);
          t = next();
        }
        if (t !== null && rng.chance(0.12)) {
          call(t, 'DeleteInstance', 'iam-user', current.region, {
            requestParameters: { instanceArn: current.arn },
            instanceArn: current.arn,
            ...denied(current.arn),
          });
          t = rng.chance(0.5) ? next() : null;
        }
        if (t === null) continue;
        call(t, 'DeleteInstance', pickActor(rng), current.region, {
          requestParameters: { instanceArn: current.arn },
          instanceArn: current.arn,
        });
        instance = null;
      }
    }
  }
  return calls;
}

/** Successful creates, successful deletes and failed calls of a plan. */
export function identityCenterChurn(calls: readonly IdentityCenterCall[]): IdentityCenterChurn {
  let created = 0;
  let deleted = 0;
  let failed = 0;
  for (const c of calls) {
    if (c.errorCode !== null) failed++;
    else if (c.operation === 'CreateInstance') created++;
    else if (c.operation === 'DeleteInstance') deleted++;
  }
  return { created, deleted, failed };
}

const ACTOR_KIND: Record<IdentityCenterActor, ActorKind> = {
  'admin-role': 'sso-admin',
  'iam-user': 'iam-user',
  root: 'root',
};

function callSession(estate: Estate, call: IdentityCenterCall) {
  const account = estate.accounts[call.accountIndex] as SampleAccount;
  const rng = new Random(estate.seed, 'identity-center-record', call.eventID);
  const session = openSession(ACTOR_KIND[call.actor], { rng, account, region: call.region, time: call.time });
  return { account, rng, session };
}

/** The CloudTrail record of a planned call (deterministic: seeded by the call's event id). */
export function identityCenterRecord(estate: Estate, call: IdentityCenterCall): CloudTrailRecord {
  const { account, rng, session } = callSession(estate, call);
  return buildRecord(
    { rng, account, region: call.region, session, time: call.time },
    {
      eventSource: 'sso.amazonaws.com',
      eventName: call.operation,
      readOnly: false,
      requestParameters: call.requestParameters,
      responseElements: call.responseElements,
      errorCode: call.errorCode ?? undefined,
      errorMessage: call.errorMessage ?? undefined,
      requestID: call.requestID,
      eventID: call.eventID,
      cliCommand: `sso-admin.${call.operation.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`,
    },
  );
}
