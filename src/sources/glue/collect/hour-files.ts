import { HOUR_MS, partitionOf, partitionPath } from '../../../ingest/hours.ts';
import { storeAt } from '../../../storage/local-folder-store.ts';
import { mapLimited } from '../../../storage/map-limited.ts';
import { type ObjectStore, objectLocation } from '../../../storage/object-store.ts';
import type { GlueJobMetricRecord, GlueJobRunRecord } from './records.ts';
import { normalizeMetricRecord, normalizeRunRecord } from './records.ts';
import { replacesRun, runVersion } from './run-state.ts';

/**
 * The collected NDJSON hour files under the Glue root (locally `<dataDir>/raw/glue`, on AWS
 * `s3://<bucket>/<prefix>/raw/glue/`), read and written through an ObjectStore, keyed
 * `job-runs/dt=YYYY-MM-DD/hour=HH/job-runs.json` and `job-metrics/dt=…/hour=…/job-metrics.json`.
 * A file is written (atomically: temp file + rename, or one PutObject) only when its bytes
 * change, because the load planner fingerprints source files by (path, size, mtime) or
 * (key, size, LastModified).
 */

export type GlueCollectedTable = 'job-runs' | 'job-metrics';

/** Days of a window up to which existingGlueHours lists day by day rather than the whole table. */
const MAX_DAYS_LISTED_ONE_BY_ONE = 16;
/** Day listings in flight at once. */
const LIST_CONCURRENCY = 8;

/**
 * The store key of a table's hour file for the hour starting at `hour`.
 *
 * @example
 * ```ts
 * glueHourKey('job-runs', new Date('2026-11-01T13:00:00Z'));
 * // 'job-runs/dt=2026-11-01/hour=13/job-runs.json'
 * ```
 */
export function glueHourKey(table: GlueCollectedTable, hour: Date): string {
  return `${table}/${partitionPath(partitionOf(hour))}/${table}.json`;
}

/**
 * The hour starts (ms) of a table's existing hour files in [from, to), sorted. A short window is
 * listed day by day (`job-runs/dt=…/`), so the cost does not grow with the collected history.
 *
 * @example
 * ```ts
 * await existingGlueHours('/d/raw/glue', 'job-runs', Date.parse('2026-11-01'), Date.parse('2026-11-02')); // hour starts (ms) with a file
 * ```
 */
export async function existingGlueHours(
  where: string | ObjectStore,
  table: GlueCollectedTable,
  from: number,
  to: number,
): Promise<number[]> {
  const store = storeAt(where);
  if (!(to > from)) return [];
  const DAY_MS = 24 * HOUR_MS;
  const firstDay = Math.floor(from / DAY_MS) * DAY_MS;
  const days: string[] = [];
  for (let d = firstDay; d < to; d += DAY_MS) days.push(new Date(d).toISOString().slice(0, 10));
  const prefixes =
    days.length <= MAX_DAYS_LISTED_ONE_BY_ONE ? days.map((day) => `${table}/dt=${day}/`) : [`${table}/`];
  const listed = await mapLimited(prefixes, LIST_CONCURRENCY, (prefix) => store.list(prefix));
  const hourKey = new RegExp(`^${table}/dt=(\\d{4}-\\d{2}-\\d{2})/hour=([01]\\d|2[0-3])/${table}\\.json$`);
  const out = new Set<number>();
  for (const object of listed.flat()) {
    const match = hourKey.exec(object.key);
    if (!match) continue;
    const t = Date.parse(`${match[1]}T${match[2]}:00:00Z`);
    if (t >= from && t < to) out.add(t);
  }
  return [...out].sort((a, b) => a - b);
}

function parseHourText<T>(
  text: string | undefined,
  where: string,
  normalize: (value: unknown) => T | null,
  warnings: string[],
): T[] {
  const out: T[] = [];
  const lines = (text ?? '').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    const record = normalize(value);
    if (record) out.push(record);
    else warnings.push(`${where}:${i + 1}: not a collected Glue record, dropped`);
  });
  return out;
}

