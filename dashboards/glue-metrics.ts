import type { LakeqDashboard } from '../src/dashboards/dashboard-definition.ts';
import {
  category,
  date,
  dateRangeControls,
  dateRangeFilterGroup,
  dateRangeParameters,
  grid,
  measure,
  parameterDropdown,
  parameterFilterGroup,
  stringParameter,
  subtitle,
  title,
} from '../src/dashboards/definition-builders.ts';

const DS = 'metrics';
const SHEET = 'metrics';

/** CloudWatch metrics of Glue job runs: one metric over time per job, and a table of values. */
const glueMetrics: LakeqDashboard = {
  id: 'lakeq-glue-metrics',
  name: 'Glue Metrics',
  description: 'CloudWatch metrics of AWS Glue job runs (Glue namespace), per job and run.',
  datasets: { [DS]: 'lakeq-glue-job-metrics' },
  definition: {
    ParameterDeclarations: [
      ...dateRangeParameters(),
      stringParameter('JobName'),
      stringParameter('MetricName', 'glue.driver.aggregate.elapsedTime'),
    ],
    FilterGroups: [
      dateRangeFilterGroup(DS, 'metric_time', SHEET),
      parameterFilterGroup('job-name', DS, 'job_name', 'JobName', SHEET),
      parameterFilterGroup('metric-name', DS, 'metric_name', 'MetricName', SHEET),
    ],
    Sheets: [
      {
        SheetId: SHEET,
        Name: 'Glue Metrics',
        Title: 'AWS Glue job metrics',
        Description: 'Pick a metric; values are CloudWatch datapoints of the runs.',
        ParameterControls: [
          ...dateRangeControls(),
          parameterDropdown('MetricName', 'Metric', DS, 'metric_name', 'SINGLE_SELECT'),
          parameterDropdown('JobName', 'Job', DS, 'job_name', 'MULTI_SELECT'),
        ],
        Visuals: [
          {
            LineChartVisual: {
              VisualId: 'line-metric',
              Title: title('Metric over time'),
              Subtitle: subtitle('Average value per hour, one line per job'),
              ChartConfiguration: {
                FieldWells: {
                  LineChartAggregatedFieldWells: {
                    Category: [date('line-hour', DS, 'metric_time', 'HOUR')],
                    Values: [measure('line-value', DS, 'value', 'AVERAGE')],
                    Colors: [category('line-job', DS, 'job_name')],
                  },
                },
              },
            },
          },
          {
            TableVisual: {
              VisualId: 'table-values',
              Title: title('Values by run'),
              Subtitle: subtitle('Datapoints, average and maximum per job run and metric'),
              ChartConfiguration: {
                FieldWells: {
                  TableAggregatedFieldWells: {
                    GroupBy: [
                      category('table-job', DS, 'job_name'),
                      category('table-run', DS, 'job_run_id'),
                      category('table-metric', DS, 'metric_name'),
                      category('table-unit', DS, 'unit'),
                    ],
                    Values: [
                      measure('table-points', DS, 'value', 'COUNT'),
                      measure('table-average', DS, 'value', 'AVERAGE'),
                      measure('table-max', DS, 'value', 'MAX'),
                    ],
                  },
                },
              },
            },
          },
        ],
        Layouts: grid([
          { rowSpan: 12, cells: [{ id: 'line-metric', columns: 36 }] },
          { rowSpan: 12, cells: [{ id: 'table-values', columns: 36 }] },
        ]),
      },
    ],
  },
};

export default glueMetrics;
