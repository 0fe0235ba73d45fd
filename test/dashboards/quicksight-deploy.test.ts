import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as sdk from '@aws-sdk/client-quicksight';
import {
  CreateDashboardCommand,
  type CreateDashboardRequest,
  CreateDataSetCommand,
  type CreateDataSetRequest,
  CreateDataSourceCommand,
  type CreateDataSourceRequest,
  CreateIngestionCommand,
  type CreateIngestionRequest,
  type DashboardVersionDefinition,
  DescribeDashboardCommand,
  DescribeDashboardDefinitionCommand,
  DescribeDashboardPermissionsCommand,
  type DescribeDashboardRequest,
  DescribeDataSetCommand,
  DescribeDataSetPermissionsCommand,
  type DescribeDataSetRequest,
  DescribeDataSourceCommand,
  DescribeDataSourcePermissionsCommand,
  type DescribeDataSourceRequest,
  QuickSightClient,
  ResourceNotFoundException,
  type ResourcePermission,
  UpdateDashboardCommand,
  UpdateDashboardPermissionsCommand,
  type UpdateDashboardPermissionsRequest,
  UpdateDashboardPublishedVersionCommand,
  type UpdateDashboardPublishedVersionRequest,
  type UpdateDashboardRequest,
  UpdateDataSetCommand,
  type UpdateDataSetRequest,
} from '@aws-sdk/client-quicksight';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DASHBOARDS } from '../../dashboards/index.ts';
import { run as dashboardsCommand } from '../../src/cli/commands/dashboards.ts';
import type { LakeqDashboard } from '../../src/dashboards/dashboard-definition.ts';
import { createDashboardRequest } from '../../src/dashboards/quicksight/dashboard-requests.ts';
import {
  applyDashboards,
  type DashboardClients,
  diffDashboards,
  formatDrift,
  planDashboards,
} from '../../src/dashboards/quicksight/deploy-dashboards.ts';
import { loadAllQueries } from '../../src/query/registry.ts';
import { expectValidCommands, expectValidRequest } from '../support/aws-model-validator.ts';
import { captureIO } from '../support/capture-io.ts';
import { ACCOUNT, OWNER, REGION, TEST_TABLES, testConfig, VIEWER } from './quicksight-fixtures.ts';

/*
 * An in-memory QuickSight: Create/Update store, Describe returns what was stored with the
 * members AWS adds (ARNs, times, statuses, defaults in definitions), a new dashboard version is
 * "in progress" until described once, and only a published version is what
 * DescribeDashboardDefinition returns.
 */
const qs = mockClient(QuickSightClient);
const created = new Date('2026-11-01T00:00:00Z');
interface FakeDashboard {
  versions: { name: string; definition: DashboardVersionDefinition; status: string }[];
  published: number;
  permissions: ResourcePermission[];
}
const fake = {
  sources: new Map<string, { req: CreateDataSourceRequest; permissions: ResourcePermission[] }>(),
  sets: new Map<string, { req: CreateDataSetRequest; permissions: ResourcePermission[] }>(),
  dashboards: new Map<string, FakeDashboard>(),
  ingestions: [] as CreateIngestionRequest[],
};
const missing = (what: string) =>
  new ResourceNotFoundException({ message: `${what} not found`, $metadata: {} });
const arn = (kind: string, id: string) => `arn:aws:quicksight:${REGION}:${ACCOUNT}:${kind}/${id}`;
/** What DescribeDashboardDefinition adds to a stored definition (defaults QuickSight fills in). */
const withDefaults = (d: DashboardVersionDefinition): DashboardVersionDefinition => ({
  ...structuredClone(d),
  AnalysisDefaults: { DefaultNewSheetConfiguration: { SheetContentType: 'INTERACTIVE' } },
  Sheets: (d.Sheets ?? []).map((s) => ({ ...structuredClone(s), ContentType: 'INTERACTIVE' })),
});

