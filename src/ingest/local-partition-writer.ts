import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { tableDir } from '../catalog/duckdb/curated-views.ts';
import type { TableDefinition } from '../catalog/table-definition.ts';
import { type Engine, LakeqError } from '../engines/engine.ts';
import { type HourPartition, partitionPath } from './hours.ts';

/** The one data file of a partition; readers glob `*.parquet`, so staging files never show. */
export const PARTITION_FILE = 'part-0.parquet';
const STAGING = /^\.staging-.*\.tmp$/;

export interface WrittenPartition {
  readonly rows: number;
  readonly bytes: number;
  /** sha256 of the file; absent when the partition has no rows (and no file). */
  readonly checksum?: string;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * Writes one partition from the rows of a staged batch table: to a staging file beside the
 * partition's file, then `rename` over it. rename(2) replaces a file atomically, so a reader
 * (or a crash) sees the old file or the new one, never half of one or both. Rows are ordered
 * by the table's sort key, so the same rows give the same bytes.
 */
export async function writePartition(
  engine: Engine,
  dataDir: string,
  table: TableDefinition,
  batchTable: string,
  partition: HourPartition,
  runId: string,
  expectedRows: number,
): Promise<WrittenPartition> {
  const dir = path.join(tableDir(dataDir, table), ...partitionPath(partition).split('/'));
  const target = path.join(dir, PARTITION_FILE);
  if (expectedRows === 0) {
    // An hour with no rows has no file: remove any older partition file.
    await rm(target, { force: true });
    return { rows: 0, bytes: 0 };
  }
  await mkdir(dir, { recursive: true });
  const staging = path.join(dir, `.staging-${runId}.tmp`);
  const columns = table.columns.map((c) => ident(c.name)).join(', ');
  const order = table.sortKey.map(ident).join(', ');
  try {
    const result = await engine.execute(
      CompiledQuery.raw(
        `COPY (SELECT ${columns} FROM ${ident(batchTable)} WHERE dt = ${quote(partition.dt)} AND hour = ${quote(partition.hour)}
        ORDER BY ${order}) TO ${quote(staging)} (FORMAT parquet, COMPRESSION ${table.format.compression})`,
      ),
    );
    const rows = result.stats.rowsAffected ?? 0;
    if (rows !== expectedRows) {
      throw new LakeqError(
        'PARTITION_MISMATCH',
        `${table.name} ${partitionPath(partition)}: wrote ${rows} rows, expected ${expectedRows}`,
      );
    }
    await rename(staging, target);
  } catch (error) {
    // A failed write (a full disk, say) leaves no staging file to fill the disk further.
    await rm(staging, { force: true });
    throw error;
  }
  const rows = expectedRows;
  const { size } = await stat(target);
  return { rows, bytes: size, checksum: await sha256File(target) };
}

/** A partition's rows and content checksum, as the batch table holds them (`partitionContents`). */
export interface PartitionContent {
  readonly rows: number;
  /** `rowhash:<rows>:<sum of hash() over the rows>`. */
  readonly checksum: string;
}

/**
 * The rows and a content checksum of each partition of a staged batch table, keyed `dt/hour`:
 * the row count and the sum of `hash()` over every column of every row. The sum does not depend
 * on row order, so it is the same for the same rows however DuckDB's threads wrote the file
 * (the file's bytes are not: an unsorted parallel write orders rows differently from run to
 * run). That is why the load writes unsorted, in one COPY per batch, and records this checksum
 * rather than the file's sha256 for change detection (`changedSince`).
 *
 * @example
 * ```ts
 * (await partitionContents(engine, table, 'lakeq_load_batch')).get('2026-11-02/10')
 * // { rows: 1204, checksum: 'rowhash:1204:52873459834720934857' }
 * ```
 */
export async function partitionContents(
  engine: Engine,
  table: TableDefinition,
  batchTable: string,
): Promise<Map<string, PartitionContent>> {
  const columns = table.columns.map((c) => ident(c.name)).join(', ');
  const { rows } = await engine.execute<{ dt: string; hour: string; n: unknown; h: unknown }>(
    CompiledQuery.raw(
      `SELECT dt, hour, count(*) AS n, CAST(sum(hash(${columns})) AS VARCHAR) AS h FROM ${ident(batchTable)} GROUP BY dt, hour`,
    ),
  );
  return new Map(
    rows.map((r) => [
      `${r.dt}/${r.hour}`,
      { rows: Number(r.n), checksum: `rowhash:${Number(r.n)}:${String(r.h)}` },
    ]),
  );
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

/**
 * Writes the partitions of a staged batch table in one `COPY … PARTITION_BY (dt, hour)` into a
 * staging folder of the table, then moves each partition's file over its partition file with
 * `rename`, which replaces a file atomically: a reader (or a crash) sees the old file or the new
 * one, never half of one. A crash before a partition's rename leaves it as it was (the next
 * run's `cleanStaging` removes the folder); after it, the partition is whole and new; renaming
 * again after a rerun only replaces the file with one of the same rows. An hour with no rows has
 * no file (an older one is removed). The rows written are checked against `contents`.
 *
 * @example
 * ```ts
 * const written = await writeBatchPartitions(engine, dataDir, table, 'lakeq_load_batch', batch.partitions, runId, contents);
 * written.get('2026-11-02/10') // { rows: 1204, bytes: 81234, checksum: 'rowhash:1204:…' }
 * ```
 */
export async function writeBatchPartitions(
  engine: Engine,
  dataDir: string,
  table: TableDefinition,
  batchTable: string,
  partitions: readonly HourPartition[],
  runId: string,
  contents: ReadonlyMap<string, PartitionContent>,
): Promise<Map<string, WrittenPartition>> {
  const out = new Map<string, WrittenPartition>();
  const filled = partitions.filter((p) => (contents.get(`${p.dt}/${p.hour}`)?.rows ?? 0) > 0);
  for (const p of partitions) {
    if ((contents.get(`${p.dt}/${p.hour}`)?.rows ?? 0) > 0) continue;
    // An hour with no rows has no file: remove any older partition file.
    await rm(path.join(tableDir(dataDir, table), ...partitionPath(p).split('/'), PARTITION_FILE), {
      force: true,
    });
    out.set(`${p.dt}/${p.hour}`, { rows: 0, bytes: 0 });
  }
  const first = filled[0];
  if (!first) return out;
  const staging = stagingFolder(dataDir, table, runId, first);
  const columns = table.columns.map((c) => ident(c.name)).join(', ');
  const keys = filled.map((p) => `(${quote(p.dt)}, ${quote(p.hour)})`).join(', ');
  const expected = filled.reduce((n, p) => n + (contents.get(`${p.dt}/${p.hour}`)?.rows ?? 0), 0);
  try {
    await rm(staging, { recursive: true, force: true });
    await mkdir(path.dirname(staging), { recursive: true });
    const result = await engine.execute(
      CompiledQuery.raw(
        `COPY (SELECT ${columns}, dt, hour FROM ${ident(batchTable)} WHERE (dt, hour) IN (${keys}))
        TO ${quote(staging)} (FORMAT parquet, PARTITION_BY (dt, hour), COMPRESSION ${table.format.compression})`,
      ),
    );
    const rows = result.stats.rowsAffected ?? 0;
    if (rows !== expected) {
      throw new LakeqError(
        'PARTITION_MISMATCH',
        `${table.name} ${partitionPath(first)}…: wrote ${rows} rows, expected ${expected}`,
      );
    }
    for (const p of filled) {
      const key = `${p.dt}/${p.hour}`;
      const content = contents.get(key) as PartitionContent;
      const from = path.join(staging, ...partitionPath(p).split('/'));
      const names = (await readdir(from)).filter((n) => n.endsWith('.parquet'));
      const dir = path.join(tableDir(dataDir, table), ...partitionPath(p).split('/'));
      const target = path.join(dir, PARTITION_FILE);
      await mkdir(dir, { recursive: true });
      if (names.length === 1) {
        await rename(path.join(from, names[0] as string), target);
      } else {
        // DuckDB split the hour into several files: one file per partition is the rule, so
        // this hour is written on its own (rare: only very large hours).
        await writePartition(engine, dataDir, table, batchTable, p, runId, content.rows);
      }
      const { size } = await stat(target);
      out.set(key, { rows: content.rows, bytes: size, checksum: content.checksum });
    }
  } finally {
    // A failed write (a full disk, say) leaves no staging files to fill the disk further.
    await rm(staging, { recursive: true, force: true });
  }
  return out;
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

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
