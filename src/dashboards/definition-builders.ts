import type {
  ColumnIdentifier,
  DimensionField,
  FilterControl,
  FilterGroup,
  FilterScopeConfiguration,
  GridLayoutElement,
  Layout,
  MeasureField,
  ParameterControl,
  ParameterDeclaration,
  VisualCustomAction,
  VisualSubtitleLabelOptions,
  VisualTitleLabelOptions,
} from '@aws-sdk/client-quicksight';

/*
 * Small constructors of QuickSight definition parts, each returning the SDK's own type, so the
 * dashboards of dashboards/ stay readable. They build plain objects; nothing here is required:
 * a dashboard may write any part out in full.
 */

/**
 * A visual's title.
 *
 * @example
 * ```ts
 * title('Runs') // { Visibility: 'VISIBLE', FormatText: { PlainText: 'Runs' } }
 * ```
 */
export function title(text: string): VisualTitleLabelOptions {
  return { Visibility: 'VISIBLE', FormatText: { PlainText: text } };
}

/**
 * A visual's subtitle.
 *
 * @example
 * ```ts
 * subtitle('Per UTC day') // { Visibility: 'VISIBLE', FormatText: { PlainText: 'Per UTC day' } }
 * ```
 */
export function subtitle(text: string): VisualSubtitleLabelOptions {
  return { Visibility: 'VISIBLE', FormatText: { PlainText: text } };
}

/**
 * A column of a dataset, by the dashboard's DataSetIdentifier.
 *
 * @example
 * ```ts
 * column('runs', 'job_name') // { DataSetIdentifier: 'runs', ColumnName: 'job_name' }
 * ```
 */
export function column(dataSet: string, name: string): ColumnIdentifier {
  return { DataSetIdentifier: dataSet, ColumnName: name };
}

/**
 * A categorical dimension (group by a column's values).
 *
 * @example
 * ```ts
 * category('bar-job', 'runs', 'job_name') // { CategoricalDimensionField: { FieldId: 'bar-job', Column: … } }
 * ```
 */
export function category(fieldId: string, dataSet: string, name: string): DimensionField {
  return { CategoricalDimensionField: { FieldId: fieldId, Column: column(dataSet, name) } };
}

/**
 * A date dimension: a DATETIME column truncated to the granularity.
 *
 * @example
 * ```ts
 * date('line-day', 'runs', 'started_on', 'DAY')
 * ```
 */
export function date(
  fieldId: string,
  dataSet: string,
  name: string,
  granularity: 'HOUR' | 'DAY' | 'WEEK' | 'MONTH',
): DimensionField {
  return {
    DateDimensionField: { FieldId: fieldId, Column: column(dataSet, name), DateGranularity: granularity },
  };
}

/**
 * A numerical measure: a numeric column aggregated.
 *
 * @example
 * ```ts
 * measure('kpi-cost', 'runs', 'estimated_cost_usd', 'SUM')
 * ```
 */
export function measure(
  fieldId: string,
  dataSet: string,
  name: string,
  aggregation: 'SUM' | 'AVERAGE' | 'MIN' | 'MAX' | 'COUNT' | 'DISTINCT_COUNT',
): MeasureField {
  return {
    NumericalMeasureField: {
      FieldId: fieldId,
      Column: column(dataSet, name),
      AggregationFunction: { SimpleNumericalAggregation: aggregation },
    },
  };
}

/**
 * A count of a column's values (any type).
 *
 * @example
 * ```ts
 * count('kpi-runs', 'runs', 'job_run_id') // CategoricalMeasureField, AggregationFunction 'COUNT'
 * ```
 */
export function count(
  fieldId: string,
  dataSet: string,
  name: string,
  aggregation: 'COUNT' | 'DISTINCT_COUNT' = 'COUNT',
): MeasureField {
  return {
    CategoricalMeasureField: {
      FieldId: fieldId,
      Column: column(dataSet, name),
      AggregationFunction: aggregation,
    },
  };
}

/** One cell of a `grid` row: a visual (or control) id and its width in the 36 columns. */
export interface GridCell {
  readonly id: string;
  readonly columns: number;
  readonly type?: GridLayoutElement['ElementType'];
}

/**
 * A sheet's GridLayout (36 columns) from rows of cells, placed left to right and top to
 * bottom; `rowSpan` is the height of the row's cells.
 *
 * @example
 * ```ts
 * grid([{ rowSpan: 5, cells: [{ id: 'kpi-a', columns: 12 }, { id: 'kpi-b', columns: 12 }, { id: 'kpi-c', columns: 12 }] }])
 * // [{ Configuration: { GridLayout: { Elements: [{ ElementId: 'kpi-a', ElementType: 'VISUAL', ColumnIndex: 0, ColumnSpan: 12, RowIndex: 0, RowSpan: 5 }, …] } } }]
 * ```
 */
