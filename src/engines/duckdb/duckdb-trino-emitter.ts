import type { FunctionCall, Lambda, SortItem, SqlNode } from '../trino/trino-syntax-tree.ts';

/**
 * What a function rewrite may ask of the rewriter that calls it (`Emitter` of
 * duckdb-trino-rewrite.ts implements it): kept apart so the rewrites and the rewriter do not
 * import each other.
 */
export interface RewriteEmitter {
  /** A fresh name for a helper column or alias. */
  fresh(): string;
  /** A node's DuckDB SQL. */
  emit(node: SqlNode): string;
  /** A lambda as DuckDB's `lambda x: …`. */
  lambda(node: Lambda): string;
  /** A lambda argument of `call`, checked for its arity. */
  lambdaArg(call: FunctionCall, index: number, arity: number): Lambda;
  /** The body of a lambda with each parameter replaced by a SQL expression. */
  inline(lambda: Lambda, values: string[]): string;
  /** The DuckDB SQL of each argument. */
  args(call: FunctionCall): string[];
  /** The call rebuilt with another name and argument text, keeping DISTINCT, ORDER BY, FILTER and OVER. */
  renamed(call: FunctionCall, name: string, args?: string[], orderBy?: SortItem[]): string;
  /** For a zoned timestamp expression, its wall-clock time in its zone. */
  wallClock(node: SqlNode | undefined): string | undefined;
}
