import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { defaultLoadConcurrency, LoadEngines, loadEngineThreads } from '../../ingest/load-engines.ts';
import { executeLocalPlan } from '../../ingest/local-load.ts';
import type { Json } from '../asl-definition.ts';
import { BATCH_TAG } from '../handlers/batch-inputs.ts';
import type { HandlerContext } from '../handlers/handler-context.ts';
import { loadStoredBatch, toLoadBatch } from '../handlers/plan-store.ts';
import type { SpiceEngineLender } from '../local-spice.ts';
import { namedError } from '../named-error.ts';
import { limited } from './serialized.ts';

/** Local load batches of a run at once: the user's `--concurrency`, else the default. */
function loadConcurrencyOf(context: HandlerContext): number {
  return context.loadConcurrency ?? defaultLoadConcurrency();
}

/** Each run's load engines (its context's), kept open from one batch task to the next. */
const ENGINES = new WeakMap<HandlerContext, LoadEngines>();

function enginesOf(context: HandlerContext): LoadEngines {
  let engines = ENGINES.get(context);
  if (!engines) {
    engines = new LoadEngines({
      dataDir: context.dataDir,
      roots: context.roots,
      threads: loadEngineThreads(loadConcurrencyOf(context)),
      // The run's last batch, once alone, takes the cores its partners left.
      maxThreads: availableParallelism(),
    });
    ENGINES.set(context, engines);
  }
  return engines;
}

/**
 * Starts opening the load engines of a run while it plans (see `LoadEngines.prepare`): as many as
 * its batches run at once for a backfill, one for an hourly run (one batch per table, in turn).
 *
 * @example
 * ```ts
 * prepareLocalLoadEngines(context, 'backfill');
 * ```
 */
export function prepareLocalLoadEngines(context: HandlerContext, run: 'hourly' | 'backfill'): void {
  enginesOf(context).prepare(run === 'backfill' ? loadConcurrencyOf(context) : 1);
}

/**
 * Lends one of the load engines a run keeps open, idle once its loads are done, to its local
 * SPICE refreshes (`LocalSpiceOptions.withEngine`): its raw views read nothing and its views of
 * `tables` are made again over what the run loaded. Undefined when the run has no load engines
 * (they are closed, or it never planned).
 *
 * @example
 * ```ts
 * await lendLoadEngine(context)([table], (engine) => engine.execute(CompiledQuery.raw('SELECT 1')));
 * ```
 */
export function lendLoadEngine(context: HandlerContext): SpiceEngineLender {
  return (tables, fn) =>
    ENGINES.get(context)?.use(async (worker) => {
      await worker.useFiles([], undefined, tables);
      return fn(worker.engine);
    });
}

/**
 * Closes the load engines a run's batches kept open (its end: `runStateMachine`).
 *
 * @example
 * ```ts
 * await closeLocalLoadEngines(context);
 * ```
 */
export async function closeLocalLoadEngines(context: HandlerContext): Promise<void> {
  const engines = ENGINES.get(context);
  ENGINES.delete(context);
  await engines?.close();
}

/**
 * `athena:startQueryExecution.sync` run locally: the batch the UNLOAD's leading tag names is
 * loaded on DuckDB (the same transform query, staged, each hour written to a staging file and
 * renamed over its partition: locally that rename is the partition switch), and the answer is
 * shaped like GetQueryExecution's. A failed load fails like a FAILED query: `States.TaskFailed`,
 * the reason in the Cause. Loads of one data folder run one at a time.
 *
 * @example
 * ```ts
 * await localStartQueryExecutionSync({ QueryString: inputs.unload.QueryString, WorkGroup: 'lakeq', QueryExecutionContext: { Database: 'lakeq' } }, context)
 * // { QueryExecution: { QueryExecutionId: 'local-…', Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 20313 } } }
 * ```
 */
export async function localStartQueryExecutionSync(input: Json, context: HandlerContext): Promise<Json> {
  const request = input && typeof input === 'object' && !Array.isArray(input) ? input : {};
  const sql = request.QueryString;
  if (typeof sql !== 'string' || sql.length === 0) {
    throw namedError('Athena.InvalidRequestException', 'QueryString is required');
  }
  const tag = BATCH_TAG.exec(sql);
  if (!tag) {
    throw namedError(
      'Athena.InvalidRequestException',
      'the local Athena runs only lakeq load batches (an UNLOAD led by "-- lakeq:<query> run=<id> batch=<n>")',
    );
  }
  const [, runId = '', index = '0'] = tag;
  const { plan, batch, tablePartitions, tableBatches } = await loadStoredBatch(
    context.dataDir,
    runId,
    Number(index),
  );
  const id = `local-${randomUUID()}`;
  const submitted = new Date();
  const summary = await limited(`load:${context.dataDir}`, loadConcurrencyOf(context), () =>
    executeLocalPlan(
      {
        runId: plan.runId,
        from: new Date(plan.from),
        to: new Date(plan.to),
        batches: [toLoadBatch(batch)],
        unchanged: [],
      },
      {
        dataDir: context.dataDir,
        roots: context.roots,
        engines: enginesOf(context),
        ...(tableBatches !== undefined ? { tableBatches } : {}),
        ...(context.signal ? { signal: context.signal } : {}),
      },
    ),
  );
  const completed = new Date();
  const common = {
    QueryExecutionId: id,
    Query: sql,
    StatementType: 'DML',
    WorkGroup: typeof request.WorkGroup === 'string' ? request.WorkGroup : 'primary',
    QueryExecutionContext: request.QueryExecutionContext ?? null,
  };
  const times = { SubmissionDateTime: submitted.toISOString(), CompletionDateTime: completed.toISOString() };
  const last = batch.partitions.at(-1);
  context.onBatch?.({
    table: batch.table,
    partitions: batch.partitions.length,
    rows: summary.rows,
    tablePartitions,
    lastPartition: last ? `dt=${last.dt}/hour=${last.hour}` : '',
  });
  if (summary.failed > 0) {
    const reason = summary.errors.join('; ') || `${summary.failed} partitions failed`;
    throw namedError(
      'States.TaskFailed',
      JSON.stringify({
        QueryExecution: { ...common, Status: { State: 'FAILED', StateChangeReason: reason, ...times } },
      }),
    );
  }
  const scanned = new Set<string>();
  let bytes = 0;
  for (const p of batch.partitions) {
    for (const f of p.files) {
      if (!scanned.has(f.path)) bytes += f.size;
      scanned.add(f.path);
    }
  }
  const ms = completed.getTime() - submitted.getTime();
  return {
    QueryExecution: {
      ...common,
      Status: { State: 'SUCCEEDED', ...times },
      Statistics: {
        DataScannedInBytes: bytes,
        EngineExecutionTimeInMillis: ms,
        TotalExecutionTimeInMillis: ms,
      },
    },
  };
}
