import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TrinoSQL } from 'dt-sql-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { DASHBOARDS } from '../../dashboards/index.ts';
import type { LakeqDashboard } from '../../src/dashboards/dashboard-definition.ts';
import { SPICE_DATASETS } from '../../src/dashboards/datasets.ts';
import { checkDashboard } from '../../src/dashboards/quicksight/check-dashboard.ts';
import {
  exportDashboardRequests,
  writeExportedRequests,
} from '../../src/dashboards/quicksight/dashboard-requests.ts';
import { spiceDatasetColumns } from '../../src/deploy/spice-datasets.ts';
import { loadAllQueries } from '../../src/query/registry.ts';
import { expectValidRequest } from '../support/aws-model-validator.ts';
import { ACCOUNT, OWNER, REGION, TEST_TABLES, testConfig, VIEWER } from './quicksight-fixtures.ts';

const inputs = { tables: TEST_TABLES, queries: await loadAllQueries() };
const columnsOf = (id: string) => {
  const d = SPICE_DATASETS.find((x) => x.id === id);
  return d ? spiceDatasetColumns(d, TEST_TABLES) : undefined;
};

describe('exported QuickSight requests', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('are valid requests for the QuickSight API model, one file per request, named as documented', async () => {
    const requests = await exportDashboardRequests(
      testConfig({ principals: [OWNER], viewers: [VIEWER] }),
      inputs,
    );
    for (const r of requests) expectValidRequest('quicksight', r.operation, r.body);
    expect(requests.map((r) => r.file)).toEqual(
      DASHBOARDS.flatMap((d) => {
        const sets = [...new Set(Object.values(d.datasets))];
        return [
          `${d.id}.CreateDataSource.json`,
          ...(sets.length === 1
            ? [`${d.id}.CreateDataSet.json`]
            : sets.map((id) => `${d.id}.CreateDataSet.${id}.json`)),
          `${d.id}.CreateDashboard.json`,
        ];
      }),
    );
    // The churn dashboard reads the churn table and, on its inventory sheet, two query datasets.
    expect(
      requests.filter((r) => r.file.startsWith('lakeq-identity-center-churn.CreateDataSet.')).length,
    ).toBe(3);
    expect(DASHBOARDS.map((d) => d.id)).toEqual([
      'lakeq-identity-center-churn',
      'lakeq-glue-jobs',
      'lakeq-glue-metrics',
      'lakeq-pipeline-health',
      'lakeq-tpcds-cbo',
      'lakeq-security-lake',
    ]);
  });

  it('declare each dashboard dataset by the ARN of the dataset created beside it', async () => {
    const requests = await exportDashboardRequests(testConfig(), inputs);
    const body = (file: string) => requests.find((r) => r.file === file)?.body as unknown;
    const dashboard = body('lakeq-glue-jobs.CreateDashboard.json') as {
      Definition: { DataSetIdentifierDeclarations: unknown };
      Permissions: { Principal: string; Actions: string[] }[];
    };
    expect(dashboard.Definition.DataSetIdentifierDeclarations).toEqual([
      {
        Identifier: 'runs',
        DataSetArn: `arn:aws:quicksight:${REGION}:${ACCOUNT}:dataset/lakeq-glue-job-runs`,
      },
    ]);
    expect(body('lakeq-glue-jobs.CreateDataSet.json')).toMatchObject({
      AwsAccountId: ACCOUNT,
      DataSetId: 'lakeq-glue-job-runs',
      ImportMode: 'SPICE',
    });
    expect(dashboard.Permissions.map((p) => p.Principal)).toEqual([OWNER]);
    expect(dashboard.Permissions[0]?.Actions).toContain('quicksight:UpdateDashboardPublishedVersion');
  });

  it('read the run ledger through SQL Athena accepts: scalar columns, ISO times and dt as timestamps', async () => {
    const requests = await exportDashboardRequests(testConfig(), inputs);
    const set = requests.find((r) => r.file === 'lakeq-pipeline-health.CreateDataSet.json')?.body as {
      PhysicalTableMap: Record<
        string,
        { CustomSql: { SqlQuery: string; Columns: { Name: string; Type: string }[] } }
      >;
    };
    const sql = Object.values(set.PhysicalTableMap)[0]?.CustomSql;
    expect(sql?.Columns.map((c) => c.Name)).not.toContain('quarantined');
    expect(sql?.Columns.map((c) => c.Name)).not.toContain('enginequeryids');
    expect(sql?.Columns.find((c) => c.Name === 'startedat')?.Type).toBe('DATETIME');
    expect(sql?.Columns.find((c) => c.Name === 'dt')?.Type).toBe('DATETIME');
    expect(sql?.Columns.find((c) => c.Name === 'rows')?.Type).toBe('INTEGER');
    expect(sql?.SqlQuery).toContain('FROM "AwsDataCatalog"."lakeq"."lakeq_runs"');
    expect(new TrinoSQL().validate(sql?.SqlQuery ?? '')).toEqual([]);
  });

  it("cast a curated table dataset's dt to a date, so the churn line can chart by day", async () => {
    const requests = await exportDashboardRequests(testConfig(), inputs);
    const set = requests.find(
      (r) =>
        r.file ===
        'lakeq-identity-center-churn.CreateDataSet.lakeq-identity-center-instance-churn-hourly.json',
    )?.body;
    expect(set).toMatchObject({
      LogicalTableMap: {
        'lakeq-table': {
          Source: { PhysicalTableId: 'lakeq-source' },
          DataTransforms: [
            {
              CastColumnTypeOperation: { ColumnName: 'dt', NewColumnType: 'DATETIME', Format: 'yyyy-MM-dd' },
            },
          ],
        },
      },
    });
  });

  it('are written one file each, JSON as exported', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lakeq-qs-export-'));
    dirs.push(dir);
    const requests = await exportDashboardRequests(testConfig(), inputs);
    await writeExportedRequests(dir, requests);
    expect((await readdir(dir)).sort()).toEqual(requests.map((r) => r.file).sort());
    const file = 'lakeq-glue-metrics.CreateDashboard.json';
    expect(JSON.parse(await readFile(path.join(dir, file), 'utf8'))).toEqual(
      requests.find((r) => r.file === file)?.body,
    );
  });
});