/**
 * The records of an NDJSON hour file ([] when absent), with its text (undefined when absent) so
 * a merge need not read it again; unreadable lines become warnings that name the file's location
 * and line.
 *
 * @example
 * ```ts
 * const { records, text } = await readHourFile(store, 'job-runs/dt=2026-11-01/hour=13/job-runs.json', normalizeRunRecord, warnings);
 * ```
 */
export async function readHourFile<T>(
  where: string | ObjectStore,
  key: string,
  normalize: (value: unknown) => T | null,
  warnings: string[],
): Promise<{ records: T[]; text: string | undefined }> {
  const store = storeAt(where);
  const text = await store.get(key);
  return { records: parseHourText(text, objectLocation(store, key), normalize, warnings), text };
}

async function putIfChanged(
  store: ObjectStore,
  key: string,
  current: string | undefined,
  text: string,
): Promise<boolean> {
  if (current === text) return false;
  await store.put(key, text);
  return true;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Runs sorted by job_name, job_run_id; one NDJSON line each. */
function runsNdjson(records: Iterable<GlueJobRunRecord>): string {
  const rows = [...records].sort((a, b) => cmp(a.job_name, b.job_name) || cmp(a.job_run_id, b.job_run_id));
  return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/** Datapoints sorted by job_name, job_run_id, metric_name, metric_type, metric_time, statistic. */
function metricsNdjson(records: Iterable<GlueJobMetricRecord>): string {
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

/**
 * Merges collected runs into the run hour file at `key`: a run id replaces its old line when its
 * state is newer (see replacesRun), never duplicated. The file is read once (not at all when the
 * caller passes its text as `current`) and written only when its bytes change. Returns whether it
 * changed.
 *
 * `current`: the file's text, when the caller has just read it with readHourFile; its bad lines
 * are then not warned about again.
 *
 * @example
 * ```ts
 * await mergeRunHour(store, 'job-runs/dt=2026-11-01/hour=13/job-runs.json', [record], warnings); // true when written
 * ```
 */
export async function mergeRunHour(
  where: string | ObjectStore,
  key: string,
  records: readonly GlueJobRunRecord[],
  warnings: string[],
  current?: string,
): Promise<boolean> {
  const store = storeAt(where);
  const text = current ?? (await store.get(key));
  const byId = new Map<string, GlueJobRunRecord>();
  const lineWarnings = current === undefined ? warnings : [];
  for (const old of parseHourText(text, objectLocation(store, key), normalizeRunRecord, lineWarnings))
    byId.set(old.job_run_id, old);
  for (const record of records) {
    const old = byId.get(record.job_run_id);
    if (!old || replacesRun(runVersion(record), runVersion(old))) byId.set(record.job_run_id, record);
  }
  return putIfChanged(store, key, text, runsNdjson(byId.values()));
}

const metricKey = (r: GlueJobMetricRecord) =>
  JSON.stringify([r.job_run_id, r.metric_name, r.metric_type, r.metric_time, r.statistic]);

/**
 * Merges datapoints into the metric hour file at `key`: the same (job_run_id, metric_name,
 * metric_type, metric_time, statistic) replaces the old value. The file is read once and written
 * only when its bytes change. Returns whether it changed.
 *
 * @example
 * ```ts
 * await mergeMetricHour(store, 'job-metrics/dt=2026-11-01/hour=13/job-metrics.json', points, warnings);
 * ```
 */
export async function mergeMetricHour(
  where: string | ObjectStore,
  key: string,
  records: readonly GlueJobMetricRecord[],
  warnings: string[],
): Promise<boolean> {
  const store = storeAt(where);
  const current = await store.get(key);
  const byKey = new Map<string, GlueJobMetricRecord>();
  for (const old of parseHourText(current, objectLocation(store, key), normalizeMetricRecord, warnings))
    byKey.set(metricKey(old), old);
  for (const record of records) byKey.set(metricKey(record), record);
  return putIfChanged(store, key, current, metricsNdjson(byKey.values()));
}
