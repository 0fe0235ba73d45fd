import { CompiledQuery } from 'kysely';
import type { Engine } from '../engines/engine.ts';
import { HOUR_MS } from './hours.ts';
import type { DroppedRecords } from './ledger.ts';
import type { PlannedPartition } from './load-plan.ts';
import type { SourceFile } from './source-file.ts';

export type { DroppedRecords };

/**
 * The hour a file is accounted in (its delivery hour, or the first hour of its day folder for a
 * file whose name carries no time) and the hours `[lo, hi)` it is read for: a file delivered at
 * t holds events of the hours in (t − 1 h − lateness, t] (see the planner's indexByHour).
 */
export function fileHours(
  file: SourceFile,
  latenessHours: number,
): { home: number; lo: number; hi: number } | undefined {
  if (file.deliveredAt) {
    const t = file.deliveredAt.getTime();
    const home = Math.floor(t / HOUR_MS) * HOUR_MS;
    const lo = Math.floor((t - (1 + latenessHours) * HOUR_MS) / HOUR_MS) * HOUR_MS + HOUR_MS;
    return { home, lo, hi: home + HOUR_MS };
  }
  const day = /(\d{4})[\\/](\d{2})[\\/](\d{2})[\\/][^\\/]*$/.exec(file.path);
  const start = day ? Date.parse(`${day[1]}-${day[2]}-${day[3]}T00:00:00Z`) : Number.NaN;
  return Number.isNaN(start) ? undefined : { home: start, lo: start, hi: start + 24 * HOUR_MS };
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
const timestamp = (ms: number) =>
  `TIMESTAMP '${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')}'`;

/**
 * Counts, per partition of a batch, the CloudTrail records of the files accounted in that
 * partition's hour that no partition will hold. Each file is accounted once, in its delivery
 * hour, so a record is counted once however many batches read its file. Reads the raw view the
 * batch's files are loaded through (`cloudtrail_raw`).
 *
 * @example
 * ```ts
 * const dropped = await countDroppedRecords(engine, batch.partitions, 3, new Date());
 * dropped.get('2026-11-02/10') // { noTime: 5, future: 1, outsideHours: 2 }
 * ```
 */
export async function countDroppedRecords(
  engine: Engine,
  partitions: readonly PlannedPartition[],
  latenessHours: number,
  now: Date,
): Promise<Map<string, DroppedRecords>> {
  const hours = new Map(partitions.map((p) => [p.start.getTime(), `${p.dt}/${p.hour}`]));
  const accounted: { path: string; partition: string; lo: number; hi: number }[] = [];
  const seen = new Set<string>();
  for (const p of partitions) {
    for (const f of p.files) {
      if (seen.has(f.path)) continue;
      seen.add(f.path);
      const h = fileHours(f, latenessHours);
      const partition = h && hours.get(h.home);
      if (h && partition) accounted.push({ path: f.path, partition, lo: h.lo, hi: h.hi });
    }
  }
  const out = new Map<string, DroppedRecords>();
  if (accounted.length === 0) return out;
  const values = accounted
    .map((a) => `(${quote(a.path)}, ${quote(a.partition)}, ${timestamp(a.lo)}, ${timestamp(a.hi)})`)
    .join(',\n');
  const sql = `WITH f(file, part, lo, hi) AS (VALUES ${values}),
    r AS (SELECT source_file AS file, try_cast(r.eventTime AS TIMESTAMP) AS t FROM cloudtrail_raw)
    SELECT f.part,
      count(*) FILTER (WHERE r.t IS NULL)::INTEGER AS no_time,
      count(*) FILTER (WHERE r.t >= ${timestamp(now.getTime())})::INTEGER AS future,
      count(*) FILTER (WHERE r.t < ${timestamp(now.getTime())} AND (r.t < f.lo OR r.t >= f.hi))::INTEGER AS outside
    FROM r JOIN f USING (file) GROUP BY f.part`;
  const { rows } = await engine.execute<{ part: string; no_time: number; future: number; outside: number }>(
    CompiledQuery.raw(sql),
  );
  for (const row of rows) {
    const dropped = {
      noTime: Number(row.no_time),
      future: Number(row.future),
      outsideHours: Number(row.outside),
    };
    if (dropped.noTime + dropped.future + dropped.outsideHours > 0) out.set(row.part, dropped);
  }
  return out;
}

/** `{ noTime: 5, future: 1 }` → `5 without a usable eventTime, 1 in the future`. */
export function describeDropped(d: DroppedRecords, latenessHours: number): string {
  const parts = [
    d.noTime > 0 ? `${d.noTime} without a usable eventTime` : '',
    d.future > 0 ? `${d.future} in the future` : '',
    d.outsideHours > 0
      ? `${d.outsideHours} outside the hours their file is read for (more than ${latenessHours} h before its delivery, or after it)`
      : '',
  ];
  return parts.filter(Boolean).join(', ');
}