function installFake(): void {
  fake.sources.clear();
  fake.sets.clear();
  fake.dashboards.clear();
  fake.ingestions = [];
  qs.reset();
  qs.on(DescribeDataSourceCommand).callsFake(async ({ DataSourceId }: DescribeDataSourceRequest) => {
    const s = fake.sources.get(DataSourceId as string);
    if (!s) throw missing(`DataSource ${DataSourceId}`);
    const { AwsAccountId: _, Permissions: __, ...rest } = s.req;
    return {
      DataSource: { ...rest, Arn: arn('datasource', DataSourceId as string), Status: 'CREATION_SUCCESSFUL' },
    };
  });
  qs.on(DescribeDataSourcePermissionsCommand).callsFake(
    async ({ DataSourceId }: DescribeDataSourceRequest) => ({
      Permissions: fake.sources.get(DataSourceId as string)?.permissions ?? [],
    }),
  );
  qs.on(CreateDataSourceCommand).callsFake(async (req: CreateDataSourceRequest) => {
    fake.sources.set(req.DataSourceId as string, { req, permissions: req.Permissions ?? [] });
    return { CreationStatus: 'CREATION_IN_PROGRESS' };
  });
  qs.on(DescribeDataSetCommand).callsFake(async ({ DataSetId }: DescribeDataSetRequest) => {
    const s = fake.sets.get(DataSetId as string);
    if (!s) throw missing(`DataSet ${DataSetId}`);
    const { AwsAccountId: _, Permissions: __, ...rest } = s.req;
    return { DataSet: { ...rest, Arn: arn('dataset', DataSetId as string), CreatedTime: created } };
  });
  qs.on(DescribeDataSetPermissionsCommand).callsFake(async ({ DataSetId }: DescribeDataSetRequest) => ({
    Permissions: fake.sets.get(DataSetId as string)?.permissions ?? [],
  }));
  qs.on(CreateDataSetCommand).callsFake(async (req: CreateDataSetRequest) => {
    fake.sets.set(req.DataSetId as string, { req, permissions: req.Permissions ?? [] });
    return { Status: 201 };
  });
  qs.on(UpdateDataSetCommand).callsFake(async (req: UpdateDataSetRequest) => {
    const s = fake.sets.get(req.DataSetId as string);
    if (s) s.req = { ...s.req, ...req };
    return { Status: 201 };
  });
  qs.on(CreateIngestionCommand).callsFake(async (req: CreateIngestionRequest) => {
    fake.ingestions.push(req);
    return { IngestionStatus: 'INITIALIZED' };
  });
  const newVersion = (id: string, name: string, definition: DashboardVersionDefinition) => {
    const d = fake.dashboards.get(id) as FakeDashboard;
    d.versions.push({ name, definition: structuredClone(definition), status: 'IN_PROGRESS' });
    return {
      VersionArn: `${arn('dashboard', id)}/version/${d.versions.length}`,
      CreationStatus: 'CREATION_IN_PROGRESS',
    };
  };
  qs.on(CreateDashboardCommand).callsFake(async (req: CreateDashboardRequest) => {
    const id = req.DashboardId as string;
    fake.dashboards.set(id, { versions: [], published: 1, permissions: req.Permissions ?? [] });
    const out = newVersion(id, req.Name as string, req.Definition as DashboardVersionDefinition);
    (fake.dashboards.get(id) as FakeDashboard).versions[0]!.status = 'CREATION_IN_PROGRESS';
    return out;
  });
  qs.on(UpdateDashboardCommand).callsFake(async (req: UpdateDashboardRequest) => {
    if (!fake.dashboards.has(req.DashboardId as string)) throw missing(`Dashboard ${req.DashboardId}`);
    const out = newVersion(
      req.DashboardId as string,
      req.Name as string,
      req.Definition as DashboardVersionDefinition,
    );
    const d = fake.dashboards.get(req.DashboardId as string) as FakeDashboard;
    d.versions[d.versions.length - 1]!.status = 'UPDATE_IN_PROGRESS';
    return out;
  });
  qs.on(DescribeDashboardCommand).callsFake(
    async ({ DashboardId, VersionNumber }: DescribeDashboardRequest) => {
      const d = fake.dashboards.get(DashboardId as string);
      if (!d) throw missing(`Dashboard ${DashboardId}`);
      const n = VersionNumber ?? d.published;
      const v = d.versions[n - 1];
      if (!v) throw missing(`Dashboard ${DashboardId} version ${n}`);
      const status = v.status;
      v.status = status.replace('_IN_PROGRESS', '_SUCCESSFUL');
      return {
        Dashboard: {
          DashboardId,
          Name: v.name,
          Version: { VersionNumber: n, Status: status as 'CREATION_SUCCESSFUL' },
        },
      };
    },
  );
  qs.on(DescribeDashboardDefinitionCommand).callsFake(async ({ DashboardId }: DescribeDashboardRequest) => {
    const d = fake.dashboards.get(DashboardId as string);
    if (!d) throw missing(`Dashboard ${DashboardId}`);
    const v = d.versions[d.published - 1] as FakeDashboard['versions'][number];
    return {
      DashboardId,
      Name: v.name,
      Definition: withDefaults(v.definition),
      ResourceStatus: 'CREATION_SUCCESSFUL',
    };
  });
  qs.on(DescribeDashboardPermissionsCommand).callsFake(async ({ DashboardId }: DescribeDashboardRequest) => ({
    DashboardId,
    Permissions: fake.dashboards.get(DashboardId as string)?.permissions ?? [],
  }));
  qs.on(UpdateDashboardPublishedVersionCommand).callsFake(
    async ({ DashboardId, VersionNumber }: UpdateDashboardPublishedVersionRequest) => {
      const d = fake.dashboards.get(DashboardId as string) as FakeDashboard;
      if (!d.versions[(VersionNumber as number) - 1]?.status.endsWith('_SUCCESSFUL'))
        throw new Error(`version ${VersionNumber} is not ready`);
      d.published = VersionNumber as number;
      return {};
    },
  );
  qs.on(UpdateDashboardPermissionsCommand).callsFake(async (req: UpdateDashboardPermissionsRequest) => {
    const d = fake.dashboards.get(req.DashboardId as string) as FakeDashboard;
    d.permissions = [...d.permissions, ...(req.GrantPermissions ?? [])];
    return {};
  });
}

