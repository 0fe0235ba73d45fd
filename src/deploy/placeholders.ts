import { LakeqError } from '../engines/engine.ts';

/** `${Name}`: a letter, then letters, digits or `_`. IAM policy variables (`${aws:username}`) do not match. */
const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** The distinct placeholder names in `text`, in order of first use. */
export function listPlaceholders(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(PLACEHOLDER), (m) => m[1] as string))];
}

/**
 * Replaces every `${Name}` in `text` with `values[Name]`, and fails naming every placeholder
 * that has no value, so a deploy never ships a state machine with `${LambdaFunctionArn}` left in.
 * With `escape: 'json'` (the default) a value is escaped for use inside a JSON string.
 *
 * @example
 * ```ts
 * substitutePlaceholders('{"Resource": "${LambdaFunctionArn}"}', { LambdaFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:lakeq-tasks' })
 * // '{"Resource": "arn:aws:lambda:eu-west-1:111122223333:function:lakeq-tasks"}'
 * substitutePlaceholders('${A} ${B}', { A: 'x' }, { source: 'hourly.asl.json' })
 * // throws LakeqError UNRESOLVED_PLACEHOLDERS: hourly.asl.json: no value for ${B} (known: A)
 * ```
 */
export function substitutePlaceholders(
  text: string,
  values: Readonly<Record<string, string>>,
  options: { readonly escape?: 'json' | 'none'; readonly source?: string } = {},
): string {
  const missing = listPlaceholders(text).filter((name) => !Object.hasOwn(values, name));
  if (missing.length > 0) {
    const known = Object.keys(values).sort().join(', ');
    throw new LakeqError(
      'UNRESOLVED_PLACEHOLDERS',
      `${options.source ?? 'text'}: no value for ${missing.map((m) => `\${${m}}`).join(', ')} (known: ${known})`,
    );
  }
  const asJson = (options.escape ?? 'json') === 'json';
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name] as string;
    return asJson ? JSON.stringify(value).slice(1, -1) : value;
  });
}
