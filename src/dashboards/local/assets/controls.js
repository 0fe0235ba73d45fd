// Sheet controls: parameter dropdowns and date pickers, filter dropdowns and date pickers.

import { distinctValues, truncateDate } from './model.js';

/** Creates an element: el('div', { class: 'x', dataset: { a: '1' } }, child, 'text'). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** The control a ParameterControl or FilterControl union holds: [kind, control]. */
export function controlOf(control) {
  return Object.entries(control ?? {}).find(([, v]) => v) ?? [undefined, undefined];
}

/** The id a control is laid out by. */
export function controlId(control) {
  return control.ParameterControlId ?? control.FilterControlId;
}

/**
 * A control's element, wired to the page state. `ctx`: { state, filters (by id), rowsOf
 * (identifier → rows), onChange() }.
 */
export function renderControl(source, kind, control, ctx) {
  const id = controlId(control);
  const title = control.Title ?? control.SourceParameterName ?? control.SourceFilterId ?? id;
  const wrap = el('div', { class: 'control', dataset: { controlId: id, controlKind: `${source}.${kind}` } });
  wrap.append(el('span', { class: 'control-title' }, title));
  if (source === 'parameter') {
    const param = ctx.state.params[control.SourceParameterName];
    if (!param) return unsupported(wrap, `no parameter ${control.SourceParameterName}`);
    if (kind === 'Dropdown' && param.kind === 'string') {
      const link = control.SelectableValues?.LinkToDataSetColumn;
      const values =
        control.SelectableValues?.Values ??
        (link ? distinctValues(ctx.rowsOf(link.DataSetIdentifier), link.ColumnName) : []);
      const multi = control.Type ? control.Type === 'MULTI_SELECT' : param.multi;
      wrap.append(
        choice(values, param.value, multi, (chosen) => {
          param.value = chosen;
          ctx.onChange();
        }),
      );
      return wrap;
    }
    if (kind === 'DateTimePicker' && param.kind === 'datetime') {
      wrap.append(
        dateInput(param.value, (iso) => {
          param.value = iso;
          ctx.onChange();
        }),
      );
      return wrap;
    }
    return unsupported(wrap, `${kind} for a ${param.kind} parameter`);
  }
  const entry = ctx.filters[control.SourceFilterId];
  if (!entry) return unsupported(wrap, `no filter ${control.SourceFilterId}`);
  const { kind: filterKind, filter } = entry;
  if (kind === 'Dropdown' && filterKind === 'CategoryFilter') {
    const column = filter.Column?.ColumnName;
    const values =
      control.SelectableValues?.Values ??
      distinctValues(ctx.rowsOf(filter.Column?.DataSetIdentifier), column);
    const list = filter.Configuration?.FilterListConfiguration;
    const initial = ctx.state.controls[filter.FilterId]?.values ?? list?.CategoryValues ?? [];
    const multi = (control.Type ?? 'MULTI_SELECT') === 'MULTI_SELECT';
    wrap.append(
      choice(values, initial, multi, (chosen) => {
        ctx.state.controls[filter.FilterId] = { values: chosen };
        ctx.onChange();
      }),
    );
    return wrap;
  }
  if (kind === 'DateTimePicker' && filterKind === 'TimeRangeFilter') {
    const bound = (value) => {
      if (!value) return null;
      if (value.Parameter) return ctx.state.params[value.Parameter]?.value ?? null;
      return value.StaticValue ? truncateDate(value.StaticValue, 'MILLISECOND') : null;
    };
    const current = ctx.state.controls[filter.FilterId] ?? {
      min: bound(filter.RangeMinimumValue),
      max: bound(filter.RangeMaximumValue),
    };
    const set = (key) => (iso) => {
      ctx.state.controls[filter.FilterId] = {
        ...current,
        ...ctx.state.controls[filter.FilterId],
        [key]: iso,
      };
      ctx.onChange();
    };
    const range = el('div', { class: 'range' }, dateInput(current.min, set('min'), 'from'));
    if (control.Type !== 'SINGLE_VALUED') range.append(dateInput(current.max, set('max'), 'to'));
    wrap.append(range);
    return wrap;
  }
  return unsupported(wrap, `${kind} on a ${filterKind}`);
}

function unsupported(wrap, what) {
  wrap.classList.add('unsupported');
  wrap.dataset.state = 'unsupported';
  wrap.append(el('span', { class: 'unsupported-text' }, `Unsupported control: ${what}`));
  return wrap;
}

/** A single select (with "All") or a multi-select of checkboxes in a drop-down panel. */
function choice(values, selected, multi, onChange) {
  const chosen = new Set((selected ?? []).map(String));
  if (!multi) {
    const select = el(
      'select',
      { onchange: () => onChange(select.value === '' ? [] : [select.value]) },
      el('option', { value: '' }, 'All'),
      values.map((v) => el('option', { value: v, selected: chosen.has(String(v)) }, v)),
    );
    return select;
  }
  const summary = el('summary', {}, '');
  const label = () => {
    summary.textContent =
      chosen.size === 0 ? 'All' : chosen.size === 1 ? [...chosen][0] : `${chosen.size} selected`;
  };
  const boxes = values.map((v) =>
    el(
      'label',
      { class: 'option' },
      el('input', {
        type: 'checkbox',
        value: v,
        checked: chosen.has(String(v)),
        onchange: (event) => {
          if (event.target.checked) chosen.add(String(v));
          else chosen.delete(String(v));
          label();
          onChange(values.filter((x) => chosen.has(String(x))));
        },
      }),
      v,
    ),
  );
  const clear = el(
    'button',
    {
      type: 'button',
      class: 'link',
      onclick: () => {
        chosen.clear();
        for (const box of boxes) box.querySelector('input').checked = false;
        label();
        onChange([]);
      },
    },
    'Clear (all)',
  );
  label();
  return el('details', { class: 'multi' }, summary, el('div', { class: 'options' }, clear, boxes));
}

/** A UTC date input: '' is unset (null), a date is midnight UTC. */
function dateInput(iso, onChange, label) {
  const input = el('input', {
    type: 'date',
    value: iso ? String(iso).slice(0, 10) : '',
    'aria-label': label,
    onchange: () => onChange(input.value ? `${input.value}T00:00:00.000Z` : null),
  });
  return label ? el('label', { class: 'date' }, el('span', {}, label), input) : input;
}
