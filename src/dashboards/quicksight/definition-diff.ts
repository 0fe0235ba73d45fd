import { diffValues, showValue } from '../../deploy/diff-values.ts';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The single member of a union (`{ KPIVisual: {...} }` → the KPIVisual body). */
const unionBody = (v: unknown): Obj | undefined => {
  if (!isObject(v)) return undefined;
  const body = Object.values(v).find(isObject);
  return body;
};

/** A list of union items as a map by an id member of the item's body; items without one keep their index. */
function byId(list: unknown, idKey: string): Obj | unknown {
  if (!Array.isArray(list)) return list;
  const out: Obj = {};
  list.forEach((item, i) => {
    const body = unionBody(item);
    const id = isObject(item) && typeof item[idKey] === 'string' ? item[idKey] : body?.[idKey];
    out[typeof id === 'string' ? id : `#${i}`] = item;
  });
  return out;
}

/**
 * A definition keyed by ids where QuickSight has them (sheets by SheetId, visuals by VisualId,
 * filter groups by FilterGroupId, parameters by name, controls by id), so a diff names
 * `Sheets.jobs.Visuals.bar-cost-by-job.BarChartVisual.Title…` rather than list positions.
 * The order of these lists is not compared: the layout places visuals and controls.
 */
export function keyedDefinition(definition: unknown): unknown {
  if (!isObject(definition)) return definition;
  const sheets = Array.isArray(definition.Sheets)
    ? definition.Sheets.map((s) =>
        isObject(s)
          ? {
              ...s,
              Visuals: byId(s.Visuals, 'VisualId'),
              ParameterControls: byId(s.ParameterControls, 'ParameterControlId'),
              FilterControls: byId(s.FilterControls, 'FilterControlId'),
            }
          : s,
      )
    : definition.Sheets;
  return {
    ...definition,
    Sheets: byId(sheets, 'SheetId'),
    FilterGroups: byId(definition.FilterGroups, 'FilterGroupId'),
    ParameterDeclarations: byId(definition.ParameterDeclarations, 'Name'),
    DataSetIdentifierDeclarations: byId(definition.DataSetIdentifierDeclarations, 'Identifier'),
  };
}

/** Ids present in `current` only, at the keyed levels: removed from the code, still deployed. */
function extraIds(desired: unknown, current: unknown, path: string, out: string[], depth: number): void {
  if (!isObject(desired) || !isObject(current) || depth > 3) return;
  for (const key of [
    'Sheets',
    'Visuals',
    'ParameterControls',
    'FilterControls',
    'FilterGroups',
    'ParameterDeclarations',
  ]) {
    const want = desired[key];
    const have = current[key];
    if (!isObject(want) || !isObject(have)) continue;
    const at = path ? `${path}.${key}` : key;
    for (const id of Object.keys(have)) {
      if (!(id in want)) out.push(`${at}.${id}: ${showValue(have[id])} → (none)`);
      else if (key === 'Sheets') extraIds(want[id], have[id], `${at}.${id}`, out, depth + 1);
    }
  }
}

/**
 * What differs between the code's definition and the deployed one (DescribeDashboardDefinition),
 * one `path: deployed → code` line each. Members QuickSight adds (defaults) are not reported;
 * sheets, visuals, controls, filter groups and parameters deployed but no longer in the code are.
 *
 * @example
 * ```ts
 * definitionDiff(code, deployed)
 * // ['Sheets.jobs.Visuals.bar-cost-by-job.BarChartVisual.Title.FormatText.PlainText: "Cost per job" → "Cost by job"']
 * ```
 */
export function definitionDiff(desired: unknown, current: unknown): string[] {
  const want = keyedDefinition(desired);
  const have = keyedDefinition(current);
  const out = diffValues(want, have);
  extraIds(want, have, '', out, 0);
  return out;
}
