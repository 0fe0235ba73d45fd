import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import allowlist from '../../../queries/identity-center/account-instances-outside-allowlist.ts';
import applications from '../../../queries/identity-center/applications.ts';
import duplicates, { type DuplicateUserRow } from '../../../queries/identity-center/duplicate-users.ts';
import instancesQuery, { type InstanceRow } from '../../../queries/identity-center/instances.ts';
import inventoryVsChurn, {
  type InventoryVsChurnRow,
} from '../../../queries/identity-center/inventory-vs-churn.ts';
import { openLocalEngine } from '../../../src/catalog/duckdb/local-engine.ts';
import { main } from '../../../src/cli/main.ts';
import { runLoad } from '../../../src/ingest/run-load.ts';
import { runQuery } from '../../../src/query/run-query.ts';
import { createSampleContext, writeCloudTrailSample } from '../../../src/sources/cloudtrail/sample.ts';
import { openCapturedIdentityCenterApi } from '../../../src/sources/identity-center/collect/captured-api.ts';
import { hashEmail } from '../../../src/sources/identity-center/collect/records.ts';
import { collectIdentityCenter } from '../../../src/sources/identity-center/collect.ts';
import { identityCenterSampleEstate } from '../../../src/sources/identity-center/sample/estate.ts';
import { writeIdentityCenterSample } from '../../../src/sources/identity-center/sample.ts';
import { captureIO } from '../../support/capture-io.ts';

const FROM = new Date('2026-11-01T00:00:00Z');
const TO = new Date('2026-11-08T00:00:00Z');
/** When the collector runs; the sample's snapshot is of its capture day (`captured-at.json`), the window's last. */
const COLLECTED = new Date('2026-11-08T06:00:00Z');
const DAY = '2026-11-07';
/** The day of a capture without `captured-at.json`: the collection's. */
const COLLECTION_DAY = '2026-11-08';
const LATER = new Date('2100-01-01T00:00:00Z');

let root: string;
const dirs = (name: string) => path.join(root, name);

async function load(dataDir: string, cloudtrail: string, tables?: string[]) {
  const { summary } = await runLoad({
    ...(tables ? { tables } : {}),
    dataDir,
    roots: {
      cloudtrail,
      glue: path.join(dataDir, 'raw', 'glue'),
      'identity-center': path.join(dataDir, 'raw', 'identity-center'),
    },
    from: FROM,
    to: new Date('2026-11-10T00:00:00Z'),
    now: LATER,
  });
  if (!summary || summary.failed > 0) throw new Error(`load failed: ${summary?.errors.join('; ')}`);
  return summary;
}

async function collect(captured: string, dataDir: string, options: { hashKey?: string; now?: Date } = {}) {
  const api = await openCapturedIdentityCenterApi(captured);
  return collectIdentityCenter({
    api,
    root: path.join(dataDir, 'raw', 'identity-center'),
    regions: ['us-east-1'],
    now: options.now ?? COLLECTED,
    ...(options.hashKey ? { hashKey: options.hashKey } : {}),
  });
}

