import { parquetStorageDescriptor } from '../../catalog/athena/glue-table-input.ts';
import type { TableDefinition } from '../../catalog/table-definition.ts';
import { tableByName } from '../../catalog/tables/index.ts';
import type { LakeqSettings } from '../../config/lakeq-config.ts';
import { compileTarget } from '../../engines/compile-targets.ts';
import { LakeqError } from '../../engines/engine.ts';
import { inlineParameters } from '../../engines/trino/trino-literals.ts';
import {
  type PartitionSwitchBatch,
  type PartitionSwitchTarget,
  planPartitionSwitch,
} from '../../ingest/athena/partition-switch-plan.ts';
import { compileQuery } from '../../query/compile-query.ts';
import { loadQuery } from '../../query/registry.ts';
import type { HandlerContext } from './handler-context.ts';
import { loadStoredBatch, saveSwitch } from './plan-store.ts';

/** What one batch's Athena and Glue tasks send. */
export interface BatchInputs {
  readonly unload: PartitionSwitchBatch['unload'];
  readonly createPartitions: PartitionSwitchBatch['createPartitions'];
  readonly updatePartitions: PartitionSwitchBatch['updatePartitions'];
  /** Where the UNLOAD writes: emptied by `batchInputs`, so a retried batch starts clean. */
  readonly outputPrefix: string;
  /** Old prefixes free once the switch is done: `recordBatch` deletes them after the switch. */
  readonly cleanup: readonly string[];
}

/** `-- lakeq:<query>@<version> run=<runId> batch=<index>`: the tag that leads each batch's UNLOAD. */
export const BATCH_TAG = /^-- lakeq:\S+ run=([A-Za-z0-9_-]+) batch=(\d+)\n/;

/**
 * Lambda action `batchInputs`: one stored batch → the UNLOAD of its hours to a fresh prefix and
 * the Glue inputs that switch its partitions there (create for new hours, update for registered
 * ones, from the catalog's partitions now). The UNLOAD starts with a comment naming the run and
 * batch, so it can be found in Athena's history (and the local Athena finds its batch by it).
 * The output prefix is emptied before answering (Athena's UNLOAD fails on a non-empty prefix,
 * and a failed or retried attempt may have left files there), and the prefixes to clean up are
 * kept in the store for `recordBatch`.
 *
 * @example
 * ```ts
 * const inputs = await batchInputs({ runId, index: 0 }, context);
 * inputs.unload.QueryString // "-- lakeq:transforms/cloudtrail-events-hour@1.0.0 run=... batch=0\nUNLOAD (..."
 * ```
 */
export async function batchInputs(
  payload: { runId: string; index: number },
  context: HandlerContext,
): Promise<BatchInputs> {
  const { plan, batch } = await loadStoredBatch(context.store, payload.runId, payload.index);
  const table = tableByName(batch.table);
  if (!table) throw new LakeqError('UNKNOWN_TABLE', `unknown table "${batch.table}"`);
  const query = await loadQuery(table.transform.queryId);
  const athena = compileTarget('athena', {
    aws: {
      athena: {
        workGroup: context.target.workGroup,
        database: context.target.database,
        catalog: 'AwsDataCatalog',
      },
      cloudtrailLake: {},
    },
  } as Pick<LakeqSettings, 'aws'>);
  const switchPlan = planPartitionSwitch({
    table,
    transform: (from, to) =>
      inlineParameters(
        compileQuery(query, { from: from.toISOString(), to: to.toISOString() }, athena).compiled,
      ).sql,
    hours: batch.partitions.map((p) => new Date(p.start)),
    // Per batch: a run id names the fresh prefix, and a later batch of the same table must not
    // find the prefix of an earlier one registered under its own run id.
    runId: `${plan.runId}-b${batch.index}`,
    target: context.target,
    registered: [...(await context.registeredPartitions(table.name))],
  });
  const [only, ...more] = switchPlan.batches;
  if (!only || more.length > 0) {
    throw new LakeqError(
      'BAD_PLAN',
      `batch ${batch.index} of run ${plan.runId} is not one run of consecutive hours`,
    );
  }
  const tag = `-- lakeq:${query.id}@${query.version} run=${plan.runId} batch=${batch.index}\n`;
  await context.deletePrefix(only.outputPrefix);
  await saveSwitch(context.store, plan.runId, batch.index, {
    outputPrefix: only.outputPrefix,
    cleanup: only.cleanup,
  });
  return {
    unload: { ...only.unload, QueryString: `${tag}${only.unload.QueryString}` },
    createPartitions: only.createPartitions,
    updatePartitions: only.updatePartitions,
    outputPrefix: only.outputPrefix,
    cleanup: only.cleanup,
  };
}

/** What a batch's inputs may take of Step Functions' 256 KiB state payload (the rest: SQL, results). */
const PAYLOAD_BUDGET = 200_000;

/**
 * The most partitions of `table` one batch may have so that its Glue inputs (each partition
 * carries the table's whole storage descriptor, columns included) fit a state's payload:
 * about 56 for `cloudtrail_events`, 100 (Athena's limit) for narrow tables.
 *
 * @example
 * ```ts
 * partitionsWithinPayload(cloudtrailEvents, target) // 56
 * ```
 */
export function partitionsWithinPayload(table: TableDefinition, target: PartitionSwitchTarget): number {
  const longest = `s3://${target.bucket}/${target.prefix}/${table.location}/run=${'x'.repeat(64)}/batch=0/dt=2026-11-27/hour=13/`;
  const entry = {
    PartitionValueList: ['2026-11-27', '13'],
    PartitionInput: {
      Values: ['2026-11-27', '13'],
      StorageDescriptor: parquetStorageDescriptor(table, longest),
      Parameters: { 'lakeq.run_id': 'x'.repeat(64) },
    },
  };
  return Math.max(1, Math.min(100, Math.floor(PAYLOAD_BUDGET / JSON.stringify(entry).length)));
}