const MUTATING = /^(Create|Update)/;
const sent = () => qs.calls().map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ''));
const mutations = () =>
  qs
    .calls()
    .map(
      (c) =>
        c.args[0] as {
          constructor: { name: string };
          input: { DashboardId?: string; DataSetId?: string; DataSourceId?: string; VersionNumber?: number };
        },
    )
    .filter((c) => MUTATING.test(c.constructor.name))
    .map((c) => {
      const op = c.constructor.name.replace(/Command$/, '');
      const id = c.input.DashboardId ?? c.input.DataSetId ?? c.input.DataSourceId;
      return `${op} ${id}${c.input.VersionNumber ? ` v${c.input.VersionNumber}` : ''}`;
    });
const clients: DashboardClients = { quicksight: new QuickSightClient({ region: REGION }), sdk };
const instant = async () => {};
const ALL_QUERIES = await loadAllQueries();
const inputs = (dashboards: readonly LakeqDashboard[] = DASHBOARDS) => ({
  dashboards,
  tables: TEST_TABLES,
  queries: ALL_QUERIES,
  sleep: instant,
});
const config = testConfig({ principals: [OWNER] });
const now = new Date('2026-11-27T13:05:01.250Z');

async function deploy(dashboards?: readonly LakeqDashboard[], cfg = config) {
  const plan = await planDashboards(clients, cfg, inputs(dashboards));
  const result = await applyDashboards(plan, clients, cfg, { now });
  return { plan, ...result };
}