async function query<R>(
  dataDir: string,
  cloudtrail: string,
  fn: (engine: Awaited<ReturnType<typeof openLocalEngine>>) => Promise<R>,
) {
  const engine = await openLocalEngine({ sources: { cloudtrail }, dataDir }, { raw: false });
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-idc-inventory-'));
  await writeCloudTrailSample({
    out: dirs('cloudtrail'),
    from: FROM,
    to: TO,
    accounts: 3,
    eventsPerHour: 1,
    seed: 1,
  });
  await writeIdentityCenterSample({ out: dirs('api'), from: FROM, to: TO, accounts: 3, seed: 1 });
  await collect(dirs('api'), dirs('data'));
  await load(dirs('data'), dirs('cloudtrail'));
}, 120_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the Identity Center inventory on the sample estate', () => {
  it('identity-center/inventory-vs-churn: the trail-only instances are those it deleted, the snapshot-only ones predate it', async () => {
    // The known answers, from the CloudTrail sample's own plan and the inventory's estate.
    const { identityCenter: calls } = createSampleContext({
      out: '',
      from: FROM,
      to: TO,
      accounts: 3,
      seed: 1,
    });
    const ok = calls.filter((c) => c.errorCode === null);
    const deleted = ok.filter((c) => c.operation === 'DeleteInstance').map((c) => c.instanceArn as string);
    const created = new Set(
      ok.filter((c) => c.operation === 'CreateInstance').map((c) => c.instanceArn as string),
    );
    const idc = identityCenterSampleEstate({ from: FROM, to: TO, accounts: 3, seed: 1 });
    const before = idc.instances.filter((i) => !created.has(i.arn)).map((i) => i.arn);
    expect(deleted.length).toBeGreaterThan(3);
    expect(before.length).toBeGreaterThanOrEqual(3);

    const rows = await query(
      dirs('data'),
      dirs('cloudtrail'),
      async (engine) =>
        (await runQuery(engine, inventoryVsChurn, { from: '2026-11-01', to: '2026-11-08' })).rows,
    );
    const trailOnly = rows.filter((r) => r.finding === 'in_trail_not_in_snapshot');
    expect(trailOnly.map((r) => r.instance_arn).sort()).toEqual([...deleted].sort());
    expect(trailOnly.every((r) => r.note === 'deleted in the trail' && r.deleted_in_trail !== null)).toBe(
      true,
    );
    const snapshotOnly = rows.filter((r) => r.finding === 'in_snapshot_not_created_in_trail');
    expect(snapshotOnly.map((r) => r.instance_arn).sort()).toEqual([...before].sort());
    expect(snapshotOnly.every((r) => r.note === 'created before the window')).toBe(true);
    expect(snapshotOnly.filter((r) => r.instance_type === 'ORGANIZATION')).toHaveLength(1);
    expect(rows.every((r: InventoryVsChurnRow) => r.snapshot_day === DAY)).toBe(true);

    // A window that misses the trail's first days: what was created then is "before the window" now.
    const late = await query(
      dirs('data'),
      dirs('cloudtrail'),
      async (engine) =>
        (await runQuery(engine, inventoryVsChurn, { from: '2026-11-06', to: '2026-11-08' })).rows,
    );
    const liveFromTrail = idc.instances.filter((i) => created.has(i.arn));
    for (const i of liveFromTrail) {
      const inWindow = i.created >= Date.parse('2026-11-06T00:00:00Z');
      expect(
        late.some((r) => r.instance_arn === i.arn && r.finding === 'in_snapshot_not_created_in_trail'),
      ).toBe(!inWindow);
    }
  });

  it('identity-center/instances: every instance of the latest snapshot, with its users and applications', async () => {
    const idc = identityCenterSampleEstate({ from: FROM, to: TO, accounts: 3, seed: 1 });
    const rows = await query(
      dirs('data'),
      dirs('cloudtrail'),
      async (engine) => (await runQuery(engine, instancesQuery, {})).rows,
    );
    expect(rows.map((r: InstanceRow) => r.instance_arn).sort()).toEqual(
      idc.instances.map((i) => i.arn).sort(),
    );
    expect(rows[0]?.instance_type).toBe('ORGANIZATION');
    for (const i of idc.instances) {
      const row = rows.find((r) => r.instance_arn === i.arn);
      expect(row).toMatchObject({
        owner_account_id: i.ownerAccountId,
        identity_store_id: i.identityStoreId,
        region: i.region,
        instance_type: i.type,
        status: 'ACTIVE',
        snapshot_day: DAY,
      });
      expect(Number(row?.users)).toBe(i.users.length);
      expect(Number(row?.applications)).toBe(i.applications.length);
      expect(new Date(String(row?.created_date)).getTime()).toBe(i.created);
    }

    const apps = await query(
      dirs('data'),
      dirs('cloudtrail'),
      async (engine) => (await runQuery(engine, applications, {})).rows,
    );
    expect(apps).toHaveLength(idc.instances.reduce((n, i) => n + i.applications.length, 0));
    for (const i of idc.instances)
      for (const a of i.applications) {
        const row = apps.find((r) => r.application_arn === a.arn);
        expect(Number(row?.assigned_users)).toBe(
          a.assignments.filter((x) => x.principalType === 'USER').length,
        );
        expect(Number(row?.assigned_groups)).toBe(
          a.assignments.filter((x) => x.principalType === 'GROUP').length,
        );
        expect(row?.instance_type).toBe(i.type);
      }

    const outside = await query(dirs('data'), dirs('cloudtrail'), async (engine) => {
      const allowed = idc.instances
        .filter((i) => i.type === 'ACCOUNT')
        .map((i) => i.ownerAccountId)[0] as string;
      const all = (await runQuery(engine, allowlist, {})).rows;
      const some = (await runQuery(engine, allowlist, { allowed: `${allowed}, 123456789012` })).rows;
      return { all, some, allowed };
    });
    expect(outside.all.map((r) => r.instance_arn).sort()).toEqual(
      idc.instances
        .filter((i) => i.type === 'ACCOUNT')
        .map((i) => i.arn)
        .sort(),
    );
    expect(outside.some).toHaveLength(outside.all.length - 1);
    expect(outside.some.some((r) => r.owner_account_id === outside.allowed)).toBe(false);
  });

  it("lakeq report identity-center: the blog post's three CSVs of the latest snapshot", async () => {
    const out = dirs('report');
    const io = captureIO();
    const code = await main(
      [
        'report',
        'identity-center',
        '--out',
        out,
        '--data-dir',
        dirs('data'),
        '--source',
        `cloudtrail=${dirs('cloudtrail')}`,
      ],
      io,
    );
    expect(io.stderr()).toBe('');
    expect(code).toBe(0);
    const idc = identityCenterSampleEstate({ from: FROM, to: TO, accounts: 3, seed: 1 });
    // RFC 4180 records, CRLF-terminated (no value of the sample holds a line break).
    const csv = async (name: string) => {
      const text = await readFile(path.join(out, name), 'utf8');
      expect(text.endsWith('\r\n'), name).toBe(true);
      return text.trimEnd().split('\r\n');
    };
    const instances = await csv('instances.csv');
    expect(instances[0]).toBe(
      'account_id,identity_store_id,instance_arn,owner_account_id,instance_type,status,created_date,region,name,users,applications,snapshot_day',
    );
    expect(instances).toHaveLength(idc.instances.length + 1);
    const dup = await csv('duplicate-users.csv');
    expect(dup[0]).toBe(
      'kind,email,identity_stores,users,identity_store_ids,instance_arns,account_ids,user_names,snapshot_day',
    );
    // The estate's own count: addresses (lower-cased) in two identity stores or more; users without one.
    const stores = new Map<string, Set<string>>();
    for (const i of idc.instances)
      for (const u of i.users)
        for (const e of u.emails) {
          const email = e.value.toLowerCase();
          stores.set(email, new Set([...(stores.get(email) ?? []), i.identityStoreId]));
        }
    const shared = [...stores.values()].filter((s) => s.size > 1).length;
    const none = idc.instances.flatMap((i) => i.users).filter((u) => u.emails.length === 0).length;
    expect(shared).toBeGreaterThan(2);
    expect(dup.filter((l) => l.startsWith('duplicate,'))).toHaveLength(shared);
    expect(dup.filter((l) => l.startsWith('no_email,,1,1,'))).toHaveLength(none);
    const assignments = await csv('application-assignments.csv');
    const total = idc.instances.flatMap((i) => i.applications).reduce((n, a) => n + a.assignments.length, 0);
    expect(assignments).toHaveLength(total + 1);
    expect(io.stdout()).toMatch(
      new RegExp(
        `^wrote the Identity Center report of the snapshot of ${DAY}: .*instances\\.csv \\(${idc.instances.length} rows\\)`,
      ),
    );

    // No snapshot loaded: one line saying so, exit 1.
    const empty = captureIO();
    await mkdir(dirs('empty-data'), { recursive: true });
    expect(
      await main(
        ['report', 'identity-center', '--out', dirs('report-2'), '--data-dir', dirs('empty-data')],
        empty,
      ),
    ).toBe(1);
    expect(empty.stderr().trim().split('\n')).toHaveLength(1);
    expect(empty.stderr()).toContain('no Identity Center snapshot is loaded');
  });

  it('a later collection the same day replaces the day, never duplicates it; an unchanged one reloads nothing', async () => {
    const again = await collect(dirs('api'), dirs('data'));
    expect(again.files).toEqual([]);
    const summary = await load(dirs('data'), dirs('cloudtrail'));
    expect(summary.loaded).toBe(0);

    const copy = dirs('api-changed');
    await writeIdentityCenterSample({ out: copy, from: FROM, to: TO, accounts: 3, seed: 1 });
    const idc = identityCenterSampleEstate({ from: FROM, to: TO, accounts: 3, seed: 1 });
    const org = idc.instances.find((i) => i.type === 'ORGANIZATION');
    // The organization's first page of users is gone from the capture: five users fewer.
    await rm(path.join(copy, 'users', org?.identityStoreId as string, 'page-1.json'));
    const changed = await collect(copy, dirs('data'), { now: new Date('2026-11-08T18:00:00Z') });
    expect(changed.touchedHours).toEqual([`${DAY}T00:00:00.000Z`]);
    const reload = await load(dirs('data'), dirs('cloudtrail'));
    expect(reload.loaded).toBe(1);
    const counts = await query(
      dirs('data'),
      dirs('cloudtrail'),
      async (engine) =>
        (
          await engine.execute<{ dt: string; hour: string; n: bigint | number; keys: bigint | number }>(
            CompiledQuery.raw(
              'select dt, hour, count(*) as n, count(distinct identity_store_id || user_id) as keys from identity_center_users group by dt, hour',
            ),
          )
        ).rows,
    );
    const total = idc.instances.reduce((n, i) => n + i.users.length, 0);
    expect(counts.map((c) => [c.dt, c.hour, Number(c.n), Number(c.keys)])).toEqual([
      [DAY, '00', total - 5, total - 5],
    ]);
  });
});

