import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { tableDir } from '../catalog/duckdb/curated-views.ts';
import type { TableDefinition } from '../catalog/table-definition.ts';
import { type Engine, LakeqError } from '../engines/engine.ts';
import { HOUR_MS, type HourPartition, partitionPath, partitionStart } from './hours.ts';

/** The one data file of a partition; readers glob `*.parquet`, so staging files never show. */
export const PARTITION_FILE = 'part-0.parquet';
const STAGING = /^\.staging-.*\.tmp$/;

export interface WrittenPartition {
  readonly rows: number;
  readonly bytes: number;
  /** The content checksum (`PartitionContent`); absent when the partition has no rows (and no file). */
  readonly checksum?: string;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** A partition's rows and content checksum, as its staged file holds them. */
export interface PartitionContent {
  readonly rows: number;
  /** `rowhash:<rows>:<sum of hash() over the rows>`. */
  readonly checksum: string;
}

/** The staging folder of one batch: beside the partitions, where readers' `dt=*\/hour=*` never look. */
export function stagingFolder(
  dataDir: string,
  table: TableDefinition,
  runId: string,
  first: HourPartition,
): string {
  const at = `${first.dt.replace(/-/g, '')}T${first.hour}`;
  return path.join(tableDir(dataDir, table), `.staging-${runId}-${at}.tmp`);
}

/** A batch written to its staging folder, one file per partition, not yet switched. */
export interface StagedBatch {
  /** Each staged partition's rows and checksum, keyed `dt/hour`; an hour without rows has none. */
  readonly contents: ReadonlyMap<string, PartitionContent>;
  /**
   * Switches `partitions` to their staged files (each a `rename` over the partition's file; an
   * hour without rows has its old file removed) and removes the staging folder: the others keep
   * what they had.
   */
  commit(partitions: readonly HourPartition[]): Promise<Map<string, WrittenPartition>>;
  /** Removes the staging folder (a failed batch). */
  discard(): Promise<void>;
}

/**
 * A batch written in slices of its hours, each by a COPY of its own, at once: the Parquet writer
 * of one COPY is one thread, so a batch alone on a machine (a backfill's last, an hourly run's)
 * left the other cores idle for its whole write. `sql(from, to)` gives the `WITH` entries that
 * keep a slice's COPY to the records of its hours before they are converted
 * (`LocalLoadEngine.batchSliceSql`); without them each slice would convert every record.
 */
export interface BatchSlices {
  readonly count: number;
  readonly sql: (from: Date, to: Date) => string | undefined;
}

/** `partitions` in up to `count` runs of consecutive ones, each with the span of hours it stands for. */
function sliced(
  partitions: readonly HourPartition[],
  count: number,
): { partitions: readonly HourPartition[]; from: Date; to: Date }[] {
  const n = Math.max(1, Math.min(Math.floor(count), partitions.length));
  const size = Math.ceil(partitions.length / n);
  const sorted = [...partitions].sort((a, b) => partitionStart(a).getTime() - partitionStart(b).getTime());
  const runs: HourPartition[][] = [];
  for (let i = 0; i < sorted.length; i += size) runs.push(sorted.slice(i, i + size));
  // The spans meet: together they cover the batch's hours, each record's hour in one of them.
  return runs.map((run, i) => {
    const next = runs[i + 1]?.[0];
    const last = run.at(-1) as HourPartition;
    return {
      partitions: run,
      from: partitionStart(run[0] as HourPartition),
      to: next ? partitionStart(next) : new Date(partitionStart(last).getTime() + HOUR_MS),
    };
  });
}

/**
 * Writes a batch's rows (`select`: the table's columns plus `dt` and `hour`) for `partitions` in
 * one `COPY … PARTITION_BY (dt, hour)` into a staging folder of the table, and reads back each
 * staged file's row count and content checksum: the row count and the sum of `hash()` over
 * every column of every row. That sum does not depend on row order, so it is the same for the
 * same rows however DuckDB's threads wrote the file; the file's bytes are not (an unsorted
 * parallel write orders rows differently from run to run), which is why the ledger records this
 * checksum for change detection (`changedSince`) and the load need not sort (one sorted COPY per
 * hour cost more than the whole parallel write). Read from the staged files, it also checks what
 * was written, not what was meant to be.
 *
 * `commit` then moves each partition's file over its partition file with `rename`, which
 * replaces a file atomically: a reader (or a crash) sees the old file or the new one, never half
 * of one. A crash before a partition's rename leaves it as it was (the next run's `cleanStaging`
 * removes the folder); after it, the partition is whole and new, and a rerun only replaces it
 * with a file of the same rows.
 *
 * @example
 * ```ts
 * const staged = await stageBatch(engine, dataDir, table, selectSql, batch.partitions, runId);
 * staged.contents.get('2026-11-02/10') // { rows: 1204, checksum: 'rowhash:1204:52873459834720934857' }
 * const written = await staged.commit(batch.partitions);
 * ```
 */
export async function stageBatch(
  engine: Engine,
  dataDir: string,
  table: TableDefinition,
  select: string,
  partitions: readonly HourPartition[],
  runId: string,
  options: { readonly signal?: AbortSignal; readonly slices?: BatchSlices } = {},
): Promise<StagedBatch> {
  const first = partitions[0];
  const contents = new Map<string, PartitionContent>();
  const discard = async () => {
    if (first) await rm(stagingFolder(dataDir, table, runId, first), { recursive: true, force: true });
  };
  if (!first) return { contents, commit: async () => new Map(), discard };
  const staging = stagingFolder(dataDir, table, runId, first);
  const columns = table.columns.map((c) => ident(c.name)).join(', ');
  const groups = sliced(partitions, options.slices?.count ?? 1);
  // Each slice's partitions are staged under a folder of its own (its COPY's target).
  const rootOf = new Map<string, string>();
  try {
    await rm(staging, { recursive: true, force: true });
    // A COPY makes its target folder, not the folders above it.
    await mkdir(groups.length === 1 ? path.dirname(staging) : staging, { recursive: true });
    const copies = groups.map(async (group, i) => {
      const root = groups.length === 1 ? staging : path.join(staging, `slice-${i}`);
      for (const p of group.partitions) rootOf.set(`${p.dt}/${p.hour}`, root);
      const keys = group.partitions.map((p) => `(${quote(p.dt)}, ${quote(p.hour)})`).join(', ');
      const slice = groups.length === 1 ? undefined : options.slices?.sql(group.from, group.to);
      await engine.execute(
        CompiledQuery.raw(
          `COPY (${slice ? `WITH ${slice}\n` : ''}SELECT ${columns}, dt, hour FROM (${select}) WHERE (dt, hour) IN (${keys}))
          TO ${quote(root)} (FORMAT parquet, PARTITION_BY (dt, hour), COMPRESSION ${table.format.compression})`,
        ),
        options.signal ? { signal: options.signal } : {},
      );
    });
    // Every COPY has ended before a failure removes the staging folder.
    const failed = (await Promise.allSettled(copies)).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const files = (await readdir(staging, { recursive: true })).filter((rel) => rel.endsWith('.parquet'));
    if (files.length > 0) {
      const glob = path.join(
        staging,
        ...(groups.length === 1 ? [] : ['slice-*']),
        'dt=*',
        'hour=*',
        '*.parquet',
      );
      const { rows } = await engine.execute<{ dt: string; hour: string; n: unknown; h: unknown; f: unknown }>(
        CompiledQuery.raw(
          `SELECT dt, hour, count(*) AS n, CAST(sum(hash(${columns})) AS VARCHAR) AS h, count(DISTINCT filename) AS f
          FROM read_parquet(${quote(glob)},
            hive_partitioning = true, hive_types = {'dt': 'VARCHAR', 'hour': 'VARCHAR'}, filename = true)
          GROUP BY dt, hour`,
        ),
      );
      for (const r of rows) {
        const key = `${r.dt}/${r.hour}`;
        contents.set(key, { rows: Number(r.n), checksum: `rowhash:${Number(r.n)}:${String(r.h)}` });
        // One file per partition is the rule: DuckDB split this hour (only very large ones), so
        // its files are merged into one before it can be switched.
        if (Number(r.f) > 1)
          await mergeStaged(engine, rootOf.get(key) ?? staging, { dt: r.dt, hour: r.hour }, table);
      }
    }
  } catch (error) {
    // A failed write (a full disk, say) leaves no staging files to fill the disk further.
    await discard();
    throw error;
  }
  return {
    contents,
    discard,
    commit: async (chosen) => {
      const out = new Map<string, WrittenPartition>();
      try {
        for (const p of chosen) {
          const key = `${p.dt}/${p.hour}`;
          const dir = path.join(tableDir(dataDir, table), ...partitionPath(p).split('/'));
          const target = path.join(dir, PARTITION_FILE);
          const content = contents.get(key);
          if (!content) {
            // An hour with no rows has no file: remove any older partition file.
            await rm(target, { force: true });
            out.set(key, { rows: 0, bytes: 0 });
            continue;
          }
          const from = path.join(rootOf.get(key) ?? staging, ...partitionPath(p).split('/'));
          const [name, ...more] = (await readdir(from)).filter((n) => n.endsWith('.parquet'));
          if (!name || more.length > 0) {
            throw new LakeqError(
              'PARTITION_MISMATCH',
              `${table.name} ${partitionPath(p)}: staged ${more.length + (name ? 1 : 0)} files, not one`,
            );
          }
          await mkdir(dir, { recursive: true });
          await rename(path.join(from, name), target);
          const { size } = await stat(target);
          out.set(key, { rows: content.rows, bytes: size, checksum: content.checksum });
        }
      } finally {
        await discard();
      }
      return out;
    },
  };
}

/** Merges the files DuckDB staged for one partition into one. */
async function mergeStaged(
  engine: Engine,
  staging: string,
  p: HourPartition,
  table: TableDefinition,
): Promise<void> {
  const from = path.join(staging, ...partitionPath(p).split('/'));
  const names = (await readdir(from)).filter((n) => n.endsWith('.parquet'));
  const merged = path.join(from, `.merged.tmp`);
  const list = `[${names.map((n) => quote(path.join(from, n))).join(', ')}]`;
  await engine.execute(
    CompiledQuery.raw(
      `COPY (SELECT * FROM read_parquet(${list})) TO ${quote(merged)} (FORMAT parquet, COMPRESSION ${table.format.compression})`,
    ),
  );
  for (const n of names) await rm(path.join(from, n));
  await rename(merged, path.join(from, 'data_0.parquet'));
}

/**
 * Removes staging files and folders a killed load left behind: those of other runs (the load lock keeps
 * other runs from running now). The current run's own batches may be writing theirs.
 */
export async function cleanStaging(
  dataDir: string,
  table: TableDefinition,
  currentRunId: string,
): Promise<number> {
  const root = tableDir(dataDir, table);
  let entries: string[];
  try {
    entries = await readdir(root, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  // This run's: `.staging-<runId>.tmp` (one partition) and `.staging-<runId>-<hour>.tmp/` (a batch).
  const own = (name: string) =>
    name === `.staging-${currentRunId}.tmp` ||
    (name.startsWith(`.staging-${currentRunId}-`) &&
      /^\d{8}T\d{2}\.tmp$/.test(name.slice(`.staging-${currentRunId}-`.length)));
  const inStaging = (rel: string) =>
    path
      .dirname(rel)
      .split(path.sep)
      .some((part) => STAGING.test(part));
  const stale = entries.filter(
    (rel) => STAGING.test(path.basename(rel)) && !own(path.basename(rel)) && !inStaging(rel),
  );
  // A batch's staging folder goes whole (the partition files a killed COPY left in it too).
  await Promise.all(stale.map((rel) => rm(path.join(root, rel), { recursive: true, force: true })));
  return stale.length;
}
