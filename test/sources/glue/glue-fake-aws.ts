import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import {
  GetJobRunsCommand,
  type GetJobRunsCommandInput,
  GetJobsCommand,
  type GetJobsCommandInput,
  GlueClient,
  type Job,
  type JobRun,
} from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import { expectValidCommands } from '../../support/aws-model-validator.ts';

/**
 * An in-memory Glue + CloudWatch behind aws-sdk-client-mock, for the collector's tests: GetJobs and
 * GetJobRuns page by NextToken (runs newest first), GetMetricData answers one datapoint per minute
 * of each asked run while it ran, valued by `metricValue`. What the tests change between
 * collections is `state`.
 */

export interface FakeGlueState {
  jobs: Job[];
  /** Runs of every job, any order; served newest first. */
  runs: JobRun[];
  /** Data points per GetMetricData response page before NextToken (default: all). */
  metricPageSize?: number;
}

const MINUTE = 60_000;

/** The value the fake CloudWatch reports for a metric of a run at a minute. */
export function metricValue(runId: string, metric: string, t: number): number {
  let h = 0;
  for (const ch of `${runId}|${metric}`) h = (h * 31 + ch.charCodeAt(0)) % 1000;
  return h + ((t / MINUTE) % 60);
}

export function mockGlueAws(state: FakeGlueState) {
  const glue = mockClient(GlueClient);
  const cloudwatch = mockClient(CloudWatchClient);
  glue.on(GetJobsCommand).callsFake((input: GetJobsCommandInput) => {
    const offset = Number(input.NextToken ?? 0);
    const size = input.MaxResults ?? 100;
    const next = offset + size < state.jobs.length ? String(offset + size) : undefined;
    return { Jobs: state.jobs.slice(offset, offset + size), ...(next ? { NextToken: next } : {}) };
  });
  glue.on(GetJobRunsCommand).callsFake((input: GetJobRunsCommandInput) => {
    const runs = state.runs
      .filter((r) => r.JobName === input.JobName)
      .sort((a, b) => (b.StartedOn?.getTime() ?? 0) - (a.StartedOn?.getTime() ?? 0));
    const offset = Number(input.NextToken ?? 0);
    const size = input.MaxResults ?? 100;
    const next = offset + size < runs.length ? String(offset + size) : undefined;
    return { JobRuns: runs.slice(offset, offset + size), ...(next ? { NextToken: next } : {}) };
  });
  cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
    const start = (input.StartTime as Date).getTime();
    const end = (input.EndTime as Date).getTime();
    const all: { id: string; t: number; v: number }[] = [];
    for (const query of input.MetricDataQueries ?? []) {
      const dims = query.MetricStat?.Metric?.Dimensions ?? [];
      const runId = dims.find((d) => d.Name === 'JobRunId')?.Value;
      const run = state.runs.find((r) => r.Id === runId);
      if (!run?.StartedOn || !query.Id) continue;
      const runStart = Math.ceil(run.StartedOn.getTime() / MINUTE) * MINUTE;
      const runEnd = run.CompletedOn?.getTime() ?? Number.POSITIVE_INFINITY;
      const metric = query.MetricStat?.Metric?.MetricName ?? '';
      for (let t = Math.max(start, runStart); t < Math.min(end, runEnd); t += MINUTE) {
        all.push({ id: query.Id, t, v: metricValue(run.Id as string, metric, t) });
      }
    }
    const offset = Number(input.NextToken ?? 0);
    const size = state.metricPageSize ?? Number.POSITIVE_INFINITY;
    const page = all.slice(offset, offset + size);
    const next = offset + size < all.length ? String(offset + size) : undefined;
    const byId = new Map<string, { t: number; v: number }[]>();
    for (const p of page) byId.set(p.id, [...(byId.get(p.id) ?? []), p]);
    return {
      MetricDataResults: [...byId].map(([id, points]) => ({
        Id: id,
        Label: id,
        Timestamps: points.map((p) => new Date(p.t)),
        Values: points.map((p) => p.v),
        StatusCode: next ? 'PartialData' : 'Complete',
      })),
      Messages: [],
      ...(next ? { NextToken: next } : {}),
    };
  });
  return {
    glue,
    cloudwatch,
    /** Validates every request sent so far against the AWS models; returns how many. */
    validate(): number {
      return (
        expectValidCommands(
          'glue',
          glue.calls().map((c) => c.args[0]),
        ) +
        expectValidCommands(
          'cloudwatch',
          cloudwatch.calls().map((c) => c.args[0]),
        )
      );
    },
    jobRunsCalls(): GetJobRunsCommandInput[] {
      return glue.commandCalls(GetJobRunsCommand).map((c) => c.args[0].input);
    },
    metricCalls(): GetMetricDataCommandInput[] {
      return cloudwatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    },
    restore() {
      glue.restore();
      cloudwatch.restore();
    },
  };
}

/** A fixture run (epoch-seconds times, as the CLI printed it) as the SDK returns it (Dates). */
export function asSdkRun(run: Record<string, unknown>): JobRun {
  const out: Record<string, unknown> = { ...run };
  for (const key of ['StartedOn', 'LastModifiedOn', 'CompletedOn']) {
    const v = run[key];
    if (typeof v === 'number') out[key] = new Date(v * 1000);
    else if (typeof v === 'string') out[key] = new Date(v);
  }
  return out as JobRun;
}

/** A fixture MetricDataResult (ISO string timestamps, as the CLI printed it) as the SDK returns it. */
export function asSdkMetricResult(result: Record<string, unknown>): MetricDataResult {
  const times = Array.isArray(result.Timestamps) ? (result.Timestamps as string[]) : [];
  return { ...result, Timestamps: times.map((t) => new Date(t)) } as MetricDataResult;
}
