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
  parameterDropdown,
  parameterFilterGroup,
  sheetScope,
  stringParameter,
  subtitle,
  title,
  valuesFilterGroup,
} from '../src/dashboards/definition-builders.ts';

/**
 * The builders' controls and date filter have fixed ids, one of each per dashboard: the second
 * sheet's get a suffix (the ids only have to be unique; controls and filters reach the
 * parameters by name).
 */
function suffixed<T>(value: T, suffix: string): T {
  const ids = new Set(['FilterGroupId', 'FilterId', 'ParameterControlId']);
  return JSON.parse(JSON.stringify(value), (key, v) =>
    ids.has(key) && typeof v === 'string' ? `${v}-${suffix}` : v,
  ) as T;
}

const F = 'findings';
const A = 'activity';
const FINDINGS = 'findings';
const ACTIVITY = 'activity';

/** Amazon Security Lake: Security Hub findings (either source version) and the CloudTrail and VPC signals beside them. */
const securityLake: LakeqDashboard = {
  id: 'lakeq-security-lake',
  name: 'Security Lake',
  description:
    'Security Hub findings by severity over time, the accounts and controls with the most, new critical findings; ' +
    'API errors, root user activity and rejected VPC flows; from Amazon Security Lake, source version 1 or 2.',
  datasets: { [F]: 'lakeq-security-findings-daily', [A]: 'lakeq-security-lake-activity-daily' },
  definition: {
    ParameterDeclarations: [...dateRangeParameters(), stringParameter('Account')],
    FilterGroups: [
      dateRangeFilterGroup(F, 'dt', FINDINGS),
      parameterFilterGroup('account-findings', F, 'account_id', 'Account', FINDINGS),
      valuesFilterGroup(
        'active',
        F,
        'record_state',
        sheetScope(FINDINGS, ['line-severity', 'bar-accounts', 'bar-controls', 'kpi-active', 'kpi-critical']),
        ['ACTIVE'],
      ),
      // Control findings are Security Hub's own (GuardDuty's and Inspector's have no control).
      valuesFilterGroup('controls', F, 'product_name', sheetScope(FINDINGS, ['bar-controls']), [
        'Security Hub',
      ]),
      valuesFilterGroup('critical', F, 'severity', sheetScope(FINDINGS, ['kpi-critical', 'table-critical']), [
        'Critical',
      ]),
      suffixed(dateRangeFilterGroup(A, 'dt', ACTIVITY), ACTIVITY),
      parameterFilterGroup('account-activity', A, 'account_id', 'Account', ACTIVITY),
      valuesFilterGroup(
        'api-errors',
        A,
        'signal',
        sheetScope(ACTIVITY, ['kpi-api-errors', 'bar-api-errors']),
        ['api_error'],
      ),
      valuesFilterGroup('root', A, 'signal', sheetScope(ACTIVITY, ['kpi-root', 'table-root']), [
        'root_activity',
      ]),
      valuesFilterGroup('rejected', A, 'signal', sheetScope(ACTIVITY, ['bar-rejected']), ['rejected_flow']),
    ],
    Sheets: [
      {
        SheetId: FINDINGS,
        Name: 'Findings',
        Title: 'Security Hub findings',
        Description:
          'Each finding once a day, at its latest state (Security Lake re-sends a finding on every update).',
        ParameterControls: [
          ...dateRangeControls(),
          parameterDropdown('Account', 'Account', F, 'account_id', 'MULTI_SELECT'),
        ],
        Visuals: [
          {
            KPIVisual: {
              VisualId: 'kpi-active',
              Title: title('Active findings'),
              Subtitle: subtitle('Distinct findings still ACTIVE'),
              ChartConfiguration: {
                FieldWells: { Values: [count('kpi-active-value', F, 'finding_uid', 'DISTINCT_COUNT')] },
              },
            },
          },
          {
            KPIVisual: {
              VisualId: 'kpi-critical',
              Title: title('Active critical findings'),
              Subtitle: subtitle('Severity Critical, still ACTIVE'),
              ChartConfiguration: {
                FieldWells: { Values: [count('kpi-critical-value', F, 'finding_uid', 'DISTINCT_COUNT')] },
              },
            },
          },
          {
            LineChartVisual: {
              VisualId: 'line-severity',
              Title: title('Active findings by severity'),
              Subtitle: subtitle('Per UTC day'),
              ChartConfiguration: {
                FieldWells: {
                  LineChartAggregatedFieldWells: {
                    Category: [date('line-day', F, 'dt', 'DAY')],
                    Values: [count('line-findings', F, 'finding_uid', 'DISTINCT_COUNT')],
                    Colors: [category('line-severity-color', F, 'severity')],
                  },
                },
              },
            },
          },
          {
            BarChartVisual: {
              VisualId: 'bar-accounts',
              Title: title('Top accounts'),
              Subtitle: subtitle('Active findings per account'),
              ChartConfiguration: {
                Orientation: 'HORIZONTAL',
                FieldWells: {
                  BarChartAggregatedFieldWells: {
                    Category: [category('bar-account', F, 'account_id')],
                    Values: [count('bar-account-findings', F, 'finding_uid', 'DISTINCT_COUNT')],
                  },
                },
              },
            },
          },
          {
            BarChartVisual: {
              VisualId: 'bar-controls',
              Title: title('Top controls'),
              Subtitle: subtitle('Active control findings per security control'),
              ChartConfiguration: {
                Orientation: 'HORIZONTAL',
                FieldWells: {
                  BarChartAggregatedFieldWells: {
                    Category: [category('bar-control', F, 'control_id')],
                    Values: [count('bar-control-findings', F, 'finding_uid', 'DISTINCT_COUNT')],
                  },
                },
              },
            },
          },
          {
            TableVisual: {
              VisualId: 'table-critical',
              Title: title('Critical findings'),
              Subtitle: subtitle('First observed, state and resource'),
              ChartConfiguration: {
                FieldWells: {
                  TableAggregatedFieldWells: {
                    GroupBy: [
                      category('table-first', F, 'first_observed'),
                      category('table-account', F, 'account_id'),
                      category('table-title', F, 'finding_title'),
                      category('table-product', F, 'product_name'),
                      category('table-resource', F, 'resource_uid'),
                      category('table-state', F, 'record_state'),
                    ],
                    Values: [measure('table-updates', F, 'updates', 'SUM')],
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
              { id: 'kpi-active', columns: 18 },
              { id: 'kpi-critical', columns: 18 },
            ],
          },
          { rowSpan: 10, cells: [{ id: 'line-severity', columns: 36 }] },
          {
            rowSpan: 10,
            cells: [
              { id: 'bar-accounts', columns: 18 },
              { id: 'bar-controls', columns: 18 },
            ],
          },
          { rowSpan: 12, cells: [{ id: 'table-critical', columns: 36 }] },
        ]),
      },
      {
        SheetId: ACTIVITY,
        Name: 'Activity',
        Title: 'API errors, root activity and rejected flows',
        Description: 'From Security Lake’s CloudTrail management events and VPC Flow Logs.',
        ParameterControls: suffixed(
          [...dateRangeControls(), parameterDropdown('Account', 'Account', A, 'account_id', 'MULTI_SELECT')],
          ACTIVITY,
        ),
        Visuals: [
          {
            KPIVisual: {
              VisualId: 'kpi-api-errors',
              Title: title('API errors'),
              Subtitle: subtitle('Failed API calls'),
              ChartConfiguration: {
                FieldWells: { Values: [measure('kpi-api-errors-value', A, 'events', 'SUM')] },
              },
            },
          },
          {
            KPIVisual: {
              VisualId: 'kpi-root',
              Title: title('Root user events'),
              Subtitle: subtitle('Calls, sign-ins and changes as root'),
              ChartConfiguration: { FieldWells: { Values: [measure('kpi-root-value', A, 'events', 'SUM')] } },
            },
          },
          {
            BarChartVisual: {
              VisualId: 'bar-api-errors',
              Title: title('API errors by error code'),
              Subtitle: subtitle('Most frequent first'),
              ChartConfiguration: {
                Orientation: 'HORIZONTAL',
                FieldWells: {
                  BarChartAggregatedFieldWells: {
                    Category: [category('bar-error', A, 'name')],
                    Values: [measure('bar-error-events', A, 'events', 'SUM')],
                  },
                },
              },
            },
          },
          {
            BarChartVisual: {
              VisualId: 'bar-rejected',
              Title: title('Rejected flows by destination port'),
              Subtitle: subtitle('VPC Flow Logs, action Denied'),
              ChartConfiguration: {
                FieldWells: {
                  BarChartAggregatedFieldWells: {
                    Category: [category('bar-port', A, 'name')],
                    Values: [measure('bar-port-events', A, 'events', 'SUM')],
                  },
                },
              },
            },
          },
          {
            TableVisual: {
              VisualId: 'table-root',
              Title: title('Root user activity'),
              Subtitle: subtitle('Per day, account and operation'),
              ChartConfiguration: {
                FieldWells: {
                  TableAggregatedFieldWells: {
                    GroupBy: [
                      date('root-day', A, 'dt', 'DAY'),
                      category('root-account', A, 'account_id'),
                      category('root-operation', A, 'name'),
                    ],
                    Values: [measure('root-events', A, 'events', 'SUM')],
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
              { id: 'kpi-api-errors', columns: 18 },
              { id: 'kpi-root', columns: 18 },
            ],
          },
          {
            rowSpan: 10,
            cells: [
              { id: 'bar-api-errors', columns: 18 },
              { id: 'bar-rejected', columns: 18 },
            ],
          },
          { rowSpan: 10, cells: [{ id: 'table-root', columns: 36 }] },
        ]),
      },
    ],
  },
};

export default securityLake;
