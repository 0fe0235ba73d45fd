import type { LakeqDashboard } from '../src/dashboards/dashboard-definition.ts';
import {
  category,
  count,
  date,
  dateRangeControls,
  dateRangeFilterGroup,
  dateRangeParameters,
  drillDown,
  filterDropdown,
  grid,
  measure,
  parameterDropdown,
  parameterFilterGroup,
  sheetScope,
  stringParameter,
  subtitle,
  title,
  valuesFilterGroup,
} from '../src/dashboards/definition-builders.ts';

const DS = 'runs';
const SHEET = 'jobs';
const FAILED_STATES = ['FAILED', 'ERROR', 'TIMEOUT'];

/** Glue job runs: how many, which failed, what they cost; drill from a job to its runs. */
const glueJobs: LakeqDashboard = {
  id: 'lakeq-glue-jobs',
  name: 'Glue Jobs',
  description: 'AWS Glue job runs: counts, failures, DPU usage and estimated cost per job and day.',
  datasets: { [DS]: 'lakeq-glue-job-runs' },
  definition: {
    ParameterDeclarations: [...dateRangeParameters(), stringParameter('JobName')],
    FilterGroups: [
      dateRangeFilterGroup(DS, 'started_on', SHEET),
      parameterFilterGroup('job-name', DS, 'job_name', 'JobName', SHEET),
      valuesFilterGroup('account', DS, 'account_id', sheetScope(SHEET)),
      valuesFilterGroup('failed', DS, 'job_run_state', sheetScope(SHEET, ['kpi-failed']), FAILED_STATES),
    ],
    Sheets: [
      {
        SheetId: SHEET,
        Name: 'Glue Jobs',
        Title: 'AWS Glue job runs',
        Description: 'Runs by start time; a retried run counts once per attempt.',
        ParameterControls: [
          ...dateRangeControls(),
          parameterDropdown('JobName', 'Job', DS, 'job_name', 'MULTI_SELECT'),
        ],
        FilterControls: [filterDropdown('account', 'Account')],
        Visuals: [
          {
            KPIVisual: {
              VisualId: 'kpi-runs',
              Title: title('Runs'),
              Subtitle: subtitle('Job run attempts started'),
              ChartConfiguration: { FieldWells: { Values: [count('kpi-runs-value', DS, 'job_run_id')] } },
            },
          },
          {
            KPIVisual: {
              VisualId: 'kpi-failed',
              Title: title('Failed runs'),
              Subtitle: subtitle('FAILED, ERROR or TIMEOUT'),
              ChartConfiguration: { FieldWells: { Values: [count('kpi-failed-value', DS, 'job_run_id')] } },
            },
          },
          {
            KPIVisual: {
              VisualId: 'kpi-cost',
              Title: title('Estimated cost (USD)'),
              Subtitle: subtitle('DPU-hours times the configured price'),
              ChartConfiguration: {
                FieldWells: { Values: [measure('kpi-cost-value', DS, 'estimated_cost_usd', 'SUM')] },
              },
            },
          },
          {
            LineChartVisual: {
              VisualId: 'line-cost-per-day',
              Title: title('Cost per day'),
              Subtitle: subtitle('Estimated USD by UTC day of the run start'),
              ChartConfiguration: {
                FieldWells: {
                  LineChartAggregatedFieldWells: {
                    Category: [date('line-day', DS, 'started_on', 'DAY')],
                    Values: [measure('line-cost', DS, 'estimated_cost_usd', 'SUM')],
                  },
                },
              },
            },
          },
          {
            BarChartVisual: {
              VisualId: 'bar-cost-by-job',
              Title: title('Cost by job'),
              Subtitle: subtitle('Click a job to see its runs'),
              ChartConfiguration: {
                Orientation: 'HORIZONTAL',
                FieldWells: {
                  BarChartAggregatedFieldWells: {
                    Category: [category('bar-job', DS, 'job_name')],
                    Values: [measure('bar-cost', DS, 'estimated_cost_usd', 'SUM')],
                  },
                },
              },
              Actions: [drillDown('drill-job', 'Show the runs of this job', ['bar-job'], ['table-runs'])],
            },
          },
          {
            PieChartVisual: {
              VisualId: 'pie-state',
              Title: title('Runs by state'),
              Subtitle: subtitle('Final or current JobRunState'),
              ChartConfiguration: {
                FieldWells: {
                  PieChartAggregatedFieldWells: {
                    Category: [category('pie-state-name', DS, 'job_run_state')],
                    Values: [count('pie-runs', DS, 'job_run_id')],
                  },
                },
              },
            },
          },
          {
            TableVisual: {
              VisualId: 'table-runs',
              Title: title('Runs'),
              Subtitle: subtitle('One row per attempt, with its error'),
              ChartConfiguration: {
                FieldWells: {
                  TableUnaggregatedFieldWells: {
                    Values: [
                      'job_name',
                      'job_run_id',
                      'attempt',
                      'job_run_state',
                      'started_on',
                      'execution_seconds',
                      'worker_type',
                      'number_of_workers',
                      'dpu_seconds',
                      'estimated_cost_usd',
                      'error_message',
                    ].map((name) => ({
                      FieldId: `table-runs-${name}`,
                      Column: { DataSetIdentifier: DS, ColumnName: name },
                    })),
                  },
                },
              },
            },
          },
          {
            PivotTableVisual: {
              VisualId: 'pivot-job-state',
              Title: title('Runs by job and state'),
              Subtitle: subtitle('Attempts per job (rows) and state (columns)'),
              ChartConfiguration: {
                FieldWells: {
                  PivotTableAggregatedFieldWells: {
                    Rows: [category('pivot-job', DS, 'job_name')],
                    Columns: [category('pivot-state', DS, 'job_run_state')],
                    Values: [count('pivot-runs', DS, 'job_run_id')],
                  },
                },
              },
            },
          },
        ],
        Layouts: grid([
          {
            rowSpan: 5,
            cells: [
              { id: 'kpi-runs', columns: 12 },
              { id: 'kpi-failed', columns: 12 },
              { id: 'kpi-cost', columns: 12 },
            ],
          },
          {
            rowSpan: 10,
            cells: [
              { id: 'line-cost-per-day', columns: 14 },
              { id: 'bar-cost-by-job', columns: 12 },
              { id: 'pie-state', columns: 10 },
            ],
          },
          { rowSpan: 12, cells: [{ id: 'table-runs', columns: 36 }] },
          { rowSpan: 10, cells: [{ id: 'pivot-job-state', columns: 36 }] },
        ]),
      },
    ],
  },
};

export default glueJobs;
