import type { LakeqDashboard } from '../dashboard-definition.ts';

/** Visual kinds the local page renders; any other shows an "unsupported" box. */
export const SUPPORTED_VISUALS = [
  'KPIVisual',
  'LineChartVisual',
  'BarChartVisual',
  'PieChartVisual',
  'TableVisual',
  'PivotTableVisual',
] as const;
const VISUALS = new Set<string>(SUPPORTED_VISUALS);
const NUMERIC_AGGREGATIONS = new Set(['SUM', 'AVERAGE', 'MIN', 'MAX', 'COUNT', 'DISTINCT_COUNT']);
const CATEGORICAL_AGGREGATIONS = new Set(['COUNT', 'DISTINCT_COUNT']);
const GRANULARITIES = new Set(['HOUR', 'DAY', 'WEEK', 'MONTH']);
const FILTERS = new Set(['CategoryFilter', 'TimeRangeFilter', 'NumericRangeFilter']);
const PARAMETER_CONTROLS = new Set(['Dropdown', 'DateTimePicker']);
const FILTER_CONTROLS = new Set(['Dropdown', 'DateTimePicker']);
const PARAMETERS = new Set(['StringParameterDeclaration', 'DateTimeParameterDeclaration']);

/**
 * What of a dashboard's definition the local page does not handle, one line each (naming the
 * dashboard, the sheet and the element), so the server can warn once instead of the page failing.
 *
 * @example
 * ```ts
 * unsupportedFeatures(dashboard);
 * // ['lakeq-glue-jobs: sheet "jobs": visual "scatter" is a ScatterPlotVisual, which the local page shows as unsupported']
 * ```
 */
export function unsupportedFeatures(dashboard: LakeqDashboard): string[] {
  const out: string[] = [];
  const at = (where: string, what: string) => out.push(`${dashboard.id}: ${where}: ${what}`);
  const definition = dashboard.definition;
  for (const [key, value] of Object.entries(definition)) {
    if (value === undefined) continue;
    if (!['Sheets', 'ParameterDeclarations', 'FilterGroups', 'Options', 'AnalysisDefaults'].includes(key)) {
      at('definition', `${key} is not rendered locally`);
    }
  }
  for (const declaration of definition.ParameterDeclarations ?? []) {
    for (const [kind, value] of present(declaration)) {
      if (!PARAMETERS.has(kind)) at(`parameter "${name(value)}"`, `${kind} is not supported`);
      else if (isRecord(value) && isRecord(value.DefaultValues) && value.DefaultValues.RollingDate)
        at(`parameter "${name(value)}"`, 'a RollingDate default is not supported (the control starts unset)');
    }
  }
  for (const group of definition.FilterGroups ?? []) {
    const where = `filter group "${group.FilterGroupId}"`;
    if (
      group.ScopeConfiguration?.AllSheets === undefined &&
      group.ScopeConfiguration?.SelectedSheets === undefined
    )
      at(where, 'no ScopeConfiguration.SelectedSheets');
    for (const filter of group.Filters ?? []) {
      for (const [kind, value] of present(filter)) {
        if (!FILTERS.has(kind)) {
          at(where, `${kind} is not applied locally`);
          continue;
        }
        const f = value as Record<string, unknown>;
        const config = isRecord(f.Configuration) ? f.Configuration : {};
        if (kind === 'CategoryFilter' && config.CustomFilterListConfiguration)
          at(where, 'CustomFilterListConfiguration is not applied locally');
        for (const bound of [f.RangeMinimumValue, f.RangeMaximumValue]) {
          if (isRecord(bound) && bound.RollingDate) at(where, 'a RollingDate bound is not applied locally');
        }
      }
    }
  }
  for (const sheet of definition.Sheets ?? []) {
    const where = `sheet "${sheet.SheetId}"`;
    for (const layout of sheet.Layouts ?? []) {
      if (!layout.Configuration?.GridLayout) at(where, 'only GridLayout is laid out locally');
    }
    for (const control of sheet.ParameterControls ?? []) {
      for (const [kind] of present(control)) {
        if (!PARAMETER_CONTROLS.has(kind)) at(where, `parameter control ${kind} is not supported`);
      }
    }
    for (const control of sheet.FilterControls ?? []) {
      for (const [kind] of present(control)) {
        if (!FILTER_CONTROLS.has(kind)) at(where, `filter control ${kind} is not supported`);
      }
    }
    for (const visual of sheet.Visuals ?? []) {
      for (const [kind, value] of present(visual)) {
        const v = value as Record<string, unknown>;
        const id = `visual "${String(v.VisualId)}"`;
        if (!VISUALS.has(kind)) {
          at(where, `${id} is a ${kind}, which the local page shows as unsupported`);
          continue;
        }
        checkFields(v.ChartConfiguration, (what) => at(`${where}, ${id}`, what));
        for (const action of (v.Actions ?? []) as Record<string, unknown>[]) {
          if (action.Trigger !== 'DATA_POINT_CLICK')
            at(`${where}, ${id}`, `action trigger ${action.Trigger}`);
          for (const op of (action.ActionOperations ?? []) as Record<string, unknown>[]) {
            for (const [opKind] of present(op)) {
              if (opKind !== 'FilterOperation') at(`${where}, ${id}`, `action ${opKind} is not supported`);
            }
          }
        }
      }
    }
  }
  return out;
}

/** Walks a chart configuration's field wells for fields and aggregations outside the subset. */
function checkFields(config: unknown, warn: (what: string) => void): void {
  if (!isRecord(config) || !isRecord(config.FieldWells)) return;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (!isRecord(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'SmallMultiples' && Array.isArray(value) && value.length > 0)
        warn('SmallMultiples are ignored');
      else if (key === 'DateMeasureField' || key === 'CalculatedMeasureField')
        warn(`${key} is not supported`);
      else if (key === 'DateDimensionField' && isRecord(value) && value.DateGranularity !== undefined) {
        if (!GRANULARITIES.has(String(value.DateGranularity)))
          warn(`DateGranularity ${value.DateGranularity} is not supported`);
      } else if (key === 'NumericalMeasureField' && isRecord(value) && isRecord(value.AggregationFunction)) {
        const simple = value.AggregationFunction.SimpleNumericalAggregation;
        if (simple === undefined || !NUMERIC_AGGREGATIONS.has(String(simple)))
          warn(`aggregation ${JSON.stringify(value.AggregationFunction)} is not supported`);
      } else if (
        key === 'CategoricalMeasureField' &&
        isRecord(value) &&
        value.AggregationFunction !== undefined
      ) {
        if (!CATEGORICAL_AGGREGATIONS.has(String(value.AggregationFunction)))
          warn(`aggregation ${value.AggregationFunction} is not supported`);
      } else visit(value);
    }
  };
  visit(config.FieldWells);
}

function present(union: object): [string, unknown][] {
  return Object.entries(union).filter(([, v]) => v !== undefined && v !== null);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function name(value: unknown): string {
  return isRecord(value) ? String(value.Name) : '?';
}
