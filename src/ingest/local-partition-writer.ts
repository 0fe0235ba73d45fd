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

/**
 * Removes staging files a killed load left behind: those of other runs (the load lock keeps
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
  const own = `.staging-${currentRunId}.tmp`;
  const stale = entries.filter((rel) => STAGING.test(path.basename(rel)) && path.basename(rel) !== own);
  await Promise.all(stale.map((rel) => rm(path.join(root, rel), { force: true })));
  return stale.length;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
