import { EngineDialect } from '../engine-dialect.ts';

/**
 * The Kysely dialect of the embedded engine. The SQL it compiles is Trino's (the library's
 * one dialect); DuckDB runs it with the compatibility macros installed on every connection.
 */
export class DuckDbDialect extends EngineDialect {}