export function grid(
  rows: readonly { readonly rowSpan: number; readonly cells: readonly GridCell[] }[],
): Layout[] {
  const Elements: GridLayoutElement[] = [];
  let rowIndex = 0;
  for (const row of rows) {
    let columnIndex = 0;
    for (const cell of row.cells) {
      if (columnIndex + cell.columns > 36) throw new Error(`grid: ${cell.id} goes past the 36 columns`);
      Elements.push({
        ElementId: cell.id,
        ElementType: cell.type ?? 'VISUAL',
        ColumnIndex: columnIndex,
        ColumnSpan: cell.columns,
        RowIndex: rowIndex,
        RowSpan: row.rowSpan,
      });
      columnIndex += cell.columns;
    }
    rowIndex += row.rowSpan;
  }
  return [{ Configuration: { GridLayout: { Elements } } }];
}

/**
 * A filter group's scope: a whole sheet, or some of its visuals.
 *
 * @example
 * ```ts
 * sheetScope('overview') // every visual of sheet 'overview'
 * sheetScope('overview', ['kpi-failed']) // that visual only
 * ```
 */
export function sheetScope(sheetId: string, visualIds?: readonly string[]): FilterScopeConfiguration {
  return {
    SelectedSheets: {
      SheetVisualScopingConfigurations: [
        visualIds
          ? { SheetId: sheetId, Scope: 'SELECTED_VISUALS', VisualIds: [...visualIds] }
          : { SheetId: sheetId, Scope: 'ALL_VISUALS' },
      ],
    },
  };
}

/**
 * A drill-down: clicking a data point filters visuals of the same sheet by the clicked fields.
 *
 * @example
 * ```ts
 * drillDown('drill-job', 'Show the runs of this job', ['bar-job'], ['runs-table'])
 * ```
 */
export function drillDown(
  id: string,
  name: string,
  fieldIds: readonly string[],
  targetVisualIds: readonly string[],
): VisualCustomAction {
  return {
    CustomActionId: id,
    Name: name,
    Status: 'ENABLED',
    Trigger: 'DATA_POINT_CLICK',
    ActionOperations: [
      {
        FilterOperation: {
          SelectedFieldsConfiguration: { SelectedFields: [...fieldIds] },
          TargetVisualsConfiguration: {
            SameSheetTargetVisualConfiguration: { TargetVisuals: [...targetVisualIds] },
          },
        },
      },
    ],
  };
}

/**
 * The date range parameters `From` and `To`: unset, a bound is open (the whole data).
 *
 * @example
 * ```ts
 * dateRangeParameters() // [{ DateTimeParameterDeclaration: { Name: 'From', … } }, { DateTimeParameterDeclaration: { Name: 'To', … } }]
 * ```
 */
export function dateRangeParameters(): ParameterDeclaration[] {
  return ['From', 'To'].map((Name) => ({
    DateTimeParameterDeclaration: {
      Name,
      TimeGranularity: 'DAY',
      ValueWhenUnset: { ValueWhenUnsetOption: 'NULL' },
    },
  }));
}

/**
 * Date pickers for `From` and `To`.
 *
 * @example
 * ```ts
 * dateRangeControls() // [{ DateTimePicker: { ParameterControlId: 'control-from', Title: 'From', SourceParameterName: 'From' } }, …]
 * ```
 */
export function dateRangeControls(): ParameterControl[] {
  return [
    { DateTimePicker: { ParameterControlId: 'control-from', Title: 'From', SourceParameterName: 'From' } },
    { DateTimePicker: { ParameterControlId: 'control-to', Title: 'To', SourceParameterName: 'To' } },
  ];
}

/**
 * Keeps the rows whose DATETIME column is in [From, To] (the parameters of `dateRangeParameters`).
 *
 * @example
 * ```ts
 * dateRangeFilterGroup('runs', 'started_on', 'overview')
 * ```
 */
export function dateRangeFilterGroup(dataSet: string, name: string, sheetId: string): FilterGroup {
  return {
    FilterGroupId: 'filter-group-date-range',
    CrossDataset: 'SINGLE_DATASET',
    Status: 'ENABLED',
    ScopeConfiguration: sheetScope(sheetId),
    Filters: [
      {
        TimeRangeFilter: {
          FilterId: 'filter-date-range',
          Column: column(dataSet, name),
          RangeMinimumValue: { Parameter: 'From' },
          RangeMaximumValue: { Parameter: 'To' },
          IncludeMinimum: true,
          IncludeMaximum: true,
          TimeGranularity: 'DAY',
          NullOption: 'NON_NULLS_ONLY',
        },
      },
    ],
  };
}

