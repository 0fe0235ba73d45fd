import type { GetMetricDataInput, GlueApi, MetricDataQuery } from './api.ts';
import { GLUE_JOB_METRICS, GLUE_METRIC_NAMESPACE, type GlueMetricDefinition } from './metrics.ts';
import type { GlueJobMetricRecord } from './records.ts';

/**
 * CloudWatch GetMetricData for Glue job runs, within the API's limits (cloudwatch.service-2.json):
 * at most 500 MetricDataQuery per request; Ids unique in the request and matching
 * ^[a-z][a-zA-Z0-9_]*$; at most 100,800 datapoints per response, the rest behind NextToken.
 * Period 60 (Glue reports every 30 s; CloudWatch keeps 1-minute data for 15 days, so older runs
 * come back empty at this period).
 */

/** Most MetricDataQuery structures one GetMetricData call accepts. */
export const MAX_METRIC_QUERIES = 500;
/** Seconds per datapoint asked for. */
export const METRIC_PERIOD_SECONDS = 60;

const MINUTE = 60_000;

/** A run whose metrics to fetch: [start, end) is its StartedOn to its CompletedOn (or now). */
export interface MetricRun {
  readonly jobName: string;
  readonly runId: string;
  readonly start: Date;
  readonly end: Date;
}

/** One GetMetricData request and what each of its query Ids stands for. */
export interface MetricBatch {
  readonly input: GetMetricDataInput;
  readonly targets: ReadonlyMap<string, { readonly run: MetricRun; readonly metric: GlueMetricDefinition }>;
}

/** [start floored to the minute, end rounded up to the minute), at least one period long. */
function runRange(run: MetricRun): [number, number] {
  const start = Math.floor(run.start.getTime() / MINUTE) * MINUTE;
  const end = Math.max(Math.ceil(run.end.getTime() / MINUTE) * MINUTE, start + MINUTE);
  return [start, end];
}

/**
 * Plans the GetMetricData requests for runs: one query per (run, metric), runs ordered by start so
 * that each request's time range (the union of its runs' ranges) stays tight.
 *
 * @example
 * ```ts
 * const batches = planMetricBatches(runs); // 30 runs × 22 metrics → 2 requests (500 + 160 queries)
 * batches[0].input.MetricDataQueries[0].Id; // 'r0_m0'
 * ```
 */
export function planMetricBatches(
  runs: readonly MetricRun[],
  metrics: readonly GlueMetricDefinition[] = GLUE_JOB_METRICS,
  maxQueries = MAX_METRIC_QUERIES,
): MetricBatch[] {
  if (metrics.length === 0) return [];
  const ordered = [...runs].sort(
    (a, b) => a.start.getTime() - b.start.getTime() || (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0),
  );
  const batches: MetricBatch[] = [];
  let queries: MetricDataQuery[] = [];
  let targets = new Map<string, { run: MetricRun; metric: GlueMetricDefinition }>();
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  const flush = () => {
    if (queries.length === 0) return;
    batches.push({
      input: {
        MetricDataQueries: queries,
        StartTime: new Date(from),
        EndTime: new Date(to),
        ScanBy: 'TimestampAscending',
      },
      targets,
    });
    queries = [];
    targets = new Map();
    from = Number.POSITIVE_INFINITY;
    to = Number.NEGATIVE_INFINITY;
  };
  ordered.forEach((run, r) => {
    const [start, end] = runRange(run);
    metrics.forEach((metric, m) => {
      if (queries.length >= maxQueries) flush();
      const id = `r${r}_m${m}`;
      queries.push({
        Id: id,
        MetricStat: {
          Metric: {
            Namespace: GLUE_METRIC_NAMESPACE,
            MetricName: metric.name,
            Dimensions: [
              { Name: 'JobName', Value: run.jobName },
              { Name: 'JobRunId', Value: run.runId },
              { Name: 'Type', Value: metric.type },
            ],
          },
          Period: METRIC_PERIOD_SECONDS,
          Stat: metric.stat,
        },
        ReturnData: true,
      });
      targets.set(id, { run, metric });
      from = Math.min(from, start);
      to = Math.max(to, end);
    });
  });
  flush();
  return batches;
}

/** Context of the datapoints: where they come from. */
export interface MetricFetchContext {
  readonly region: string;
  readonly accountId: string | null;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs the planned requests (every page of each) and maps each datapoint back through its query
 * Id to a metric record. Points outside their run's range are dropped (a batch asks for the union).
 *
 * @example
 * ```ts
 * const { records, warnings } = await fetchRunMetrics(api, runs, { region: 'us-east-1', accountId: null });
 * ```
 */
export async function fetchRunMetrics(
  api: GlueApi,
  runs: readonly MetricRun[],
  ctx: MetricFetchContext,
): Promise<{ records: GlueJobMetricRecord[]; warnings: string[] }> {
  const records: GlueJobMetricRecord[] = [];
  const warnings: string[] = [];
  for (const batch of planMetricBatches(runs)) {
    let nextToken: string | undefined;
    do {
      ctx.signal?.throwIfAborted();
      const out = await api.getMetricData(nextToken ? { ...batch.input, NextToken: nextToken } : batch.input);
      for (const message of out.Messages ?? []) {
        warnings.push(`GetMetricData: ${message.Code ?? ''} ${message.Value ?? ''}`.trim());
      }
      for (const result of out.MetricDataResults ?? []) {
        const target = result.Id ? batch.targets.get(result.Id) : undefined;
        if (!target) continue;
        const { run, metric } = target;
        if (result.StatusCode === 'Forbidden' || result.StatusCode === 'InternalError') {
          warnings.push(`GetMetricData ${metric.name} of ${run.jobName} ${run.runId}: ${result.StatusCode}`);
        }
        const [start, end] = runRange(run);
        const times = result.Timestamps ?? [];
        const values = result.Values ?? [];
        for (let i = 0; i < times.length; i++) {
          const t = times[i];
          const value = values[i];
          if (!t || typeof value !== 'number' || !Number.isFinite(value)) continue;
          if (t.getTime() < start || t.getTime() >= end) continue;
          records.push({
            job_name: run.jobName,
            job_run_id: run.runId,
            metric_name: metric.name,
            metric_type: metric.type,
            metric_time: t.toISOString(),
            value,
            unit: metric.unit,
            statistic: metric.stat,
            region: ctx.region,
            account_id: ctx.accountId,
          });
        }
      }
      nextToken = out.NextToken || undefined;
    } while (nextToken);
  }
  return { records, warnings };
}
