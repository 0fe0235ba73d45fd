// What each supported visual shows, computed from its field wells and filtered rows, without
// the DOM: the charts and tables are drawn from these results, and the page publishes them in
// data attributes for tests.

import {
  compareKeys,
  dimensionOf,
  groupRows,
  keyLabel,
  measureLabel,
  measureOf,
  SUPPORTED_VISUALS,
} from './model.js';

/** Bars drawn at most; the rest are left out (the subtitle says so). */
export const MAX_BARS = 50;
/** Table rows drawn at most; the row count still counts all. */
export const MAX_TABLE_ROWS = 500;

/** The visual a Visual union holds: [kind, visual], kind undefined for an empty union. */
export function visualOf(visual) {
  return Object.entries(visual ?? {}).find(([, v]) => v) ?? [undefined, undefined];
}

export function isSupported(kind) {
  return SUPPORTED_VISUALS.includes(kind);
}

/** The text of a Title or Subtitle (FormatText.PlainText), unless hidden. */
export function labelText(label) {
  if (!label || label.Visibility === 'HIDDEN') return '';
  return label.FormatText?.PlainText ?? '';
}

/** A visual's fields by role: { dims, colors, measures, rowDims, colDims, unaggregated }. */
export function fieldsOf(kind, v) {
  const wells = v.ChartConfiguration?.FieldWells ?? {};
  const dims = (list) => (list ?? []).map(dimensionOf).filter(Boolean);
  const measures = (list) => (list ?? []).map(measureOf).filter(Boolean);
  if (kind === 'KPIVisual') {
    return { dims: [], colors: [], measures: measures(wells.Values), targets: measures(wells.TargetValues) };
  }
  if (kind === 'TableVisual') {
    const agg = wells.TableAggregatedFieldWells;
    if (agg) return { dims: dims(agg.GroupBy), colors: [], measures: measures(agg.Values) };
    const raw = (wells.TableUnaggregatedFieldWells?.Values ?? []).map((f) => ({
      fieldId: f.FieldId,
      column: f.Column?.ColumnName,
      dataset: f.Column?.DataSetIdentifier,
      kind: 'raw',
    }));
    return { dims: [], colors: [], measures: [], unaggregated: raw };
  }
  if (kind === 'PivotTableVisual') {
    const p = wells.PivotTableAggregatedFieldWells ?? {};
    const rowDims = dims(p.Rows);
    const colDims = dims(p.Columns);
    return { dims: [...rowDims, ...colDims], rowDims, colDims, colors: [], measures: measures(p.Values) };
  }
  const well =
    wells.LineChartAggregatedFieldWells ??
    wells.BarChartAggregatedFieldWells ??
    wells.PieChartAggregatedFieldWells ??
    {};
  return {
    dims: dims(well.Category).slice(0, 1),
    colors: dims(well.Colors).slice(0, 1),
    measures: measures(well.Values),
  };
}

/** The DataSetIdentifier a visual reads: that of its first field (or the only dataset). */
export function visualDataset(fields, datasets) {
  const all = [
    ...fields.dims,
    ...fields.colors,
    ...fields.measures,
    ...(fields.targets ?? []),
    ...(fields.unaggregated ?? []),
  ];
  const named = all.find((f) => f.dataset)?.dataset;
  if (named) return named;
  const identifiers = Object.keys(datasets);
  return identifiers.length === 1 ? identifiers[0] : undefined;
}

/** Every dimension a click on this visual can filter by (category, colors, groups, rows). */
export function clickableDims(fields) {
  if (fields.unaggregated) {
    return fields.unaggregated.map((f) => ({ ...f, kind: 'category' }));
  }
  return [...fields.dims, ...fields.colors];
}

/**
 * What a visual shows for these rows. KPI: { value, target }; line/bar/pie: { categories,
 * colorKeys, series: [{ name, data }] }; table and pivot: { headers, rows, total }.
 */
export function computeVisual(kind, v, fields, rows) {
  if (kind === 'KPIVisual') {
    const [group] = groupRows(rows, [], [...fields.measures, ...fields.targets]);
    const n = fields.measures.length;
    return {
      value: n > 0 ? group.values[0] : null,
      target: fields.targets.length > 0 ? group.values[n] : null,
      label: fields.measures[0] ? measureLabel(fields.measures[0]) : '',
    };
  }
  if (kind === 'TableVisual')
    return fields.unaggregated ? rawTable(v, fields, rows) : aggregatedTable(v, fields, rows);
  if (kind === 'PivotTableVisual') return pivotTable(fields, rows);
  return chartSeries(kind, v, fields, rows);
}

