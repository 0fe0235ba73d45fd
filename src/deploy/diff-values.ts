/**
 * Compares what deploy wants with what AWS describes, as lines a person reads in the plan.
 *
 * By default only the members of `desired` are compared: Describe/Get responses carry members
 * AWS adds (CreateTime, ARNs, defaults), which are no reason to update. `exact` also reports
 * members only `current` has (a state machine definition must match as a whole).
 *
 * Lists of objects with a `Name` (Glue columns, QuickSight input columns) are compared by name,
 * so an added column reads `+ name` rather than a shifted list.
 *
 * @example
 * ```ts
 * diffValues({ Columns: [{ Name: 'a', Type: 'string' }, { Name: 'b', Type: 'bigint' }] },
 *   { Columns: [{ Name: 'a', Type: 'string' }], CreateTime: new Date() })
 * // ['Columns: + b (bigint)']
 * ```
 */
export function diffValues(desired: unknown, current: unknown, options: { exact?: boolean } = {}): string[] {
  const out: string[] = [];
  diffInto(out, desired, current, options.exact ?? false, '');
  return out;
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !ArrayBuffer.isView(v);
const isNamed = (v: unknown): v is Obj & { Name: string } => isObject(v) && typeof v.Name === 'string';
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** A value as the plan shows it: short, on one line. */
export function showValue(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function diffInto(out: string[], desired: unknown, current: unknown, exact: boolean, path: string): void {
  if (desired === undefined) return;
  if (isObject(desired)) {
    if (!isObject(current)) {
      out.push(`${path || '(root)'}: ${showValue(current)} → ${showValue(desired)}`);
      return;
    }
    for (const [key, value] of Object.entries(desired))
      diffInto(out, value, current[key], exact, join(path, key));
    if (exact) {
      for (const [key, value] of Object.entries(current)) {
        if (!(key in desired) && value !== undefined)
          out.push(`${join(path, key)}: ${showValue(value)} → (none)`);
      }
    }
    return;
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(current)) {
      out.push(`${path}: ${showValue(current)} → ${showValue(desired)}`);
    } else if (desired.length > 0 && desired.every(isNamed) && current.every(isNamed)) {
      diffNamedLists(out, desired, current, exact, path);
    } else if (desired.length !== current.length) {
      out.push(`${path}: ${showValue(current)} → ${showValue(desired)}`);
    } else {
      desired.forEach((item, i) => {
        diffInto(out, item, current[i], exact, `${path}[${i}]`);
      });
    }
    return;
  }
  if (!Object.is(desired, current))
    out.push(`${path || '(root)'}: ${showValue(current)} → ${showValue(desired)}`);
}

function diffNamedLists(
  out: string[],
  desired: readonly (Obj & { Name: string })[],
  current: readonly (Obj & { Name: string })[],
  exact: boolean,
  path: string,
): void {
  const have = new Map(current.map((c) => [c.Name, c]));
  const want = new Set(desired.map((d) => d.Name));
  const describe = (item: Obj & { Name: string }) =>
    typeof item.Type === 'string' ? `${item.Name} (${item.Type})` : item.Name;
  for (const item of desired) {
    const existing = have.get(item.Name);
    if (existing) diffInto(out, item, existing, exact, `${path}[${item.Name}]`);
    else out.push(`${path}: + ${describe(item)}`);
  }
  for (const item of current) if (!want.has(item.Name)) out.push(`${path}: - ${describe(item)}`);
  const kept = current.filter((c) => want.has(c.Name)).map((c) => c.Name);
  const order = desired.filter((d) => have.has(d.Name)).map((d) => d.Name);
  if (kept.join('\0') !== order.join('\0'))
    out.push(`${path}: order ${kept.join(', ')} → ${order.join(', ')}`);
}
