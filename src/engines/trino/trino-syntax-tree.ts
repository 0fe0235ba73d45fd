/**
 * The parse tree of a Trino statement, as {@link parseTrino} builds it. Every node spans `[start, end)` of
 * the text and lists its child nodes in `kids`, in text order: a rewriter copies the text between the kids
 * and replaces only the nodes it changes, so formatting and comments survive.
 */

interface Base {
  readonly start: number;
  end: number;
  readonly kids: SqlNode[];
}

/** A statement lakeq only passes on (DDL, SET, DuckDB's own commands): no Trino query inside. */
export interface OpaqueStatement extends Base {
  readonly kind: 'opaque';
}
/** A statement with Trino queries inside (SELECT, WITH, EXPLAIN, CREATE TABLE AS, INSERT, COPY (…) TO). */
export interface Statement extends Base {
  readonly kind: 'statement';
}
export interface Query extends Base {
  readonly kind: 'query';
}
export interface QuerySpecification extends Base {
  readonly kind: 'select';
}
export interface TableRef extends Base {
  readonly kind: 'table';
  readonly name: string;
}
export interface Unnest extends Base {
  readonly kind: 'unnest';
  readonly args: SqlNode[];
  readonly ordinality: boolean;
}
export interface AliasedRelation extends Base {
  readonly kind: 'aliased';
  readonly relation: SqlNode;
  readonly alias?: Identifier;
  readonly columns: Identifier[];
}
export interface SampledRelation extends Base {
  readonly kind: 'sampled';
  readonly relation: SqlNode;
  readonly method: 'bernoulli' | 'system';
  readonly percentage: SqlNode;
}
export interface Identifier extends Base {
  readonly kind: 'ident';
  /** Lower-cased unless quoted (Trino folds unquoted identifiers to lower case). */
  readonly name: string;
  readonly quoted: boolean;
}
export interface Dereference extends Base {
  readonly kind: 'deref';
  readonly base: SqlNode;
  readonly field: Identifier;
}
export interface SortItem extends Base {
  readonly kind: 'sortItem';
  readonly expr: SqlNode;
}
export interface FunctionCall extends Base {
  readonly kind: 'call';
  /** The function's name, lower-cased, without catalog or schema. */
  readonly name: string;
  readonly nameStart: number;
  readonly nameEnd: number;
  /** Qualified as in `system.main.f` or `lakeq.f`. */
  readonly qualified: boolean;
  readonly args: SqlNode[];
  readonly star: boolean;
  readonly distinct: boolean;
  /** The span of `(…)` with the arguments, for rewrites that keep the rest of the call. */
  readonly argsStart: number;
  readonly argsEnd: number;
  readonly orderBy: SortItem[];
  readonly withinGroup: SortItem[];
  /** The text from the end of `)` or WITHIN GROUP to the end of the call: FILTER, null treatment, OVER. */
  readonly tailStart: number;
  readonly filter?: SqlNode;
  readonly over?: SqlNode;
  /** listagg's ON OVERFLOW behaviour, if written. */
  readonly onOverflow?: 'error' | 'truncate';
  /** Arguments lakeq could not parse (JSON path functions with PASSING, RETURNING and such). */
  readonly opaque: boolean;
}
export interface Lambda extends Base {
  readonly kind: 'lambda';
  readonly params: string[];
  readonly body: SqlNode;
}
export interface DataType extends Base {
  readonly kind: 'type';
  /** Lower-cased base name: `varchar`, `array`, `map`, `row`, `timestamp`, `double precision`… */
  readonly base: string;
  /** Numeric parameters (`varchar(10)`, `decimal(10, 2)`, `timestamp(3)`). */
  readonly numbers: string[];
  /** Type parameters (`array(varchar)`, `map(varchar, bigint)`). */
  readonly types: DataType[];
  /** `row(name type, …)`: the field names, `undefined` for an anonymous field. */
  readonly fieldNames: (string | undefined)[];
  readonly withTimeZone: boolean;
}
export interface Cast extends Base {
  readonly kind: 'cast';
  readonly try: boolean;
  readonly expr: SqlNode;
  readonly type: DataType;
}
export interface AtTimeZone extends Base {
  readonly kind: 'atTimeZone';
  readonly expr: SqlNode;
  /** The zone expression; undefined for `AT LOCAL`. */
  readonly zone?: SqlNode;
}
export interface Binary extends Base {
  readonly kind: 'binary';
  /** Lower-cased operator: `+ - * / % || = <> != < <= > >= and or`. */
  readonly op: string;
  readonly left: SqlNode;
  readonly right: SqlNode;
}
export interface Unary extends Base {
  readonly kind: 'unary';
  readonly op: string;
  readonly expr: SqlNode;
}
export interface Literal extends Base {
  readonly kind: 'literal';
  readonly type: 'string' | 'number' | 'null' | 'boolean' | 'binary' | 'param';
  /** A string's value (unescaped), a number's digits. */
  readonly value: string;
}
/** `TIMESTAMP '…'`, `DATE '…'`, `JSON '…'`, `DECIMAL '…'` and the like. */
export interface TypedLiteral extends Base {
  readonly kind: 'typedLiteral';
  readonly type: string;
  readonly value: string;
}
export interface IntervalLiteral extends Base {
  readonly kind: 'interval';
  readonly sign: '' | '-' | '+';
  readonly value: string;
  readonly from: string;
  readonly to?: string;
}
export interface ArrayConstructor extends Base {
  readonly kind: 'array';
  readonly items: SqlNode[];
}
export interface RowConstructor extends Base {
  readonly kind: 'row';
  readonly items: SqlNode[];
  /** `ROW(…)` as opposed to `(a, b)`. */
  readonly keyword: boolean;
}
export interface Subscript extends Base {
  readonly kind: 'subscript';
  readonly base: SqlNode;
  readonly index: SqlNode;
}
export interface Extract extends Base {
  readonly kind: 'extract';
  readonly field: string;
  readonly expr: SqlNode;
}
/** CURRENT_DATE, CURRENT_TIMESTAMP, LOCALTIMESTAMP, CURRENT_USER and the like. */
export interface SpecialValue extends Base {
  readonly kind: 'special';
  readonly name: string;
  readonly precision?: string;
}
/** Any other expression form: CASE, IN, BETWEEN, LIKE, IS NULL, EXISTS, subqueries, POSITION, TRIM… */
export interface OtherExpression extends Base {
  readonly kind: 'expr';
  readonly form: string;
}

export type SqlNode =
  | OpaqueStatement
  | Statement
  | Query
  | QuerySpecification
  | TableRef
  | Unnest
  | AliasedRelation
  | SampledRelation
  | Identifier
  | Dereference
  | SortItem
  | FunctionCall
  | Lambda
  | DataType
  | Cast
  | AtTimeZone
  | Binary
  | Unary
  | Literal
  | TypedLiteral
  | IntervalLiteral
  | ArrayConstructor
  | RowConstructor
  | Subscript
  | Extract
  | SpecialValue
  | OtherExpression;

export type NodeKind = SqlNode['kind'];
