import { stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { capturedJsonFiles, readCaptured } from '../../captured-files.ts';
import type {
  GetMetricDataInput,
  GetMetricDataOutput,
  GlueApi,
  GlueJob,
  GlueJobRun,
  MetricDataQuery,
  MetricDataResult,
} from './api.ts';
import { replacesRun, runVersion } from './run-state.ts';

/**
 * The Glue collector's local source: a folder of captured API responses, as the AWS CLI writes them
 * (`aws glue get-jobs > FOLDER/jobs/page-1.json`):
 *
 * - `FOLDER/jobs/*.json`: GetJobs outputs `{ "Jobs": [...] }` (a GetJob output `{ "Job": {...} }` too);
 * - `FOLDER/job-runs/**\/*.json`: GetJobRuns outputs `{ "JobRuns": [...] }` (or GetJobRun's
 *   `{ "JobRun": {...} }`), any names, any number of pages; a run seen in several files keeps its
 *   latest state (a terminal state beats a running one, else the later LastModifiedOn);
 * - `FOLDER/metrics/*.json`: `{ "MetricDataQueries": [...], "MetricDataResults": [...] }`, a
 *   GetMetricData request's queries beside its response's results, so the dimensions are known.
 *
 * Times may be ISO 8601 strings (AWS CLI v2) or epoch seconds (CLI v1 and some SDKs). A malformed
 * file becomes a warning naming it and why; the other files are still used. Jobs seen only in
 * job-runs/ are listed too (without a Command, so their type is unknown).
 */

const DEFAULT_PAGE_SIZE = 100;

const timestamp = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = typeof value === 'number' ? value * 1000 : Date.parse(value);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: `not a date: ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return new Date(ms);
});

const optionalString = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);
const optionalNumber = z
  .number()
  .nullish()
  .transform((v) => v ?? undefined);
const optionalTime = timestamp.nullish().transform((v) => v ?? undefined);

const jobSchema = z.looseObject({
  Name: z.string().min(1),
  Command: z
    .looseObject({ Name: optionalString })
    .nullish()
    .transform((v) => v ?? undefined),
  Timeout: optionalNumber,
  MaxCapacity: optionalNumber,
  WorkerType: optionalString,
  NumberOfWorkers: optionalNumber,
  GlueVersion: optionalString,
  ExecutionClass: optionalString,
  Role: optionalString,
});

const runSchema = z.looseObject({
  Id: z.string().min(1),
  JobName: z.string().min(1),
  Attempt: optionalNumber,
  PreviousRunId: optionalString,
  TriggerName: optionalString,
  StartedOn: optionalTime,
  LastModifiedOn: optionalTime,
  CompletedOn: optionalTime,
  JobRunState: optionalString,
  ErrorMessage: optionalString,
  ExecutionTime: optionalNumber,
  Timeout: optionalNumber,
  MaxCapacity: optionalNumber,
  WorkerType: optionalString,
  NumberOfWorkers: optionalNumber,
  GlueVersion: optionalString,
  DPUSeconds: optionalNumber,
  ExecutionClass: optionalString,
});

const hasKey = (json: unknown, key: string) => typeof json === 'object' && json !== null && key in json;

// Chosen by key rather than z.union, so that an error names the bad member, not "Invalid input".
const jobsFileSchema = (json: unknown): z.ZodType<z.output<typeof jobSchema>[]> =>
  hasKey(json, 'Job') && !hasKey(json, 'Jobs')
    ? z.looseObject({ Job: jobSchema }).transform((v) => [v.Job])
    : z.looseObject({ Jobs: z.array(jobSchema) }).transform((v) => v.Jobs);

const runsFileSchema = (json: unknown): z.ZodType<z.output<typeof runSchema>[]> =>
  hasKey(json, 'JobRun') && !hasKey(json, 'JobRuns')
    ? z.looseObject({ JobRun: runSchema }).transform((v) => [v.JobRun])
    : z.looseObject({ JobRuns: z.array(runSchema) }).transform((v) => v.JobRuns);

const dimensionSchema = z.object({ Name: z.string(), Value: z.string() });

const metricsFileSchema = z.looseObject({
  MetricDataQueries: z.array(
    z.looseObject({
      Id: z.string().min(1),
      MetricStat: z
        .looseObject({
          Metric: z.looseObject({
            Namespace: optionalString,
            MetricName: optionalString,
            Dimensions: z.array(dimensionSchema).optional(),
          }),
          Period: optionalNumber,
          Stat: z.string(),
        })
        .optional(),
    }),
  ),
  MetricDataResults: z.array(
    z.looseObject({
      Id: z.string().min(1),
      Timestamps: z.array(timestamp).default([]),
      Values: z.array(z.number()).default([]),
    }),
  ),
});

/** One stored series: the query that asked for it and its points (time ms → value). */
interface StoredSeries {
  readonly key: string;
  readonly points: Map<number, number>;
}

/** Matches queries by namespace, metric name, dimensions (in any order) and statistic; not Period. */
function seriesKey(query: Pick<MetricDataQuery, 'MetricStat'>): string | null {
  const stat = query.MetricStat;
  if (!stat?.Metric.MetricName) return null;
  const dims = (stat.Metric.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).sort();
  return JSON.stringify([stat.Metric.Namespace ?? '', stat.Metric.MetricName, dims, stat.Stat.toLowerCase()]);
}

const byNewest = (a: GlueJobRun, b: GlueJobRun) =>
  (b.StartedOn?.getTime() ?? 0) - (a.StartedOn?.getTime() ?? 0) || ((a.Id ?? '') < (b.Id ?? '') ? 1 : -1);

/**
 * Options of the captured-folder source.
 *
 * @example
 * ```ts
 * const options: CapturedGlueApiOptions = { pageSize: 50 };
 * ```
 */
export interface CapturedGlueApiOptions {
  /** Runs per GetJobRuns page it answers (default 100). */
  readonly pageSize?: number | undefined;
}

/**
 * Opens a folder of captured Glue and CloudWatch responses as a GlueApi. The folder must exist;
 * its files are read once, here. `warnings` lists the files skipped and why.
 *
 * @example
 * ```ts
 * const api = await openCapturedGlueApi('./captured-glue');
 * api.warnings; // ['./captured-glue/job-runs/broken.json: skipped, not valid JSON (...)']
 * const result = await collectGlue({ api, root, from, to, prices, region: 'us-east-1', accountId: null, now });
 * ```
 */
export async function openCapturedGlueApi(
  folder: string,
  options: CapturedGlueApiOptions = {},
): Promise<GlueApi & { readonly warnings: readonly string[] }> {
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`Glue source folder not found: ${folder}`);
  const pageSize = Math.max(1, options.pageSize ?? DEFAULT_PAGE_SIZE);
  const warnings: string[] = [];

  const jobs = new Map<string, GlueJob>();
  for (const file of await capturedJsonFiles(path.join(folder, 'jobs'), false)) {
    const list = await readCaptured(file, jobsFileSchema, 'a GetJobs output', warnings);
    for (const job of list ?? []) jobs.set(job.Name, job);
  }

  const runs = new Map<string, GlueJobRun>();
  for (const file of await capturedJsonFiles(path.join(folder, 'job-runs'), true)) {
    const list = await readCaptured(file, runsFileSchema, 'a GetJobRuns output', warnings);
    for (const run of list ?? []) {
      const old = runs.get(run.Id);
      if (!old || replacesRun(runVersion(run), runVersion(old))) runs.set(run.Id, run);
    }
  }
  const runsByJob = new Map<string, GlueJobRun[]>();
  for (const run of runs.values()) {
    const name = run.JobName as string;
    const list = runsByJob.get(name);
    if (list) list.push(run);
    else runsByJob.set(name, [run]);
    if (!jobs.has(name)) jobs.set(name, { Name: name });
  }
  for (const list of runsByJob.values()) list.sort(byNewest);
  const jobList = [...jobs.values()].sort((a, b) => ((a.Name ?? '') < (b.Name ?? '') ? -1 : 1));

  const series = new Map<string, StoredSeries>();
  for (const file of await capturedJsonFiles(path.join(folder, 'metrics'), false)) {
    const content = await readCaptured(file, () => metricsFileSchema, 'a GetMetricData capture', warnings);
    if (!content) continue;
    const keys = new Map<string, string>();
    for (const query of content.MetricDataQueries) {
      const key = seriesKey(query as MetricDataQuery);
      if (key) keys.set(query.Id, key);
    }
    for (const result of content.MetricDataResults) {
      const key = keys.get(result.Id);
      if (!key) {
        warnings.push(`${file}: result ${result.Id} has no matching MetricStat query, ignored`);
        continue;
      }
      if (result.Timestamps.length !== result.Values.length) {
        warnings.push(
          `${file}: result ${result.Id} has ${result.Timestamps.length} timestamps but ${result.Values.length} values, ignored`,
        );
        continue;
      }
      let stored = series.get(key);
      if (!stored) {
        stored = { key, points: new Map() };
        series.set(key, stored);
      }
      for (const [i, t] of result.Timestamps.entries())
        stored.points.set(t.getTime(), result.Values[i] as number);
    }
  }

  const page = <T>(items: readonly T[], nextToken: string | undefined, size: number) => {
    const offset = nextToken ? Number(nextToken) : 0;
    if (!Number.isInteger(offset) || offset < 0) throw new Error(`invalid NextToken: ${nextToken}`);
    const slice = items.slice(offset, offset + size);
    const next = offset + size < items.length ? String(offset + size) : undefined;
    return { slice, next };
  };

  return {
    warnings,
    async getJobs(nextToken?: string) {
      const { slice, next } = page(jobList, nextToken, 1000);
      return { Jobs: slice, NextToken: next };
    },
    async getJobRuns(jobName: string, nextToken?: string) {
      const { slice, next } = page(runsByJob.get(jobName) ?? [], nextToken, pageSize);
      return { JobRuns: slice, NextToken: next };
    },
    async getMetricData(input: GetMetricDataInput): Promise<GetMetricDataOutput> {
      const start = input.StartTime.getTime();
      const end = input.EndTime.getTime();
      const descending = input.ScanBy !== 'TimestampAscending';
      const results: MetricDataResult[] = input.MetricDataQueries.map((query) => {
        const key = seriesKey(query);
        const stored = key ? series.get(key) : undefined;
        const times = [...(stored?.points.keys() ?? [])]
          .filter((t) => t >= start && t < end)
          .sort((a, b) => (descending ? b - a : a - b));
        return {
          Id: query.Id,
          Label: query.MetricStat?.Metric.MetricName,
          Timestamps: times.map((t) => new Date(t)),
          Values: times.map((t) => stored?.points.get(t) as number),
          StatusCode: 'Complete',
        };
      });
      return { MetricDataResults: results, Messages: [] };
    },
  };
}
