import type { LakeqDashboard } from '../src/dashboards/dashboard-definition.ts';
import {
  category,
  date,
  dateRangeControls,
  dateRangeFilterGroup,
  dateRangeParameters,
  drillDown,
  grid,
  measure,
  parameterDropdown,
  parameterFilterGroup,
  stringParameter,
  subtitle,
  title,
} from '../src/dashboards/definition-builders.ts';

const DS = 'churn';
const SHEET = 'overview';

/** IAM Identity Center instances created and deleted, per day and account. */
const identityCenterChurn: LakeqDashboard = {
  id: 'lakeq-identity-center-churn',
  name: 'Identity Center instance churn',
  description:
    'IAM Identity Center instances created and deleted per day, account and Region, and who did it.',
  datasets: { [DS]: 'lakeq-identity-center-instance-churn-hourly' },
  definition: {
    ParameterDeclarations: [...dateRangeParameters(), stringParameter('Account')],
    FilterGroups: [
      dateRangeFilterGroup(DS, 'dt', SHEET),
      parameterFilterGroup('account', DS, 'account_id', 'Account', SHEET),
    ],
    Sheets: [
      {
        SheetId: SHEET,
        Name: 'Instance churn',
        Title: 'IAM Identity Center instance churn',
        Description: 'Successful CreateInstance and DeleteInstance calls recorded by CloudTrail.',
        ParameterControls: [
          ...dateRangeControls(),
          parameterDropdown('Account', 'Account', DS, 'account_id', 'MULTI_SELECT'),
        ],
        Visuals: [
          {
            KPIVisual: {
              VisualId: 'kpi-created',
              Title: title('Instances created'),
              Subtitle: subtitle('Successful CreateInstance calls'),
              ChartConfiguration: {
                FieldWells: { Values: [measure('kpi-created-value', DS, 'created', 'SUM')] },
              },
            },
          },
          {
            KPIVisual: {
              VisualId: 'kpi-deleted',
              Title: title('Instances deleted'),
              Subtitle: subtitle('Successful DeleteInstance calls'),
              ChartConfiguration: {
                FieldWells: { Values: [measure('kpi-deleted-value', DS, 'deleted', 'SUM')] },
              },
            },
          },
          {
            KPIVisual: {
              VisualId: 'kpi-net',
              Title: title('Net change'),
              Subtitle: subtitle('Created minus deleted'),
              ChartConfiguration: { FieldWells: { Values: [measure('kpi-net-value', DS, 'net', 'SUM')] } },
            },
          },
          {
            LineChartVisual: {
              VisualId: 'line-per-day',
              Title: title('Churn per day'),
              Subtitle: subtitle('Instances created and deleted per UTC day'),
              ChartConfiguration: {
                FieldWells: {
                  LineChartAggregatedFieldWells: {
                    Category: [date('line-day', DS, 'dt', 'DAY')],
                    Values: [
                      measure('line-created', DS, 'created', 'SUM'),
                      measure('line-deleted', DS, 'deleted', 'SUM'),
                    ],
                  },
                },
              },
            },
          },
          {
            BarChartVisual: {
              VisualId: 'bar-by-account',
              Title: title('Churn by account'),
              Subtitle: subtitle('Click an account to see its rows in the table'),
              ChartConfiguration: {
                Orientation: 'HORIZONTAL',
                FieldWells: {
                  BarChartAggregatedFieldWells: {
                    Category: [category('bar-account', DS, 'account_id')],
                    Values: [
                      measure('bar-created', DS, 'created', 'SUM'),
                      measure('bar-deleted', DS, 'deleted', 'SUM'),
                    ],
                  },
                },
              },
              Actions: [
                drillDown(
                  'drill-account',
                  'Show this account in the table',
                  ['bar-account'],
                  ['table-churn'],
                ),
              ],
            },
          },
          {
            TableVisual: {
              VisualId: 'table-churn',
              Title: title('Churn by day, account and Region'),
              Subtitle: subtitle('With the principals who made the calls'),
              ChartConfiguration: {
                FieldWells: {
                  TableAggregatedFieldWells: {
                    GroupBy: [
                      date('table-day', DS, 'dt', 'DAY'),
                      category('table-account', DS, 'account_id'),
                      category('table-region', DS, 'region'),
                      category('table-actors', DS, 'actors'),
                    ],
                    Values: [
                      measure('table-created', DS, 'created', 'SUM'),
                      measure('table-deleted', DS, 'deleted', 'SUM'),
                      measure('table-net', DS, 'net', 'SUM'),
                    ],
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
              { id: 'kpi-created', columns: 12 },
              { id: 'kpi-deleted', columns: 12 },
              { id: 'kpi-net', columns: 12 },
            ],
          },
          {
            rowSpan: 10,
            cells: [
              { id: 'line-per-day', columns: 20 },
              { id: 'bar-by-account', columns: 16 },
            ],
          },
          { rowSpan: 12, cells: [{ id: 'table-churn', columns: 36 }] },
        ]),
      },
    ],
  },
};

export default identityCenterChurn;
