import { s3Location, trinoString } from '../../catalog/athena/athena-sql.ts';
import { curatedTableLocation, parquetCompression } from '../../catalog/athena/curated-table-ddl.ts';
import { type GluePartitionInput, parquetStorageDescriptor } from '../../catalog/athena/glue-table-input.ts';
import { trinoIdentifier } from '../../catalog/hive-types.ts';
import type { TableDefinition } from '../../catalog/table-definition.ts';
import { ATHENA_CAPABILITIES } from '../../engines/athena/athena-capabilities.ts';
import { NON_RETRYABLE_ATHENA_ERRORS } from '../../engines/athena/athena-errors.ts';

/**
 * The idempotent reload of hour partitions on Athena, as data for a state machine: per batch,
 * UNLOAD the hours to a fresh prefix, then point the catalog's partitions at it, then delete
 * the prefixes they used to point at. Readers see the old hour or the new one, never neither,
 * never both; a failed UNLOAD leaves the catalog as it was; re-running an hour never appends.
 */

/** Glue's BatchCreatePartition / BatchUpdatePartition take at most 100 entries. */
const GLUE_MAX_PARTITIONS_PER_CALL = 100;
const HOUR_MS = 3_600_000;
const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A partition as GetPartitions returns it (only what the plan reads). */
export interface RegisteredPartition {
  readonly Values?: readonly string[];
  readonly StorageDescriptor?: { readonly Location?: string };
}

export interface PartitionSwitchTarget {
  readonly bucket: string;
  readonly prefix: string;
  readonly database: string;
  readonly workGroup: string;
}

export interface PartitionSwitchInput {
  readonly table: TableDefinition;
  /**
   * The transform's Trino SELECT for `[from, to)`. Its columns are the table's columns in
   * order, then `dt` ('YYYY-MM-DD') and `hour` ('HH') as the **last two** (UNLOAD's
   * `partitioned_by` takes the trailing columns; a table without a time column, like an hourly
   * aggregate, could not have them derived here).
   */
  readonly transform: (from: Date, to: Date) => string;
  /** Hour starts (UTC) to (re)load; order and duplicates do not matter. */
  readonly hours: readonly Date[];
  /** Unique per run: it names the fresh prefix, so two runs never write to one place. */
  readonly runId: string;
  readonly target: PartitionSwitchTarget;
  /** The table's partitions now in the catalog (GetPartitions), to choose create or update. */
  readonly registered: readonly RegisteredPartition[];
  /** At most 100 (Athena's open-writer limit and Glue's batch limit); lower for smaller batches. */
  readonly maxPartitionsPerBatch?: number;
}

export interface HourPartition {
  readonly dt: string;
  readonly hour: string;
}

export interface PartitionSwitchBatch {
  readonly index: number;
  /** The window the UNLOAD covers, `[from, to)`, ISO 8601 UTC. */
  readonly from: string;
  readonly to: string;
  readonly partitions: readonly HourPartition[];
  /** Where the UNLOAD writes. Empty it before each attempt: UNLOAD appends to a partitioned destination. */
  readonly outputPrefix: string;
  /** Input of Athena StartQueryExecution (run it to completion, `.sync`). */
  readonly unload: {
    readonly QueryString: string;
    readonly WorkGroup: string;
    readonly QueryExecutionContext: { readonly Database: string };
  };
  /** Input of Glue BatchCreatePartition for hours not yet registered; null when none. */
  readonly createPartitions: {
    readonly DatabaseName: string;
    readonly TableName: string;
    readonly PartitionInputList: readonly GluePartitionInput[];
  } | null;
  /** Input of Glue BatchUpdatePartition for registered hours, switching their location; null when none. */
  readonly updatePartitions: {
    readonly DatabaseName: string;
    readonly TableName: string;
    readonly Entries: readonly {
      readonly PartitionValueList: readonly string[];
      readonly PartitionInput: GluePartitionInput;
    }[];
  } | null;
  /** Old prefixes no partition uses once this batch is switched: delete them after the switch. */
  readonly cleanup: readonly string[];
}

export interface PartitionSwitchPlan {
  readonly table: string;
  readonly runId: string;
  readonly batches: readonly PartitionSwitchBatch[];
  /**
   * Old locations the plan leaves alone although it moved partitions off them: shared with a
   * partition outside the batch, or not under the table's folder (deleting them could delete
   * other data).
   */
  readonly retained: readonly string[];
}

const partitionOf = (hour: Date): HourPartition => {
  const iso = hour.toISOString();
  return { dt: iso.slice(0, 10), hour: iso.slice(11, 13) };
};
const keyOf = (p: HourPartition) => `${p.dt} ${p.hour}`;
const asFolder = (location: string) => (location.endsWith('/') ? location : `${location}/`);

/** `s3://b/x/y/` → `s3://b/`, `s3://b/x/`, `s3://b/x/y/`. */
function foldersOf(location: string): string[] {
  const scheme = location.indexOf('://') + 3;
  const out: string[] = [];
  for (let i = location.indexOf('/', scheme); i !== -1; i = location.indexOf('/', i + 1))
    out.push(location.slice(0, i + 1));
  return out;
}

