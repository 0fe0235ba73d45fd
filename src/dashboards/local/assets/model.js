// The data side of the local page, without the DOM: fields, UTC date truncation, filters,
// grouping and aggregation over a dataset's rows, as QuickSight computes them for the
// supported subset (see src/dashboards/local/supported-subset.ts).

/** Visual kinds the page renders; others show an "unsupported" box. */
export const SUPPORTED_VISUALS = [
  'KPIVisual',
  'LineChartVisual',
  'BarChartVisual',
  'PieChartVisual',
  'TableVisual',
  'PivotTableVisual',
];

const DAY_MS = 86_400_000;

/** A snapshot's rows (arrays) as objects keyed by column name. */
export function rowObjects(snapshot) {
  const names = snapshot.columns.map((c) => c.name);
  return snapshot.rows.map((values) => {
    const row = {};
    names.forEach((name, i) => {
      row[name] = values[i];
    });
    return row;
  });
}

/**
 * A timestamp truncated to a granularity in UTC, as an ISO string; weeks start on Sunday, as in
 * QuickSight. null for a missing or unparsable value.
 */
export function truncateDate(value, granularity) {
  if (value === null || value === undefined || value === '') return null;
  const ms = typeof value === 'number' ? value : Date.parse(String(value));
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth();
  switch (granularity ?? 'DAY') {
    case 'YEAR':
      return new Date(Date.UTC(y, 0, 1)).toISOString();
    case 'QUARTER':
      return new Date(Date.UTC(y, mo - (mo % 3), 1)).toISOString();
    case 'MONTH':
      return new Date(Date.UTC(y, mo, 1)).toISOString();
    case 'WEEK': {
      const day = Date.UTC(y, mo, d.getUTCDate());
      return new Date(day - d.getUTCDay() * DAY_MS).toISOString();
    }
    case 'HOUR':
      return new Date(Date.UTC(y, mo, d.getUTCDate(), d.getUTCHours())).toISOString();
    case 'MINUTE':
      return new Date(Date.UTC(y, mo, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes())).toISOString();
    case 'SECOND':
    case 'MILLISECOND':
      return d.toISOString();
    default:
      return new Date(Date.UTC(y, mo, d.getUTCDate())).toISOString();
  }
}

/** A date key as a short label for its granularity. */
export function formatDateKey(key, granularity) {
  if (key === null) return '(empty)';
  const iso = String(key);
  switch (granularity ?? 'DAY') {
    case 'YEAR':
      return iso.slice(0, 4);
    case 'QUARTER':
      return `${iso.slice(0, 4)} Q${Math.floor(Number(iso.slice(5, 7)) / 3) + 1}`;
    case 'MONTH':
      return iso.slice(0, 7);
    case 'HOUR':
      return `${iso.slice(0, 10)} ${iso.slice(11, 13)}:00`;
    case 'MINUTE':
      return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
    case 'SECOND':
    case 'MILLISECOND':
      return iso.replace('T', ' ').replace('Z', '');
    default:
      return iso.slice(0, 10);
  }
}

/** A dimension field of a field well: { fieldId, column, dataset, kind, granularity }. */
export function dimensionOf(field) {
  const [kindName, f] = Object.entries(field ?? {}).find(([, v]) => v) ?? [];
  if (!f) return null;
  const kind =
    kindName === 'DateDimensionField'
      ? 'date'
      : kindName === 'NumericalDimensionField'
        ? 'number'
        : 'category';
  return {
    fieldId: f.FieldId,
    column: f.Column?.ColumnName,
    dataset: f.Column?.DataSetIdentifier,
    kind,
    granularity: kind === 'date' ? (f.DateGranularity ?? 'DAY') : undefined,
  };
}