/**
 * A string parameter; unset (or every value selected), the filter bound to it keeps every row.
 *
 * @example
 * ```ts
 * stringParameter('Account') // MULTI_VALUED, no default
 * stringParameter('MetricName', 'glue.driver.aggregate.elapsedTime') // SINGLE_VALUED with a default
 * ```
 */
export function stringParameter(name: string, defaultValue?: string): ParameterDeclaration {
  return {
    StringParameterDeclaration: {
      Name: name,
      ...(defaultValue === undefined
        ? { ParameterValueType: 'MULTI_VALUED', ValueWhenUnset: { ValueWhenUnsetOption: 'NULL' } }
        : { ParameterValueType: 'SINGLE_VALUED', DefaultValues: { StaticValues: [defaultValue] } }),
    },
  };
}

/**
 * A dropdown setting a string parameter, offering the values of a dataset column.
 *
 * @example
 * ```ts
 * parameterDropdown('Account', 'Account', 'churn', 'account_id', 'MULTI_SELECT')
 * ```
 */
export function parameterDropdown(
  parameter: string,
  controlTitle: string,
  dataSet: string,
  name: string,
  type: 'SINGLE_SELECT' | 'MULTI_SELECT',
): ParameterControl {
  return {
    Dropdown: {
      ParameterControlId: `control-${parameter.toLowerCase()}`,
      Title: controlTitle,
      SourceParameterName: parameter,
      Type: type,
      SelectableValues: { LinkToDataSetColumn: column(dataSet, name) },
    },
  };
}

/**
 * Keeps the rows whose column equals the parameter's value(s); every row when it is unset.
 *
 * @example
 * ```ts
 * parameterFilterGroup('account', 'churn', 'account_id', 'Account', 'overview')
 * ```
 */
export function parameterFilterGroup(
  id: string,
  dataSet: string,
  name: string,
  parameter: string,
  sheetId: string,
): FilterGroup {
  return {
    FilterGroupId: `filter-group-${id}`,
    CrossDataset: 'SINGLE_DATASET',
    Status: 'ENABLED',
    ScopeConfiguration: sheetScope(sheetId),
    Filters: [
      {
        CategoryFilter: {
          FilterId: `filter-${id}`,
          Column: column(dataSet, name),
          Configuration: {
            CustomFilterConfiguration: {
              MatchOperator: 'EQUALS',
              ParameterName: parameter,
              SelectAllOptions: 'FILTER_ALL_VALUES',
              NullOption: 'NON_NULLS_ONLY',
            },
          },
        },
      },
    ],
  };
}

/**
 * Keeps the rows whose column is one of `values` (all rows when `values` is absent: a filter a
 * dropdown filter control then narrows).
 *
 * @example
 * ```ts
 * valuesFilterGroup('failed', 'runs', 'job_run_state', sheetScope('overview', ['kpi-failed']), ['FAILED', 'ERROR', 'TIMEOUT'])
 * ```
 */
export function valuesFilterGroup(
  id: string,
  dataSet: string,
  name: string,
  scope: FilterScopeConfiguration,
  values?: readonly string[],
): FilterGroup {
  return {
    FilterGroupId: `filter-group-${id}`,
    CrossDataset: 'SINGLE_DATASET',
    Status: 'ENABLED',
    ScopeConfiguration: scope,
    Filters: [
      {
        CategoryFilter: {
          FilterId: `filter-${id}`,
          Column: column(dataSet, name),
          Configuration: {
            FilterListConfiguration: values
              ? { MatchOperator: 'CONTAINS', CategoryValues: [...values] }
              : { MatchOperator: 'CONTAINS', SelectAllOptions: 'FILTER_ALL_VALUES' },
          },
        },
      },
    ],
  };
}

/**
 * A dropdown over a filter of `valuesFilterGroup` (no parameter).
 *
 * @example
 * ```ts
 * filterDropdown('account', 'Account') // { Dropdown: { FilterControlId: 'control-account', SourceFilterId: 'filter-account', … } }
 * ```
 */
export function filterDropdown(id: string, controlTitle: string): FilterControl {
  return {
    Dropdown: {
      FilterControlId: `control-${id}`,
      Title: controlTitle,
      SourceFilterId: `filter-${id}`,
      Type: 'MULTI_SELECT',
    },
  };
}
