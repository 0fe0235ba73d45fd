// The local dashboard page: loads a dashboard's definition and its datasets' rows (relative to
// the page, so a static copy works too), then renders sheets, controls and visuals.

import { barOption, formatNumber, lineOption, pieOption } from './charts.js';
import { controlId, controlOf, el, renderControl } from './controls.js';
import { filterOf, filtersById, initialState, keyLabel, rowObjects, visualPredicates } from './model.js';
import {
  clickableDims,
  computeVisual,
  fieldsOf,
  isSupported,
  labelText,
  MAX_TABLE_ROWS,
  visualDataset,
  visualOf,
} from './visuals.js';

const main = document.getElementById('dashboard');
const root = main.dataset.root ?? '';
const echarts = globalThis.echarts;
const SUPPORTED_FILTERS = ['CategoryFilter', 'TimeRangeFilter', 'NumericRangeFilter'];

/** Everything the page knows: definition, rows per DataSetIdentifier, state, rendered visuals. */
const page = { dashboard: null, data: {}, state: null, filters: {}, sheetId: null, visuals: new Map() };

async function fetchJson(url) {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

async function load() {
  const id = main.dataset.dashboardId;
  const dashboard = await fetchJson(`${root}definitions/${encodeURIComponent(id)}.json`);
  const byDataset = new Map();
  for (const datasetId of new Set(Object.values(dashboard.datasets))) {
    byDataset.set(datasetId, fetchJson(`${root}data/${encodeURIComponent(datasetId)}.json`));
  }
  for (const [identifier, datasetId] of Object.entries(dashboard.datasets)) {
    const snapshot = await byDataset.get(datasetId);
    page.data[identifier] = {
      datasetId,
      snapshot,
      rows: rowObjects(snapshot),
      columns: new Set(snapshot.columns.map((c) => c.name)),
    };
  }
  page.dashboard = dashboard;
  page.state = initialState(dashboard.definition);
  page.filters = filtersById(dashboard.definition);
  const sheets = dashboard.definition.Sheets ?? [];
  const wanted = decodeURIComponent(location.hash.slice(1));
  page.sheetId = sheets.some((s) => s.SheetId === wanted) ? wanted : sheets[0]?.SheetId;
  renderPage();
}

function rowsOf(identifier) {
  return page.data[identifier]?.rows ?? [];
}

function renderPage() {
  const { dashboard } = page;
  const sheets = dashboard.definition.Sheets ?? [];
  for (const entry of page.visuals.values()) entry.chart?.dispose();
  page.visuals.clear();
  main.replaceChildren();
  if (sheets.length > 1) {
    main.append(
      el(
        'nav',
        { class: 'tabs', role: 'tablist' },
        sheets.map((s) =>
          el(
            'button',
            {
              type: 'button',
              role: 'tab',
              'aria-selected': String(s.SheetId === page.sheetId),
              dataset: { sheetId: s.SheetId },
              onclick: () => {
                page.sheetId = s.SheetId;
                history.replaceState(null, '', `#${encodeURIComponent(s.SheetId)}`);
                renderPage();
              },
            },
            s.Name ?? s.Title ?? s.SheetId,
          ),
        ),
      ),
    );
  }
  const sheet = sheets.find((s) => s.SheetId === page.sheetId);
  if (!sheet) {
    main.append(el('p', { class: 'empty' }, 'This dashboard has no sheets.'));
    finish();
    return;
  }
  main.append(renderSheet(sheet));
  // Charts need their boxes laid out first.
  for (const entry of page.visuals.values()) updateVisual(entry);
  finish();
}

function finish() {
  main.removeAttribute('aria-busy');
  main.dataset.state = 'ready';
}

function renderSheet(sheet) {
  const section = el('section', { class: 'sheet', dataset: { sheetId: sheet.SheetId } });
  if (sheet.Title || sheet.Description) {
    section.append(
      el(
        'div',
        { class: 'sheet-head' },
        sheet.Title ? el('h2', {}, sheet.Title) : null,
        sheet.Description ? el('p', {}, sheet.Description) : null,
      ),
    );
  }
  const grid = (sheet.Layouts ?? []).map((l) => l.Configuration?.GridLayout).find(Boolean);
  const placed = new Map((grid?.Elements ?? []).map((e) => [e.ElementId, e]));
  const ctx = { state: page.state, filters: page.filters, rowsOf, onChange: refresh };
  const controls = [
    ...(sheet.ParameterControls ?? []).map((c) => ['parameter', ...controlOf(c)]),
    ...(sheet.FilterControls ?? []).map((c) => ['filter', ...controlOf(c)]),
  ].filter(([, kind, control]) => kind && control);
  const bar = el('div', { class: 'controls' });
  const cells = [];
  for (const [source, kind, control] of controls) {
    const node = renderControl(source, kind, control, ctx);
    const at = placed.get(controlId(control));
    if (at) cells.push([at, el('div', { class: 'cell control-cell' }, node)]);
    else bar.append(node);
  }
  if (bar.childElementCount > 0) section.append(bar);
  section.append(el('div', { class: 'chips', 'aria-live': 'polite' }));
  section.append(notes(sheet));
  const gridNode = el('div', { class: 'grid' });
  const unplaced = [];
  for (const visual of sheet.Visuals ?? []) {
    const [kind, v] = visualOf(visual);
    if (!v) continue;
    const card = renderCard(sheet, kind, v);
    const at = placed.get(v.VisualId);
    if (at) cells.push([at, card]);
    else unplaced.push(card);
  }
  for (const [at, node] of cells) {
    const col =
      at.ColumnIndex === undefined
        ? `span ${at.ColumnSpan}`
        : `${at.ColumnIndex + 1} / span ${at.ColumnSpan}`;
    const row = at.RowIndex === undefined ? `span ${at.RowSpan}` : `${at.RowIndex + 1} / span ${at.RowSpan}`;
    node.style.gridColumn = col;
    node.style.gridRow = row;
    gridNode.append(node);
  }
  for (const card of unplaced) {
    card.style.gridColumn = 'span 18';
    card.style.gridRow = 'span 12';
    gridNode.append(card);
  }
  section.append(gridNode);
  renderChips(section);
  return section;
}

/** Visible notes: filters not applied locally, datasets without a snapshot. */
function notes(sheet) {
  const lines = [];
  for (const group of page.dashboard.definition.FilterGroups ?? []) {
    for (const f of group.Filters ?? []) {
      const [kind] = filterOf(f);
      if (kind && !SUPPORTED_FILTERS.includes(kind))
        lines.push(`Filter group ${group.FilterGroupId}: ${kind} is not applied locally.`);
    }
  }
  const identifiers = new Set();
  for (const visual of sheet.Visuals ?? []) {
    const [kind, v] = visualOf(visual);
    if (v && isSupported(kind)) identifiers.add(visualDataset(fieldsOf(kind, v), page.dashboard.datasets));
  }
  const times = [];
  for (const identifier of identifiers) {
    const d = page.data[identifier];
    if (!d) continue;
    if (d.snapshot.ingestionId === null) lines.push(`${d.datasetId} has no snapshot yet: run lakeq load.`);
    else times.push(`${d.datasetId}: ${d.snapshot.createdTime?.replace('T', ' ').slice(0, 16)} UTC`);
  }
  return el(
    'div',
    { class: 'notes' },
    lines.map((l) => el('p', { class: 'warning' }, l)),
    times.length > 0 ? el('p', { class: 'snapshot' }, `Snapshots: ${times.join(' · ')}`) : null,
  );
}

function renderCard(sheet, kind, v) {
  const title = labelText(v.Title) || v.VisualId;
  const subtitle = labelText(v.Subtitle);
  const card = el(
    'section',
    { class: 'cell visual', dataset: { visualId: v.VisualId, visualType: kind }, 'aria-label': title },
    el('header', {}, el('h3', {}, title), subtitle ? el('p', { class: 'subtitle' }, subtitle) : null),
  );
  const body = el('div', { class: 'body' });
  card.append(body);
  if (!isSupported(kind)) {
    card.dataset.state = 'unsupported';
    card.classList.add('unsupported');
    body.append(
      el('p', { class: 'unsupported-text' }, `Unsupported visual: ${kind} (shown in QuickSight only)`),
    );
    return card;
  }
  const fields = fieldsOf(kind, v);
  const identifier = visualDataset(fields, page.dashboard.datasets);
  card.dataset.dataset = page.data[identifier]?.datasetId ?? '';
  page.visuals.set(v.VisualId, {
    sheetId: sheet.SheetId,
    kind,
    v,
    fields,
    identifier,
    card,
    body,
    chart: null,
  });
  return card;
}

/** Re-renders every visual after a control or a drill-down changed the state. */
function refresh() {
  for (const entry of page.visuals.values()) updateVisual(entry);
  const section = main.querySelector('.sheet');
  if (section) renderChips(section);
}

function updateVisual(entry) {
  const { kind, v, fields, identifier, card, body } = entry;
  const data = page.data[identifier];
  if (!data) {
    card.dataset.state = 'error';
    body.replaceChildren(el('p', { class: 'warning' }, `No dataset ${identifier} in this dashboard.`));
    return;
  }
  const predicates = visualPredicates(
    page.dashboard.definition,
    page.state,
    entry.sheetId,
    v.VisualId,
    identifier,
    data.columns,
  );
  const rows = predicates.length === 0 ? data.rows : data.rows.filter((r) => predicates.every((p) => p(r)));
  const result = computeVisual(kind, v, fields, rows);
  entry.result = result;
  card.dataset.rows = String(rows.length);
  card.dataset.state = rows.length === 0 ? 'empty' : 'ready';
  if (kind === 'KPIVisual') renderKpi(entry, result);
  else if (kind === 'TableVisual' || kind === 'PivotTableVisual') renderTable(entry, result);
  else renderChart(entry, result);
}

function renderKpi(entry, result) {
  entry.card.dataset.value = JSON.stringify(result.value);
  entry.body.replaceChildren(
    el(
      'div',
      { class: 'kpi' },
      el('div', { class: 'kpi-value' }, formatNumber(result.value)),
      el('div', { class: 'kpi-label' }, result.label),
      result.target === null
        ? null
        : el('div', { class: 'kpi-target' }, `Target ${formatNumber(result.target)}`),
    ),
  );
}

function renderChart(entry, result) {
  const { kind, v, card, body } = entry;
  card.dataset.values = JSON.stringify({
    categories: result.labels,
    series: result.series.map((s) => ({ name: s.name, data: s.data })),
  });
  if (result.shown < result.total) card.dataset.truncated = `${result.shown}/${result.total}`;
  if (result.categories.length === 0) {
    entry.chart?.dispose();
    entry.chart = null;
    body.replaceChildren(el('p', { class: 'empty' }, 'No data for the current filters.'));
    return;
  }
  if (!entry.chart) {
    const box = el('div', { class: 'chart' });
    body.replaceChildren(box);
    entry.chart = echarts.init(box, null, { renderer: 'svg' });
    entry.chart.on('click', (p) => {
      const categoryIndex = p.dataIndex;
      const seriesIndex = kind === 'PieChartVisual' ? 0 : p.seriesIndex;
      onDataPoint(entry, pointKeys(entry, categoryIndex, seriesIndex));
    });
  }
  const config = v.ChartConfiguration;
  const option =
    kind === 'LineChartVisual'
      ? lineOption(result)
      : kind === 'BarChartVisual'
        ? barOption(result, config)
        : pieOption(result);
  entry.chart.setOption(option, { notMerge: true });
}

/** The dimension keys of a chart's data point: category and, with Colors, the series. */
function pointKeys(entry, categoryIndex, seriesIndex) {
  const keys = {};
  const [dim] = entry.fields.dims;
  const [color] = entry.fields.colors;
  if (dim) keys[dim.fieldId] = entry.result.categories[categoryIndex];
  if (color && entry.result.colorKeys) keys[color.fieldId] = entry.result.colorKeys[seriesIndex];
  return keys;
}

function renderTable(entry, result) {
  const { card, body, kind } = entry;
  const shown = result.rows.slice(0, MAX_TABLE_ROWS);
  card.dataset.rowCount = String(result.total);
  card.dataset.values = JSON.stringify({ headers: result.headers, rows: shown.map((r) => r.cells) });
  const numericFrom =
    kind === 'PivotTableVisual' || entry.fields.measures.length > 0 ? result.dims.length : Infinity;
  const dims = result.dims;
  const table = el(
    'table',
    {},
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        result.headers.map((h, i) => el('th', { class: i >= numericFrom ? 'num' : '' }, h)),
      ),
    ),
    el(
      'tbody',
      {},
      shown.map((record, index) =>
        el(
          'tr',
          {
            dataset: { index: String(index) },
            onclick: () => onDataPoint(entry, tableKeys(entry, record)),
          },
          record.cells.map((cell, i) =>
            i >= numericFrom || typeof cell === 'number'
              ? el('td', { class: 'num' }, formatNumber(cell))
              : el('td', {}, i < dims.length ? keyLabel(cell, dims[i]) : formatCell(cell)),
          ),
        ),
      ),
    ),
  );
  const wrap = el('div', { class: 'table-wrap' }, table);
  const parts = [wrap];
  if (result.total > shown.length)
    parts.push(el('p', { class: 'more' }, `${shown.length} of ${result.total} rows shown`));
  if (result.total === 0) parts.push(el('p', { class: 'empty' }, 'No rows for the current filters.'));
  body.replaceChildren(...parts);
  if (hasActions(entry.v)) table.classList.add('clickable');
}