/** glue-jobs with the cost-by-job bar retitled. */
function retitled(text: string): LakeqDashboard[] {
  return DASHBOARDS.map((d) => {
    if (d.id !== 'lakeq-glue-jobs') return d;
    const copy = structuredClone(d);
    const bar = copy.definition.Sheets?.[0]?.Visuals?.find(
      (v) => v.BarChartVisual?.VisualId === 'bar-cost-by-job',
    );
    if (!bar?.BarChartVisual) throw new Error('no bar-cost-by-job');
    bar.BarChartVisual.Title = { Visibility: 'VISIBLE', FormatText: { PlainText: text } };
    return copy;
  });
}

describe('lakeq dashboards deploy', () => {
  beforeEach(() => {
    installFake();
  });

  it('creates the data source, the datasets, the dashboards, then one ingestion per new dataset', async () => {
    const { plan, ingestions } = await deploy();
    expect(plan.changes.map((c) => `${c.action} ${c.kind} ${c.name}`)).toEqual([
      'create quicksight-data-source lakeq-athena',
      'create quicksight-dataset lakeq-identity-center-instance-churn-hourly',
      'create quicksight-dataset lakeq-identity-center-instances',
      'create quicksight-dataset lakeq-identity-center-duplicate-users',
      'create quicksight-dataset lakeq-glue-job-runs',
      'create quicksight-dataset lakeq-glue-job-metrics',
      'create quicksight-dataset lakeq-tpcds-cbo-runs',
      'create quicksight-dataset lakeq-security-findings-daily',
      'create quicksight-dataset lakeq-security-lake-activity-daily',
      'create quicksight-dataset lakeq-pipeline-runs',
      'create quicksight-dashboard lakeq-identity-center-churn',
      'create quicksight-dashboard lakeq-glue-jobs',
      'create quicksight-dashboard lakeq-glue-metrics',
      'create quicksight-dashboard lakeq-pipeline-health',
      'create quicksight-dashboard lakeq-tpcds-cbo',
      'create quicksight-dashboard lakeq-security-lake',
    ]);
    expect(mutations()).toEqual([
      'CreateDataSource lakeq-athena',
      'CreateDataSet lakeq-identity-center-instance-churn-hourly',
      'CreateDataSet lakeq-identity-center-instances',
      'CreateDataSet lakeq-identity-center-duplicate-users',
      'CreateDataSet lakeq-glue-job-runs',
      'CreateDataSet lakeq-glue-job-metrics',
      'CreateDataSet lakeq-tpcds-cbo-runs',
      'CreateDataSet lakeq-security-findings-daily',
      'CreateDataSet lakeq-security-lake-activity-daily',
      'CreateDataSet lakeq-pipeline-runs',
      'CreateDashboard lakeq-identity-center-churn',
      'CreateDashboard lakeq-glue-jobs',
      'CreateDashboard lakeq-glue-metrics',
      'CreateDashboard lakeq-pipeline-health',
      'CreateDashboard lakeq-tpcds-cbo',
      'CreateDashboard lakeq-security-lake',
      'CreateIngestion lakeq-identity-center-instance-churn-hourly',
      'CreateIngestion lakeq-identity-center-instances',
      'CreateIngestion lakeq-identity-center-duplicate-users',
      'CreateIngestion lakeq-glue-job-runs',
      'CreateIngestion lakeq-glue-job-metrics',
      'CreateIngestion lakeq-tpcds-cbo-runs',
      'CreateIngestion lakeq-security-findings-daily',
      'CreateIngestion lakeq-security-lake-activity-daily',
      'CreateIngestion lakeq-pipeline-runs',
    ]);
    expect(fake.ingestions.map((i) => i.IngestionId)).toEqual(Array(9).fill('lakeq-deploy-20261127T130501Z'));
    expect(ingestions).toHaveLength(9);
    // What was stored is what export writes, owners granted.
    for (const d of DASHBOARDS) {
      const stored = fake.dashboards.get(d.id) as FakeDashboard;
      expect(stored.versions[0]?.definition).toEqual(createDashboardRequest(config, d).Definition);
      expect(stored.permissions.map((p) => p.Principal)).toEqual([OWNER]);
    }
    expect(
      expectValidCommands(
        'quicksight',
        qs.calls().map((c) => c.args[0]),
      ),
    ).toBe(qs.calls().length);
  });

  it('changes nothing on a second deploy of the same code', async () => {
    await deploy();
    qs.resetHistory();
    const { plan, applied, ingestions } = await deploy();
    expect(plan.changes.filter((c) => c.action !== 'no-op').map((c) => [c.name, c.diff])).toEqual([]);
    expect(applied).toEqual([]);
    expect(ingestions).toEqual([]);
    expect(mutations()).toEqual([]);
    expect(sent().every((op) => op.startsWith('Describe'))).toBe(true);
  });

  it('updates and publishes only the dashboard whose visual title changed', async () => {
    await deploy();
    qs.resetHistory();
    const { plan } = await deploy(retitled('Spend by job'));
    expect(plan.changes.filter((c) => c.action !== 'no-op').map((c) => [c.action, c.name, c.diff])).toEqual([
      [
        'update',
        'lakeq-glue-jobs',
        [
          'Sheets.jobs.Visuals.bar-cost-by-job.BarChartVisual.Title.FormatText.PlainText: "Cost by job" → "Spend by job"',
        ],
      ],
    ]);
    expect(mutations()).toEqual([
      'UpdateDashboard lakeq-glue-jobs',
      'UpdateDashboardPublishedVersion lakeq-glue-jobs v2',
    ]);
    const stored = fake.dashboards.get('lakeq-glue-jobs') as FakeDashboard;
    expect(stored.published).toBe(2);
    const bar = stored.versions[1]?.definition.Sheets?.[0]?.Visuals?.find(
      (v) => v.BarChartVisual,
    )?.BarChartVisual;
    expect(bar?.Title?.FormatText?.PlainText).toBe('Spend by job');
    expect(
      expectValidCommands(
        'quicksight',
        qs.calls().map((c) => c.args[0]),
      ),
    ).toBe(qs.calls().length);
  });

  it('grants a newly configured viewer without touching the definitions', async () => {
    await deploy();
    qs.resetHistory();
    const withViewer = testConfig({ principals: [OWNER], viewers: [VIEWER] });
    const { plan } = await deploy(DASHBOARDS, withViewer);
    expect(plan.changes.filter((c) => c.action === 'update').map((c) => c.name)).toEqual(
      DASHBOARDS.map((d) => d.id),
    );
    expect(mutations()).toEqual(DASHBOARDS.map((d) => `UpdateDashboardPermissions ${d.id}`));
    const grants = qs
      .commandCalls(UpdateDashboardPermissionsCommand)
      .map((c) => c.args[0].input.GrantPermissions);
    expect(grants[0]).toEqual([
      {
        Principal: VIEWER,
        Actions: [
          'quicksight:DescribeDashboard',
          'quicksight:ListDashboardVersions',
          'quicksight:QueryDashboard',
        ],
      },
    ]);
    expect(
      expectValidCommands(
        'quicksight',
        qs.calls().map((c) => c.args[0]),
      ),
    ).toBe(qs.calls().length);
  });
});

