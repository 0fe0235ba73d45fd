import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IDENTITY_CENTER_OPERATIONS,
  identityCenterChurn,
} from '../../../src/sources/cloudtrail/sample/identity-center-events.ts';
import {
  CLOUDTRAIL_KEY_PATTERN,
  type CloudTrailSampleSummary,
  createSampleContext,
  generateHourRecords,
  resolveSampleOptions,
  writeCloudTrailSample,
} from '../../../src/sources/cloudtrail/sample.ts';
import { Random } from '../../../src/sources/sample-random.ts';
import { validateRequest } from '../../support/aws-model-validator.ts';
import { AWS_MODELS_URL } from '../../support/fixture-dirs.ts';

type Json = Record<string, unknown>;

interface LogFile {
  key: string;
  bytes: Buffer;
  match: RegExpExecArray;
  /** File timestamp, epoch ms. */
  time: number;
  records: Json[];
}

const FROM = new Date('2024-06-01T00:00:00Z');
const TO = new Date('2024-06-02T00:00:00Z');
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lakeq-ct-sample-'));
  dirs.push(dir);
  return dir;
}

async function readSample(out: string): Promise<LogFile[]> {
  const entries = await readdir(out, { recursive: true, withFileTypes: true });
  const files: LogFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const key = path.relative(out, full).split(path.sep).join('/');
    const bytes = await readFile(full);
    const match = CLOUDTRAIL_KEY_PATTERN.exec(key);
    if (!match) throw new Error(`not a CloudTrail key: ${key}`);
    const [, , , , , , , ymd, hm] = match as unknown as string[];
    const time = Date.parse(
      `${ymd?.slice(0, 4)}-${ymd?.slice(4, 6)}-${ymd?.slice(6, 8)}T${hm?.slice(0, 2)}:${hm?.slice(2, 4)}:00Z`,
    );
    const parsed = JSON.parse(gunzipSync(bytes).toString('utf8')) as { Records: Json[] };
    files.push({ key, bytes, match, time, records: parsed.Records });
  }
  return files.sort((a, b) => a.key.localeCompare(b.key));
}

const eventMs = (r: Json) => Date.parse(r.eventTime as string);
const identityType = (r: Json) => (r.userIdentity as Json).type as string | undefined;

// sso-admin API model: CloudTrail writes members with a lower-case first letter; the API wants the
// model's member names. Converted shape by shape, so map keys would stay as they are.
const ssoModel = JSON.parse(readFileSync(new URL('sso-admin.service-2.json', AWS_MODELS_URL), 'utf8')) as {
  operations: Record<string, { input: { shape: string } }>;
  shapes: Record<
    string,
    {
      type: string;
      members?: Record<string, { shape: string }>;
      member?: { shape: string };
      value?: { shape: string };
      pattern?: string;
    }
  >;
};

function toApiShape(value: unknown, shapeName: string): unknown {
  const shape = ssoModel.shapes[shapeName];
  if (!shape || value === null || typeof value !== 'object') return value;
  if (shape.type === 'list' && Array.isArray(value) && shape.member) {
    const member = shape.member.shape;
    return value.map((v) => toApiShape(v, member));
  }
  if (shape.type === 'map' && shape.value) {
    const valueShape = shape.value.shape;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toApiShape(v, valueShape)]));
  }
  if (shape.type === 'structure') {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      const name = k.charAt(0).toUpperCase() + k.slice(1);
      const member = shape.members?.[name];
      out[name] = member ? toApiShape(v, member.shape) : v;
    }
    return out;
  }
  return value;
}

function modelPattern(shape: string): RegExp {
  const pattern = ssoModel.shapes[shape]?.pattern;
  if (!pattern) throw new Error(`no pattern for ${shape}`);
  return new RegExp(`^(?:${pattern})$`);
}