function formatCell(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return formatNumber(value);
  const s = String(value);
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(s)
    ? s.replace('T', ' ').replace(/(\.0+)?Z$/, '')
    : s;
}

function tableKeys(entry, record) {
  const keys = {};
  const dims = clickableDims(entry.fields);
  if (entry.fields.unaggregated) {
    dims.forEach((d, i) => {
      keys[d.fieldId] = record.cells[i] === null ? null : String(record.cells[i]);
    });
  } else {
    record.keys.forEach((k, i) => {
      const d = entry.kind === 'PivotTableVisual' ? entry.fields.rowDims[i] : entry.fields.dims[i];
      if (d) keys[d.fieldId] = k;
    });
  }
  return keys;
}

function hasActions(v) {
  return (v.Actions ?? []).some((a) => a.Trigger === 'DATA_POINT_CLICK' && a.Status !== 'DISABLED');
}

/** A click on a data point runs the visual's DATA_POINT_CLICK filter actions (a second click clears). */
function onDataPoint(entry, keys) {
  const dims = clickableDims(entry.fields);
  const actions = [];
  for (const action of entry.v.Actions ?? []) {
    if (action.Trigger !== 'DATA_POINT_CLICK' || action.Status === 'DISABLED') continue;
    for (const op of action.ActionOperations ?? []) {
      const f = op.FilterOperation;
      if (!f) continue;
      const selected = f.SelectedFieldsConfiguration ?? {};
      const chosen = dims.filter(
        (d) =>
          selected.SelectedFieldOptions === 'ALL_FIELDS' ||
          (selected.SelectedFields ?? []).includes(d.fieldId) ||
          (selected.SelectedColumns ?? []).some((c) => c.ColumnName === d.column),
      );
      const conditions = chosen
        .filter((d) => d.fieldId in keys)
        .map((d) => ({ dim: d, key: keys[d.fieldId] }));
      if (conditions.length === 0) continue;
      const target = f.TargetVisualsConfiguration?.SameSheetTargetVisualConfiguration ?? {};
      actions.push({
        id: `${entry.v.VisualId}/${action.CustomActionId}`,
        name: action.Name,
        sheetId: entry.sheetId,
        sourceVisualId: entry.v.VisualId,
        sourceTitle: labelText(entry.v.Title) || entry.v.VisualId,
        targets: target.TargetVisualOptions === 'ALL_VISUALS' ? 'ALL' : (target.TargetVisuals ?? []),
        conditions,
      });
    }
  }
  if (actions.length === 0) return;
  const same = (a, b) =>
    JSON.stringify(a.conditions.map((c) => c.key)) === JSON.stringify(b.conditions.map((c) => c.key));
  const previous = page.state.actions.filter((a) => a.sourceVisualId === entry.v.VisualId);
  const toggledOff =
    previous.length > 0 && actions.every((a) => previous.some((p) => p.id === a.id && same(p, a)));
  page.state.actions = page.state.actions.filter((a) => a.sourceVisualId !== entry.v.VisualId);
  if (!toggledOff) page.state.actions.push(...actions);
  refresh();
}

