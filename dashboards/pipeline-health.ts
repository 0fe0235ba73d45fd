import type { LakeqDashboard } from '../src/dashboards/dashboard-definition.ts';
import {
  category,
  count,
  date,
  dateRangeControls,
  dateRangeFilterGroup,
  dateRangeParameters,
  grid,
  measure,
  sheetScope,
  subtitle,
  title,
  valuesFilterGroup,
} from '../src/dashboards/definition-builders.ts';

const DS = 'ledger';
const SHEET = 'health';

/** lakeq's own loads, from the run ledger: what was loaded, how much, what failed. */
const pipelineHealth: LakeqDashboard = {
  id: 'lakeq-pipeline-health',
  name: 'Pipeline health',
  description: "lakeq's loads from its run ledger: partitions loaded and failed, rows per hour and table.",
  datasets: { [DS]: 'lakeq-pipeline-runs' },
  definition: {
    ParameterDeclarations: dateRangeParameters(),
    FilterGroups: [
      dateRangeFilterGroup(DS, 'startedat', SHEET),
      valuesFilterGroup('loaded', DS, 'status', sheetScope(SHEET, ['kpi-loaded']), ['loaded']),
      valuesFilterGroup('failed', DS, 'status', sheetScope(SHEET, ['kpi-failed', 'table-failures']), [
        'failed',
      ]),
    ],
    Sheets: [
      {
        SheetId: SHEET,
        Name: 'Pipeline health',
        Title: 'lakeq pipeline health',
        Description: 'One ledger row per table, partition and load run.',
        ParameterControls: dateRangeControls(),
        Visuals: [
          {
            KPIVisual: {
              VisualId: 'kpi-loaded',
              Title: title('Partitions loaded'),
              Subtitle: subtitle('Loads that wrote a partition'),
              ChartConfiguration: { FieldWells: { Values: [count('kpi-loaded-value', DS, 'runid')] } },
            },
          },
          {
            KPIVisual: {
              VisualId: 'kpi-failed',
              Title: title('Failed loads'),
              Subtitle: subtitle('Partition loads that failed'),
              ChartConfiguration: { FieldWells: { Values: [count('kpi-failed-value', DS, 'runid')] } },
            },
          },
          {
            KPIVisual: {
              VisualId: 'kpi-rows',
              Title: title('Rows loaded'),
              Subtitle: subtitle('Rows written to the curated tables'),
              ChartConfiguration: { FieldWells: { Values: [measure('kpi-rows-value', DS, 'rows', 'SUM')] } },
            },
          },
          {
            LineChartVisual: {
              VisualId: 'line-rows-per-hour',
              Title: title('Rows loaded per hour'),
              Subtitle: subtitle('By the hour the load started, one line per table'),
              ChartConfiguration: {
                FieldWells: {
                  LineChartAggregatedFieldWells: {
                    Category: [date('line-hour', DS, 'startedat', 'HOUR')],
                    Values: [measure('line-rows', DS, 'rows', 'SUM')],
                    Colors: [category('line-table', DS, 'table')],
                  },
                },
              },
            },
          },
          {
            TableVisual: {
              VisualId: 'table-failures',
              Title: title('Failures'),
              Subtitle: subtitle('Failed partition loads and their errors'),
              ChartConfiguration: {
                FieldWells: {
                  TableUnaggregatedFieldWells: {
                    Values: ['startedat', 'table', 'dt', 'hour', 'engine', 'queryid', 'runid', 'error'].map(
                      (name) => ({
                        FieldId: `table-failures-${name}`,
                        Column: { DataSetIdentifier: DS, ColumnName: name },
                      }),
                    ),
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
              { id: 'kpi-loaded', columns: 12 },
              { id: 'kpi-failed', columns: 12 },
              { id: 'kpi-rows', columns: 12 },
            ],
          },
          { rowSpan: 10, cells: [{ id: 'line-rows-per-hour', columns: 36 }] },
          { rowSpan: 10, cells: [{ id: 'table-failures', columns: 36 }] },
        ]),
      },
    ],
  },
};

export default pipelineHealth;
