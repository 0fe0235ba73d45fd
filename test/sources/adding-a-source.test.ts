import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openLocalEngine, readsRawViews } from '../../src/catalog/duckdb/local-engine.ts';
import { TABLES } from '../../src/catalog/tables/index.ts';
import { main } from '../../src/cli/main.ts';
import { loadSettings } from '../../src/config/lakeq-config.ts';
import { resolveDeployConfig, sourcesOnAws } from '../../src/deploy/deploy-config.ts';
import { iamPolicy } from '../../src/deploy/iam-policy.ts';
import { lambdaEnvironment } from '../../src/deploy/lambda-resource.ts';
import { planLoad } from '../../src/ingest/load-plan.ts';
import { collectSources } from '../../src/orchestration/handlers/collect-sources.ts';
import { localHandlerContext } from '../../src/orchestration/handlers/handler-context.ts';
import { runStateMachine } from '../../src/orchestration/run-state-machine.ts';
import { SOURCES } from '../../src/sources/index.ts';
import { TPCDS_TABLES } from '../../src/sources/tpcds/schema.ts';
import { captureIO } from '../support/capture-io.ts';
import { type FakeRecord, fakeApiHourly, fakeAuditHourly } from './fake-sources.ts';

/*
 * "Adding a source is adding a folder plus one registry line": two test-only sources
 * (fake-sources.ts) are appended to SOURCES, the one line a new source adds, and their
 * transforms to the query library's list. Nothing else names them, yet they flow through the
 * settings and --source, lakeq sample, the local engine's views, the planner, the collect task,
 * a backfill state machine run, lakeq ddl, the deploy file, the IAM policies and the Lambda's
 * environment.
 */

vi.mock('../../src/sources/index.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/sources/index.ts')>();
  const { fakeAuditSource, fakeApiSource } = await import('./fake-sources.ts');
  return { ...real, SOURCES: [...real.SOURCES, fakeAuditSource, fakeApiSource] };
});
vi.mock('../../queries/index.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../queries/index.ts')>();
  const { FAKE_QUERY_MODULES } = await import('./fake-sources.ts');
  return { ...real, QUERY_MODULES: { ...real.QUERY_MODULES, ...FAKE_QUERY_MODULES } };
});

const FROM = '2026-11-02T00:00:00Z';
const TO = '2026-11-02T03:00:00Z';
/** After the window: every hour of it is finished. */
const NOW = new Date('2026-11-03T00:00:00Z');
/** What the fake API's captured responses hold: two calls at 00:10, one at 02:40, one outside the window. */
const CALLS: readonly FakeRecord[] = [
  { actor: 'alice', seen_at: '2026-11-02T00:10:00Z' },
  { actor: 'bob', seen_at: '2026-11-02T00:10:30Z' },
  { actor: 'alice', seen_at: '2026-11-02T02:40:00Z' },
  { actor: 'carol', seen_at: '2026-11-05T09:00:00Z' },
];

let dir: string;
let audit: string;
let captured: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-new-source-'));
  audit = path.join(dir, 'audit');
  captured = path.join(dir, 'captured');
  await mkdir(captured, { recursive: true });
  await writeFile(path.join(captured, 'calls.json'), JSON.stringify(CALLS));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rows(engine: Awaited<ReturnType<typeof openLocalEngine>>, sql: string) {
  return (await engine.execute(CompiledQuery.raw(sql))).rows as Record<string, unknown>[];
}

