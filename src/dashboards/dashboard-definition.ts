import type { DashboardVersionDefinition } from '@aws-sdk/client-quicksight';

/**
 * A dashboard as code: QuickSight's own `DashboardVersionDefinition` (typed by
 * `@aws-sdk/client-quicksight`), plus the SPICE datasets it reads. The same object is
 * published to QuickSight (CreateDashboard/UpdateDashboard) and rendered by the local page.
 *
 * The definitions of dashboards/ keep to the subset the local page renders:
 * - `Sheets[].Visuals[]`: KPIVisual, LineChartVisual, BarChartVisual, PieChartVisual,
 *   TableVisual, PivotTableVisual, each with `Title` and `Subtitle` (`FormatText.PlainText`)
 *   and `ChartConfiguration.FieldWells`: the aggregated wells (Category/Values/Colors;
 *   pivot Rows/Columns/Values; KPI Values), `TableAggregatedFieldWells` (GroupBy/Values) or
 *   `TableUnaggregatedFieldWells` (Values). Bar charts may set `Orientation`.
 * - Fields: CategoricalDimensionField, DateDimensionField (DateGranularity HOUR, DAY, WEEK,
 *   MONTH; the column must be DATETIME), NumericalDimensionField, NumericalMeasureField
 *   (SimpleNumericalAggregation SUM, AVERAGE, MIN, MAX, COUNT, DISTINCT_COUNT; a numeric column),
 *   CategoricalMeasureField (COUNT, DISTINCT_COUNT). Column names are the dataset's, lower case
 *   (`spiceDatasetColumns` in src/deploy/spice-datasets.ts lists them with their
 *   types: `dt` is a DATETIME day in every dataset; the ledger's `startedat`/`finishedat` are
 *   DATETIME).
 * - `Sheets[].Layouts`: one GridLayout of 36 columns (ElementId, ColumnIndex, ColumnSpan,
 *   RowIndex, RowSpan).
 * - `FilterGroups` scoped by `ScopeConfiguration.SelectedSheets` (whole sheet or
 *   SELECTED_VISUALS), with CategoryFilter (FilterListConfiguration: CategoryValues, or none
 *   and FILTER_ALL_VALUES for a filter a control narrows; or CustomFilterConfiguration EQUALS
 *   bound to a ParameterName: unset, every row is kept), TimeRangeFilter (RangeMinimumValue /
 *   RangeMaximumValue `{ Parameter }`; an unset parameter leaves that bound open), NumericRangeFilter.
 * - `ParameterDeclarations`: StringParameterDeclaration (SINGLE_VALUED with a static default,
 *   or MULTI_VALUED unset) and DateTimeParameterDeclaration (no default: unset).
 * - `Sheets[].ParameterControls` (Dropdown with `SelectableValues.LinkToDataSetColumn`,
 *   DateTimePicker) and `Sheets[].FilterControls` (Dropdown over a CategoryFilter).
 * - Drill-down: `Actions` of a visual, a VisualCustomAction with Trigger DATA_POINT_CLICK and a
 *   FilterOperation: the clicked values of `SelectedFields` (field ids of that visual) filter
 *   the `SameSheetTargetVisualConfiguration.TargetVisuals`.
 * `checkDashboard` (src/dashboards/quicksight/check-dashboard.ts) enforces the references:
 * declared dataset identifiers, existing columns, declared parameters, existing visuals.
 *
 * @example
 * ```ts
 * const dashboard: LakeqDashboard = {
 *   id: 'lakeq-glue-jobs', name: 'Glue Jobs', description: 'Glue job runs and their cost.',
 *   datasets: { runs: 'lakeq-glue-job-runs' },
 *   definition: { Sheets: [{ SheetId: 'jobs', Visuals: [{ KPIVisual: { VisualId: 'kpi-runs', … } }] }] },
 * };
 * ```
 */
export interface LakeqDashboard {
  /** QuickSight DashboardId, also the local page's path: `lakeq-<name>`. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /**
   * DataSetIdentifier (as the definition's visuals and filters name it) → SPICE dataset id
   * (`SPICE_DATASETS` in src/dashboards/datasets.ts). Deploy turns it into
   * `DataSetIdentifierDeclarations` with the dataset ARNs.
   */
  readonly datasets: Readonly<Record<string, string>>;
  /** Everything but `DataSetIdentifierDeclarations`, which comes from `datasets`. */
  readonly definition: Omit<DashboardVersionDefinition, 'DataSetIdentifierDeclarations'>;
}
