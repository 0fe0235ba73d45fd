import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { timeWindow } from '../../src/query/param-types.ts';
import { FAILED_STATES_SQL, jobFilter, jobName, rowLimit, startedIn } from './glue-sql.ts';

export interface FailuresRow {
  /** ISO time, UTC */
  started_on: string;
  job_name: string;
  job_run_id: string;
  attempt: number | null;
  /** FAILED, ERROR or TIMEOUT */
  job_run_state: string;
  error_message: string | null;
  execution_seconds: number | null;
  timeout_minutes: number | null;
  /** Whether the attempt that retried this one (its PreviousRunId is this run) succeeded. */
  retried_ok: boolean;
  region: string;
  account_id: string | null;
}

/** Failed Glue job runs with their error messages, and whether a retry succeeded. */
export default defineQuery({
  id: 'glue/failures',
  version: '1.0.0',
  title: 'Glue job failures',
  description:
    'Glue job run attempts started in [from, to) that ended FAILED, ERROR or TIMEOUT, with the error ' +
    'message, runtime and whether a later attempt retrying it succeeded; newest first.',
  example: { from: '2026-11-01', to: '2026-11-08' },
  engines: ['duckdb', 'athena'],
  params: timeWindow({ job_name: jobName.optional(), limit: rowLimit(1000) }),
  build: ({ from, to, job_name, limit }, context) => sql<FailuresRow>`
    select f.started_on, f.job_name, f.job_run_id, f.attempt, f.job_run_state, f.error_message,
      f.execution_seconds, f.timeout_minutes,
      exists (
        select 1 from ${sql.table('glue_job_runs')} r
        where r.previous_run_id = f.job_run_id and r.job_name = f.job_name and r.job_run_state = 'SUCCEEDED'
          and r.started_on >= f.started_on${
            context.capabilities.hourPartitionedTables ? sql` and r.dt >= f.dt` : sql``
          }
      ) as retried_ok,
      f.region, f.account_id
    from ${sql.table('glue_job_runs')} f
    where ${FAILED_STATES_SQL}
      and ${startedIn(from, to, context)}${jobFilter(job_name)}
    order by f.started_on desc, f.job_name, f.job_run_id
    limit ${sql.lit(limit)}`,
});
