import { readFileSync } from 'node:fs';
import { AWS_MODELS_URL } from './fixture-dirs.ts';

/**
 * Checks request inputs against the published AWS API models (botocore `service-2.json` in
 * `test/fixtures/aws-models/`), so a request AWS would reject fails in a test that mocks the SDK.
 *
 * Checked recursively: required members, unknown members, types, enum values, string/list/map
 * lengths, number ranges and patterns. A pattern must match the whole value, as AWS's
 * validators do (Java `Pattern.matches`, "Member must satisfy regular expression pattern").
 */

const MODELS_DIR = AWS_MODELS_URL;

interface MemberRef {
  readonly shape: string;
  readonly streaming?: boolean;
}

interface Shape {
  readonly type: string;
  readonly members?: Readonly<Record<string, MemberRef>>;
  readonly member?: MemberRef;
  readonly key?: MemberRef;
  readonly value?: MemberRef;
  readonly required?: readonly string[];
  readonly enum?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly union?: boolean;
  readonly document?: boolean;
  readonly sparse?: boolean;
  readonly streaming?: boolean;
}

interface Model {
  readonly operations: Readonly<Record<string, { readonly input?: MemberRef }>>;
  readonly shapes: Readonly<Record<string, Shape>>;
}

const models = new Map<string, Model>();
const patterns = new Map<string, RegExp | null>();

function loadModel(service: string): Model {
  let model = models.get(service);
  if (!model) {
    const file = new URL(`${service}.service-2.json`, MODELS_DIR);
    try {
      model = JSON.parse(readFileSync(file, 'utf8')) as Model;
    } catch (error) {
      throw new Error(`no AWS API model for service '${service}' (${file.pathname})`, { cause: error });
    }
    models.set(service, model);
  }
  return model;
}

/**
 * Lists what is wrong with a request input for `service`'s `operation`; `[]` when AWS would accept it.
 * Each problem names the member path, e.g. `StartQueryExecution.WorkGroup`.
 *
 * @example
 * ```ts
 * validateRequest('athena', 'GetQueryResults', { QueryExecutionId: 'q-1', MaxResults: 5000 })
 * // ['GetQueryResults.MaxResults: 5000 is above max 1000']
 * ```
 */
export function validateRequest(service: string, operation: string, input: unknown): string[] {
  const model = loadModel(service);
  const op = model.operations[operation];
  if (!op) {
    const near = Object.keys(model.operations).filter(
      (name) => name.toLowerCase() === operation.toLowerCase(),
    );
    throw new Error(
      `${service} has no operation '${operation}'${near.length ? ` (did you mean ${near[0]}?)` : ''}`,
    );
  }
  const problems: string[] = [];
  if (!op.input) {
    if (input !== undefined && input !== null && Object.keys(input as object).length > 0) {
      problems.push(`${operation}: takes no input`);
    }
    return problems;
  }
  checkValue(model, op.input, input ?? {}, operation, problems, new Set());
  return problems;
}

/**
 * Throws an Error listing every problem `validateRequest` finds.
 *
 * @example
 * ```ts
 * expectValidRequest('athena', 'StartQueryExecution', { QueryString: 'select 1', WorkGroup: 'primary' });
 * ```
 */
export function expectValidRequest(service: string, operation: string, input: unknown): void {
  const problems = validateRequest(service, operation, input);
  if (problems.length > 0) {
    throw new Error(`invalid ${service} ${operation} request:\n- ${problems.join('\n- ')}`);
  }
}

/**
 * Validates SDK v3 command objects (as recorded by aws-sdk-client-mock: `mock.calls().map((c) => c.args[0])`);
 * the operation is the command's class name without `Command`. Returns how many were checked.
 */
export function expectValidCommands(
  service: string,
  commands: Iterable<{ readonly input: unknown }>,
): number {
  let count = 0;
  for (const command of commands) {
    expectValidRequest(service, command.constructor.name.replace(/Command$/, ''), command.input);
    count++;
  }
  return count;
}

