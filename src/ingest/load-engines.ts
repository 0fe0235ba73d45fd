import { availableParallelism } from 'node:os';
import { type LocalLoadEngine, openLocalLoadEngine } from '../catalog/duckdb/local-engine.ts';
import { timed } from './step-timings.ts';

/**
 * Local load batches run at once when the user does not say (`--concurrency`): two, or one on a
 * one-core machine. A batch alternates between work DuckDB spreads over threads (parsing its
 * files) and work it mostly does on one (converting and writing a day's records, whose batch table
 * is one row group), so two batches on engines of one thread each keep both cores busy: the
 * 200k-event week loaded in 9.0 s wall and 14.1 s CPU this way, against 13.1 s and 17.0 s one
 * batch at a time on two threads, and 10.0 s and 16.9 s two at a time on two threads each.
 *
 * @example
 * ```ts
 * defaultLoadConcurrency() // 2 on a 2-core machine
 * ```
 */
export function defaultLoadConcurrency(): number {
  return Math.min(2, availableParallelism());
}

/**
 * The DuckDB threads of each engine when `concurrency` batches run at once: the machine's cores
 * shared among them (at least one each).
 *
 * @example
 * ```ts
 * loadEngineThreads(2) // 1 on a 2-core machine
 * ```
 */
export function loadEngineThreads(concurrency: number): number {
  return Math.max(1, Math.floor(availableParallelism() / Math.max(1, concurrency)));
}

export interface LoadEnginesOptions {
  readonly dataDir: string;
  /** The sources' raw roots, by source name (see `ExecuteOptions.roots`). */
  readonly roots?: Readonly<Record<string, string | undefined>>;
  readonly threads?: number;
  /**
   * The threads of a stage's last batch to start (say the last day of a week's backfill, which
   * otherwise ran on one thread while the other cores sat idle): default `threads`, never more.
   * An hourly run's one batch per table is its stage's last too.
   */
  readonly maxThreads?: number;
}

/** The batches of one stage of a run (a table's): `use` counts them to know which starts last. */
export interface LoadStage {
  /** Names the stage within the engines' life (say run id and table). */
  readonly key: string;
  /** Its batches in the whole run. */
  readonly batches: number;
}

/** Where an engine's `threadsFor` finds whether the batch it serves started last in its stage. */
interface Slot {
  last: boolean;
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
  /** Engines being opened ahead of their first batch (`prepare`). */
  readonly #opening: Promise<LocalLoadEngine>[] = [];
  readonly #slots = new WeakMap<LocalLoadEngine, Slot>();
  /** Batches started so far, by stage key. */
  readonly #started = new Map<string, number>();
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

  /**
   * Starts opening engines, up to `count` in all, without waiting: the state machine's planning
   * (JavaScript and file stats) then overlaps with DuckDB's start-up and the catalog's views,
   * 0.3–0.4 s an engine. A failed open is reported by the `use` that takes it.
   */
  prepare(count: number): void {
    while (!this.#closed && this.#idle.length + this.#opening.length < count) {
      const opening = this.#open();
      opening.catch(() => {});
      this.#opening.push(opening);
    }
  }

  /**
   * Runs `fn` on an engine no one else uses meanwhile (an idle one, one being opened, or a new
   * one). With `stage`, the batch counts among its stage's, and the last of them to start gets
   * `maxThreads`: for a moment beside its partners' ends (more threads than cores, briefly), then
   * alone.
   */
  async use<T>(fn: (worker: LocalLoadEngine) => Promise<T>, stage?: LoadStage): Promise<T> {
    if (this.#closed) throw new Error('the load engines are closed');
    const started = stage ? (this.#started.get(stage.key) ?? 0) + 1 : 0;
    if (stage) this.#started.set(stage.key, started);
    const worker = this.#idle.pop() ?? (await (this.#opening.shift() ?? this.#open()));
    const slot = this.#slots.get(worker);
    if (slot) slot.last = stage !== undefined && started >= stage.batches;
    try {
      return await fn(worker);
    } finally {
      if (slot) slot.last = false;
      if (this.#closed) await worker.engine.close();
      else this.#idle.push(worker);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const idle = this.#idle.splice(0);
    for (const opening of this.#opening.splice(0)) {
      const w = await opening.catch(() => undefined);
      if (w) idle.push(w);
    }
    for (const w of idle) await w.engine.close();
  }

  async #open(): Promise<LocalLoadEngine> {
    const { dataDir, roots, threads, maxThreads } = this.#options;
    const slot: Slot = { last: false };
    const base = threads ?? 1;
    const dynamic = maxThreads !== undefined && maxThreads > base;
    const worker = await timed('load: open engine', () =>
      openLocalLoadEngine(
        { sources: {}, dataDir, ...(roots ? { roots } : {}) },
        {
          ...(threads ? { threads } : {}),
          ...(dynamic ? { threadsFor: () => (slot.last ? maxThreads : base) } : {}),
        },
      ),
    );
    this.#slots.set(worker, slot);
    return worker;
  }
}