function renderChips(section) {
  const chips = section.querySelector('.chips');
  const active = page.state.actions.filter((a) => a.sheetId === page.sheetId);
  chips.replaceChildren(
    ...active.map((a) =>
      el(
        'span',
        { class: 'chip', dataset: { actionId: a.id, sourceVisualId: a.sourceVisualId } },
        `${a.sourceTitle}: ${a.conditions.map((c) => `${c.dim.column} = ${keyLabel(c.key, c.dim)}`).join(', ')}`,
        el(
          'button',
          {
            type: 'button',
            class: 'chip-clear',
            'aria-label': `Clear ${a.name ?? 'drill-down'}`,
            title: 'Clear this filter',
            onclick: () => {
              page.state.actions = page.state.actions.filter((x) => x.id !== a.id);
              refresh();
            },
          },
          '×',
        ),
      ),
    ),
  );
}

/**
 * Where a chart's data point is on the page ({ x, y } in CSS pixels), for tests that click it:
 * the middle of a bar, a line's point, the middle of a pie slice's ring.
 */
function pointOf(visualId, dataIndex = 0, seriesIndex = 0) {
  const entry = page.visuals.get(visualId);
  if (!entry?.chart) return null;
  const chart = entry.chart;
  const box = chart.getDom().getBoundingClientRect();
  const layout = chart.getModel().getSeriesByIndex(seriesIndex)?.getData().getItemLayout(dataIndex);
  if (!layout) return null;
  let local;
  if (Array.isArray(layout)) local = layout;
  else if (entry.kind === 'PieChartVisual') {
    const angle = (layout.startAngle + layout.endAngle) / 2;
    const r = (layout.r + layout.r0) / 2;
    local = [layout.cx + Math.cos(angle) * r, layout.cy + Math.sin(angle) * r];
  } else local = [layout.x + layout.width / 2, layout.y + layout.height / 2];
  return { x: box.left + local[0], y: box.top + local[1] };
}

globalThis.lakeqPage = { pointOf, state: () => page.state };

window.addEventListener('resize', () => {
  for (const entry of page.visuals.values()) entry.chart?.resize();
});

load().catch((error) => {
  main.removeAttribute('aria-busy');
  main.dataset.state = 'error';
  main.replaceChildren(el('p', { class: 'warning' }, `Could not load this dashboard: ${error.message}`));
});