describe('lakeq dashboards diff', () => {
  beforeEach(() => {
    installFake();
  });

  it('reports the path of a title changed in QuickSight, and nothing for the others', async () => {
    await deploy(retitled('Spend by job'));
    const drifts = await diffDashboards(clients, config, inputs());
    expect(drifts.map((d) => [d.dashboardId, d.state, d.lines])).toEqual([
      ['lakeq-identity-center-churn', 'same', []],
      [
        'lakeq-glue-jobs',
        'drift',
        [
          'Sheets.jobs.Visuals.bar-cost-by-job.BarChartVisual.Title.FormatText.PlainText: "Spend by job" → "Cost by job"',
        ],
      ],
      ['lakeq-glue-metrics', 'same', []],
      ['lakeq-pipeline-health', 'same', []],
      ['lakeq-tpcds-cbo', 'same', []],
      ['lakeq-security-lake', 'same', []],
    ]);
    expect(formatDrift(drifts).split('\n')).toEqual([
      '= lakeq-identity-center-churn',
      '~ lakeq-glue-jobs',
      '    Sheets.jobs.Visuals.bar-cost-by-job.BarChartVisual.Title.FormatText.PlainText: "Spend by job" → "Cost by job"',
      '= lakeq-glue-metrics',
      '= lakeq-pipeline-health',
      '= lakeq-tpcds-cbo',
      '= lakeq-security-lake',
      '1 dashboard(s) drifted, 0 not deployed, 5 as in the code.',
    ]);
  });

  it('reports a visual added in QuickSight and a dashboard not deployed', async () => {
    await deploy(DASHBOARDS.slice(0, 2));
    const stored = fake.dashboards.get('lakeq-identity-center-churn') as FakeDashboard;
    const def = stored.versions[0]?.definition as DashboardVersionDefinition;
    def.Sheets?.[0]?.Visuals?.push({ KPIVisual: { VisualId: 'console-kpi' } });
    const drifts = await diffDashboards(clients, config, inputs());
    expect(drifts.map((d) => [d.dashboardId, d.state, d.lines])).toEqual([
      [
        'lakeq-identity-center-churn',
        'drift',
        ['Sheets.overview.Visuals.console-kpi: {"KPIVisual":{"VisualId":"console-kpi"}} → (none)'],
      ],
      ['lakeq-glue-jobs', 'same', []],
      ['lakeq-glue-metrics', 'not-deployed', []],
      ['lakeq-pipeline-health', 'not-deployed', []],
      ['lakeq-tpcds-cbo', 'not-deployed', []],
      ['lakeq-security-lake', 'not-deployed', []],
    ]);
  });
});

