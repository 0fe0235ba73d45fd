import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery } from '../../src/query/define-query.ts';
import { accountId, timeWindow } from '../../src/query/param-types.ts';
import { inWindow } from './security-lake-sql.ts';

export interface SecurityLakeApiErrorsRow {
  principal_arn: string | null;
  principal_type: string | null;
  error_code: string;
  errors: number;
  /** Distinct operations that failed, sorted, comma-separated. */
  operations: string;
  first_seen: string;
  last_seen: string;
}

/** Failed API calls per principal and error, from Security Lake's API activity (either source version). */
export default defineQuery({
  id: 'security-lake/api-errors-by-principal',
  version: '1.0.0',
  title: 'API errors by principal (Security Lake)',
  description:
    'Failed API calls in [from, to) from ocsf_api_activity (CloudTrail and EKS audit, source version 1 or 2) per ' +
    'principal ARN and error code, with the operations that failed and when; most errors first.',
  example: { from: '2026-11-01', to: '2026-11-08' },
  // Security Lake's tables are in Athena (Glue), not in a CloudTrail Lake event data store.
  engines: ['duckdb', 'athena'],
  params: timeWindow({
    account: accountId.optional().describe('only this account'),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(100)
      .describe('most rows to return (default 100)'),
  }),
  build: ({ from, to, account, limit }) => sql<SecurityLakeApiErrorsRow>`
    select
      actor_user_arn as principal_arn,
      actor_user_type as principal_type,
      api_error as error_code,
      count(*) as errors,
      array_join(array_sort(array_agg(distinct api_operation) filter (where api_operation is not null)), ',') as operations,
      min(time) as first_seen,
      max(time) as last_seen
    from ${sql.table('ocsf_api_activity')}
    where api_error is not null and ${inWindow(from, to, account)}
    group by actor_user_arn, actor_user_type, api_error
    order by errors desc, principal_arn, error_code
    limit ${sql.lit(limit)}`,
});
