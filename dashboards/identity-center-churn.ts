import type { LakeqDashboard } from '../src/dashboards/dashboard-definition.ts';
import {
  category,
  count,
  date,
  dateRangeControls,
  dateRangeFilterGroup,
  dateRangeParameters,
  drillDown,
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

const DS = 'churn';
const INSTANCES = 'instances';
const DUPLICATES = 'duplicates';
const SHEET = 'overview';
const INVENTORY = 'inventory';

/**
 * IAM Identity Center instances created and deleted, per day and account (sheet "Instance
 * churn", from CloudTrail), and the inventory of the latest snapshot beside it (sheet
 * "Inventory", from the APIs): instances per account and type, people in more than one instance.
 */
const identityCenterChurn: LakeqDashboard = {
  id: 'lakeq-identity-center-churn',
  name: 'Identity Center instances: churn and inventory',
  description:
    'IAM Identity Center instances created and deleted per day, account and Region, and who did it; the instances and duplicate users of the latest inventory snapshot beside the churn.',
  datasets: {
    [DS]: 'lakeq-identity-center-instance-churn-hourly',
    [INSTANCES]: 'lakeq-identity-center-instances',
    [DUPLICATES]: 'lakeq-identity-center-duplicate-users',
  },
  definition: {
    ParameterDeclarations: [...dateRangeParameters(), stringParameter('Account')],
    FilterGroups: [
      dateRangeFilterGroup(DS, 'dt', SHEET),
      parameterFilterGroup('account', DS, 'account_id', 'Account', SHEET),
      valuesFilterGroup(
        'duplicates',
        DUPLICATES,
        'kind',
        sheetScope(INVENTORY, ['kpi-duplicates', 'table-duplicates']),
        ['duplicate'],
      ),
      valuesFilterGroup(
        'no-email',
        DUPLICATES,
        'kind',
        sheetScope(INVENTORY, ['kpi-no-email', 'table-no-email']),
        ['no_email'],
      ),
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
      {
        SheetId: INVENTORY,
        Name: 'Inventory',
        Title: 'IAM Identity Center inventory (latest snapshot)',
        Description:
          'What sso-admin and identitystore answered on the last collection day, beside the churn CloudTrail recorded.',
        Visuals: [
          {
            KPIVisual: {
              VisualId: 'kpi-instances',
              Title: title('Instances'),
              Subtitle: subtitle('In the latest snapshot'),
              ChartConfiguration: {
                FieldWells: { Values: [count('kpi-instances-value', INSTANCES, 'instance_arn')] },
              },
            },
          },
          {
            KPIVisual: {
              VisualId: 'kpi-duplicates',
              Title: title('E-mails in more than one instance'),
              Subtitle: subtitle('People who exist in several identity stores'),
              ChartConfiguration: {
                FieldWells: { Values: [count('kpi-duplicates-value', DUPLICATES, 'email')] },
              },
            },
          },
          {
            KPIVisual: {
              VisualId: 'kpi-no-email',
              Title: title('Users without an e-mail'),
              Subtitle: subtitle('No match can find them'),
              ChartConfiguration: {
                FieldWells: { Values: [count('kpi-no-email-value', DUPLICATES, 'user_names')] },
              },
            },
          },
          {
            BarChartVisual: {
              VisualId: 'bar-instances-by-account',
              Title: title('Instances per account and type'),
              Subtitle: subtitle('Organization instance and account instances'),
              ChartConfiguration: {
                Orientation: 'HORIZONTAL',
                FieldWells: {
                  BarChartAggregatedFieldWells: {
                    Category: [category('bar-inventory-account', INSTANCES, 'account_id')],
                    Colors: [category('bar-inventory-type', INSTANCES, 'instance_type')],
                    Values: [count('bar-inventory-instances', INSTANCES, 'instance_arn')],
                  },
                },
              },
            },
          },
          {
            BarChartVisual: {
              VisualId: 'bar-churn-beside-inventory',
              Title: title('Churn per account (CloudTrail)'),
              Subtitle: subtitle('Instances created and deleted over the whole trail'),
              ChartConfiguration: {
                Orientation: 'HORIZONTAL',
                FieldWells: {
                  BarChartAggregatedFieldWells: {
                    Category: [category('bar-beside-account', DS, 'account_id')],
                    Values: [
                      measure('bar-beside-created', DS, 'created', 'SUM'),
                      measure('bar-beside-deleted', DS, 'deleted', 'SUM'),
                    ],
                  },
                },
              },
            },
          },
          {
            TableVisual: {
              VisualId: 'table-instances',
              Title: title('Instances'),
              Subtitle: subtitle('The first table of the blog post, with users and applications'),
              ChartConfiguration: {
                FieldWells: {
                  TableAggregatedFieldWells: {
                    GroupBy: [
                      category('instances-account', INSTANCES, 'account_id'),
                      category('instances-type', INSTANCES, 'instance_type'),
                      category('instances-arn', INSTANCES, 'instance_arn'),
                      category('instances-store', INSTANCES, 'identity_store_id'),
                      category('instances-owner', INSTANCES, 'owner_account_id'),
                      category('instances-region', INSTANCES, 'region'),
                      category('instances-status', INSTANCES, 'status'),
                    ],
                    Values: [
                      measure('instances-users', INSTANCES, 'users', 'SUM'),
                      measure('instances-applications', INSTANCES, 'applications', 'SUM'),
                    ],
                  },
                },
              },
            },
          },
          {
            TableVisual: {
              VisualId: 'table-duplicates',
              Title: title('Users in more than one instance'),
              Subtitle: subtitle('Matched by any of their e-mail addresses, compared lower-cased'),
              ChartConfiguration: {
                FieldWells: {
                  TableAggregatedFieldWells: {
                    GroupBy: [
                      category('duplicates-email', DUPLICATES, 'email'),
                      category('duplicates-stores', DUPLICATES, 'identity_store_ids'),
                      category('duplicates-accounts', DUPLICATES, 'account_ids'),
                      category('duplicates-users', DUPLICATES, 'user_names'),
                    ],
                    Values: [measure('duplicates-store-count', DUPLICATES, 'identity_stores', 'MAX')],
                  },
                },
              },
            },
          },
          {
            TableVisual: {
              VisualId: 'table-no-email',
              Title: title('Users without an e-mail address'),
              Subtitle: subtitle('No match by e-mail can find them in another instance'),
              ChartConfiguration: {
                FieldWells: {
                  TableAggregatedFieldWells: {
                    GroupBy: [
                      category('no-email-store', DUPLICATES, 'identity_store_ids'),
                      category('no-email-account', DUPLICATES, 'account_ids'),
                      category('no-email-user', DUPLICATES, 'user_names'),
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
              { id: 'kpi-instances', columns: 12 },
              { id: 'kpi-duplicates', columns: 12 },
              { id: 'kpi-no-email', columns: 12 },
            ],
          },
          {
            rowSpan: 10,
            cells: [
              { id: 'bar-instances-by-account', columns: 18 },
              { id: 'bar-churn-beside-inventory', columns: 18 },
            ],
          },
          { rowSpan: 10, cells: [{ id: 'table-instances', columns: 36 }] },
          {
            rowSpan: 10,
            cells: [
              { id: 'table-duplicates', columns: 22 },
              { id: 'table-no-email', columns: 14 },
            ],
          },
        ]),
      },
    ],
  },
};

export default identityCenterChurn;
