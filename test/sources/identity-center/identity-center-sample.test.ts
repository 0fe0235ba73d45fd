import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSampleContext } from '../../../src/sources/cloudtrail/sample.ts';
import { openCapturedIdentityCenterApi } from '../../../src/sources/identity-center/collect/captured-api.ts';
import { collectIdentityCenter } from '../../../src/sources/identity-center/collect.ts';
import { identityCenterSampleEstate } from '../../../src/sources/identity-center/sample/estate.ts';
import { writeIdentityCenterSample } from '../../../src/sources/identity-center/sample.ts';
import { expectValidRequest } from '../../support/aws-model-validator.ts';

const WINDOW = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-15T00:00:00Z') };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-idc-sample-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ndjson = async (file: string) =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** The CloudTrail sample's own answer: instances its successful calls created, and those they deleted. */
function trailChurn(options: { accounts?: number; seed?: number }) {
  const { identityCenter } = createSampleContext({ out: '', ...WINDOW, ...options });
  const ok = identityCenter.filter((c) => c.errorCode === null);
  const created = ok.filter((c) => c.operation === 'CreateInstance').map((c) => c.instanceArn as string);
  const deleted = new Set(
    ok.filter((c) => c.operation === 'DeleteInstance').map((c) => c.instanceArn as string),
  );
  return { created, deleted, alive: created.filter((a) => !deleted.has(a)) };
}

describe('lakeq sample identity-center', () => {
  it('is consistent with the CloudTrail sample: what the trail created and did not delete exists, and more from before it', async () => {
    for (const options of [{ seed: 1 }, { seed: 7, accounts: 5 }]) {
      const churn = trailChurn(options);
      const idc = identityCenterSampleEstate({ ...WINDOW, ...options });
      const arns = idc.instances.map((i) => i.arn);
      expect(churn.created.length).toBeGreaterThan(0);
      for (const arn of churn.alive) expect(arns).toContain(arn);
      for (const arn of churn.deleted) expect(arns).not.toContain(arn);
      expect(idc.deletedInTrail).toEqual([...churn.deleted].sort());
      const before = idc.instances.filter((i) => !i.inTrail);
      expect(before.filter((i) => i.type === 'ORGANIZATION')).toHaveLength(1);
      expect(before.filter((i) => i.type === 'ACCOUNT').length).toBeGreaterThanOrEqual(2);
      for (const i of before) expect(i.created).toBeLessThan(WINDOW.from.getTime());
      // One instance per account at most (sso-admin: one instance per account, across Regions).
      const owners = idc.instances.map((i) => i.ownerAccountId);
      expect(new Set(owners).size).toBe(owners.length);
    }
  });

  it('writes captured responses the collector reads back: every instance, users in two or three instances, valid model shapes', async () => {
    const out = path.join(dir, 'api');
    const summary = await writeIdentityCenterSample({ out, ...WINDOW, seed: 1 });
    const again = path.join(dir, 'api-again');
    expect(await writeIdentityCenterSample({ out: again, ...WINDOW, seed: 1 })).toEqual(summary);
    const names = (await readdir(out, { recursive: true })).sort();
    expect((await readdir(again, { recursive: true })).sort()).toEqual(names);
    for (const name of names.filter((n) => n.endsWith('.json')))
      expect(await readFile(path.join(again, name), 'utf8')).toBe(
        await readFile(path.join(out, name), 'utf8'),
      );

    const idc = identityCenterSampleEstate({ ...WINDOW, seed: 1 });
    expect(summary.instances).toBe(idc.instances.length);
    expect(summary.organizationInstances).toBe(1);

    const api = await openCapturedIdentityCenterApi(out);
    expect(api.warnings).toEqual([]);
    const root = path.join(dir, 'collected');
    // The capture is of the window's last second: the snapshot is of its last day, whenever collected.
    expect(api.capturedAt?.toISOString()).toBe('2026-11-14T23:59:59.000Z');
    const result = await collectIdentityCenter({
      api,
      root,
      regions: ['us-east-1'],
      now: new Date('2026-11-15T06:00:00Z'),
    });
    expect(result.unreachable).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.instances).toBe(summary.instances);
    expect(result.users).toBe(summary.users);
    expect(result.applications).toBe(summary.applications);
    expect(result.applicationAssignments).toBe(summary.assignments);

    const instances = await ndjson(path.join(root, 'instances/dt=2026-11-14/hour=00/instances.json'));
    expect(instances.map((i) => i.instance_arn).sort()).toEqual(idc.instances.map((i) => i.arn).sort());
    for (const i of instances) {
      expect(i.instance_type).toBe(
        i.owner_account_id === idc.managementAccountId ? 'ORGANIZATION' : 'ACCOUNT',
      );
      // The shapes are the models': an instance ARN and identity store id DescribeInstance and ListUsers accept.
      expectValidRequest('sso-admin', 'DescribeInstance', { InstanceArn: i.instance_arn });
      expectValidRequest('identitystore', 'ListUsers', { IdentityStoreId: i.identity_store_id });
    }
    const users = await ndjson(path.join(root, 'users/dt=2026-11-14/hour=00/users.json'));
    const stores = new Map<string, Set<string>>();
    for (const u of users)
      for (const e of u.emails as string[])
        stores.set(e, new Set([...(stores.get(e) ?? []), u.identity_store_id as string]));
    const spread = [...stores.values()].map((s) => s.size);
    expect(spread.some((n) => n === 2)).toBe(true);
    expect(spread.some((n) => n >= 3)).toBe(true);
    expect(users.some((u) => u.email_count === 0)).toBe(true);
    expect(users.some((u) => (u.email_count as number) > 1)).toBe(true);
    const apps = await ndjson(path.join(root, 'applications/dt=2026-11-14/hour=00/applications.json'));
    for (const a of apps) {
      expectValidRequest('sso-admin', 'ListApplicationAssignments', { ApplicationArn: a.application_arn });
    }
    for (const u of users)
      expect(u.user_id).toMatch(
        /^[0-9a-f]{10}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
  });
});