function chartSeries(kind, v, fields, rows) {
  const [dim] = fields.dims;
  const [color] = fields.colors;
  const measures = color ? fields.measures.slice(0, 1) : fields.measures;
  const byCategory = groupRows(rows, dim ? [dim] : [], measures);
  let categories = byCategory.map((g) => g.keys[0] ?? null);
  // Bars and slices of categories read best largest first; time and numbers stay in order.
  const sort = (v.ChartConfiguration?.SortConfiguration?.CategorySort ?? [])[0]?.FieldSort;
  const measureIndex = sort ? measures.findIndex((m) => m.fieldId === sort.FieldId) : -1;
  const sortByValue = measureIndex >= 0 || (kind !== 'LineChartVisual' && dim?.kind === 'category' && !sort);
  if (sortByValue) {
    const i = Math.max(measureIndex, 0);
    const desc = sort ? sort.Direction !== 'ASC' : true;
    const ordered = [...byCategory].sort(
      (a, b) => ((a.values[i] ?? 0) - (b.values[i] ?? 0)) * (desc ? -1 : 1),
    );
    categories = ordered.map((g) => g.keys[0] ?? null);
  } else if (sort && sort.FieldId === dim?.fieldId && sort.Direction === 'DESC') {
    categories = [...categories].reverse();
  }
  const total = categories.length;
  if (kind === 'BarChartVisual' && categories.length > MAX_BARS) categories = categories.slice(0, MAX_BARS);
  const index = new Map(categories.map((k, i) => [JSON.stringify(k), i]));
  let series;
  let colorKeys = null;
  if (color) {
    const groups = groupRows(rows, [dim, color].filter(Boolean), measures);
    colorKeys = [...new Set(groups.map((g) => JSON.stringify(g.keys[dim ? 1 : 0] ?? null)))]
      .map((s) => JSON.parse(s))
      .sort(compareKeys);
    series = colorKeys.map((ck) => ({ name: keyLabel(ck, color), data: categories.map(() => null) }));
    const colorIndex = new Map(colorKeys.map((k, i) => [JSON.stringify(k), i]));
    for (const g of groups) {
      const ci = colorIndex.get(JSON.stringify(g.keys[dim ? 1 : 0] ?? null));
      const xi = dim ? index.get(JSON.stringify(g.keys[0] ?? null)) : 0;
      if (ci === undefined || xi === undefined) continue;
      series[ci].data[xi] = g.values[0];
    }
  } else {
    const values = new Map(byCategory.map((g) => [JSON.stringify(g.keys[0] ?? null), g.values]));
    series = measures.map((m, mi) => ({
      name: measureLabel(m),
      data: categories.map((k) => values.get(JSON.stringify(k))?.[mi] ?? null),
    }));
  }
  return {
    categories,
    labels: categories.map((k) => keyLabel(k, dim)),
    colorKeys,
    series,
    total,
    shown: categories.length,
  };
}

function aggregatedTable(v, fields, rows) {
  const groups = groupRows(rows, fields.dims, fields.measures);
  const fieldIds = [...fields.dims.map((d) => d.fieldId), ...fields.measures.map((m) => m.fieldId)];
  const records = groups.map((g) => ({ keys: g.keys, cells: [...g.keys, ...g.values] }));
  sortRecords(v, fieldIds, records);
  return {
    headers: [...fields.dims.map((d) => d.column), ...fields.measures.map(measureLabel)],
    dims: fields.dims,
    rows: records,
    total: records.length,
  };
}

function rawTable(v, fields, rows) {
  const records = rows.map((row) => {
    const cells = fields.unaggregated.map((f) => row[f.column] ?? null);
    return { keys: cells, cells };
  });
  sortRecords(
    v,
    fields.unaggregated.map((f) => f.fieldId),
    records,
  );
  return {
    headers: fields.unaggregated.map((f) => f.column),
    dims: [],
    rows: records,
    total: records.length,
  };
}

function sortRecords(v, fieldIds, records) {
  const sorts = (v.ChartConfiguration?.SortConfiguration?.RowSort ?? [])
    .map((s) => s.FieldSort)
    .filter((s) => s && fieldIds.includes(s.FieldId));
  if (sorts.length === 0) return;
  records.sort((a, b) => {
    for (const s of sorts) {
      const i = fieldIds.indexOf(s.FieldId);
      const c = compareKeys(a.cells[i], b.cells[i]);
      if (c !== 0) return s.Direction === 'DESC' ? -c : c;
    }
    return 0;
  });
}

function pivotTable(fields, rows) {
  const { rowDims, colDims, measures } = fields;
  const groups = groupRows(rows, [...rowDims, ...colDims], measures);
  const rowKeys = [];
  const colKeys = [];
  const seenRows = new Map();
  const seenCols = new Map();
  const cells = new Map();
  for (const g of groups) {
    const rk = g.keys.slice(0, rowDims.length);
    const ck = g.keys.slice(rowDims.length);
    const rs = JSON.stringify(rk);
    const cs = JSON.stringify(ck);
    if (!seenRows.has(rs)) {
      seenRows.set(rs, rowKeys.length);
      rowKeys.push(rk);
    }
    if (!seenCols.has(cs)) {
      seenCols.set(cs, colKeys.length);
      colKeys.push(ck);
    }
    cells.set(`${rs}|${cs}`, g.values);
  }
  colKeys.sort((a, b) => {
    for (let i = 0; i < a.length; i++) {
      const c = compareKeys(a[i], b[i]);
      if (c !== 0) return c;
    }
    return 0;
  });
  const columns = [];
  for (const ck of colKeys) {
    for (const [mi, m] of measures.entries()) {
      const label = ck.map((k, i) => keyLabel(k, colDims[i])).join(' / ');
      columns.push({
        keys: ck,
        measure: mi,
        label: [label, measures.length > 1 || !label ? measureLabel(m) : ''].filter(Boolean).join(' · '),
      });
    }
  }
  const records = rowKeys.map((rk) => ({
    keys: rk,
    cells: [
      ...rk,
      ...columns.map(
        (c) => cells.get(`${JSON.stringify(rk)}|${JSON.stringify(c.keys)}`)?.[c.measure] ?? null,
      ),
    ],
  }));
  return {
    headers: [...rowDims.map((d) => d.column), ...columns.map((c) => c.label)],
    dims: rowDims,
    columns,
    rows: records,
    total: records.length,
  };
}