describe('identity-center/duplicate-users', () => {
  const STORE_A = 'd-aaaaaaaaaa';
  const STORE_B = 'd-bbbbbbbbbb';
  const STORE_C = 'd-cccccccccc';
  const id = (store: string, n: number) =>
    `${store.slice(2)}-00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
  const user = (store: string, n: number, name: string, emails?: { Value: string; Primary?: boolean }[]) => ({
    IdentityStoreId: store,
    UserId: id(store, n),
    UserName: name,
    ...(emails ? { Emails: emails } : {}),
  });

  async function capture(dir: string) {
    const put = async (rel: string, body: unknown) => {
      const file = path.join(dir, rel);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify(body));
    };
    const instance = (n: string, store: string, owner: string) => ({
      InstanceArn: `arn:aws:sso:::instance/ssoins-${n.repeat(16)}`,
      IdentityStoreId: store,
      OwnerAccountId: owner,
      Status: 'ACTIVE',
    });
    await put('accounts/list.json', {
      Accounts: ['111111111111', '222222222222', '333333333333'].map((a) => ({
        Id: a,
        Arn: `arn:aws:organizations::111111111111:account/o-exampleorgid/${a}`,
        State: 'ACTIVE',
      })),
    });
    await put('instances/111111111111/us-east-1/list.json', {
      Instances: [instance('a', STORE_A, '111111111111')],
    });
    await put('instances/222222222222/us-east-1/list.json', {
      Instances: [instance('b', STORE_B, '222222222222')],
    });
    await put('instances/333333333333/eu-west-1/list.json', {
      Instances: [instance('c', STORE_C, '333333333333')],
    });
    await put('users/a.json', {
      Users: [
        // Several addresses: the alias is the one duplicated.
        user(STORE_A, 1, 'maria', [
          { Value: 'Maria.Garcia@example.com', Primary: true },
          { Value: 'mg@example.com' },
        ]),
        user(STORE_A, 2, 'james', [{ Value: 'JAMES@EXAMPLE.COM' }]),
        user(STORE_A, 3, 'breakglass'),
        user(STORE_A, 4, 'solo', [{ Value: 'solo@example.com' }]),
      ],
    });
    await put('users/b.json', {
      Users: [
        user(STORE_B, 1, 'mgarcia', [{ Value: 'MG@example.com', Primary: true }]),
        user(STORE_B, 2, 'james.b', [{ Value: 'james@example.com' }]),
        user(STORE_B, 3, 'svc-ci', []),
      ],
    });
    await put('users/c.json', {
      Users: [
        user(STORE_C, 1, 'maria.c', [{ Value: ' maria.garcia@EXAMPLE.com ' }]),
        user(STORE_C, 2, 'james.c', [{ Value: 'James@Example.com' }]),
        // The same address twice in one store: one store, two users.
        user(STORE_C, 3, 'james.c2', [{ Value: 'james@example.com' }]),
      ],
    });
  }

  async function duplicateRows(hashKey?: string): Promise<DuplicateUserRow[]> {
    const name = hashKey ? 'dup-hashed' : 'dup';
    const captured = dirs(`${name}-api`);
    const dataDir = dirs(`${name}-data`);
    await capture(captured);
    await collect(captured, dataDir, hashKey ? { hashKey } : {});
    await load(dataDir, dirs('cloudtrail'), ['identity_center_instances', 'identity_center_users']);
    return query(
      dataDir,
      dirs('cloudtrail'),
      async (engine) => (await runQuery(engine, duplicates, {})).rows,
    );
  }

  it('finds people in two or three instances by any of their addresses, whatever the case; users without e-mail are listed apart', async () => {
    const rows = await duplicateRows();
    const simple = rows.map((r) => [
      r.kind,
      r.email,
      Number(r.identity_stores),
      Number(r.users),
      r.identity_store_ids,
      r.user_names,
    ]);
    expect(simple).toEqual([
      [
        'duplicate',
        'james@example.com',
        3,
        4,
        `${STORE_A},${STORE_B},${STORE_C}`,
        'james,james.b,james.c,james.c2',
      ],
      ['duplicate', 'maria.garcia@example.com', 2, 2, `${STORE_A},${STORE_C}`, 'maria,maria.c'],
      ['duplicate', 'mg@example.com', 2, 2, `${STORE_A},${STORE_B}`, 'maria,mgarcia'],
      ['no_email', null, 1, 1, STORE_A, 'breakglass'],
      ['no_email', null, 1, 1, STORE_B, 'svc-ci'],
    ]);
    expect(rows[0]?.account_ids).toBe('111111111111,222222222222,333333333333');
    expect(rows.every((r) => r.snapshot_day === COLLECTION_DAY)).toBe(true);
  });

  it('with hashEmails finds the same people, without an address in the data', async () => {
    const rows = await duplicateRows('k3y');
    // Three stores first, then two, each by its hash.
    const twos = [
      ['duplicate', hashEmail('maria.garcia@example.com', 'k3y'), 'maria,maria.c'],
      ['duplicate', hashEmail('mg@example.com', 'k3y'), 'maria,mgarcia'],
    ].sort((a, b) => ((a[1] as string) < (b[1] as string) ? -1 : 1));
    expect(rows.map((r) => [r.kind, r.email, r.user_names])).toEqual([
      ['duplicate', hashEmail('james@example.com', 'k3y'), 'james,james.b,james.c,james.c2'],
      ...twos,
      ['no_email', null, 'breakglass'],
      ['no_email', null, 'svc-ci'],
    ]);
    expect(JSON.stringify(rows)).not.toContain('@');
  });
});