function checkValue(
  model: Model,
  ref: MemberRef,
  value: unknown,
  path: string,
  problems: string[],
  visiting: Set<object>,
): void {
  const shape = model.shapes[ref.shape];
  if (!shape) throw new Error(`model has no shape '${ref.shape}' (at ${path})`);
  if (typeof value === 'object' && value !== null) {
    if (visiting.has(value)) {
      problems.push(`${path}: circular reference`);
      return;
    }
    visiting.add(value);
  }
  try {
    checkShape(model, shape, ref, value, path, problems, visiting);
  } finally {
    if (typeof value === 'object' && value !== null) visiting.delete(value);
  }
}

function checkShape(
  model: Model,
  shape: Shape,
  ref: MemberRef,
  value: unknown,
  path: string,
  problems: string[],
  visiting: Set<object>,
): void {
  const bad = (problem: string) => problems.push(`${path}: ${problem}`);
  const expected = expectedType(shape, ref, value);
  if (expected) {
    bad(`expected ${expected}, got ${describe(value)}`);
    return;
  }
  switch (shape.type) {
    case 'structure':
      if (!shape.document)
        checkStructure(model, shape, value as Record<string, unknown>, path, problems, visiting);
      return;
    case 'list': {
      const items = value as unknown[];
      checkCount(shape, items.length, 'items', bad);
      items.forEach((item, i) => {
        if (item !== null && item !== undefined)
          checkValue(model, shape.member!, item, `${path}[${i}]`, problems, visiting);
        else if (!shape.sparse) bad(`item [${i}] is ${item}`);
      });
      return;
    }
    case 'map': {
      const entries = Object.entries(value as Record<string, unknown>);
      checkCount(shape, entries.length, 'entries', bad);
      for (const [key, item] of entries) {
        const at = `${path}[${JSON.stringify(key)}]`;
        checkValue(model, shape.key!, key, `${at} (key)`, problems, visiting);
        if (item !== null && item !== undefined)
          checkValue(model, shape.value!, item, at, problems, visiting);
        else if (!shape.sparse) problems.push(`${at}: value is ${item}`);
      }
      return;
    }
    case 'string':
      checkString(shape, value as string, bad);
      return;
    case 'integer':
    case 'long':
    case 'double':
    case 'float':
      checkRange(shape, Number(value), bad);
      return;
    case 'blob':
      if (typeof value === 'string') checkCount(shape, Buffer.byteLength(value), 'bytes', bad);
      else if (value instanceof Uint8Array || value instanceof ArrayBuffer)
        checkCount(shape, value.byteLength, 'bytes', bad);
  }
}

/** What the value should have been when its JS type does not fit the shape's type, else undefined. */
function expectedType(shape: Shape, ref: MemberRef, value: unknown): string | undefined {
  switch (shape.type) {
    case 'structure':
      return shape.document || isPlainObject(value) ? undefined : 'an object';
    case 'map':
      return isPlainObject(value) ? undefined : 'a map object';
    case 'list':
      return Array.isArray(value) ? undefined : 'a list';
    case 'string':
      return typeof value === 'string' ? undefined : 'a string';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'a boolean';
    case 'integer':
      return Number.isInteger(value) && (value as number) >= -(2 ** 31) && (value as number) < 2 ** 31
        ? undefined
        : 'a 32-bit integer';
    case 'long':
      return Number.isInteger(value) || typeof value === 'bigint' ? undefined : 'an integer';
    case 'double':
    case 'float':
      return typeof value === 'number' ? undefined : 'a number';
    case 'timestamp':
      return isTimestamp(value) ? undefined : 'a timestamp (Date, epoch seconds or ISO 8601 string)';
    case 'blob':
      if (ref.streaming || shape.streaming)
        return typeof value === 'string' || (typeof value === 'object' && value !== null)
          ? undefined
          : 'a stream';
      return typeof value === 'string' || value instanceof Uint8Array || value instanceof ArrayBuffer
        ? undefined
        : 'bytes (Uint8Array or string)';
    default:
      return `a value of the unsupported model type '${shape.type}'`;
  }
}

