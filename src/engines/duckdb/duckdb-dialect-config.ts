import type { EngineWarning } from '../engine.ts';

/**
 * Runs a statement on a connection of the engine while it sets itself up (or reconfigures);
 * `rows` runs one and answers its rows, each column's value as DuckDB's `getRowObjects` gives it.
 *
 * @example
 * ```ts
 * await run('CREATE OR REPLACE VIEW v AS SELECT 1 AS x');
 * await run.rows('SELECT x FROM v') // [{ x: 1 }]
 * ```
 */
export interface DuckDbRun {
  (sql: string): Promise<void>;
  rows(sql: string): Promise<Record<string, unknown>[]>;
}

/** Settings of the embedded DuckDB engine. */
export interface DuckDbEngineConfig {
  /** Database file; `:memory:` (the default) keeps nothing between runs. */
  readonly path?: string;
  /** DuckDB worker threads; DuckDB's default (all cores) when absent. */
  readonly threads?: number;
  /**
   * The threads the next statement should have, asked before each statement (and `threads`
   * changed to it when it differs): a load's last batch, alone on the machine, takes the cores
   * its partner left. Not with `sandbox`, whose locked configuration refuses the change.
   */
  readonly threadsFor?: () => number;
  /** Connections kept for concurrent queries (default 4). */
  readonly maxConnections?: number;
  /** Physical names of logical tables (default: the same names). */
  readonly tableNames?: Readonly<Record<string, string>>;
  /**
   * Called once after the database opens, before the first query: the catalog creates its
   * views here.
   */
  readonly setup?: (run: DuckDbRun, warn: (w: EngineWarning) => void) => Promise<void>;
  /**
   * Called when a query fails. Returning true means the cause was repaired (a bad source file
   * was excluded and its view recreated) and the query is run again.
   */
  readonly recover?: (error: unknown, run: DuckDbRun, warn: (w: EngineWarning) => void) => Promise<boolean>;
  /**
   * SQL a connection runs before it runs the statement `sql` (the DuckDB text): state of its own,
   * such as TEMP macros fitted to the statement. A connection runs it again only when it changes.
   */
  readonly sessionSql?: (sql: string) => string | undefined;
  /**
   * Locks the engine down once its catalog is set up (`lakeq sql` without `--unsafe`): read-only
   * statements only, files only under `allowedDirectories`, no extension install or auto-load,
   * configuration locked.
   */
  readonly sandbox?: DuckDbSandbox;
}

/** What a locked-down engine may still reach. */
export interface DuckDbSandbox {
  /** Folders whose files queries may read (the data folder, the configured sources). */
  readonly allowedDirectories: readonly string[];
}