describe('lakeq dashboards (command line)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lakeq-qs-cli-'));
    await writeFile(
      path.join(dir, 'lakeq.deploy.json'),
      JSON.stringify({
        accountId: ACCOUNT,
        region: REGION,
        data: { bucket: 'lakeq-lake' },
        trail: { bucket: 'trail', accounts: [ACCOUNT], regions: [REGION], startDate: '2026-01-01' },
        roles: {
          stateMachine: `arn:aws:iam::${ACCOUNT}:role/sm`,
          lambda: `arn:aws:iam::${ACCOUNT}:role/fn`,
          scheduler: `arn:aws:iam::${ACCOUNT}:role/sch`,
        },
      }),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    installFake();
  });

  it('diff exits 1 while a dashboard is not deployed, 0 after deploy', async () => {
    const args = ['--deploy-config', path.join(dir, 'lakeq.deploy.json'), '--region', REGION];
    const before = captureIO();
    expect(await dashboardsCommand(['diff', ...args], before)).toBe(1);
    expect(before.stdout()).toContain('+ lakeq-glue-jobs (not deployed)');
    expect(await dashboardsCommand(['deploy', ...args], captureIO())).toBe(0);
    const after = captureIO();
    expect(await dashboardsCommand(['diff', ...args], after)).toBe(0);
    expect(after.stdout()).toContain('0 dashboard(s) drifted, 0 not deployed, 6 as in the code.');
  });

  it('export writes one valid request body per file, named <dashboard>.<Operation>[.<dataset>].json', async () => {
    const out = path.join(dir, 'export');
    const args = ['--deploy-config', path.join(dir, 'lakeq.deploy.json'), '--region', REGION];
    expect(await dashboardsCommand(['export', '--out', out, ...args], captureIO())).toBe(0);
    const files = (await readdir(out)).sort();
    expect(files).toContain('lakeq-glue-jobs.CreateDashboard.json');
    expect(files).toContain('lakeq-glue-jobs.CreateDataSource.json');
    expect(files.filter((f) => f.endsWith('.CreateDashboard.json'))).toHaveLength(DASHBOARDS.length);
    for (const file of files) {
      const operation = file.split('.')[1] as string;
      const body = JSON.parse(await readFile(path.join(out, file), 'utf8')) as Record<string, unknown>;
      expectValidRequest('quicksight', operation, body);
    }
    expect(qs.calls()).toHaveLength(0);
  });
});
