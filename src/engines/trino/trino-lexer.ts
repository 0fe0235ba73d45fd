/**
 * Splits Trino SQL into tokens with their offsets in the text. Comments and white space are skipped (the
 * rewriter copies the text between tokens as it is, so they survive). Trino's lexical rules: `'…'` strings
 * with `''` escapes, `U&'…'` Unicode strings, `X'…'` binary literals, `"…"` identifiers with `""` escapes,
 * numbers with `_` separators, `--` and `/* … *\/` comments.
 *
 * @example
 * ```ts
 * tokenize("select x -> x + 1").map((t) => t.text) // ['select', 'x', '->', 'x', '+', '1']
 * ```
 */

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'param' | 'op' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The token's text as written (a string keeps its quotes). */
  readonly text: string;
  /** For words, the lower-cased text; for quoted identifiers and strings, the unescaped value. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
  /** `U&'…'` and `X'…'` strings. */
  readonly prefix?: 'unicode' | 'binary';
}

/** A syntax error at an offset; the rewriter turns it into pass-through or a user message. */
export class TrinoSyntaxError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = 'TrinoSyntaxError';
    this.offset = offset;
  }
}

const TWO_CHAR_OPS = new Set(['<>', '!=', '<=', '>=', '||', '->', '=>', '::']);
const ONE_CHAR_OPS = new Set([...'(),.;[]+-*/%=<>{}:|&^~']);

function isWordStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c > 127;
}
function isWordPart(c: number): boolean {
  return isWordStart(c) || (c >= 48 && c <= 57) || c === 36 || c === 64;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9 || c === 12) {
      i++;
      continue;
    }
    if (c === 45 && sql.charCodeAt(i + 1) === 45) {
      const e = sql.indexOf('\n', i);
      i = e === -1 ? n : e + 1;
      continue;
    }
    if (c === 47 && sql.charCodeAt(i + 1) === 42) {
      const e = sql.indexOf('*/', i + 2);
      if (e === -1) throw new TrinoSyntaxError('unterminated comment', i);
      i = e + 2;
      continue;
    }
    const start = i;
    if (c === 39) {
      const [value, end] = readQuoted(sql, i, "'");
      tokens.push({ kind: 'string', text: sql.slice(start, end), value, start, end });
      i = end;
      continue;
    }
    if ((c === 85 || c === 117) && sql[i + 1] === '&' && sql[i + 2] === "'") {
      const [value, end] = readQuoted(sql, i + 2, "'");
      tokens.push({ kind: 'string', text: sql.slice(start, end), value, start, end, prefix: 'unicode' });
      i = end;
      continue;
    }
    if ((c === 88 || c === 120) && sql[i + 1] === "'") {
      const [value, end] = readQuoted(sql, i + 1, "'");
      tokens.push({ kind: 'string', text: sql.slice(start, end), value, start, end, prefix: 'binary' });
      i = end;
      continue;
    }
    if (c === 34 || c === 96) {
      const [value, end] = readQuoted(sql, i, sql[i] as string);
      tokens.push({ kind: 'quoted', text: sql.slice(start, end), value, start, end });
      i = end;
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(sql.charCodeAt(i + 1)))) {
      i = readNumber(sql, i);
      const text = sql.slice(start, i);
      tokens.push({ kind: 'number', text, value: text.replace(/_/g, ''), start, end: i });
      continue;
    }
    if (isWordStart(c)) {
      i++;
      while (i < n && isWordPart(sql.charCodeAt(i))) i++;
      const text = sql.slice(start, i);
      tokens.push({ kind: 'word', text, value: text.toLowerCase(), start, end: i });
      continue;
    }
    if (c === 63) {
      tokens.push({ kind: 'param', text: '?', value: '?', start, end: i + 1 });
      i++;
      continue;
    }
    const two = sql.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      tokens.push({ kind: 'op', text: two, value: two, start, end: i + 2 });
      i += 2;
      continue;
    }
    const one = sql[i] as string;
    if (ONE_CHAR_OPS.has(one)) {
      tokens.push({ kind: 'op', text: one, value: one, start, end: i + 1 });
      i++;
      continue;
    }
    throw new TrinoSyntaxError(`unexpected character ${JSON.stringify(one)}`, i);
  }
  tokens.push({ kind: 'eof', text: '', value: '', start: n, end: n });
  return tokens;
}

function readQuoted(sql: string, open: number, quote: string): [string, number] {
  let value = '';
  let i = open + 1;
  for (;;) {
    const e = sql.indexOf(quote, i);
    if (e === -1) throw new TrinoSyntaxError(`unterminated ${quote === "'" ? 'string' : 'identifier'}`, open);
    value += sql.slice(i, e);
    if (sql[e + 1] === quote) {
      value += quote;
      i = e + 2;
    } else return [value, e + 1];
  }
}

function readNumber(sql: string, i: number): number {
  const n = sql.length;
  if (sql[i] === '0' && (sql[i + 1] === 'x' || sql[i + 1] === 'X')) {
    i += 2;
    while (i < n && /[0-9a-fA-F_]/.test(sql[i] as string)) i++;
    return i;
  }
  while (i < n && (isDigit(sql.charCodeAt(i)) || sql[i] === '_')) i++;
  if (sql[i] === '.' && sql[i + 1] !== '.') {
    i++;
    while (i < n && (isDigit(sql.charCodeAt(i)) || sql[i] === '_')) i++;
  }
  if ((sql[i] === 'e' || sql[i] === 'E') && /[-+0-9]/.test(sql[i + 1] ?? '')) {
    let j = i + 1;
    if (sql[j] === '+' || sql[j] === '-') j++;
    if (isDigit(sql.charCodeAt(j))) {
      i = j;
      while (i < n && isDigit(sql.charCodeAt(i))) i++;
    }
  }
  return i;
}
