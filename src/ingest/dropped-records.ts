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

const timestamp = (ms: number) =>
  `TIMESTAMP '${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')}'`;

/**
 * Counts, per partition of a batch, the CloudTrail records of the files accounted in that
 * partition's hour that no partition will hold. Each file is accounted once, in its delivery
 * hour, so a record is counted once however many batches read its file. Reads the batch's
 * records' times (`cloudtrail_record_keys`, beside the raw view the batch's files are loaded
 * through), converted as the transform converts them.
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
  const accounted = new Map<string, { partition: string; lo: number; hi: number }>();
  for (const p of partitions) {
    for (const f of p.files) {
      if (accounted.has(f.path)) continue;
      const h = fileHours(f, latenessHours);
      const partition = h && hours.get(h.home);
      if (h && partition) accounted.set(f.path, { partition, lo: h.lo, hi: h.hi });
    }
  }
  const out = new Map<string, DroppedRecords>();
  if (accounted.size === 0) return out;
  // Records per file and hour (a few rows a file), matched to the accounted files here: the
  // files' list in the SQL (hundreds of KB for a day) cost more to send than the count itself.
  const sql = `WITH r AS (SELECT source_file, try_cast(eventTime AS TIMESTAMP) AS t FROM cloudtrail_record_keys)
    SELECT source_file AS file,
      CASE WHEN t IS NULL THEN 0 WHEN t >= ${timestamp(now.getTime())} THEN 1 ELSE 2 END AS kind,
      epoch_ms(date_trunc('hour', t)) AS hour, count(*)::INTEGER AS n
    FROM r GROUP BY ALL`;
  const { rows } = await engine.execute<{ file: string; kind: number; hour: unknown; n: number }>(
    CompiledQuery.raw(sql),
  );
  for (const row of rows) {
    const a = accounted.get(row.file);
    if (!a) continue;
    const d = out.get(a.partition) ?? { noTime: 0, future: 0, outsideHours: 0 };
    const n = Number(row.n);
    const hour = Number(row.hour);
    const kind = Number(row.kind);
    const dropped =
      kind === 0
        ? { ...d, noTime: d.noTime + n }
        : kind === 1
          ? { ...d, future: d.future + n }
          : hour < a.lo || hour >= a.hi
            ? { ...d, outsideHours: d.outsideHours + n }
            : d;
    out.set(a.partition, dropped);
  }
  for (const [part, d] of out) if (d.noTime + d.future + d.outsideHours === 0) out.delete(part);
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
