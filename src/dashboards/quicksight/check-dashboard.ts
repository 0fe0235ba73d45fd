import { LakeqError } from '../../engines/engine.ts';
import type { LakeqDashboard } from '../dashboard-definition.ts';

/** A dataset column as a dashboard may name it (QuickSight's InputColumn with its members set). */
export interface DashboardColumn {
  readonly Name: string;
  readonly Type: string;
}

/** The visual kinds the local page renders (see dashboard-definition.ts). */
export const SUPPORTED_VISUALS = [
  'KPIVisual',
  'LineChartVisual',
  'BarChartVisual',
  'PieChartVisual',
  'TableVisual',
  'PivotTableVisual',
] as const;

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const NUMERIC = new Set(['INTEGER', 'DECIMAL']);

/** Every object in a value, with its path (`Sheets[0].Visuals[2].BarChartVisual`). */
function* objects(value: unknown, path: string): Generator<[Obj, string]> {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* objects(item, `${path}[${i}]`);
  } else if (isObject(value)) {
    yield [value, path];
    for (const [key, item] of Object.entries(value)) yield* objects(item, path ? `${path}.${key}` : key);
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * What is inconsistent in a dashboard: dataset identifiers not declared in `datasets`, unknown
 * SPICE datasets, columns missing from their dataset (or of the wrong type: a date dimension or
 * time range needs a DATETIME, a numerical measure a number), parameters not declared, filters,
 * visuals, fields and sheets named but not defined, duplicate ids, visual kinds outside the
 * supported subset, visuals without title or subtitle. `[]` when none.
 *
 * @example
 * ```ts
 * checkDashboard(dashboard, (id) => id === 'lakeq-glue-job-runs' ? columns : undefined)
 * // ['lakeq-glue-jobs: Sheets[0].Visuals[4].BarChartVisual…Column: no column job in dataset runs (lakeq-glue-job-runs)']
 * ```
 */
export function checkDashboard(
  dashboard: LakeqDashboard,
  columnsOf: (datasetId: string) => readonly DashboardColumn[] | undefined,
): string[] {
  const problems: string[] = [];
  const bad = (path: string, why: string) => problems.push(`${dashboard.id}: ${path}: ${why}`);
  const def = dashboard.definition;

  const columns = new Map<string, ReadonlyMap<string, string>>();
  for (const [identifier, datasetId] of Object.entries(dashboard.datasets)) {
    const cols = columnsOf(datasetId);
    if (!cols) bad(`datasets.${identifier}`, `no SPICE dataset ${datasetId}`);
    else columns.set(identifier, new Map(cols.map((c) => [c.Name, c.Type])));
  }

  const unique = (kind: string, ids: [string, string][]) => {
    const seen = new Set<string>();
    for (const [id, path] of ids) {
      if (seen.has(id)) bad(path, `${kind} ${id} is defined twice`);
      seen.add(id);
    }
    return seen;
  };
  const all = [...objects(def, '')];
  const idsOf = (key: string) =>
    all.flatMap(([o, path]): [string, string][] => {
      const id = str(o[key]);
      return id === undefined ? [] : [[id, path]];
    });
  const parameters = unique(
    'parameter',
    (def.ParameterDeclarations ?? []).flatMap((p, i): [string, string][] => {
      const decl = Object.values(p).find(isObject);
      const name = decl ? str(decl.Name) : undefined;
      return name ? [[name, `ParameterDeclarations[${i}]`]] : [];
    }),
  );
  const filterIds = unique('filter', idsOf('FilterId'));
  unique('field', idsOf('FieldId'));
  unique('parameter control', idsOf('ParameterControlId'));
  unique('filter control', idsOf('FilterControlId'));
  unique('filter group', idsOf('FilterGroupId'));
  const sheets = new Map<string, Set<string>>();
  for (const [s, sheet] of (def.Sheets ?? []).entries()) {
    if (sheets.has(sheet.SheetId ?? '')) bad(`Sheets[${s}]`, `sheet ${sheet.SheetId} is defined twice`);
    sheets.set(sheet.SheetId ?? '', new Set());
  }
  unique('visual', idsOf('VisualId'));

  // Visuals: kind, titles, and the field ids a drill-down may select.
  for (const [s, sheet] of (def.Sheets ?? []).entries()) {
    const visualIds = sheets.get(sheet.SheetId ?? '') ?? new Set<string>();
    const controlIds = new Set<string>();
    for (const c of [...(sheet.ParameterControls ?? []), ...(sheet.FilterControls ?? [])]) {
      for (const [o] of objects(c, '')) {
        const id = str(o.ParameterControlId) ?? str(o.FilterControlId);
        if (id) controlIds.add(id);
      }
    }
    for (const [v, visual] of (sheet.Visuals ?? []).entries()) {
      const path = `Sheets[${s}].Visuals[${v}]`;
      const kinds = Object.keys(visual).filter((k) => visual[k as keyof typeof visual] !== undefined);
      const kind = kinds[0];
      if (kinds.length !== 1 || !kind || !(SUPPORTED_VISUALS as readonly string[]).includes(kind)) {
        bad(path, `visual kind ${kinds.join('+') || '(none)'} is not one of ${SUPPORTED_VISUALS.join(', ')}`);
        continue;
      }
      const body = (visual as Obj)[kind] as Obj;
      const id = str(body.VisualId) ?? '';
      visualIds.add(id);
      for (const part of ['Title', 'Subtitle']) {
        const label = body[part];
        const text =
          isObject(label) && isObject(label.FormatText) ? str(label.FormatText.PlainText) : undefined;
        if (!text)
          bad(`${path}.${kind}.${part}`, `visual ${id} has no ${part.toLowerCase()} (FormatText.PlainText)`);
      }
      const fields = new Set(
        [...objects(body, '')].flatMap(([o]) => (str(o.FieldId) ? [str(o.FieldId) as string] : [])),
      );
      for (const [o, at] of objects(body.Actions, `${path}.${kind}.Actions`)) {
        for (const f of Array.isArray(o.SelectedFields) ? o.SelectedFields : []) {
          if (!fields.has(String(f)))
            bad(at, `drill-down selects field ${f}, which visual ${id} does not have`);
        }
      }
    }
    for (const [o, at] of objects(sheet.Layouts, `Sheets[${s}].Layouts`)) {
      const element = str(o.ElementId);
      if (element === undefined) continue;
      const known = o.ElementType === 'VISUAL' ? visualIds.has(element) : controlIds.has(element);
      if (!known)
        bad(
          at,
          `layout element ${element} is no ${String(o.ElementType).toLowerCase()} of sheet ${sheet.SheetId}`,
        );
    }
    for (const [o, at] of objects(sheet.Visuals, `Sheets[${s}].Visuals`)) {
      for (const t of Array.isArray(o.TargetVisuals) ? o.TargetVisuals : []) {
        if (!visualIds.has(String(t)))
          bad(at, `drill-down targets visual ${t}, which sheet ${sheet.SheetId} does not have`);
      }
    }
  }

  for (const [o, path] of all) {
    const identifier = str(o.DataSetIdentifier);
    const name = str(o.ColumnName);
    if (identifier !== undefined && name !== undefined) {
      const cols = columns.get(identifier);
      if (!(identifier in dashboard.datasets))
        bad(path, `dataset identifier ${identifier} is not declared in datasets`);
      else if (cols && !cols.has(name))
        bad(path, `no column ${name} in dataset ${identifier} (${dashboard.datasets[identifier]})`);
    }
    const typed = (key: string, want: (t: string) => boolean, what: string) => {
      const field = o[key];
      if (!isObject(field) || !isObject(field.Column)) return;
      const id = str(field.Column.DataSetIdentifier) ?? '';
      const col = str(field.Column.ColumnName) ?? '';
      const type = columns.get(id)?.get(col);
      if (type !== undefined && !want(type))
        bad(
          `${path}.${key}`,
          `${what} needs ${col} to be ${what === 'a date dimension' || what === 'a time range filter' ? 'a DATETIME' : 'numeric'}, it is ${type}`,
        );
    };
    typed('DateDimensionField', (t) => t === 'DATETIME', 'a date dimension');
    typed('TimeRangeFilter', (t) => t === 'DATETIME', 'a time range filter');
    typed('NumericalMeasureField', (t) => NUMERIC.has(t), 'a numerical measure');
    typed('NumericRangeFilter', (t) => NUMERIC.has(t), 'a numeric range filter');
    for (const key of ['ParameterName', 'SourceParameterName', 'Parameter']) {
      const p = str(o[key]);
      if (p !== undefined && !parameters.has(p)) bad(`${path}.${key}`, `parameter ${p} is not declared`);
    }
    const source = str(o.SourceFilterId);
    if (source !== undefined && !filterIds.has(source)) bad(`${path}.SourceFilterId`, `no filter ${source}`);
    const sheetId = str(o.SheetId);
    if (sheetId !== undefined && path.startsWith('FilterGroups')) {
      const visuals = sheets.get(sheetId);
      if (!visuals) bad(path, `filter scope names sheet ${sheetId}, which is not defined`);
      for (const v of Array.isArray(o.VisualIds) ? o.VisualIds : []) {
        if (visuals && !visuals.has(String(v)))
          bad(path, `filter scope names visual ${v}, not on sheet ${sheetId}`);
      }
    }
  }
  return problems;
}

/**
 * Checks every dashboard and throws one error listing every problem (export and deploy call it
 * first, so nothing inconsistent reaches QuickSight).
 *
 * @example
 * ```ts
 * assertDashboardsConsistent(DASHBOARDS, (id) => columnsOfSpiceDataset(id))
 * ```
 */
export function assertDashboardsConsistent(
  dashboards: readonly LakeqDashboard[],
  columnsOf: (datasetId: string) => readonly DashboardColumn[] | undefined,
): void {
  const problems = dashboards.flatMap((d) => checkDashboard(d, columnsOf));
  const ids = new Set<string>();
  for (const d of dashboards) {
    if (ids.has(d.id)) problems.push(`dashboard ${d.id} is defined twice`);
    ids.add(d.id);
  }
  if (problems.length > 0) {
    throw new LakeqError('BAD_DASHBOARD', `dashboards are inconsistent:\n- ${problems.join('\n- ')}`, {
      usage: true,
    });
  }
}
