import { TABLES } from '../catalog/tables/index.ts';
import { floorHour, HOUR_MS, hourKey, partitionStart } from '../ingest/hours.ts';
import type { LedgerRow } from '../ingest/ledger.ts';
import { readsCollectedFiles } from '../sources/registry.ts';

/** The names of the health metrics the ETL publishes in namespace `lakeq`. */
export const HEALTH_METRICS = {
  rowsLoaded: 'RowsLoaded',
  lagHours: 'LagHours',
  failedLoads: 'FailedLoads',
} as const;

/** The dimension of the per-table LagHours. */
export const TABLE_DIMENSION = 'Table';

/**
 * The ETL's health at one time, from the run ledger.
 *
 * - `rowsLoaded`: rows of the `loaded` ledger rows that finished in the hour before `at`.
 * - `failedLoads`: `failed` ledger rows that finished in the hour before `at`.
 * - `lagHours`: per table, the hours from its newest loaded or skipped partition hour to the
 *   last finished hour (the hour before the one holding `at`); 0 when it is up to date. The max
 *   over tables is `lagHours`; `null` when no table has loaded anything (no datapoint).
 */
export interface HealthMetrics {
  readonly at: string;
  /** The last finished hour, `2026-11-27T13`. */
  readonly lastFinishedHour: string;
  readonly rowsLoaded: number;
  readonly failedLoads: number;
  readonly lagHours: number | null;
  readonly lagByTable: Readonly<Record<string, number>>;
}

/**
 * Computes the health metrics from ledger rows (`readLedger(dataDir).rows`).
 *
 * @example
 * ```ts
 * const { rows } = await readLedger(dataDir);
 * healthMetrics(rows, new Date('2026-11-28T01:05:00Z'))
 * // { lastFinishedHour: '2026-11-28T00', rowsLoaded: 1234, failedLoads: 0, lagHours: 0,
 * //   lagByTable: { cloudtrail_events: 0, identity_center_instance_churn_hourly: 0 }, ... }
 * ```
 */
export function healthMetrics(
  rows: readonly LedgerRow[],
  at: Date,
  options: {
    readonly tables?: readonly string[];
    /** Tables left out of the lag only, their rows and failures still count (default COLLECTED_TABLES). */
    readonly lagExcludes?: readonly string[];
  } = {},
): HealthMetrics {
  const end = at.getTime();
  const start = end - HOUR_MS;
  const lastFinished = floorHour(at).getTime() - HOUR_MS;
  const only = options.tables ? new Set(options.tables) : undefined;
  let rowsLoaded = 0;
  let failedLoads = 0;
  const newest = new Map<string, number>();
  for (const row of rows) {
    if (only && !only.has(row.table)) continue;
    const finished = Date.parse(row.finishedAt);
    // Rows recorded after `at` did not exist yet at that time.
    if (Number.isNaN(finished) || finished > end) continue;
    const inLastHour = finished > start;
    if (row.status === 'failed') {
      if (inLastHour) failedLoads++;
      continue;
    }
    if (row.status === 'loaded' && inLastHour) rowsLoaded += row.rows;
    if ((options.lagExcludes ?? COLLECTED_TABLES).includes(row.table)) continue;
    const hour = partitionStart(row).getTime();
    if (Number.isNaN(hour)) continue;
    newest.set(row.table, Math.max(newest.get(row.table) ?? Number.NEGATIVE_INFINITY, hour));
  }
  const lagByTable: Record<string, number> = {};
  for (const [table, hour] of [...newest].sort((a, b) => a[0].localeCompare(b[0]))) {
    // Events stamped in the current hour can make a partition newer than the last finished hour.
    lagByTable[table] = Math.max(0, Math.round((lastFinished - hour) / HOUR_MS));
  }
  const lags = Object.values(lagByTable);
  return {
    at: at.toISOString(),
    lastFinishedHour: hourKey(new Date(lastFinished)),
    rowsLoaded,
    failedLoads,
    lagHours: lags.length > 0 ? Math.max(...lags) : null,
    lagByTable,
  };
}

/** One health value as a metric: name, dimensions, value, unit. */
export interface HealthDatum {
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number;
  readonly unit: 'Count' | 'None';
}

/**
 * The health metrics as datapoints: RowsLoaded, FailedLoads, LagHours (the max, no dimension)
 * and LagHours per `Table`. LagHours is left out when no table has loaded anything, so an alarm
 * sees missing data rather than a made-up lag.
 *
 * @example
 * ```ts
 * healthData(healthMetrics(rows, at))
 * // [{ metricName: 'RowsLoaded', dimensions: {}, value: 1234, unit: 'Count' }, …,
 * //  { metricName: 'LagHours', dimensions: { Table: 'cloudtrail_events' }, value: 0, unit: 'None' }]
 * ```
 */
export function healthData(health: HealthMetrics): HealthDatum[] {
  const out: HealthDatum[] = [
    { metricName: HEALTH_METRICS.rowsLoaded, dimensions: {}, value: health.rowsLoaded, unit: 'Count' },
    { metricName: HEALTH_METRICS.failedLoads, dimensions: {}, value: health.failedLoads, unit: 'Count' },
  ];
  if (health.lagHours !== null)
    out.push({ metricName: HEALTH_METRICS.lagHours, dimensions: {}, value: health.lagHours, unit: 'None' });
  for (const [table, lag] of Object.entries(health.lagByTable)) {
    out.push({
      metricName: HEALTH_METRICS.lagHours,
      dimensions: { [TABLE_DIMENSION]: table },
      value: lag,
      unit: 'None',
    });
  }
  return out;
}

/**
 * Tables left out of the lag by default: the collector-fed ones (Glue job runs and metrics) have
 * no partition for an hour without runs, so their "lag" is the time since the last Glue run, not
 * a stopped load. Their loaded rows and failed loads still count.
 *
 * @example
 * ```ts
 * healthMetrics(ledger, at) // lagByTable leaves glue_job_runs and glue_job_metrics out
 * ```
 */
export const COLLECTED_TABLES: readonly string[] = TABLES.filter(readsCollectedFiles).map((t) => t.name);