/** Counts locations in use, to ask in O(depth) whether any is at, under or above a folder. */
class Usage {
  readonly #exact = new Map<string, number>();
  readonly #within = new Map<string, number>();

  add(location: string, n = 1): void {
    this.#exact.set(location, (this.#exact.get(location) ?? 0) + n);
    for (const f of foldersOf(location)) this.#within.set(f, (this.#within.get(f) ?? 0) + n);
  }

  overlaps(folder: string): boolean {
    if ((this.#within.get(folder) ?? 0) > 0) return true;
    return foldersOf(folder).some((f) => (this.#exact.get(f) ?? 0) > 0);
  }
}

/** Sorted distinct hours, split into runs of consecutive hours of at most `max` each. */
function contiguousBatches(hours: readonly Date[], max: number): number[][] {
  const times = [...new Set(hours.map((h) => h.getTime()))].sort((a, b) => a - b);
  const batches: number[][] = [];
  let current: number[] = [];
  for (const t of times) {
    const last = current[current.length - 1];
    if (current.length === max || (last !== undefined && t !== last + HOUR_MS)) {
      batches.push(current);
      current = [];
    }
    current.push(t);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function unloadSql(input: PartitionSwitchInput, from: Date, to: Date, outputPrefix: string): string {
  const { table } = input;
  const transform = input.transform(from, to).trim().replace(/;+$/, '');
  const [dt, hour] = table.partitionKeys.map((k) => k.name);
  const key = `concat(t.${dt}, ' ', t.${hour})`;
  // The guard keeps a transform that returns other hours from writing them (and from
  // exceeding the open-writer limit); ORDER BY sits outside because Trino drops a subquery's.
  const order = table.sortKey.map((c) => `t.${trinoIdentifier(c)}`).join(', ');
  const select = [
    'SELECT * FROM (',
    transform,
    ') t',
    `WHERE ${key} >= ${trinoString(keyOf(partitionOf(from)))} AND ${key} < ${trinoString(keyOf(partitionOf(to)))}`,
    ...(order ? [`ORDER BY ${order}`] : []),
  ].join('\n');
  return (
    `UNLOAD (\n${select}\n) TO ${trinoString(outputPrefix)} WITH (format = 'PARQUET', ` +
    `compression = ${trinoString(parquetCompression(table))}, partitioned_by = ARRAY['${dt}', '${hour}'])`
  );
}

/**
 * Plans the reload of `hours` of a curated table on Athena.
 *
 * Run each batch in this order (batches are independent of each other):
 * 1. delete everything under `outputPrefix` (nothing is there on a first attempt);
 * 2. run `unload` to completion; if it fails, empty `outputPrefix` (nothing reads it) and
 *    stop: the catalog was not touched. Retry with a new StartQueryExecution, never with the
 *    failed one's ClientRequestToken (Athena would answer with the failed query);
 * 3. send `createPartitions` and `updatePartitions` (when not null) and treat a non-empty
 *    `Errors` in their answers as a failure (Glue reports per-partition failures there);
 * 4. later, once queries planned before the switch have finished, delete each `cleanup` prefix.
 *
 * After a failure, plan again with a new run id from a fresh GetPartitions, rather than
 * replaying this plan: some hours may already point at this run's prefixes.
 *
 * Size: a batch carries each partition's full storage descriptor (columns included, so every
 * partition reads with the table's schema); for `cloudtrail_events` 100 partitions are ~340 KB
 * of JSON, above Step Functions' 256 KB payload limit, so pass batches by reference (S3) or plan
 * smaller batches (`maxPartitionsPerBatch`).
 *
 * @example
 * ```ts
 * const plan = planPartitionSwitch({
 *   table: cloudtrailEvents,
 *   transform: (from, to) => inlineParameters(compileQuery(cloudtrailEventsHour, { from, to }, athena).compiled).sql,
 *   hours: Array.from({ length: 250 }, (_, i) => new Date(Date.UTC(2026, 10, 1, i))),
 *   runId: 'backfill-20261111T1000Z',
 *   target: { bucket: 'lake', prefix: 'lakeq', database: 'lakeq', workGroup: 'lakeq' },
 *   registered: (await glue.send(new GetPartitionsCommand({ DatabaseName: 'lakeq', TableName: 'cloudtrail_events' }))).Partitions ?? [],
 * });
 * // plan.batches: 3 (100, 100, 50 hours); batch 0 writes s3://lake/lakeq/curated/cloudtrail_events/run=backfill-20261111T1000Z/batch=0/
 * ```
 */
export function planPartitionSwitch(input: PartitionSwitchInput): PartitionSwitchPlan {
  const { table, target, runId } = input;
  const limit = Math.min(ATHENA_CAPABILITIES.maxPartitionsPerWrite, GLUE_MAX_PARTITIONS_PER_CALL);
  const max = input.maxPartitionsPerBatch ?? limit;
  if (!Number.isInteger(max) || max < 1 || max > limit)
    throw new Error(`maxPartitionsPerBatch must be an integer from 1 to ${limit}, not ${max}`);
  if (!RUN_ID.test(runId)) throw new Error(`run id "${runId}" must be 1-64 letters, digits, _ or -`);
  for (const h of input.hours) {
    if (Number.isNaN(h.getTime()) || h.getTime() % HOUR_MS !== 0)
      throw new Error(`${String(h)} is not the start of a UTC hour`);
  }

  const tableRoot = curatedTableLocation(table, target);
  const runRoot = s3Location(target.bucket, target.prefix, table.location, `run=${runId}`);
  const registered = new Map<string, string>();
  for (const p of input.registered) {
    const [dt, hour, ...rest] = p.Values ?? [];
    const location = p.StorageDescriptor?.Location;
    if (dt === undefined || hour === undefined || rest.length > 0 || !location)
      throw new Error(
        `${table.name}: registered partition ${JSON.stringify(p.Values)} is not (dt, hour) with a location`,
      );
    const folder = asFolder(location);
    if (folder.startsWith(runRoot))
      throw new Error(
        `${table.name}: run id "${runId}" was used before (partition ${dt}/${hour} is at ${folder})`,
      );
    registered.set(`${dt} ${hour}`, folder);
  }

  const runs = contiguousBatches(input.hours, max);
  const usage = new Usage();
  for (const location of registered.values()) usage.add(location);
  runs.forEach((times, index) => {
    for (const t of times) {
      const p = partitionOf(new Date(t));
      usage.add(`${runRoot}batch=${index}/dt=${p.dt}/hour=${p.hour}/`);
    }
  });
  const plannedOld = new Set<string>();
  const cleaned = new Set<string>();

  const batches = runs.map((times, index): PartitionSwitchBatch => {
    const from = new Date(times[0] ?? 0);
    const to = new Date((times[times.length - 1] ?? 0) + HOUR_MS);
    const outputPrefix = `${runRoot}batch=${index}/`;
    const partitions = times.map((t) => partitionOf(new Date(t)));
    const inputOf = (p: HourPartition): GluePartitionInput => ({
      Values: [p.dt, p.hour],
      StorageDescriptor: parquetStorageDescriptor(table, `${outputPrefix}dt=${p.dt}/hour=${p.hour}/`),
      Parameters: { 'lakeq.run_id': runId },
    });
    const creates = partitions.filter((p) => !registered.has(keyOf(p)));
    const updates = partitions.filter((p) => registered.has(keyOf(p)));

    // An old prefix may go only when no partition outside this batch and no new location uses
    // it (or a folder above or below it): batches may then run in any order.
    const olds = updates.map((p) => registered.get(keyOf(p)) ?? '');
    for (const old of olds) usage.add(old, -1);
    const cleanup: string[] = [];
    for (const old of olds) {
      plannedOld.add(old);
      const safe = old.startsWith(tableRoot) && old !== tableRoot && !usage.overlaps(old);
      if (safe && !cleaned.has(old)) {
        cleaned.add(old);
        cleanup.push(old);
      }
    }
    for (const old of olds) usage.add(old);

    const names = { DatabaseName: target.database, TableName: table.name };
    return {
      index,
      from: from.toISOString(),
      to: to.toISOString(),
      partitions,
      outputPrefix,
      unload: {
        QueryString: unloadSql(input, from, to, outputPrefix),
        WorkGroup: target.workGroup,
        QueryExecutionContext: { Database: target.database },
      },
      createPartitions: creates.length > 0 ? { ...names, PartitionInputList: creates.map(inputOf) } : null,
      updatePartitions:
        updates.length > 0
          ? {
              ...names,
              Entries: updates.map((p) => ({
                PartitionValueList: [p.dt, p.hour],
                PartitionInput: inputOf(p),
              })),
            }
          : null,
      cleanup,
    };
  });

  return { table: table.name, runId, batches, retained: [...plannedOld].filter((l) => !cleaned.has(l)) };
}

/**
 * True when a failure must not be retried (by a Step Functions Retry or by hand): running the
 * same statement again fails the same way. Takes an Error, a failure reason, Athena's
 * `Status` / `AthenaError`, or a Step Functions error (`{ Error, Cause }`).
 *
 * @example
 * ```ts
 * isNonRetryable({ Error: 'Athena.QueryFailed', Cause: 'HIVE_TOO_MANY_OPEN_PARTITIONS: Exceeded limit of 100 open writers' }) // true
 * isNonRetryable(new Error('ThrottlingException: Rate exceeded')) // false
 * ```
 */
export function isNonRetryable(error: unknown): boolean {
  const texts: string[] = [];
  if (typeof error === 'string') texts.push(error);
  else if (error instanceof Error) texts.push(error.name, error.message);
  if (typeof error === 'object' && error !== null) {
    const record = error as Record<string, unknown>;
    for (const field of ['Error', 'Cause', 'StateChangeReason', 'ErrorMessage', 'message']) {
      const value = record[field];
      if (typeof value === 'string') texts.push(value);
    }
  }
  return texts.some((text) => NON_RETRYABLE_ATHENA_ERRORS.some((marker) => text.includes(marker)));
}