describe('a source added with one registry line', () => {
  it('is in the registry, and its table in TABLES after the others', () => {
    expect(SOURCES.map((s) => s.name).slice(-2)).toEqual(['fake-audit', 'fake-api']);
    expect(TABLES.slice(-2)).toEqual([fakeAuditHourly, fakeApiHourly]);
  });

  it('lakeq sample writes its sample, with its own option, and knows it among the kinds', async () => {
    const io = captureIO();
    const args = ['sample', 'fake-audit', '--out', audit, '--from', FROM, '--to', TO, '--actors', '3'];
    expect(await main(args, io)).toBe(0);
    expect(io.stdout()).toBe(`wrote 9 audit records in 3 files to ${audit}\n`);
    const kind = captureIO();
    expect(await main(['sample', 'nothing', '--out', dir], kind)).toBe(2);
    expect(kind.stderr()).toContain(
      'five kinds of data: cloudtrail, glue, identity-center, security-lake, fake-audit',
    );
    expect(kind.stderr()).toContain(
      'lakeq sample fake-audit --out DIR --from TIME --to TIME [--actors N] [--seed N]',
    );
    const foreign = captureIO();
    const glue = [
      'sample',
      'glue',
      '--out',
      path.join(dir, 'g'),
      '--from',
      FROM,
      '--to',
      TO,
      '--actors',
      '2',
    ];
    expect(await main(glue, foreign)).toBe(2);
    expect(foreign.stderr()).toContain('--actors is for fake-audit');
  });

  it('the settings give it an input: --source name=DIR, sources.<name> in the file, or raw/<its folder>', async () => {
    const cwd = path.join(dir, 'settings');
    await mkdir(cwd, { recursive: true });
    await writeFile(path.join(cwd, 'lakeq.config.json'), JSON.stringify({ sources: { 'fake-api': 'cap' } }));
    const settings = await loadSettings({ dataDir: 'd', sources: { 'fake-audit': 'aud' } }, cwd, {});
    expect(settings.sources).toMatchObject({
      'fake-audit': path.join(cwd, 'aud'),
      'fake-api': path.join(cwd, 'cap'),
      cloudtrail: path.join(cwd, 'd', 'raw', 'cloudtrail'),
    });
    const defaults = await loadSettings({ dataDir: 'd' }, dir, {});
    expect(defaults.sources['fake-api']).toBe(path.join(dir, 'd', 'raw', 'fake-api-captured'));
    await expect(loadSettings({ sources: { nope: 'x' } }, dir, {})).rejects.toThrow(
      'unknown source "nope" in --source (known: cloudtrail, glue, identity-center, tpcds, security-lake, fake-audit, fake-api)',
    );
  });

  it('the local engine has its raw view over its input, and lakeq sql reads it with --source', async () => {
    const engine = await openLocalEngine({
      sources: { 'fake-audit': audit },
      dataDir: path.join(dir, 'views'),
    });
    try {
      const views = (await rows(engine, 'select view_name from duckdb_views() where not internal')).map(
        (r) => r.view_name,
      );
      expect(views).toEqual(expect.arrayContaining(['fake_audit_raw', 'fake_api_raw', 'fake_audit_hourly']));
      expect(await rows(engine, 'select count(*)::int as n from fake_audit_raw')).toEqual([{ n: 9 }]);
      // No input: the collected source's view exists, empty.
      expect(await rows(engine, 'select count(*)::int as n from fake_api_raw')).toEqual([{ n: 0 }]);
    } finally {
      await engine.close();
    }
    expect(readsRawViews('select * from fake_audit_raw')).toBe(true);
    const io = captureIO();
    const sql = 'select actor, count(*) as n from fake_audit_raw group by actor order by actor';
    const args = ['sql', sql, '--source', `fake-audit=${audit}`, '--data-dir', path.join(dir, 'sql')];
    expect(await main([...args, '--format', 'csv'], io)).toBe(0);
    expect(io.stdout()).toBe('actor,n\nactor-0,3\nactor-1,3\nactor-2,3\n');
  });

  it('the planner lists its files by hour through its list hook, and leaves it out without a root', async () => {
    const common = {
      tables: [fakeAuditHourly],
      from: new Date(FROM),
      to: new Date(TO),
      ledger: [],
      versions: new Map([['transforms/fake-audit-hour', '1.0.0']]),
      maxPartitionsPerBatch: 24,
      now: NOW,
    };
    const plan = await planLoad({ ...common, roots: { 'fake-audit': audit } });
    expect(plan.batches).toHaveLength(1);
    const partitions = plan.batches[0]?.partitions ?? [];
    expect(partitions.map((p) => `${p.dt}/${p.hour} ${p.reason}`)).toEqual([
      '2026-11-02/00 new',
      '2026-11-02/01 new',
      '2026-11-02/02 new',
    ]);
    expect(partitions.map((p) => p.files.map((f) => path.relative(audit, f.path)))).toEqual([
      [path.join('dt=2026-11-02', 'hour=00', 'audit.json')],
      [path.join('dt=2026-11-02', 'hour=01', 'audit.json')],
      [path.join('dt=2026-11-02', 'hour=02', 'audit.json')],
    ]);
    expect((await planLoad({ ...common, roots: {} })).batches).toEqual([]);
  });

  it('the collect task runs its collector; the others say they are not configured', async () => {
    const context = localHandlerContext({
      dataDir: path.join(dir, 'collect'),
      sources: { 'fake-api': captured },
      now: NOW,
    });
    expect(await collectSources({ input: { from: FROM, to: TO } }, context)).toEqual({
      touchedHours: ['2026-11-02T00:00:00.000Z', '2026-11-02T02:00:00.000Z'],
      glue: { collected: false, reason: 'no Glue source configured' },
      'identity-center': { collected: false, reason: 'no Identity Center source configured' },
      'fake-api': { collected: true, calls: 3 },
    });
    const none = localHandlerContext({ dataDir: path.join(dir, 'collect'), sources: {}, now: NOW });
    expect((await collectSources({ input: { from: FROM, to: TO } }, none))['fake-api']).toEqual({
      collected: false,
      reason: 'no Fake API source configured',
    });
  });

  it('a backfill state machine run collects, loads and serves both tables, and nothing else', async () => {
    const dataDir = path.join(dir, 'backfill');
    const run = await runStateMachine(
      'backfill',
      { from: FROM, to: TO },
      { dataDir, sources: { 'fake-audit': audit, 'fake-api': captured }, now: NOW },
    );
    expect(run.status).toBe('SUCCEEDED');
    const loaded = run.ledgerRows.filter((r) => r.status === 'loaded');
    expect([...new Set(loaded.map((r) => r.table))].sort()).toEqual(['fake_api_hourly', 'fake_audit_hourly']);
    const engine = await openLocalEngine({ sources: {}, dataDir }, { raw: false });
    try {
      const audited = await rows(
        engine,
        'select actor, sum(actions)::int as actions, count(*)::int as hours from fake_audit_hourly group by actor order by actor',
      );
      expect(audited).toEqual([
        { actor: 'actor-0', actions: 3, hours: 3 },
        { actor: 'actor-1', actions: 3, hours: 3 },
        { actor: 'actor-2', actions: 3, hours: 3 },
      ]);
      expect(
        await rows(
          engine,
          'select dt, hour, actor, actions::int as actions from fake_api_hourly order by hour, actor',
        ),
      ).toEqual([
        { dt: '2026-11-02', hour: '00', actor: 'alice', actions: 1 },
        { dt: '2026-11-02', hour: '00', actor: 'bob', actions: 1 },
        { dt: '2026-11-02', hour: '02', actor: 'alice', actions: 1 },
      ]);
    } finally {
      await engine.close();
    }
  });

  it('lakeq ddl takes its flag and prints its raw table and its curated tables', async () => {
    const base = ['ddl', '--trail-bucket', 'trail', '--accounts', '111122223333', '--regions', 'eu-west-1'];
    const io = captureIO();
    const args = [...base, '--start-date', '2026-01-01', '--data-bucket', 'lake', '--fake-bucket', 'fakes'];
    expect(await main(args, io)).toBe(0);
    const out = io.stdout();
    expect(out).toContain(
      "CREATE EXTERNAL TABLE `fake_audit_raw` (`actor` string, `seen_at` string) LOCATION 's3://fakes/audit/'",
    );
    expect(out).toMatch(/CREATE EXTERNAL TABLE `lakeq`.`fake_audit_hourly`/);
    expect(out).toMatch(/CREATE EXTERNAL TABLE `lakeq`.`fake_api_hourly`/);
    // cloudtrail_logs, its view, 2 collected Glue tables, 4 collected Identity Center tables,
    // the 24 TPC-DS tables and tpcds_cbo_runs, fake_audit_raw, the 7 OCSF views (over no Security Lake
    // table: no flags), 12 curated tables, the ledger.
    expect(out.match(/^CREATE /gm)?.length).toBe(54);
    const missing = captureIO();
    expect(await main([...base, '--start-date', '2026-01-01', '--data-bucket', 'lake'], missing)).toBe(2);
    expect(missing.stderr()).toContain('missing --fake-bucket');
    const help = captureIO();
    expect(await main(['ddl', '--help'], help)).toBe(0);
    expect(help.stdout()).toContain('--fake-bucket B');
    expect(help.stdout()).toContain('the raw fake_audit_raw table');
  });

  it('deploy reads its section of lakeq.deploy.json: its table, its IAM read scope, its root for the Lambda', () => {
    const account = '111122223333';
    const file = {
      accountId: account,
      region: 'eu-west-1',
      data: { bucket: 'lakeq-lake', prefix: 'lakeq' },
      trail: { bucket: 'org-trail', accounts: [account], regions: ['eu-west-1'], startDate: '2026-01-01' },
      fakeAudit: { bucket: 'fake-audit-bucket' },
      roles: {
        stateMachine: `arn:aws:iam::${account}:role/s`,
        lambda: `arn:aws:iam::${account}:role/l`,
        scheduler: `arn:aws:iam::${account}:role/c`,
      },
    };
    const settings = {
      aws: {
        athena: { workGroup: 'primary', database: 'lakeq', catalog: 'AwsDataCatalog' },
        cloudtrailLake: {},
      },
    };
    const config = resolveDeployConfig(file, settings, {}, dir);
    expect(sourcesOnAws(config).flatMap(({ aws }) => aws.tableInputs().map((t) => t.Name))).toEqual([
      'cloudtrail_logs',
      'glue_job_runs_collected',
      'glue_job_metrics_collected',
      'identity_center_instances_collected',
      'identity_center_users_collected',
      'identity_center_applications_collected',
      'identity_center_application_assignments_collected',
      ...TPCDS_TABLES,
      'tpcds_cbo_runs',
      'fake_audit_raw',
    ]);
    const lambda = iamPolicy('lambda', config).Statement;
    expect(lambda.find((s) => s.Sid === 'S3ListFakeAudit')).toEqual({
      Sid: 'S3ListFakeAudit',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: ['arn:aws:s3:::fake-audit-bucket'],
      Condition: { StringLike: { 's3:prefix': ['audit/*'] } },
    });
    const analyst = iamPolicy('analyst', config).Statement;
    expect(analyst.find((s) => s.Sid === 'S3FakeAuditRead')?.Resource).toEqual([
      'arn:aws:s3:::fake-audit-bucket/audit/*',
    ]);
    expect(analyst.find((s) => s.Sid === 'S3Buckets')?.Resource).toContain('arn:aws:s3:::fake-audit-bucket');
    expect(lambdaEnvironment(config)).toMatchObject({
      LAKEQ_CLOUDTRAIL_ROOT: 's3://org-trail',
      LAKEQ_FAKE_AUDIT_ROOT: 's3://fake-audit-bucket/audit',
    });
    const { fakeAudit: _, ...without } = file;
    expect(() => resolveDeployConfig(without, settings, {}, dir)).toThrow(/fakeAudit: /);
  });
});
