import type { LakeqDashboard } from '../src/dashboards/dashboard-definition.ts';
import {
  category,
  count,
  filterDropdown,
  grid,
  measure,
  sheetScope,
  subtitle,
  title,
  valuesFilterGroup,
} from '../src/dashboards/definition-builders.ts';

const DS = 'runs';
const SHEET = 'cbo';

/**
 * TPC-DS with and without the cost-based optimizer (`lakeq tpcds compare`): per query, the time
 * in each mode side by side (the speedup), the ten slowest queries without it, the totals, and the
 * runs with their join orders. Pick a comparison run with the Run control.
 */
const tpcdsCbo: LakeqDashboard = {
  id: 'lakeq-tpcds-cbo',
  name: 'TPC-DS cost-based optimizer',
  description:
    'TPC-DS queries without (cbo-off) and with (cbo-on) the cost-based optimizer: time per query and mode, the totals, and the join orders.',
  datasets: { [DS]: 'lakeq-tpcds-cbo-runs' },
  definition: {
    FilterGroups: [
      valuesFilterGroup('run', DS, 'run_id', sheetScope(SHEET)),
      valuesFilterGroup('status', DS, 'status', sheetScope(SHEET)),
    ],
    Sheets: [
      {
        SheetId: SHEET,
        Name: 'CBO comparison',
        Title: 'TPC-DS with and without the cost-based optimizer',
        Description: 'Times are the average of the timed runs of each mode; the speedup is cbo-off ÷ cbo-on.',
        FilterControls: [filterDropdown('run', 'Run'), filterDropdown('status', 'Status')],
        Visuals: [
          {
            KPIVisual: {
              VisualId: 'kpi-off',
              Title: title('Total time of the timed runs (ms)'),
              Subtitle: subtitle('Both modes; the bar chart beside splits it by mode'),
              ChartConfiguration: {
                FieldWells: { Values: [measure('kpi-off-ms', DS, 'total_ms', 'SUM')] },
              },
            },
          },
          {
            BarChartVisual: {
              VisualId: 'bar-total-by-mode',
              Title: title('Total time by mode'),
              Subtitle: subtitle('Sum of the timed runs: the overall change'),
              ChartConfiguration: {
                Orientation: 'HORIZONTAL',
                FieldWells: {
                  BarChartAggregatedFieldWells: {
                    Category: [category('bar-total-mode', DS, 'mode')],
                    Values: [measure('bar-total-ms', DS, 'total_ms', 'SUM')],
                  },
                },
              },
            },
          },
          {
            BarChartVisual: {
              VisualId: 'bar-speedup',
              Title: title('Time per query and mode'),
              Subtitle: subtitle('Average ms of the timed runs; a shorter cbo-on bar is a speedup'),
              ChartConfiguration: {
                Orientation: 'VERTICAL',
                FieldWells: {
                  BarChartAggregatedFieldWells: {
                    Category: [category('bar-query', DS, 'query_id')],
                    Values: [measure('bar-ms', DS, 'total_ms', 'AVERAGE')],
                    Colors: [category('bar-mode', DS, 'mode')],
                  },
                },
              },
            },
          },
          {
            TableVisual: {
              VisualId: 'table-runs',
              Title: title('Runs and join orders'),
              Subtitle: subtitle(
                'Per query and mode: runs, average and minimum ms, rows, bytes scanned, join order',
              ),
              ChartConfiguration: {
                FieldWells: {
                  TableAggregatedFieldWells: {
                    GroupBy: [
                      category('table-query', DS, 'query_id'),
                      category('table-mode', DS, 'mode'),
                      category('table-order', DS, 'join_order'),
                      category('table-status', DS, 'status'),
                    ],
                    Values: [
                      count('table-runs-n', DS, 'iteration'),
                      measure('table-avg', DS, 'total_ms', 'AVERAGE'),
                      measure('table-min', DS, 'total_ms', 'MIN'),
                      measure('table-rows', DS, 'result_rows', 'MAX'),
                      measure('table-bytes', DS, 'bytes_scanned', 'AVERAGE'),
                    ],
                  },
                },
              },
            },
          },
        ],
        Layouts: grid([
          {
            rowSpan: 6,
            cells: [
              { id: 'kpi-off', columns: 12 },
              { id: 'bar-total-by-mode', columns: 24 },
            ],
          },
          { rowSpan: 12, cells: [{ id: 'bar-speedup', columns: 36 }] },
          { rowSpan: 12, cells: [{ id: 'table-runs', columns: 36 }] },
        ]),
      },
    ],
  },
};

export default tpcdsCbo;