describe('dashboard definitions', () => {
  it('use KPI, line, bar, pie, table and pivot visuals, each titled and subtitled', () => {
    const kinds = new Set(
      DASHBOARDS.flatMap((d) =>
        (d.definition.Sheets ?? []).flatMap((s) => (s.Visuals ?? []).flatMap(Object.keys)),
      ),
    );
    expect([...kinds].sort()).toEqual([
      'BarChartVisual',
      'KPIVisual',
      'LineChartVisual',
      'PieChartVisual',
      'PivotTableVisual',
      'TableVisual',
    ]);
  });

  it('are consistent with their datasets, parameters, filters and visuals', () => {
    for (const d of DASHBOARDS) expect(checkDashboard(d, columnsOf)).toEqual([]);
  });

  const glueJobs = DASHBOARDS.find((d) => d.id === 'lakeq-glue-jobs') as LakeqDashboard;
  const broken = (edit: (def: { -readonly [K in keyof LakeqDashboard]: LakeqDashboard[K] }) => void) => {
    const copy = structuredClone(glueJobs) as { -readonly [K in keyof LakeqDashboard]: LakeqDashboard[K] };
    edit(copy);
    return checkDashboard(copy, columnsOf);
  };
  const bar = (d: LakeqDashboard) => {
    const v = d.definition.Sheets?.[0]?.Visuals?.find((x) => x.BarChartVisual)?.BarChartVisual;
    if (!v) throw new Error('no bar chart in glue-jobs');
    return v;
  };

  it('name an undeclared dataset identifier, a missing column and a wrongly typed one', () => {
    expect(
      broken((d) => {
        const wells = bar(d).ChartConfiguration?.FieldWells?.BarChartAggregatedFieldWells;
        const dim = wells?.Category?.[0]?.CategoricalDimensionField;
        if (dim?.Column) dim.Column.ColumnName = 'job';
        const measure = wells?.Values?.[0]?.NumericalMeasureField;
        if (measure?.Column) measure.Column.DataSetIdentifier = 'costs';
      }),
    ).toEqual([
      'lakeq-glue-jobs: Sheets[0].Visuals[4].BarChartVisual.ChartConfiguration.FieldWells.BarChartAggregatedFieldWells.Category[0].CategoricalDimensionField.Column: no column job in dataset runs (lakeq-glue-job-runs)',
      'lakeq-glue-jobs: Sheets[0].Visuals[4].BarChartVisual.ChartConfiguration.FieldWells.BarChartAggregatedFieldWells.Values[0].NumericalMeasureField.Column: dataset identifier costs is not declared in datasets',
    ]);
    expect(
      broken((d) => {
        const m =
          bar(d).ChartConfiguration?.FieldWells?.BarChartAggregatedFieldWells?.Values?.[0]
            ?.NumericalMeasureField;
        if (m?.Column) m.Column.ColumnName = 'job_name';
      }),
    ).toEqual([
      'lakeq-glue-jobs: Sheets[0].Visuals[4].BarChartVisual.ChartConfiguration.FieldWells.BarChartAggregatedFieldWells.Values[0].NumericalMeasureField: a numerical measure needs job_name to be numeric, it is STRING',
    ]);
  });

  it('name an undeclared parameter, an unknown drill-down target and a visual without a title', () => {
    expect(
      broken((d) => {
        const decls = d.definition.ParameterDeclarations ?? [];
        d.definition = {
          ...d.definition,
          ParameterDeclarations: decls.filter((p) => p.StringParameterDeclaration?.Name !== 'JobName'),
        };
        const op = bar(d).Actions?.[0]?.ActionOperations?.[0]?.FilterOperation?.TargetVisualsConfiguration;
        if (op?.SameSheetTargetVisualConfiguration)
          op.SameSheetTargetVisualConfiguration.TargetVisuals = ['table-jobs'];
        bar(d).Title = undefined;
      }),
    ).toEqual([
      'lakeq-glue-jobs: Sheets[0].Visuals[4].BarChartVisual.Title: visual bar-cost-by-job has no title (FormatText.PlainText)',
      'lakeq-glue-jobs: Sheets[0].Visuals[4].BarChartVisual.Actions[0].ActionOperations[0].FilterOperation.TargetVisualsConfiguration.SameSheetTargetVisualConfiguration: drill-down targets visual table-jobs, which sheet jobs does not have',
      'lakeq-glue-jobs: FilterGroups[1].Filters[0].CategoryFilter.Configuration.CustomFilterConfiguration.ParameterName: parameter JobName is not declared',
      'lakeq-glue-jobs: Sheets[0].ParameterControls[2].Dropdown.SourceParameterName: parameter JobName is not declared',
    ]);
  });

  it('name an unknown SPICE dataset', () => {
    expect(broken((d) => (d.datasets = { runs: 'lakeq-nope' }))).toEqual([
      'lakeq-glue-jobs: datasets.runs: no SPICE dataset lakeq-nope',
    ]);
  });

  it('refuse to export an inconsistent dashboard', async () => {
    const copy = structuredClone(glueJobs);
    await expect(
      exportDashboardRequests(testConfig(), {
        ...inputs,
        dashboards: [{ ...copy, datasets: { other: 'lakeq-glue-job-runs' } }],
      }),
    ).rejects.toThrow(/dataset identifier runs is not declared in datasets/);
  });
});