/** A measure field: { fieldId, column, dataset, aggregation }; null when outside the subset. */
export function measureOf(field) {
  if (field?.NumericalMeasureField) {
    const f = field.NumericalMeasureField;
    const fn = f.AggregationFunction;
    const aggregation = fn ? fn.SimpleNumericalAggregation : 'SUM';
    if (!['SUM', 'AVERAGE', 'MIN', 'MAX', 'COUNT', 'DISTINCT_COUNT'].includes(aggregation)) return null;
    return {
      fieldId: f.FieldId,
      column: f.Column?.ColumnName,
      dataset: f.Column?.DataSetIdentifier,
      aggregation,
    };
  }
  if (field?.CategoricalMeasureField) {
    const f = field.CategoricalMeasureField;
    const aggregation = f.AggregationFunction ?? 'COUNT';
    if (!['COUNT', 'DISTINCT_COUNT'].includes(aggregation)) return null;
    return {
      fieldId: f.FieldId,
      column: f.Column?.ColumnName,
      dataset: f.Column?.DataSetIdentifier,
      aggregation,
    };
  }
  return null;
}

/** A measure's label: `Sum of created`. */
export function measureLabel(measure) {
  const names = {
    SUM: 'Sum',
    AVERAGE: 'Average',
    MIN: 'Min',
    MAX: 'Max',
    COUNT: 'Count',
    DISTINCT_COUNT: 'Distinct count',
  };
  return `${names[measure.aggregation] ?? measure.aggregation} of ${measure.column}`;
}

