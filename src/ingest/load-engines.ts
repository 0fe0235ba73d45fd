import { type LocalLoadEngine, openLocalLoadEngine } from '../catalog/duckdb/local-engine.ts';
import { timed } from './step-timings.ts';

export interface LoadEnginesOptions {
  readonly dataDir: string;
  /** The sources' raw roots, by source name (see `ExecuteOptions.roots`). */
  readonly roots?: Readonly<Record<string, string | undefined>>;
  readonly threads?: number;
}

/**
 * The load engines of one run, kept open between its batches: the state machine loads one
 * batch per task, and opening an engine (DuckDB, the catalog's views) cost 0.2–0.4 s a batch.
 * Each engine serves one batch at a time; `close` closes them all (the run's end).
 *
 * @example
 * ```ts
 * const engines = new LoadEngines({ dataDir, roots: { cloudtrail } });
 * try {
 *   await executeLocalPlan(plan, { dataDir, roots: { cloudtrail }, engines });
 * } finally {
 *   await engines.close();
 * }
 * ```
 */
export class LoadEngines {
  readonly #options: LoadEnginesOptions;
  readonly #idle: LocalLoadEngine[] = [];
  #closed = false;

  constructor(options: LoadEnginesOptions) {
    this.#options = options;
  }

  /** Whether these engines read the same data folder and roots as `options`. */
  serves(options: Pick<LoadEnginesOptions, 'dataDir' | 'roots'>): boolean {
    return (
      options.dataDir === this.#options.dataDir &&
      JSON.stringify(options.roots ?? {}) === JSON.stringify(this.#options.roots ?? {})
    );
  }

  /** Runs `fn` on an engine no one else uses meanwhile (an idle one, or a new one). */
  async use<T>(fn: (worker: LocalLoadEngine) => Promise<T>): Promise<T> {
    if (this.#closed) throw new Error('the load engines are closed');
    const worker = this.#idle.pop() ?? (await this.#open());
    try {
      return await fn(worker);
    } finally {
      if (this.#closed) await worker.engine.close();
      else this.#idle.push(worker);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const idle = this.#idle.splice(0);
    for (const w of idle) await w.engine.close();
  }

  async #open(): Promise<LocalLoadEngine> {
    const { dataDir, roots, threads } = this.#options;
    return timed('load: open engine', () =>
      openLocalLoadEngine({ sources: {}, dataDir, ...(roots ? { roots } : {}) }, threads ? { threads } : {}),
    );
  }
}
