import { type Token, TrinoSyntaxError, tokenize } from './trino-lexer.ts';
import type {
  AliasedRelation,
  DataType,
  FunctionCall,
  Identifier,
  SortItem,
  SqlNode,
} from './trino-syntax-tree.ts';

/**
 * A recursive-descent parser for the query part of Trino SQL (as Athena engine v3 accepts it): WITH,
 * SELECT, joins, UNNEST, TABLESAMPLE, set operations, window functions, lambdas, CAST with Trino's types,
 * AT TIME ZONE, typed literals. Statements that hold no query (DDL, SET, DuckDB commands) come back as
 * `opaque`. Hand-written because it must be fast: it runs before every local query (dt-sql-parser's
 * ANTLR grammar takes 15–500 ms for a 100-line query; this takes well under 1 ms).
 *
 * @example
 * ```ts
 * const [statement] = parseTrino('select transform(a, x -> x + 1) from t');
 * // statement.kind === 'statement'; its query holds a `call` node named 'transform' with a `lambda` argument
 * ```
 */
export function parseTrino(sql: string): SqlNode[] {
  return new Parser(sql).statements();
}

/** Trino's reserved words, plus the clause words that can never be an implicit alias. */
const NOT_ALIAS = new Set(
  `alter and as between by case cast constraint create cross cube current_catalog current_date current_path
  current_role current_schema current_time current_timestamp current_user deallocate delete describe distinct
  drop else end escape except execute exists extract false for from full group grouping having in inner insert
  intersect into is join json_array json_exists json_object json_query json_table json_value left like listagg
  localtime localtimestamp natural normalize not null on or order outer prepare recursive right rollup select skip
  table then trim true uescape union unnest using values when where with limit offset fetch window tablesample
  match_recognize lateral`.split(/\s+/),
);

const QUERY_START = new Set(['select', 'with', 'values', 'table']);
const COMPARISON = new Set(['=', '<>', '!=', '<', '<=', '>', '>=']);
const TYPED_LITERAL_TYPES = new Set([
  'date',
  'time',
  'timestamp',
  'decimal',
  'json',
  'double',
  'real',
  'bigint',
  'integer',
  'int',
  'smallint',
  'tinyint',
  'varchar',
  'char',
  'boolean',
  'uuid',
  'ipaddress',
  'ipprefix',
  'varbinary',
]);
const SPECIAL_VALUES = new Set([
  'current_date',
  'current_time',
  'current_timestamp',
  'localtime',
  'localtimestamp',
  'current_user',
  'current_catalog',
  'current_schema',
  'current_path',
  'current_role',
]);
/** SQL/JSON functions whose arguments use their own syntax (PASSING, RETURNING, ON ERROR…). */
const OPAQUE_CALLS = new Set([
  'json_exists',
  'json_value',
  'json_query',
  'json_object',
  'json_array',
  'json_table',
]);

class NotAQuery extends Error {}

class Parser {
  readonly #t: Token[];
  #i = 0;

  constructor(sql: string) {
    this.#t = tokenize(sql);
  }

  // ---- tokens -------------------------------------------------------------------------------------------