describe('Random', () => {
  it('is deterministic per seed path and differs across seeds', () => {
    const a = new Random(7, 'x', 1);
    const b = new Random(7, 'x', 1);
    const c = new Random(7, 'x', 2);
    const seqA = Array.from({ length: 20 }, () => a.uint32());
    expect(Array.from({ length: 20 }, () => b.uint32())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.uint32())).not.toEqual(seqA);
  });

  it('produces values in range and well-formed ids', () => {
    const rng = new Random(1);
    for (let i = 0; i < 2000; i++) {
      const n = rng.int(3, 7);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(7);
      const f = rng.next();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
    }
    expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(rng.hex(16)).toMatch(/^[0-9a-f]{16}$/);
    expect(rng.hex(5)).toMatch(/^[0-9a-f]{5}$/);
    expect(rng.alnum(16)).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(rng.ipv4()).toMatch(/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/);
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 4000; i++) {
      counts[
        rng.weighted<'a' | 'b'>([
          { value: 'a', weight: 3 },
          { value: 'b', weight: 1 },
        ])
      ]++;
    }
    expect(counts.a / 4000).toBeGreaterThan(0.7);
    expect(counts.a / 4000).toBeLessThan(0.8);
  });
});

describe('options', () => {
  it('rounds the window to whole UTC hours and validates', () => {
    const r = resolveSampleOptions({
      out: 'sample-x',
      from: new Date('2024-06-01T00:30:00Z'),
      to: new Date('2024-06-01T02:10:00Z'),
    });
    expect(new Date(r.from).toISOString()).toBe('2024-06-01T00:00:00.000Z');
    expect(new Date(r.to).toISOString()).toBe('2024-06-01T03:00:00.000Z');
    expect(r.layout).toBe('mixed');
    expect(r.accounts).toBe(3);
    expect(r.eventsPerHour).toBe(40);
    expect(r.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(() => resolveSampleOptions({ out: 'sample-x', from: TO, to: FROM })).toThrow(RangeError);
    expect(() =>
      resolveSampleOptions({ out: 'sample-x', from: FROM, to: TO, organizationId: 'org-1' }),
    ).toThrow(/organizationId/);
    expect(
      resolveSampleOptions({ out: 'sample-x', from: FROM, to: TO, organizationId: 'o-abcdef1234' }).layout,
    ).toBe('organization');
  });
});

describe('generateHourRecords', () => {
  it('is pure, sorted and stays inside its hour', () => {
    const ctx = createSampleContext({ out: 'sample-x', from: FROM, to: TO, eventsPerHour: 120 });
    const hour = new Date('2024-06-01T13:00:00Z');
    const a = generateHourRecords(ctx, 1, 'us-east-1', hour);
    const b = generateHourRecords(
      createSampleContext({ out: 'sample-y', from: FROM, to: TO, eventsPerHour: 120 }),
      1,
      'us-east-1',
      hour,
    );
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(a.length).toBeGreaterThan(60);
    for (let i = 0; i < a.length; i++) {
      const r = a[i];
      expect(r?.time).toBeGreaterThanOrEqual(hour.getTime());
      expect(r?.time).toBeLessThan(hour.getTime() + 3_600_000);
      expect(eventMs(r?.record as Json)).toBe(r?.time);
      if (i > 0) expect(r?.time).toBeGreaterThanOrEqual(a[i - 1]?.time as number);
    }
  });

  it('follows office hours: more events, and more of them by people, at 14:00 than at 03:00 UTC', () => {
    const ctx = createSampleContext({ out: 'sample-x', from: FROM, to: TO, eventsPerHour: 400 });
    const isHuman = (r: Json) => {
      const id = r.userIdentity as Json;
      if (['IAMUser', 'Root', 'IdentityCenterUser', 'SAMLUser', 'Unknown'].includes(String(id.type)))
        return true;
      return id.type === 'AssumedRole' && String(id.arn).includes('AWSReservedSSO_') && !id.invokedBy;
    };
    const hour = (h: string) => {
      const records = generateHourRecords(ctx, 0, 'us-east-1', new Date(`2024-06-01T${h}:00:00Z`));
      return { total: records.length, humans: records.filter((r) => isHuman(r.record)).length };
    };
    const day = hour('14');
    const night = hour('03');
    expect(day.total).toBeGreaterThan(night.total);
    expect(day.humans / day.total).toBeGreaterThan(night.humans / night.total);
  });
});

describe('writeCloudTrailSample (defaults, 24 h)', () => {
  let out: string;
  let summary: CloudTrailSampleSummary;
  let files: LogFile[];
  let records: { file: LogFile; record: Json }[];

  beforeAll(async () => {
    out = await tempDir();
    summary = await writeCloudTrailSample({ out, from: FROM, to: TO });
    files = await readSample(out);
    records = files.flatMap((file) => file.records.map((record) => ({ file, record })));
  });

  it('summary counts match what is on disk', () => {
    expect(summary.files).toBe(files.length);
    expect(summary.events).toBe(records.length);
    expect(summary.accounts).toHaveLength(3);
    expect(new Set(records.map((r) => r.record.recipientAccountId))).toEqual(new Set(summary.accounts));
    expect(summary.from).toBe(FROM.toISOString());
    expect(summary.to).toBe(TO.toISOString());
    const ic = records
      .map((r) => r.record)
      .filter(
        (r) =>
          r.eventSource === 'sso.amazonaws.com' &&
          (IDENTITY_CENTER_OPERATIONS as readonly string[]).includes(r.eventName as string),
      );
    expect({
      created: ic.filter((r) => r.eventName === 'CreateInstance' && !('errorCode' in r)).length,
      deleted: ic.filter((r) => r.eventName === 'DeleteInstance' && !('errorCode' in r)).length,
      failed: ic.filter((r) => 'errorCode' in r).length,
    }).toEqual(summary.identityCenter);
    expect(summary.identityCenter.created).toBeGreaterThan(0);
    expect(summary.identityCenter.deleted).toBeGreaterThan(0);
    expect(summary.identityCenter.failed).toBeGreaterThan(0);
  });

  it('writes exactly the planned Identity Center calls (createSampleContext exposes the plan)', () => {
    const plan = createSampleContext({ out, from: FROM, to: TO }).identityCenter;
    const written = records
      .map((r) => r.record)
      .filter(
        (r) =>
          r.eventSource === 'sso.amazonaws.com' &&
          (IDENTITY_CENTER_OPERATIONS as readonly string[]).includes(r.eventName as string),
      );
    expect(new Set(written.map((r) => r.eventID))).toEqual(new Set(plan.map((c) => c.eventID)));
    expect(identityCenterChurn(plan)).toEqual(summary.identityCenter);
    for (const call of plan) {
      const r = written.find((w) => w.eventID === call.eventID) as Json;
      expect(r.eventName).toBe(call.operation);
      expect(r.recipientAccountId).toBe(call.accountId);
      expect(r.awsRegion).toBe(call.region);
      expect(eventMs(r)).toBe(call.time);
      expect(r.errorCode ?? null).toBe(call.errorCode);
      expect(r.requestParameters).toEqual(call.requestParameters);
    }
  });

  it('has a few thousand events in several files per hour, account and region', () => {
    expect(records.length).toBeGreaterThan(3000);
    expect(records.length).toBeLessThan(10000);
    const perHour = new Map<string, number>();
    for (const f of files) {
      const key = `${f.match[2]}|${f.match[3]}|${f.match[7]}T${f.match[8]?.slice(0, 2)}`;
      perHour.set(key, (perHour.get(key) ?? 0) + 1);
    }
    const counts = [...perHour.values()];
    expect(counts.reduce((a, b) => a + b, 0) / counts.length).toBeGreaterThan(4);
    expect(new Set(files.map((f) => f.match[8]?.slice(2))).size).toBeGreaterThan(3);
  });

  it('lays files out like CloudTrail delivery, standalone and organization trails', () => {
    const orgIds = new Set(files.map((f) => f.match[1]));
    expect(orgIds.has(undefined)).toBe(true);
    const org = [...orgIds].filter((o) => o !== undefined);
    expect(org).toHaveLength(1);
    expect(org[0]).toMatch(/^o-[a-z0-9]{10}$/);
    const standaloneAccounts = new Set(files.filter((f) => !f.match[1]).map((f) => f.match[2]));
    const orgAccounts = new Set(files.filter((f) => f.match[1]).map((f) => f.match[2]));
    expect(standaloneAccounts).toEqual(new Set([summary.accounts[0]]));
    expect(orgAccounts).toEqual(new Set(summary.accounts.slice(1)));
    const mismatches: string[] = [];
    for (const f of files) {
      const [, , account, region, yyyy, mm, dd, ymd] = f.match;
      if (ymd !== `${yyyy}${mm}${dd}`) mismatches.push(`date folder vs name: ${f.key}`);
      if (region !== 'us-east-1' && region !== 'eu-west-1') mismatches.push(`region: ${f.key}`);
      for (const r of f.records) {
        if (r.recipientAccountId !== account || r.awsRegion !== region)
          mismatches.push(`${f.key}: ${r.eventID}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('writes each file as gzip of one {"Records":[...]} object', () => {
    for (const f of files) {
      expect(f.bytes[0]).toBe(0x1f);
      expect(f.bytes[1]).toBe(0x8b);
      const parsed = JSON.parse(gunzipSync(f.bytes).toString('utf8')) as Json;
      expect(Object.keys(parsed)).toEqual(['Records']);
      expect(Array.isArray(parsed.Records)).toBe(true);
      expect((parsed.Records as unknown[]).length).toBeGreaterThan(0);
    }
  });

  it('keeps eventTimes in [from, to) and records near their file timestamp, with some late deliveries', () => {
    let near = 0;
    let late = 0;
    let laterHour = 0;
    const outside: string[] = [];
    for (const { file, record } of records) {
      const t = eventMs(record);
      if (
        !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(String(record.eventTime)) ||
        t < FROM.getTime() ||
        t >= TO.getTime() ||
        t > file.time ||
        file.time - t >= 2 * 3_600_000
      ) {
        outside.push(`${record.eventTime} in ${file.key}`);
      }
      if (file.time - t <= 10 * 60_000) near++;
      if (file.time - t > 15 * 60_000) late++;
      if (Math.floor(file.time / 3_600_000) > Math.floor(t / 3_600_000)) laterHour++;
    }
    expect(outside).toEqual([]);
    expect(near / records.length).toBeGreaterThan(0.95);
    expect(late).toBeGreaterThan(0);
    expect(late / records.length).toBeLessThan(0.03);
    expect(laterHour).toBeGreaterThan(late);
  });

  it('gives every event a unique eventID', () => {
    const ids = records.map((r) => r.record.eventID as string);
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    expect(ids.filter((id) => !uuid.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is diverse: identity types, services, event types, versions', () => {
    const all = records.map((r) => r.record);
    const types = new Set(all.map(identityType));
    for (const t of [
      'IAMUser',
      'AssumedRole',
      'Root',
      'AWSService',
      'IdentityCenterUser',
      'FederatedUser',
      'SAMLUser',
      'WebIdentityUser',
      'AWSAccount',
      'Unknown',
    ]) {
      expect(types).toContain(t);
    }
    const sources = new Set(all.map((r) => r.eventSource as string));
    expect(sources.size).toBeGreaterThanOrEqual(15);
    for (const s of [
      's3',
      'ec2',
      'iam',
      'sts',
      'kms',
      'lambda',
      'glue',
      'athena',
      'cloudtrail',
      'signin',
      'sso',
      'identitystore',
      'organizations',
      'logs',
    ]) {
      expect(sources).toContain(`${s}.amazonaws.com`);
    }
    expect(new Set(all.map((r) => r.eventType))).toEqual(
      new Set(['AwsApiCall', 'AwsServiceEvent', 'AwsConsoleSignIn']),
    );
    for (const v of new Set(all.map((r) => r.eventVersion)))
      expect(['1.08', '1.09', '1.10', '1.11']).toContain(v);
    expect(new Set(all.map((r) => r.eventName)).size).toBeGreaterThan(80);
    // Global services are logged in us-east-1 only.
    for (const r of all) {
      if (r.eventSource === 'iam.amazonaws.com' || r.eventSource === 'organizations.amazonaws.com') {
        expect(r.awsRegion).toBe('us-east-1');
      }
    }
  });

  it('writes realistic record shapes', () => {
    // Checks are collected and asserted once: thousands of expect() calls would dominate the run time.
    const problems: string[] = [];
    const check = (ok: boolean, what: string, r: Json) => {
      if (!ok && problems.length < 20) problems.push(`${what}: ${JSON.stringify(r).slice(0, 300)}`);
    };
    const REQUIRED = [
      'eventVersion',
      'userIdentity',
      'eventTime',
      'eventSource',
      'eventName',
      'awsRegion',
      'sourceIPAddress',
      'userAgent',
      'requestParameters',
      'responseElements',
      'eventID',
      'eventType',
      'recipientAccountId',
    ];
    let tls = 0;
    let console = 0;
    let resources = 0;
    let serviceIp = 0;
    let vpce = 0;
    for (const { record: r } of records) {
      for (const field of REQUIRED) check(field in r, `missing ${field}`, r);
      check(typeof r.readOnly === 'boolean', 'readOnly', r);
      check(r.managementEvent === true, 'managementEvent', r);
      check(r.eventCategory === 'Management', 'eventCategory', r);
      const id = r.userIdentity as Json;
      if (id.type === 'AssumedRole') {
        const issuer = (id.sessionContext as Json | undefined)?.sessionIssuer as Json | undefined;
        check(issuer?.type === 'Role' && String(issuer.arn).includes(':role/'), 'sessionIssuer', r);
        check(/^arn:aws:sts::\d{12}:assumed-role\/[^/]+\/.+$/.test(String(id.arn)), 'assumed-role arn', r);
        check(/^AROA[A-Z0-9]{17}:/.test(String(id.principalId)), 'assumed-role principalId', r);
      }
      if (id.type === 'AWSService') check(/\.amazonaws\.com$/.test(String(id.invokedBy)), 'invokedBy', r);
      if (id.type === 'IdentityCenterUser') {
        const store = String((id.onBehalfOf as Json | undefined)?.identityStoreArn);
        check(/^arn:aws:identitystore::\d{12}:identitystore\/d-[0-9a-f]{10}$/.test(store), 'onBehalfOf', r);
        check(typeof id.credentialId === 'string', 'credentialId', r);
      }
      if (id.type === 'IAMUser') check(/^arn:aws:iam::\d{12}:user\//.test(String(id.arn)), 'user arn', r);
      if (id.type === 'Root') check(/^arn:aws:iam::\d{12}:root$/.test(String(id.arn)), 'root arn', r);
      if ('errorCode' in r) {
        check(typeof r.errorMessage === 'string', 'errorMessage', r);
        check(r.responseElements === null, 'responseElements of a failed call', r);
      }
      if (r.tlsDetails) {
        tls++;
        const host = String((r.tlsDetails as Json).clientProvidedHostHeader);
        check(/amazon(aws)?\.com$/.test(host), 'tls host', r);
      }
      if (r.sessionCredentialFromConsole === 'true') console++;
      if (Array.isArray(r.resources)) resources++;
      if (/\.amazonaws\.com$/.test(r.sourceIPAddress as string)) serviceIp++;
      if (r.vpcEndpointId !== undefined) {
        vpce++;
        check(/^vpce-0[0-9a-f]{16}$/.test(String(r.vpcEndpointId)), 'vpcEndpointId', r);
        check(/^10\./.test(String(r.sourceIPAddress)), 'private source address behind a VPC endpoint', r);
      }
    }
    expect(problems).toEqual([]);
    expect(vpce).toBeGreaterThan(0);
    expect(tls / records.length).toBeGreaterThan(0.3);
    expect(console).toBeGreaterThan(0);
    expect(resources).toBeGreaterThan(0);
    expect(serviceIp).toBeGreaterThan(0);
    expect(new Set(records.map((r) => r.record.sourceIPAddress))).toContain('athena.amazonaws.com');
  });

  it('has a realistic share of errors', () => {
    const errors = records.filter((r) => 'errorCode' in r.record);
    const share = errors.length / records.length;
    expect(share).toBeGreaterThan(0.02);
    expect(share).toBeLessThan(0.2);
    const codes = new Set(errors.map((r) => r.record.errorCode));
    for (const c of [
      'AccessDenied',
      'AccessDeniedException',
      'ThrottlingException',
      'ResourceNotFoundException',
    ]) {
      expect(codes).toContain(c);
    }
    const consoleFailures = records.filter(
      (r) =>
        r.record.eventName === 'ConsoleLogin' &&
        (r.record.responseElements as Json).ConsoleLogin === 'Failure',
    );
    for (const f of consoleFailures) expect(f.record.errorMessage).toBe('Failed authentication');
  });

  it('writes Identity Center calls the sso-admin model accepts', () => {
    const ic = records
      .map((r) => r.record)
      .filter(
        (r) =>
          r.eventSource === 'sso.amazonaws.com' &&
          (IDENTITY_CENTER_OPERATIONS as readonly string[]).includes(r.eventName as string),
      );
    expect(new Set(ic.map((r) => r.eventName))).toEqual(new Set(IDENTITY_CENTER_OPERATIONS));
    const instanceArn = modelPattern('InstanceArn');
    const applicationArn = modelPattern('ApplicationArn');
    const providerArn = modelPattern('ApplicationProviderArn');
    for (const r of ic) {
      const op = r.eventName as string;
      const input = toApiShape(r.requestParameters, ssoModel.operations[op]?.input.shape as string);
      expect(validateRequest('sso-admin', op, input), `${op} ${JSON.stringify(r.requestParameters)}`).toEqual(
        [],
      );
      expect(r.readOnly).toBe(false);
      const req = r.requestParameters as Json;
      const res = r.responseElements as Json | null;
      if ('errorCode' in r) {
        expect(res).toBeNull();
        continue;
      }
      if (op === 'CreateInstance') expect(res?.instanceArn).toMatch(instanceArn);
      if (op === 'DeleteInstance') {
        expect(req.instanceArn).toMatch(instanceArn);
        expect(res).toBeNull();
      }
      if (op === 'CreateApplication') {
        expect(req.instanceArn).toMatch(instanceArn);
        expect(req.applicationProviderArn).toMatch(providerArn);
        expect(res?.applicationArn).toMatch(applicationArn);
      }
      if (op === 'DeleteApplication') {
        expect(req.applicationArn).toMatch(applicationArn);
        expect(res).toBeNull();
      }
    }
    const failures = ic.filter((r) => 'errorCode' in r);
    for (const code of new Set(failures.map((r) => r.errorCode))) {
      expect(['ConflictException', 'ValidationException', 'AccessDeniedException']).toContain(code);
    }
    const actors = new Set(ic.map((r) => identityType(r)));
    expect(actors).toContain('AssumedRole');
    expect(actors).toContain('IAMUser');
    for (const r of ic.filter((x) => identityType(x) === 'AssumedRole')) {
      expect((r.userIdentity as Json).arn).toMatch(
        /assumed-role\/AWSReservedSSO_AdministratorAccess_[0-9a-f]{16}\//,
      );
    }
  });

  it('deletes only instances and applications created before, one instance per account at a time', () => {
    const ic = records
      .map((r) => r.record)
      .filter(
        (r) =>
          r.eventSource === 'sso.amazonaws.com' &&
          (IDENTITY_CENTER_OPERATIONS as readonly string[]).includes(r.eventName as string) &&
          !('errorCode' in r),
      )
      .sort((a, b) => eventMs(a) - eventMs(b));
    const active = new Map<string, string>();
    const apps = new Map<string, Set<string>>();
    const net = new Map<string, number>();
    for (const r of ic) {
      const account = r.recipientAccountId as string;
      const req = r.requestParameters as Json;
      const res = r.responseElements as Json | null;
      switch (r.eventName) {
        case 'CreateInstance':
          expect(active.has(account)).toBe(false);
          active.set(account, res?.instanceArn as string);
          apps.set(res?.instanceArn as string, new Set());
          net.set(account, (net.get(account) ?? 0) + 1);
          break;
        case 'DeleteInstance':
          expect(active.get(account)).toBe(req.instanceArn);
          active.delete(account);
          net.set(account, (net.get(account) ?? 0) - 1);
          break;
        case 'CreateApplication':
          expect(active.get(account)).toBe(req.instanceArn);
          apps.get(req.instanceArn as string)?.add(res?.applicationArn as string);
          expect(res?.applicationArn).toContain(
            `:${account}:application/${String(req.instanceArn).split('/')[1]}/`,
          );
          break;
        case 'DeleteApplication': {
          const instance = active.get(account) as string;
          expect(apps.get(instance)?.has(req.applicationArn as string)).toBe(true);
          apps.get(instance)?.delete(req.applicationArn as string);
          break;
        }
      }
    }
    for (const n of net.values()) expect([0, 1]).toContain(n);
  });
});

describe('writeCloudTrailSample (determinism and layouts)', () => {
  const small = { from: FROM, to: new Date('2024-06-01T06:00:00Z'), accounts: 2, eventsPerHour: 60 };

  it('writes byte-identical files for the same options and seed, whatever the concurrency', async () => {
    const a = await tempDir();
    const b = await tempDir();
    const sa = await writeCloudTrailSample({ ...small, out: a, seed: 42 });
    const sb = await writeCloudTrailSample({ ...small, out: b, seed: 42, concurrency: 1 });
    expect(sb).toEqual(sa);
    const fa = await readSample(a);
    const fb = await readSample(b);
    expect(fb.map((f) => f.key)).toEqual(fa.map((f) => f.key));
    for (let i = 0; i < fa.length; i++) expect(fb[i]?.bytes.equals(fa[i]?.bytes as Buffer)).toBe(true);
  });

  it('writes different content for a different seed', async () => {
    const a = await tempDir();
    const b = await tempDir();
    await writeCloudTrailSample({ ...small, out: a, seed: 1 });
    await writeCloudTrailSample({ ...small, out: b, seed: 2 });
    const fa = await readSample(a);
    const fb = await readSample(b);
    const keysA = new Set(fa.map((f) => f.key));
    expect(fb.some((f) => !keysA.has(f.key))).toBe(true);
    const idsA = new Set(fa.flatMap((f) => f.records.map((r) => r.eventID)));
    expect(fb.flatMap((f) => f.records).filter((r) => idsA.has(r.eventID))).toHaveLength(0);
  });

  it('puts every account under the organization prefix for layout organization / an explicit organizationId', async () => {
    const a = await tempDir();
    await writeCloudTrailSample({ ...small, out: a, organizationId: 'o-exampleorg1' });
    const files = await readSample(a);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(f.match[1]).toBe('o-exampleorg1');
    const b = await tempDir();
    await writeCloudTrailSample({ ...small, out: b, layout: 'standalone' });
    for (const f of await readSample(b)) expect(f.match[1]).toBeUndefined();
  });

  it('writes nothing but Identity Center churn when eventsPerHour is 0', async () => {
    const a = await tempDir();
    const summary = await writeCloudTrailSample({
      out: a,
      from: FROM,
      to: TO,
      accounts: 4,
      eventsPerHour: 0,
      seed: 3,
    });
    const files = await readSample(a);
    const all = files.flatMap((f) => f.records);
    expect(summary.events).toBe(all.length);
    expect(all.length).toBeGreaterThan(0);
    for (const r of all) {
      expect(r.eventSource).toBe('sso.amazonaws.com');
      expect(IDENTITY_CENTER_OPERATIONS).toContain(r.eventName);
    }
    expect(summary.identityCenter.created).toBe(
      all.filter((r) => r.eventName === 'CreateInstance' && !('errorCode' in r)).length,
    );
  });
});
