import { type RawBuilder, sql } from 'kysely';
import { z } from 'zod';
import type { QueryBuildContext } from '../../src/query/define-query.ts';
import { FAILED_RUN_STATES } from '../../src/sources/glue/schema.ts';
import { dayPartitions } from '../cloudtrail/cloudtrail-sql.ts';

/** `job_run_state in ('FAILED', 'ERROR', 'TIMEOUT')`: the states the glue queries count as failed. */
export const FAILED_STATES_SQL: RawBuilder<unknown> = sql`job_run_state in (${sql.join(
  FAILED_RUN_STATES.map((s) => sql.lit(s)),
)})`;

/** DPU-hours of a run, from its DPU-seconds (null while unknown). */
export const DPU_HOURS_SQL: RawBuilder<unknown> = sql`dpu_seconds / 3600e0`;

/**
 * `round(expr, 2)`: how the glue queries return USD (to the cent) and hours and DPU-hours (to the
 * hundredth). The tables keep the exact values; only a query's output is rounded, after summing,
 * so totals are not sums of rounded parts. Trino's `round(double, integer)`, which DuckDB has too.
 *
 * @example
 * ```ts
 * sql`select ${rounded(sql`sum(estimated_cost_usd)`)} as estimated_cost_usd from glue_job_runs`
 * // select round(sum(estimated_cost_usd), 2) as estimated_cost_usd from glue_job_runs
 * ```
 */
export function rounded(expr: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`round(${expr}, 2)`;
}

/**
 * `started_on` in `[from, to)` and, where the table is hour-partitioned (Athena, DuckDB), its
 * `dt` days, so Athena reads only those partitions: a run's row is in its StartedOn hour.
 */
export function startedIn(from: Date, to: Date, context: QueryBuildContext): RawBuilder<unknown> {
  return sql`started_on >= ${from} and started_on < ${to}${dayPartitions(from, to, context)}`;
}

/** `and job_name = ?` when a job is given. */
export function jobFilter(jobName: string | undefined): RawBuilder<unknown> {
  return jobName === undefined ? sql`` : sql`\n      and job_name = ${jobName}`;
}

/** A Glue job name, as GetJobs returns it. */
export const jobName = z.string().min(1).max(255).describe('only this Glue job (its name)');

/** `limit` parameter: most rows to return. */
export function rowLimit(fallback: number) {
  return z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(fallback)
    .describe(`most rows to return (default ${fallback})`);
}