  get #tok(): Token {
    return this.#t[this.#i] as Token;
  }
  #peek(n = 1): Token {
    return (this.#t[this.#i + n] ?? this.#t[this.#t.length - 1]) as Token;
  }
  /** The end offset of the last consumed token. */
  get #last(): number {
    return (this.#t[this.#i - 1] as Token).end;
  }
  #atEnd(): boolean {
    return this.#tok.kind === 'eof';
  }
  #isWord(word: string, tok: Token = this.#tok): boolean {
    return tok.kind === 'word' && tok.value === word;
  }
  #isOp(op: string, tok: Token = this.#tok): boolean {
    return tok.kind === 'op' && tok.value === op;
  }
  #acceptWord(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) if (!this.#isWord(words[k] as string, this.#peek(k))) return false;
    this.#i += words.length;
    return true;
  }
  #acceptOp(op: string): boolean {
    if (!this.#isOp(op)) return false;
    this.#i++;
    return true;
  }
  #expectWord(word: string): void {
    if (!this.#acceptWord(word)) this.#fail(`expected ${word.toUpperCase()}`);
  }
  #expectOp(op: string): void {
    if (!this.#acceptOp(op)) this.#fail(`expected '${op}'`);
  }
  #fail(message: string): never {
    const tok = this.#tok;
    const near = tok.kind === 'eof' ? 'at the end' : `near '${tok.text}'`;
    throw new TrinoSyntaxError(`${message} ${near}`, tok.start);
  }

  // ---- statements ---------------------------------------------------------------------------------------

  statements(): SqlNode[] {
    const out: SqlNode[] = [];
    while (this.#tok.kind !== 'eof') {
      if (this.#acceptOp(';')) continue;
      out.push(this.#statement());
      if (!this.#atEnd()) this.#expectOp(';');
    }
    return out;
  }

  #statement(): SqlNode {
    const start = this.#tok.start;
    const mark = this.#i;
    try {
      const kids = this.#statementBody();
      return { kind: 'statement', start, end: this.#last, kids };
    } catch (error) {
      if (!(error instanceof NotAQuery)) throw error;
      // Not a statement with a query: skip to the next top-level ';' and pass it on unchanged.
      this.#i = mark;
      let depth = 0;
      while (this.#tok.kind !== 'eof' && !(depth === 0 && this.#isOp(';'))) {
        if (this.#isOp('(') || this.#isOp('[') || this.#isOp('{')) depth++;
        if (this.#isOp(')') || this.#isOp(']') || this.#isOp('}')) depth--;
        this.#i++;
      }
      return { kind: 'opaque', start, end: this.#last, kids: [] };
    }
  }

  #statementBody(): SqlNode[] {
    const tok = this.#tok;
    if (this.#startsQuery()) return [this.#query()];
    if (this.#isWord('explain', tok)) {
      this.#i++;
      this.#acceptWord('analyze');
      this.#acceptWord('verbose');
      if (this.#isOp('(')) this.#skipBalanced();
      return this.#statementBody();
    }
    if (this.#isWord('copy', tok) && this.#isOp('(', this.#peek())) {
      this.#i += 2;
      const query = this.#query();
      this.#expectOp(')');
      this.#skipRest();
      return [query];
    }
    if (this.#isWord('create', tok)) {
      this.#i++;
      this.#acceptWord('or', 'replace');
      if (!this.#acceptWord('temporary')) this.#acceptWord('temp');
      if (!this.#acceptWord('table') && !this.#acceptWord('view')) throw new NotAQuery();
      this.#acceptWord('if', 'not', 'exists');
      this.#qualifiedName();
      if (this.#isOp('(')) this.#skipBalanced();
      if (this.#isWord('comment')) this.#i += 2;
      if (this.#acceptWord('with') && this.#isOp('(')) this.#skipBalanced();
      if (!this.#acceptWord('as')) throw new NotAQuery();
      const query = this.#queryOrParenthesized();
      if (this.#acceptWord('with')) {
        this.#acceptWord('no');
        this.#expectWord('data');
      }
      return [query];
    }
    if (this.#isWord('insert', tok) && this.#isWord('into', this.#peek())) {
      this.#i += 2;
      this.#qualifiedName();
      if (this.#isOp('(') && !this.#startsQuery(this.#peek())) this.#skipBalanced();
      return [this.#queryOrParenthesized()];
    }
    throw new NotAQuery();
  }

  #queryOrParenthesized(): SqlNode {
    if (!this.#startsQuery()) this.#fail('expected a query');
    return this.#query();
  }

  #skipBalanced(): void {
    let depth = 0;
    do {
      if (this.#tok.kind === 'eof') this.#fail("expected ')'");
      if (this.#isOp('(')) depth++;
      else if (this.#isOp(')')) depth--;
      this.#i++;
    } while (depth > 0);
  }

  #skipRest(): void {
    let depth = 0;
    while (this.#tok.kind !== 'eof' && !(depth === 0 && this.#isOp(';'))) {
      if (this.#isOp('(')) depth++;
      if (this.#isOp(')')) depth--;
      this.#i++;
    }
  }

  #startsQuery(tok: Token = this.#tok): boolean {
    if (tok.kind === 'word' && QUERY_START.has(tok.value)) return true;
    if (tok.kind !== 'op' || tok.value !== '(') return false;
    // `((select …) union …)`: look through the parentheses.
    let k = this.#t.indexOf(tok) + 1;
    while (this.#isOp('(', this.#t[k])) k++;
    const next = this.#t[k];
    return next !== undefined && next.kind === 'word' && QUERY_START.has(next.value);
  }

  // ---- queries -------------------------------------------------------------------------------------------

  #query(): SqlNode {
    const start = this.#tok.start;
    const kids: SqlNode[] = [];
    if (this.#acceptWord('with')) {
      this.#acceptWord('recursive');
      do {
        kids.push(this.#identifier());
        if (this.#isOp('(')) kids.push(...this.#identifierList());
        this.#expectWord('as');
        this.#expectOp('(');
        kids.push(this.#query());
        this.#expectOp(')');
      } while (this.#acceptOp(','));
    }
    kids.push(this.#queryTerm());
    this.#queryTail(kids);
    return { kind: 'query', start, end: this.#last, kids };
  }

  #queryTail(kids: SqlNode[]): void {
    if (this.#acceptWord('order', 'by')) kids.push(...this.#sortItems());
    if (this.#acceptWord('offset')) {
      kids.push(this.#expression());
      if (!this.#acceptWord('rows')) this.#acceptWord('row');
    }
    if (this.#acceptWord('limit')) {
      if (!this.#acceptWord('all')) kids.push(this.#expression());
    } else if (this.#acceptWord('fetch')) {
      if (!this.#acceptWord('first')) this.#expectWord('next');
      if (!this.#isWord('row') && !this.#isWord('rows')) kids.push(this.#expression());
      if (!this.#acceptWord('rows')) this.#expectWord('row');
      if (!this.#acceptWord('only')) {
        this.#expectWord('with');
        this.#expectWord('ties');
      }
    }
  }

  #queryTerm(): SqlNode {
    const start = this.#tok.start;
    let left = this.#intersectTerm();
    while (this.#isWord('union') || this.#isWord('except')) {
      this.#i++;
      if (!this.#acceptWord('all')) this.#acceptWord('distinct');
      const right = this.#intersectTerm();
      left = { kind: 'query', start, end: this.#last, kids: [left, right] };
    }
    return left;
  }

  #intersectTerm(): SqlNode {
    const start = this.#tok.start;
    let left = this.#queryPrimary();
    while (this.#acceptWord('intersect')) {
      if (!this.#acceptWord('all')) this.#acceptWord('distinct');
      const right = this.#queryPrimary();
      left = { kind: 'query', start, end: this.#last, kids: [left, right] };
    }
    return left;
  }

  #queryPrimary(): SqlNode {
    const start = this.#tok.start;
    if (this.#isWord('select')) return this.#querySpecification();
    if (this.#acceptWord('table')) {
      const name = this.#qualifiedName();
      return { kind: 'table', start, end: this.#last, kids: [], name };
    }
    if (this.#acceptWord('values')) {
      const kids: SqlNode[] = [];
      do kids.push(this.#expression());
      while (this.#acceptOp(','));
      return { kind: 'expr', form: 'values', start, end: this.#last, kids };
    }
    if (this.#acceptOp('(')) {
      const query = this.#query();
      this.#expectOp(')');
      return { kind: 'query', start, end: this.#last, kids: [query] };
    }
    this.#fail('expected SELECT, VALUES, TABLE or a parenthesized query');
  }

  #querySpecification(): SqlNode {
    const start = this.#tok.start;
    this.#expectWord('select');
    if (!this.#acceptWord('distinct')) this.#acceptWord('all');
    const kids: SqlNode[] = [];
    do {
      const itemStart = this.#tok.start;
      const item = this.#selectItem();
      kids.push({ kind: 'expr', form: item.form, start: itemStart, end: this.#last, kids: item.kids });
    } while (this.#acceptOp(','));
    if (this.#acceptWord('from')) {
      do kids.push(this.#relation());
      while (this.#acceptOp(','));
    }
    if (this.#acceptWord('where')) kids.push(this.#expression());
    if (this.#acceptWord('group', 'by')) {
      if (!this.#acceptWord('all')) this.#acceptWord('distinct');
      do kids.push(...this.#groupingElement());
      while (this.#acceptOp(','));
    }
    if (this.#acceptWord('having')) kids.push(this.#expression());
    if (this.#acceptWord('window')) {
      do {
        kids.push(this.#identifier());
        this.#expectWord('as');
        kids.push(this.#windowSpecification());
      } while (this.#acceptOp(','));
    }
    return { kind: 'select', start, end: this.#last, kids };
  }

  /** A select item: `*`, `x.*`, an aliased expression or a bare one (`selectExpr`, which Trino names _colN). */
  #selectItem(): { form: string; kids: SqlNode[] } {
    if (this.#acceptOp('*')) return { form: 'selectStar', kids: [] };
    const expr = this.#expression();
    if (this.#isOp('.') && this.#isOp('*', this.#peek())) {
      this.#i += 2;
      if (this.#acceptWord('as')) return { form: 'selectStar', kids: [expr, ...this.#identifierList()] };
      return { form: 'selectStar', kids: [expr] };
    }
    const alias = this.#alias();
    return alias ? { form: 'selectAliased', kids: [expr, alias] } : { form: 'selectExpr', kids: [expr] };
  }

  #alias(): Identifier | undefined {
    if (this.#acceptWord('as')) return this.#identifier();
    const tok = this.#tok;
    if (tok.kind === 'quoted' || (tok.kind === 'word' && !NOT_ALIAS.has(tok.value)))
      return this.#identifier();
    return undefined;
  }

  #groupingElement(): SqlNode[] {
    if (this.#acceptWord('grouping', 'sets')) {
      this.#expectOp('(');
      const kids: SqlNode[] = [];
      do {
        if (this.#isOp('(')) {
          this.#i++;
          if (!this.#isOp(')')) {
            do kids.push(this.#expression());
            while (this.#acceptOp(','));
          }
          this.#expectOp(')');
        } else kids.push(this.#expression());
      } while (this.#acceptOp(','));
      this.#expectOp(')');
      return kids;
    }
    if ((this.#isWord('rollup') || this.#isWord('cube')) && this.#isOp('(', this.#peek())) {
      this.#i += 2;
      const kids: SqlNode[] = [];
      if (!this.#isOp(')')) {
        do kids.push(this.#expression());
        while (this.#acceptOp(','));
      }
      this.#expectOp(')');
      return kids;
    }
    if (this.#isOp('(') && this.#isOp(')', this.#peek())) {
      this.#i += 2;
      return [];
    }
    return [this.#expression()];
  }

  // ---- relations -----------------------------------------------------------------------------------------

  #relation(): SqlNode {
    const start = this.#tok.start;
    let left = this.#sampledRelation();
    for (;;) {
      if (this.#acceptWord('cross', 'join')) {
        const right = this.#sampledRelation();
        left = { kind: 'expr', form: 'join', start, end: this.#last, kids: [left, right] };
        continue;
      }
      const mark = this.#i;
      const natural = this.#acceptWord('natural');
      if (
        this.#acceptWord('inner') ||
        this.#acceptWord('left') ||
        this.#acceptWord('right') ||
        this.#acceptWord('full')
      )
        this.#acceptWord('outer');
      if (!this.#acceptWord('join')) {
        this.#i = mark;
        return left;
      }
      const kids: SqlNode[] = [left, this.#relation()];
      if (!natural) {
        if (this.#acceptWord('on')) kids.push(this.#expression());
        else if (this.#acceptWord('using')) kids.push(...this.#identifierList());
      }
      left = { kind: 'expr', form: 'join', start, end: this.#last, kids };
    }
  }

  #sampledRelation(): SqlNode {
    const start = this.#tok.start;
    const relation = this.#aliasedRelation();
    if (!this.#acceptWord('tablesample')) return relation;
    let method: 'bernoulli' | 'system';
    if (this.#acceptWord('bernoulli')) method = 'bernoulli';
    else if (this.#acceptWord('system')) method = 'system';
    else this.#fail('expected BERNOULLI or SYSTEM');
    this.#expectOp('(');
    const percentage = this.#expression();
    this.#expectOp(')');
    return {
      kind: 'sampled',
      start,
      end: this.#last,
      kids: [relation, percentage],
      relation,
      method,
      percentage,
    };
  }

  #aliasedRelation(): SqlNode {
    const start = this.#tok.start;
    const relation = this.#relationPrimary();
    const alias = this.#alias();
    if (!alias) return relation;
    const columns = this.#isOp('(') ? this.#identifierList() : [];
    const node: AliasedRelation = {
      kind: 'aliased',
      start,
      end: this.#last,
      kids: [relation, alias, ...columns],
      relation,
      alias,
      columns,
    };
    return node;
  }

  #relationPrimary(): SqlNode {
    const start = this.#tok.start;
    if (this.#isWord('unnest') && this.#isOp('(', this.#peek())) {
      this.#i += 2;
      const args: SqlNode[] = [];
      do args.push(this.#expression());
      while (this.#acceptOp(','));
      this.#expectOp(')');
      const ordinality = this.#acceptWord('with', 'ordinality');
      return { kind: 'unnest', start, end: this.#last, kids: args, args, ordinality };
    }
    if (this.#isWord('lateral') && this.#isOp('(', this.#peek())) {
      this.#i += 2;
      const query = this.#query();
      this.#expectOp(')');
      return { kind: 'expr', form: 'lateral', start, end: this.#last, kids: [query] };
    }
    if (this.#isWord('table') && this.#isOp('(', this.#peek())) {
      this.#i++;
      this.#skipBalanced();
      return { kind: 'expr', form: 'tableFunction', start, end: this.#last, kids: [] };
    }
    if (this.#isOp('(')) {
      if (this.#startsQuery()) {
        const mark = this.#i;
        try {
          this.#i++;
          const query = this.#query();
          this.#expectOp(')');
          return { kind: 'expr', form: 'subquery', start, end: this.#last, kids: [query] };
        } catch (error) {
          if (!(error instanceof TrinoSyntaxError)) throw error;
          this.#i = mark;
        }
      }
      this.#i++;
      const relation = this.#relation();
      this.#expectOp(')');
      return { kind: 'expr', form: 'parenRelation', start, end: this.#last, kids: [relation] };
    }
    const name = this.#qualifiedName();
    if (this.#isOp('(')) this.#fail('table functions are written TABLE(f(...)) in Trino');
    return { kind: 'table', start, end: this.#last, kids: [], name };
  }

  // ---- names ---------------------------------------------------------------------------------------------

  #identifier(): Identifier {
    const tok = this.#tok;
    if (tok.kind === 'word') {
      this.#i++;
      return { kind: 'ident', start: tok.start, end: tok.end, kids: [], name: tok.value, quoted: false };
    }
    if (tok.kind === 'quoted') {
      this.#i++;
      return { kind: 'ident', start: tok.start, end: tok.end, kids: [], name: tok.value, quoted: true };
    }
    this.#fail('expected an identifier');
  }

  #identifierList(): Identifier[] {
    this.#expectOp('(');
    const out: Identifier[] = [];
    do out.push(this.#identifier());
    while (this.#acceptOp(','));
    this.#expectOp(')');
    return out;
  }

  #qualifiedName(): string {
    const parts = [this.#identifier().name];
    while (this.#isOp('.') && (this.#peek().kind === 'word' || this.#peek().kind === 'quoted')) {
      this.#i++;
      parts.push(this.#identifier().name);
    }
    return parts.join('.');
  }

  // ---- expressions ---------------------------------------------------------------------------------------

  #expression(): SqlNode {
    return this.#or();
  }

  #or(): SqlNode {
    const start = this.#tok.start;
    let left = this.#and();
    while (this.#acceptWord('or')) {
      const right = this.#and();
      left = { kind: 'binary', op: 'or', start, end: this.#last, kids: [left, right], left, right };
    }
    return left;
  }

  #and(): SqlNode {
    const start = this.#tok.start;
    let left = this.#not();
    while (this.#acceptWord('and')) {
      const right = this.#not();
      left = { kind: 'binary', op: 'and', start, end: this.#last, kids: [left, right], left, right };
    }
    return left;
  }

  #not(): SqlNode {
    const start = this.#tok.start;
    if (this.#acceptWord('not')) {
      const expr = this.#not();
      return { kind: 'unary', op: 'not', start, end: this.#last, kids: [expr], expr };
    }
    return this.#predicate();
  }

  #predicate(): SqlNode {
    const start = this.#tok.start;
    let left = this.#valueExpression();
    for (;;) {
      const tok = this.#tok;
      if (tok.kind === 'op' && COMPARISON.has(tok.value)) {
        this.#i++;
        if (this.#isWord('all') || this.#isWord('any') || this.#isWord('some')) {
          this.#i++;
          this.#expectOp('(');
          const query = this.#query();
          this.#expectOp(')');
          left = { kind: 'expr', form: 'quantified', start, end: this.#last, kids: [left, query] };
          continue;
        }
        const right = this.#valueExpression();
        left = { kind: 'binary', op: tok.value, start, end: this.#last, kids: [left, right], left, right };
        continue;
      }
      const mark = this.#i;
      const not = this.#acceptWord('not');
      if (this.#acceptWord('between')) {
        const low = this.#valueExpression();
        this.#expectWord('and');
        const high = this.#valueExpression();
        left = { kind: 'expr', form: 'between', start, end: this.#last, kids: [left, low, high] };
        continue;
      }
      if (this.#acceptWord('in')) {
        this.#expectOp('(');
        const kids: SqlNode[] = [left];
        if (this.#startsQuery()) kids.push(this.#query());
        else {
          do kids.push(this.#expression());
          while (this.#acceptOp(','));
        }
        this.#expectOp(')');
        left = { kind: 'expr', form: 'in', start, end: this.#last, kids };
        continue;
      }
      if (this.#acceptWord('like')) {
        const kids: SqlNode[] = [left, this.#valueExpression()];
        if (this.#acceptWord('escape')) kids.push(this.#valueExpression());
        left = { kind: 'expr', form: 'like', start, end: this.#last, kids };
        continue;
      }
      if (not) {
        this.#i = mark;
        return left;
      }
      if (this.#acceptWord('is')) {
        this.#acceptWord('not');
        if (this.#acceptWord('null')) {
          left = { kind: 'expr', form: 'isNull', start, end: this.#last, kids: [left] };
          continue;
        }
        if (this.#acceptWord('distinct', 'from')) {
          const right = this.#valueExpression();
          left = { kind: 'expr', form: 'distinctFrom', start, end: this.#last, kids: [left, right] };
          continue;
        }
        if (this.#acceptWord('true') || this.#acceptWord('false') || this.#acceptWord('unknown')) {
          left = { kind: 'expr', form: 'isBoolean', start, end: this.#last, kids: [left] };
          continue;
        }
        this.#fail('expected NULL or DISTINCT FROM');
      }
      return left;
    }
  }

  /** `||` (lowest), then `+ -`, then `* / %`, then unary `+ -`, then AT TIME ZONE. */
  #valueExpression(): SqlNode {
    const start = this.#tok.start;
    let left = this.#additive();
    while (this.#acceptOp('||')) {
      const right = this.#additive();
      left = { kind: 'binary', op: '||', start, end: this.#last, kids: [left, right], left, right };
    }
    return left;
  }

  #additive(): SqlNode {
    const start = this.#tok.start;
    let left = this.#multiplicative();
    while (this.#isOp('+') || this.#isOp('-')) {
      const op = this.#tok.value;
      this.#i++;
      const right = this.#multiplicative();
      left = { kind: 'binary', op, start, end: this.#last, kids: [left, right], left, right };
    }
    return left;
  }

  #multiplicative(): SqlNode {
    const start = this.#tok.start;
    let left = this.#unary();
    while (this.#isOp('*') || this.#isOp('/') || this.#isOp('%')) {
      const op = this.#tok.value;
      this.#i++;
      const right = this.#unary();
      left = { kind: 'binary', op, start, end: this.#last, kids: [left, right], left, right };
    }
    return left;
  }

  #unary(): SqlNode {
    const start = this.#tok.start;
    if (this.#isOp('-') || this.#isOp('+')) {
      const op = this.#tok.value;
      this.#i++;
      const expr = this.#unary();
      return { kind: 'unary', op, start, end: this.#last, kids: [expr], expr };
    }
    return this.#atTimeZone();
  }

  #atTimeZone(): SqlNode {
    const start = this.#tok.start;
    let expr = this.#postfix();
    while (this.#isWord('at')) {
      if (this.#acceptWord('at', 'local')) {
        expr = { kind: 'atTimeZone', start, end: this.#last, kids: [expr], expr };
        continue;
      }
      this.#expectWord('at');
      this.#expectWord('time');
      this.#expectWord('zone');
      const zone = this.#postfix();
      expr = { kind: 'atTimeZone', start, end: this.#last, kids: [expr, zone], expr, zone };
    }
    return expr;
  }

  #postfix(): SqlNode {
    const start = this.#tok.start;
    let base = this.#primary();
    for (;;) {
      if (this.#acceptOp('[')) {
        const index = this.#expression();
        this.#expectOp(']');
        base = { kind: 'subscript', start, end: this.#last, kids: [base, index], base, index };
      } else if (this.#isOp('.') && (this.#peek().kind === 'word' || this.#peek().kind === 'quoted')) {
        this.#i++;
        const field = this.#identifier();
        base = { kind: 'deref', start, end: this.#last, kids: [base, field], base, field };
      } else return base;
    }
  }

  #primary(): SqlNode {
    const tok = this.#tok;
    const start = tok.start;
    switch (tok.kind) {
      case 'string':
        this.#i++;
        return {
          kind: 'literal',
          type: tok.prefix === 'binary' ? 'binary' : 'string',
          value: tok.value,
          start,
          end: tok.end,
          kids: [],
        };
      case 'number':
        this.#i++;
        return { kind: 'literal', type: 'number', value: tok.value, start, end: tok.end, kids: [] };
      case 'param':
        this.#i++;
        return { kind: 'literal', type: 'param', value: '?', start, end: tok.end, kids: [] };
      case 'quoted':
        if (this.#isOp('(', this.#peek())) return this.#call();
        return this.#identifier();
      case 'op':
        if (tok.value === '(') return this.#parenthesized();
        return this.#fail('expected an expression');
      case 'eof':
        return this.#fail('expected an expression');
      default:
        break;
    }
    const word = tok.value;
    const next = this.#peek();
    if (this.#isOp('->', next)) {
      this.#i += 2;
      const body = this.#expression();
      return { kind: 'lambda', params: [word], start, end: this.#last, kids: [body], body };
    }
    switch (word) {
      case 'null':
        this.#i++;
        return { kind: 'literal', type: 'null', value: 'null', start, end: tok.end, kids: [] };
      case 'true':
      case 'false':
        this.#i++;
        return { kind: 'literal', type: 'boolean', value: word, start, end: tok.end, kids: [] };
      case 'case':
        return this.#case();
      case 'cast':
      case 'try_cast':
        if (this.#isOp('(', next)) return this.#cast();
        break;
      case 'exists':
        if (this.#isOp('(', next)) {
          this.#i += 2;
          const query = this.#query();
          this.#expectOp(')');
          return { kind: 'expr', form: 'exists', start, end: this.#last, kids: [query] };
        }
        break;
      case 'array':
        if (this.#isOp('[', next)) {
          this.#i += 2;
          const items: SqlNode[] = [];
          if (!this.#isOp(']')) {
            do items.push(this.#expression());
            while (this.#acceptOp(','));
          }
          this.#expectOp(']');
          return { kind: 'array', start, end: this.#last, kids: items, items };
        }
        break;
      case 'row':
        if (this.#isOp('(', next)) {
          this.#i += 2;
          const items: SqlNode[] = [];
          do items.push(this.#expression());
          while (this.#acceptOp(','));
          this.#expectOp(')');
          return { kind: 'row', keyword: true, start, end: this.#last, kids: items, items };
        }
        break;
      case 'interval':
        if (
          next.kind === 'string' ||
          ((next.value === '-' || next.value === '+') && this.#peek(2).kind === 'string')
        )
          return this.#interval();
        break;
      case 'extract':
        if (this.#isOp('(', next)) {
          this.#i += 2;
          const field = this.#identifier().name;
          this.#expectWord('from');
          const expr = this.#expression();
          this.#expectOp(')');
          return { kind: 'extract', field, start, end: this.#last, kids: [expr], expr };
        }
        break;
      case 'position':
        if (this.#isOp('(', next)) {
          const mark = this.#i;
          this.#i += 2;
          const needle = this.#valueExpression();
          if (this.#acceptWord('in')) {
            const haystack = this.#valueExpression();
            this.#expectOp(')');
            return { kind: 'expr', form: 'position', start, end: this.#last, kids: [needle, haystack] };
          }
          this.#i = mark;
        }
        break;
      case 'substring':
        if (this.#isOp('(', next)) {
          const mark = this.#i;
          this.#i += 2;
          const str = this.#valueExpression();
          if (this.#acceptWord('from')) {
            const kids = [str, this.#valueExpression()];
            if (this.#acceptWord('for')) kids.push(this.#valueExpression());
            this.#expectOp(')');
            return { kind: 'expr', form: 'substringFrom', start, end: this.#last, kids };
          }
          this.#i = mark;
        }
        break;
      case 'trim':
        if (this.#isOp('(', next)) return this.#trim();
        break;
      default:
        break;
    }
    if (SPECIAL_VALUES.has(word) && !this.#isOp('(', next)) {
      this.#i++;
      return { kind: 'special', name: word, start, end: tok.end, kids: [] };
    }
    if (
      (word === 'current_time' ||
        word === 'current_timestamp' ||
        word === 'localtime' ||
        word === 'localtimestamp') &&
      this.#isOp('(', next)
    ) {
      this.#i += 2;
      const precision = this.#tok.value;
      this.#i++;
      this.#expectOp(')');
      return { kind: 'special', name: word, precision, start, end: this.#last, kids: [] };
    }
    if (next.kind === 'string' && TYPED_LITERAL_TYPES.has(word)) {
      this.#i += 2;
      return { kind: 'typedLiteral', type: word, value: next.value, start, end: next.end, kids: [] };
    }
    if (word === 'double' && this.#isWord('precision', next) && this.#peek(2).kind === 'string') {
      const literal = this.#peek(2);
      this.#i += 3;
      return {
        kind: 'typedLiteral',
        type: 'double',
        value: literal.value,
        start,
        end: literal.end,
        kids: [],
      };
    }
    if (this.#isOp('(', next) || (this.#isOp('.', next) && this.#callAhead())) return this.#call();
    return this.#identifier();
  }

  /** `a.b.f(` : a qualified function name. */
  #callAhead(): boolean {
    let k = this.#i;
    while (this.#t[k]?.kind === 'word' && this.#isOp('.', this.#t[k + 1])) k += 2;
    return this.#t[k]?.kind === 'word' && this.#isOp('(', this.#t[k + 1]);
  }

  #parenthesized(): SqlNode {
    const start = this.#tok.start;
    // (a, b) -> …
    const lambda = this.#lambdaParams();
    if (lambda) {
      const body = this.#expression();
      return { kind: 'lambda', params: lambda, start, end: this.#last, kids: [body], body };
    }
    if (this.#startsQuery(this.#peek())) {
      const mark = this.#i;
      try {
        this.#i++;
        const query = this.#query();
        this.#expectOp(')');
        return { kind: 'expr', form: 'subquery', start, end: this.#last, kids: [query] };
      } catch (error) {
        if (!(error instanceof TrinoSyntaxError)) throw error;
        this.#i = mark;
      }
    }
    this.#i++;
    const first = this.#expression();
    if (this.#acceptOp(',')) {
      const items = [first];
      do items.push(this.#expression());
      while (this.#acceptOp(','));
      this.#expectOp(')');
      return { kind: 'row', keyword: false, start, end: this.#last, kids: items, items };
    }
    this.#expectOp(')');
    return { kind: 'expr', form: 'paren', start, end: this.#last, kids: [first] };
  }

  #lambdaParams(): string[] | undefined {
    let k = this.#i + 1;
    const params: string[] = [];
    if (this.#isOp(')', this.#t[k])) {
      if (this.#isOp('->', this.#t[k + 1])) {
        this.#i = k + 2;
        return params;
      }
      return undefined;
    }
    for (;;) {
      const tok = this.#t[k];
      if (!tok || (tok.kind !== 'word' && tok.kind !== 'quoted')) return undefined;
      params.push(tok.value);
      const sep = this.#t[k + 1];
      if (this.#isOp(',', sep)) k += 2;
      else if (this.#isOp(')', sep) && this.#isOp('->', this.#t[k + 2])) {
        this.#i = k + 3;
        return params;
      } else return undefined;
    }
  }

  #case(): SqlNode {
    const start = this.#tok.start;
    this.#expectWord('case');
    const kids: SqlNode[] = [];
    if (!this.#isWord('when')) kids.push(this.#expression());
    while (this.#acceptWord('when')) {
      kids.push(this.#expression());
      this.#expectWord('then');
      kids.push(this.#expression());
    }
    if (this.#acceptWord('else')) kids.push(this.#expression());
    this.#expectWord('end');
    return { kind: 'expr', form: 'case', start, end: this.#last, kids };
  }

  #cast(): SqlNode {
    const start = this.#tok.start;
    const isTry = this.#tok.value === 'try_cast';
    this.#i += 2;
    const expr = this.#expression();
    this.#expectWord('as');
    const type = this.#type();
    this.#expectOp(')');
    return { kind: 'cast', try: isTry, start, end: this.#last, kids: [expr, type], expr, type };
  }

  #interval(): SqlNode {
    const start = this.#tok.start;
    this.#i++;
    let sign: '' | '-' | '+' = '';
    if (this.#isOp('-') || this.#isOp('+')) {
      sign = this.#tok.value as '-' | '+';
      this.#i++;
    }
    const value = this.#tok.value;
    this.#i++;
    const from = this.#identifier().name;
    let to: string | undefined;
    if (this.#acceptWord('to')) to = this.#identifier().name;
    return { kind: 'interval', sign, value, from, ...(to ? { to } : {}), start, end: this.#last, kids: [] };
  }

  #trim(): SqlNode {
    const start = this.#tok.start;
    this.#i += 2;
    const kids: SqlNode[] = [];
    let form = 'trim';
    if (this.#isWord('both') || this.#isWord('leading') || this.#isWord('trailing')) {
      form = `trim_${this.#tok.value}`;
      this.#i++;
    }
    if (this.#acceptWord('from')) kids.push(this.#valueExpression());
    else {
      const first = this.#valueExpression();
      if (this.#acceptWord('from')) kids.push(first, this.#valueExpression());
      else if (this.#acceptOp(',')) kids.push(this.#valueExpression(), first);
      else kids.push(first);
    }
    this.#expectOp(')');
    return { kind: 'expr', form, start, end: this.#last, kids };
  }

  #call(): FunctionCall {
    const start = this.#tok.start;
    const nameStart = start;
    const parts = [this.#identifier().name];
    while (this.#acceptOp('.')) parts.push(this.#identifier().name);
    const nameEnd = this.#last;
    const name = parts[parts.length - 1] as string;
    const argsStart = this.#tok.start;
    this.#expectOp('(');
    const kids: SqlNode[] = [];
    const args: SqlNode[] = [];
    let star = false;
    let distinct = false;
    let onOverflow: 'error' | 'truncate' | undefined;
    const orderBy: SortItem[] = [];
    const opaque = OPAQUE_CALLS.has(name);
    if (opaque) {
      this.#i--;
      this.#skipBalanced();
    } else if (this.#acceptOp('*')) star = true;
    else if (!this.#isOp(')')) {
      if (this.#acceptWord('distinct')) distinct = true;
      else this.#acceptWord('all');
      do {
        const arg = this.#expression();
        args.push(arg);
        kids.push(arg);
      } while (this.#acceptOp(','));
      if (this.#acceptWord('on', 'overflow')) {
        if (this.#acceptWord('error')) onOverflow = 'error';
        else {
          this.#expectWord('truncate');
          onOverflow = 'truncate';
          if (this.#tok.kind === 'string') this.#i++;
          if (!this.#acceptWord('with', 'count')) {
            this.#expectWord('without');
            this.#expectWord('count');
          }
        }
      }
      if (this.#acceptWord('order', 'by')) {
        orderBy.push(...this.#sortItems());
        kids.push(...orderBy);
      }
    }
    if (!opaque) this.#expectOp(')');
    const argsEnd = this.#last;
    const withinGroup: SortItem[] = [];
    if (this.#acceptWord('within', 'group')) {
      this.#expectOp('(');
      this.#expectWord('order');
      this.#expectWord('by');
      withinGroup.push(...this.#sortItems());
      kids.push(...withinGroup);
      this.#expectOp(')');
    }
    const tailStart = this.#last;
    let filter: SqlNode | undefined;
    if (this.#isWord('filter') && this.#isOp('(', this.#peek())) {
      this.#i += 2;
      this.#expectWord('where');
      filter = this.#expression();
      kids.push(filter);
      this.#expectOp(')');
    }
    if (this.#isWord('ignore') || this.#isWord('respect')) {
      this.#i++;
      this.#expectWord('nulls');
    }
    let over: SqlNode | undefined;
    if (this.#acceptWord('over')) {
      over = this.#isOp('(') ? this.#windowSpecification() : this.#identifier();
      kids.push(over);
    }
    return {
      kind: 'call',
      name,
      nameStart,
      nameEnd,
      qualified: parts.length > 1,
      args,
      star,
      distinct,
      argsStart,
      argsEnd,
      orderBy,
      withinGroup,
      tailStart,
      ...(filter ? { filter } : {}),
      ...(over ? { over } : {}),
      ...(onOverflow ? { onOverflow } : {}),
      opaque,
      start,
      end: this.#last,
      kids,
    };
  }

  #sortItems(): SortItem[] {
    const out: SortItem[] = [];
    do {
      const start = this.#tok.start;
      const expr = this.#expression();
      if (!this.#acceptWord('asc')) this.#acceptWord('desc');
      if (this.#acceptWord('nulls') && !this.#acceptWord('first')) this.#expectWord('last');
      out.push({ kind: 'sortItem', start, end: this.#last, kids: [expr], expr });
    } while (this.#acceptOp(','));
    return out;
  }

  #windowSpecification(): SqlNode {
    const start = this.#tok.start;
    this.#expectOp('(');
    const kids: SqlNode[] = [];
    if (
      (this.#tok.kind === 'word' || this.#tok.kind === 'quoted') &&
      !this.#isWord('partition') &&
      !this.#isWord('order') &&
      !this.#isWord('rows') &&
      !this.#isWord('range') &&
      !this.#isWord('groups')
    )
      kids.push(this.#identifier());
    if (this.#acceptWord('partition', 'by')) {
      do kids.push(this.#expression());
      while (this.#acceptOp(','));
    }
    if (this.#acceptWord('order', 'by')) kids.push(...this.#sortItems());
    if (this.#acceptWord('rows') || this.#acceptWord('range') || this.#acceptWord('groups')) {
      if (this.#acceptWord('between')) {
        this.#frameBound(kids);
        this.#expectWord('and');
      }
      this.#frameBound(kids);
    }
    this.#expectOp(')');
    return { kind: 'expr', form: 'window', start, end: this.#last, kids };
  }

  #frameBound(kids: SqlNode[]): void {
    if (this.#acceptWord('unbounded')) {
      if (!this.#acceptWord('preceding')) this.#expectWord('following');
    } else if (this.#acceptWord('current', 'row')) {
      /* CURRENT ROW */
    } else {
      kids.push(this.#valueExpression());
      if (!this.#acceptWord('preceding')) this.#expectWord('following');
    }
  }

  // ---- types ---------------------------------------------------------------------------------------------

  #type(): DataType {
    const start = this.#tok.start;
    const tok = this.#tok;
    if (tok.kind !== 'word' && tok.kind !== 'quoted') this.#fail('expected a type');
    let base = tok.value;
    this.#i++;
    const numbers: string[] = [];
    const types: DataType[] = [];
    const fieldNames: (string | undefined)[] = [];
    let withTimeZone = false;
    if (base === 'double' && this.#acceptWord('precision')) base = 'double precision';
    if (base === 'interval') {
      const from = this.#identifier().name;
      let to = from;
      if (this.#acceptWord('to')) to = this.#identifier().name;
      base = `interval ${from} to ${to}`;
    } else if (this.#isOp('<') && (base === 'array' || base === 'map')) {
      this.#i++;
      types.push(this.#type());
      if (base === 'map') {
        this.#expectOp(',');
        types.push(this.#type());
      }
      this.#expectOp('>');
    } else if (this.#acceptOp('(')) {
      do {
        if (this.#tok.kind === 'number') {
          numbers.push(this.#tok.value);
          this.#i++;
        } else if (base === 'row') {
          const named =
            (this.#peek().kind === 'word' || this.#peek().kind === 'quoted') &&
            !(this.#isWord('double') && this.#isWord('precision', this.#peek()));
          if (named) {
            fieldNames.push(this.#tok.value);
            this.#i++;
          } else fieldNames.push(undefined);
          types.push(this.#type());
        } else types.push(this.#type());
      } while (this.#acceptOp(','));
      this.#expectOp(')');
    }
    if (base === 'timestamp' || base === 'time') {
      if (this.#acceptWord('with', 'time', 'zone')) withTimeZone = true;
      else this.#acceptWord('without', 'time', 'zone');
    }
    let type: DataType = {
      kind: 'type',
      base,
      numbers,
      types,
      fieldNames,
      withTimeZone,
      start,
      end: this.#last,
      kids: [],
    };
    while (this.#acceptWord('array')) {
      type = {
        kind: 'type',
        base: 'array',
        numbers: [],
        types: [type],
        fieldNames: [],
        withTimeZone: false,
        start,
        end: this.#last,
        kids: [],
      };
    }
    return type;
  }
}