/** A row's value for a dimension, as the grouping key: truncated dates, numbers, strings. */
export function dimensionKey(row, dim) {
  const value = row[dim.column];
  if (value === null || value === undefined) return null;
  if (dim.kind === 'date') return truncateDate(value, dim.granularity);
  if (dim.kind === 'number') return Number(value);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The display label of a dimension key. */
export function keyLabel(key, dim) {
  if (key === null || key === undefined) return '(empty)';
  if (dim?.kind === 'date') return formatDateKey(key, dim.granularity);
  return String(key);
}

/** SUM, AVERAGE, MIN, MAX, COUNT and DISTINCT_COUNT of values, skipping nulls like SQL. */
export function aggregate(values, aggregation) {
  const present = values.filter((v) => v !== null && v !== undefined && v !== '');
  if (aggregation === 'COUNT') return present.length;
  if (aggregation === 'DISTINCT_COUNT') return new Set(present.map((v) => String(v))).size;
  const numbers = present.map(Number).filter((n) => !Number.isNaN(n));
  if (aggregation === 'SUM') return numbers.reduce((a, b) => a + b, 0);
  if (numbers.length === 0) return null;
  if (aggregation === 'AVERAGE') return numbers.reduce((a, b) => a + b, 0) / numbers.length;
  // A loop, not Math.min(...numbers): spreading many values overflows the call stack.
  if (aggregation === 'MIN') return numbers.reduce((a, b) => Math.min(a, b));
  if (aggregation === 'MAX') return numbers.reduce((a, b) => Math.max(a, b));
  return null;
}

/** Compares dimension keys: nulls last, numbers and ISO dates in order, strings naturally. */
export function compareKeys(a, b) {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}

/**
 * Groups rows by dimensions and aggregates measures: [{ keys, values, rows }], in key order.
 * No dimension gives one group over all rows (a KPI).
 */
export function groupRows(rows, dims, measures) {
  const groups = new Map();
  for (const row of rows) {
    const keys = dims.map((d) => dimensionKey(row, d));
    const id = JSON.stringify(keys);
    let group = groups.get(id);
    if (!group) {
      group = { keys, rows: [] };
      groups.set(id, group);
    }
    group.rows.push(row);
  }
  if (dims.length === 0 && groups.size === 0) groups.set('[]', { keys: [], rows: [] });
  const out = [...groups.values()].map((g) => ({
    keys: g.keys,
    rows: g.rows,
    values: measures.map((m) =>
      aggregate(
        g.rows.map((r) => r[m.column]),
        m.aggregation,
      ),
    ),
  }));
  out.sort((x, y) => {
    for (let i = 0; i < dims.length; i++) {
      const c = compareKeys(x.keys[i], y.keys[i]);
      if (c !== 0) return c;
    }
    return 0;
  });
  return out;
}

/** Parameters by name: { kind: 'string'|'datetime', multi, value } from the declarations. */
export function declareParameters(definition) {
  const params = {};
  for (const declaration of definition.ParameterDeclarations ?? []) {
    const s = declaration.StringParameterDeclaration;
    if (s) {
      params[s.Name] = {
        kind: 'string',
        multi: s.ParameterValueType === 'MULTI_VALUED',
        value: [...(s.DefaultValues?.StaticValues ?? [])],
      };
    }
    const t = declaration.DateTimeParameterDeclaration;
    if (t) {
      const first = t.DefaultValues?.StaticValues?.[0];
      params[t.Name] = {
        kind: 'datetime',
        granularity: t.TimeGranularity,
        value: first ? isoOf(first) : null,
      };
    }
  }
  return params;
}

/** The page state a dashboard starts with. */
export function initialState(definition) {
  return { params: declareParameters(definition), controls: {}, actions: [] };
}

function isoOf(value) {
  const ms = Date.parse(String(value));
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Whether a filter group reaches a visual of a sheet. */
export function inScope(group, sheetId, visualId) {
  if (group.Status === 'DISABLED') return false;
  const scope = group.ScopeConfiguration ?? {};
  if (scope.AllSheets) return true;
  for (const s of scope.SelectedSheets?.SheetVisualScopingConfigurations ?? []) {
    if (s.SheetId !== sheetId) continue;
    if (s.Scope === 'ALL_VISUALS') return true;
    if ((s.VisualIds ?? []).includes(visualId)) return true;
  }
  return false;
}

/** The one filter a Filter union holds: [kind, filter]. */
export function filterOf(filter) {
  return Object.entries(filter ?? {}).find(([, v]) => v) ?? [undefined, undefined];
}

/** Every filter of the definition by id, with its group: { kind, filter, group }. */
export function filtersById(definition) {
  const out = {};
  for (const group of definition.FilterGroups ?? []) {
    for (const f of group.Filters ?? []) {
      const [kind, filter] = filterOf(f);
      if (filter?.FilterId) out[filter.FilterId] = { kind, filter, group };
    }
  }
  return out;
}

/** Whether a filter on `column` of dataset `filterDataset` applies to rows of `dataset`. */
function appliesTo(group, filterDataset, dataset, columns, column) {
  if (filterDataset === undefined || filterDataset === dataset) return columns.has(column);
  return group.CrossDataset === 'ALL_DATASETS' && columns.has(column);
}

/**
 * The predicates (row → boolean) that filter a visual's rows: filter groups in scope (with the
 * controls' overrides and the parameters' values) and the drill-down actions that target it.
 * `columns` is the set of the visual dataset's column names.
 */
export function visualPredicates(definition, state, sheetId, visualId, dataset, columns) {
  const predicates = [];
  for (const group of definition.FilterGroups ?? []) {
    if (!inScope(group, sheetId, visualId)) continue;
    for (const f of group.Filters ?? []) {
      const [kind, filter] = filterOf(f);
      if (!filter) continue;
      const column = filter.Column?.ColumnName;
      if (!appliesTo(group, filter.Column?.DataSetIdentifier, dataset, columns, column)) continue;
      const p = filterPredicate(kind, filter, state);
      if (p) predicates.push(p);
    }
  }
  for (const action of state.actions) {
    if (action.sheetId !== sheetId || action.sourceVisualId === visualId) continue;
    if (action.targets !== 'ALL' && !action.targets.includes(visualId)) continue;
    for (const c of action.conditions) {
      // Drill-downs reach other datasets by column name, as QuickSight's do.
      if (!columns.has(c.dim.column)) continue;
      predicates.push((row) => dimensionKey(row, c.dim) === c.key);
    }
  }
  return predicates;
}

/** One filter's predicate, or null when it does not constrain (no values chosen, no bounds). */
export function filterPredicate(kind, filter, state) {
  const column = filter.Column?.ColumnName;
  const override = state.controls[filter.FilterId];
  if (kind === 'CategoryFilter') {
    const config = filter.Configuration ?? {};
    let operator;
    let values;
    let nullOption;
    if (config.FilterListConfiguration) {
      const c = config.FilterListConfiguration;
      operator = c.MatchOperator === 'DOES_NOT_CONTAIN' ? 'NOT_IN' : 'IN';
      values =
        override?.values ?? (c.SelectAllOptions === 'FILTER_ALL_VALUES' ? [] : (c.CategoryValues ?? []));
      nullOption = c.NullOption;
    } else if (config.CustomFilterConfiguration) {
      const c = config.CustomFilterConfiguration;
      operator = c.MatchOperator;
      const param = c.ParameterName ? state.params[c.ParameterName] : undefined;
      values =
        override?.values ?? (param ? param.value : c.CategoryValue !== undefined ? [c.CategoryValue] : []);
      nullOption = c.NullOption;
    } else {
      return null;
    }
    if (values.length === 0) return null;
    const set = new Set(values.map(String));
    const test = {
      IN: (v) => set.has(v),
      EQUALS: (v) => set.has(v),
      NOT_IN: (v) => !set.has(v),
      DOES_NOT_EQUAL: (v) => !set.has(v),
      CONTAINS: (v) => values.some((x) => v.includes(String(x))),
      DOES_NOT_CONTAIN: (v) => !values.some((x) => v.includes(String(x))),
      STARTS_WITH: (v) => values.some((x) => v.startsWith(String(x))),
      ENDS_WITH: (v) => values.some((x) => v.endsWith(String(x))),
    }[operator];
    if (!test) return null;
    return (row) => {
      const v = row[column];
      if (v === null || v === undefined) return nullOption === 'ALL_VALUES' || nullOption === 'NULLS_ONLY';
      if (nullOption === 'NULLS_ONLY') return false;
      return test(String(v));
    };
  }
  if (kind === 'TimeRangeFilter') {
    const bound = (value) => {
      if (!value) return null;
      if (value.Parameter) return state.params[value.Parameter]?.value ?? null;
      if (value.StaticValue !== undefined) return isoOf(value.StaticValue);
      return null;
    };
    const min = override && 'min' in override ? override.min : bound(filter.RangeMinimumValue);
    const max = override && 'max' in override ? override.max : bound(filter.RangeMaximumValue);
    if (min === null && max === null) return null;
    const g = filter.TimeGranularity;
    const at = (v) => Date.parse(g ? truncateDate(v, g) : String(v));
    const lo = min === null ? null : at(min);
    const hi = max === null ? null : at(max);
    const includeMin = filter.IncludeMinimum ?? true;
    const includeMax = filter.IncludeMaximum ?? false;
    return (row) => {
      const raw = row[column];
      if (raw === null || raw === undefined)
        return filter.NullOption === 'ALL_VALUES' || filter.NullOption === 'NULLS_ONLY';
      const t = at(raw);
      if (Number.isNaN(t)) return false;
      if (lo !== null && (includeMin ? t < lo : t <= lo)) return false;
      if (hi !== null && (includeMax ? t > hi : t >= hi)) return false;
      return true;
    };
  }
  if (kind === 'NumericRangeFilter') {
    const bound = (value) => {
      if (!value) return null;
      if (value.StaticValue !== undefined) return Number(value.StaticValue);
      if (value.Parameter) {
        const p = state.params[value.Parameter]?.value;
        const n = Array.isArray(p) ? Number(p[0]) : Number(p);
        return p === null || p === undefined || Number.isNaN(n) ? null : n;
      }
      return null;
    };
    const lo = bound(filter.RangeMinimum);
    const hi = bound(filter.RangeMaximum);
    if (lo === null && hi === null) return null;
    const includeMin = filter.IncludeMinimum ?? true;
    const includeMax = filter.IncludeMaximum ?? true;
    return (row) => {
      const raw = row[column];
      if (raw === null || raw === undefined)
        return filter.NullOption === 'ALL_VALUES' || filter.NullOption === 'NULLS_ONLY';
      const n = Number(raw);
      if (lo !== null && (includeMin ? n < lo : n <= lo)) return false;
      if (hi !== null && (includeMax ? n > hi : n >= hi)) return false;
      return true;
    };
  }
  return null;
}

/** Distinct non-null values of a column, sorted: a dropdown's choices. */
export function distinctValues(rows, column) {
  const seen = new Set();
  for (const row of rows) {
    const v = row[column];
    if (v !== null && v !== undefined) seen.add(String(v));
  }
  return [...seen].sort((a, b) => compareKeys(a, b));
}