function checkStructure(
  model: Model,
  shape: Shape,
  value: Record<string, unknown>,
  path: string,
  problems: string[],
  visiting: Set<object>,
): void {
  const members = shape.members ?? {};
  // The SDK drops null and undefined members, so they count as absent.
  const present = Object.keys(value).filter((name) => value[name] !== undefined && value[name] !== null);
  for (const name of shape.required ?? []) {
    if (!present.includes(name)) problems.push(`${path}.${name}: required member is missing`);
  }
  if (shape.union && present.length !== 1) {
    problems.push(
      `${path}: a union needs exactly one member set, got ${present.length} (${present.join(', ')})`,
    );
  }
  for (const name of Object.keys(value)) {
    const member = members[name];
    if (!member) {
      problems.push(`${path}.${name}: unknown member (known: ${Object.keys(members).join(', ') || 'none'})`);
    } else if (present.includes(name)) {
      checkValue(model, member, value[name], `${path}.${name}`, problems, visiting);
    }
  }
}

function checkString(shape: Shape, value: string, bad: (problem: string) => void): void {
  if (shape.enum && !shape.enum.includes(value)) {
    bad(`'${value}' is not one of ${shape.enum.join(', ')}`);
  }
  // Smithy lengths count Unicode code points, not UTF-16 units.
  checkCount(shape, [...value].length, 'characters', bad);
  if (shape.pattern !== undefined) {
    const regex = compilePattern(shape.pattern);
    if (regex && !regex.test(value))
      bad(`${JSON.stringify(clip(value))} does not match pattern ${shape.pattern}`);
  }
}

function checkCount(shape: Shape, count: number, unit: string, bad: (problem: string) => void): void {
  if (shape.min !== undefined && count < shape.min) bad(`${count} ${unit}, below min ${shape.min}`);
  if (shape.max !== undefined && count > shape.max) bad(`${count} ${unit}, above max ${shape.max}`);
}

function checkRange(shape: Shape, value: number, bad: (problem: string) => void): void {
  if (shape.min !== undefined && value < shape.min) bad(`${value} is below min ${shape.min}`);
  if (shape.max !== undefined && value > shape.max) bad(`${value} is above max ${shape.max}`);
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function isTimestamp(value: unknown): boolean {
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && ISO_8601.test(value) && !Number.isNaN(Date.parse(value));
}

/**
 * Compiles a botocore (Java) pattern to a whole-value JS RegExp, or null when JS cannot express it:
 * such a pattern is skipped rather than failing every request.
 */
function compilePattern(pattern: string): RegExp | null {
  if (patterns.has(pattern)) return patterns.get(pattern) ?? null;
  let regex: RegExp | null = null;
  let flags = 'u';
  let source = pattern.replace(/^\(\?([is]+)\)/, (_, inline: string) => {
    flags += inline;
    return '';
  });
  source = javaToJs(source);
  for (const attempt of [() => new RegExp(`^(?:${source})$`, flags), () => new RegExp(`^(?:${pattern})$`)]) {
    try {
      regex = attempt();
      break;
    } catch {
      // try the next form; a pattern neither form compiles is skipped
    }
  }
  patterns.set(pattern, regex);
  return regex;
}

const JS_SYNTAX_CHARS = new Set('^$\\.*+?()[]{}|/');

/** Rewrites the Java-only parts: `\A`/`\z` anchors, `\x{..}`, and escaped punctuation that `u` mode rejects. */
function javaToJs(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    const next = source[i + 1];
    if (ch !== '\\' || next === undefined) {
      out += ch;
      continue;
    }
    i++;
    if (next === 'A') out += '^';
    else if (next === 'z' || next === 'Z') out += '$';
    else if (next === 'x' && source[i + 1] === '{') {
      out += '\\u';
    } else if (/[A-Za-z0-9]/.test(next) || JS_SYNTAX_CHARS.has(next)) out += `\\${next}`;
    else out += `\\u{${next.codePointAt(0)!.toString(16)}}`;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a Date';
  if (typeof value === 'object') return 'an object';
  return typeof value === 'string'
    ? `string ${JSON.stringify(clip(value))}`
    : `${typeof value} ${String(value)}`;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
