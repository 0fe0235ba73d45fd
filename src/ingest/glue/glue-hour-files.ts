import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HOUR_MS, partitionOf, partitionPath } from '../hours.ts';
import type { GlueJobMetricRecord, GlueJobRunRecord } from './glue-records.ts';
import { normalizeMetricRecord, normalizeRunRecord } from './glue-records.ts';
import { replacesRun } from './glue-run-state.ts';

/**
 * The collected NDJSON hour files under the Glue root (locally `<dataDir>/raw/glue`):
 * `job-runs/dt=YYYY-MM-DD/hour=HH/job-runs.json` and `job-metrics/dt=…/hour=…/job-metrics.json`.
 * A file is rewritten (temp file + rename) only when its bytes change, because the load planner
 * fingerprints source files by (path, size, mtime).
 */

export type GlueCollectedTable = 'job-runs' | 'job-metrics';

/**
 * The hour file of a table for the hour starting at `hour`.
 *
 * @example
 * ```ts
 * glueHourFile('/d/raw/glue', 'job-runs', new Date('2026-11-01T13:00:00Z'));
 * // '/d/raw/glue/job-runs/dt=2026-11-01/hour=13/job-runs.json'
 * ```
 */
export function glueHourFile(root: string, table: GlueCollectedTable, hour: Date): string {
  return path.join(root, table, ...partitionPath(partitionOf(hour)).split('/'), `${table}.json`);
}

/**
 * The hour starts (ms) of a table's existing hour files in [from, to).
 *
 * @example
 * ```ts
 * await existingGlueHours('/d/raw/glue', 'job-runs', Date.parse('2026-11-01'), Date.parse('2026-11-02')); // hour starts (ms) with a file
 * ```
 */
export async function existingGlueHours(
  root: string,
  table: GlueCollectedTable,
  from: number,
  to: number,
): Promise<number[]> {
  const out: number[] = [];
  let days: string[];
  try {
    days = await readdir(path.join(root, table));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw error;
  }
  for (const day of days) {
    const d = /^dt=(\d{4}-\d{2}-\d{2})$/.exec(day)?.[1];
    if (!d) continue;
    const dayStart = Date.parse(`${d}T00:00:00Z`);
    if (!(dayStart + 24 * HOUR_MS > from && dayStart < to)) continue;
    const hours = await readdir(path.join(root, table, day)).catch(() => [] as string[]);
    for (const h of hours) {
      const hh = /^hour=(\d{2})$/.exec(h)?.[1];
      if (!hh) continue;
      const t = dayStart + Number(hh) * HOUR_MS;
      if (t >= from && t < to) out.push(t);
    }
  }
  return out.sort((a, b) => a - b);
}

async function readLines(file: string): Promise<string[] | null> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * The records of an NDJSON hour file ([] when absent); unreadable lines become warnings.
 *
 * @example
 * ```ts
 * const rows = await readHourFile(file, normalizeRunRecord, warnings);
 * ```
 */
export async function readHourFile<T>(
  file: string,
  normalize: (value: unknown) => T | null,
  warnings: string[],
): Promise<T[]> {
  const lines = (await readLines(file)) ?? [];
  const out: T[] = [];
  lines.forEach((line, i) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    const record = normalize(value);
    if (record) out.push(record);
    else warnings.push(`${file}:${i + 1}: not a collected Glue record, dropped`);
  });
  return out;
}

/**
 * Writes `text` to `file` through a temp file + rename, unless the file already holds exactly
 * that text (then its mtime is left alone). Returns whether the file changed.
 *
 * @example
 * ```ts
 * await writeIfChanged('/d/raw/glue/job-runs/dt=2026-11-01/hour=13/job-runs.json', ndjson); // true, then false
 * ```
 */
export async function writeIfChanged(file: string, text: string): Promise<boolean> {
  const current = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (current === text) return false;
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return true;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Runs sorted by job_name, job_run_id; one NDJSON line each.
 *
 * @example
 * ```ts
 * runsNdjson([b, a]); // `${JSON.stringify(a)}\n${JSON.stringify(b)}\n`
 * ```
 */
export function runsNdjson(records: Iterable<GlueJobRunRecord>): string {
  const rows = [...records].sort((a, b) => cmp(a.job_name, b.job_name) || cmp(a.job_run_id, b.job_run_id));
  return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/**
 * Datapoints sorted by job_name, job_run_id, metric_name, metric_type, metric_time, statistic.
 *
 * @example
 * ```ts
 * metricsNdjson(points); // one line per point, in that order
 * ```
 */
export function metricsNdjson(records: Iterable<GlueJobMetricRecord>): string {
  const rows = [...records].sort(
    (a, b) =>
      cmp(a.job_name, b.job_name) ||
      cmp(a.job_run_id, b.job_run_id) ||
      cmp(a.metric_name, b.metric_name) ||
      cmp(a.metric_type, b.metric_type) ||
      cmp(a.metric_time, b.metric_time) ||
      cmp(a.statistic, b.statistic),
  );
  return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
}

const modifiedMs = (r: GlueJobRunRecord) => (r.last_modified_on ? Date.parse(r.last_modified_on) : null);

/**
 * Merges collected runs into a run hour file: a run id replaces its old line when its state is
 * newer (see replacesRun), never duplicated. Returns whether the file changed.
 *
 * @example
 * ```ts
 * await mergeRunHour(file, [record], warnings); // true when the file was written
 * ```
 */
export async function mergeRunHour(
  file: string,
  records: readonly GlueJobRunRecord[],
  warnings: string[],
): Promise<boolean> {
  const byId = new Map<string, GlueJobRunRecord>();
  for (const old of await readHourFile(file, normalizeRunRecord, warnings)) byId.set(old.job_run_id, old);
  for (const record of records) {
    const old = byId.get(record.job_run_id);
    const replace =
      !old ||
      replacesRun(
        { state: record.job_run_state, lastModified: modifiedMs(record) },
        { state: old.job_run_state, lastModified: modifiedMs(old) },
      );
    if (replace) byId.set(record.job_run_id, record);
  }
  return writeIfChanged(file, runsNdjson(byId.values()));
}

const metricKey = (r: GlueJobMetricRecord) =>
  JSON.stringify([r.job_run_id, r.metric_name, r.metric_type, r.metric_time, r.statistic]);

/**
 * Merges datapoints into a metric hour file: the same (job_run_id, metric_name, metric_type,
 * metric_time, statistic) replaces the old value. Returns whether the file changed.
 *
 * @example
 * ```ts
 * await mergeMetricHour(file, points, warnings);
 * ```
 */
export async function mergeMetricHour(
  file: string,
  records: readonly GlueJobMetricRecord[],
  warnings: string[],
): Promise<boolean> {
  const byKey = new Map<string, GlueJobMetricRecord>();
  for (const old of await readHourFile(file, normalizeMetricRecord, warnings)) byKey.set(metricKey(old), old);
  for (const record of records) byKey.set(metricKey(record), record);
  return writeIfChanged(file, metricsNdjson(byKey.values()));
}
