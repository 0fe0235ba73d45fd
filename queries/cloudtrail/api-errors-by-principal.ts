import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery } from '../../src/query/define-query.ts';
import { accountId, timeWindow } from '../../src/query/param-types.ts';
import { dayPartitions } from './cloudtrail-sql.ts';

export interface ApiErrorsByPrincipalRow {
  principal_arn: string | null;
  principal_type: string | null;
  error_code: string;
  errors: number;
  /** Distinct event names that failed, sorted, comma-separated. */
  event_names: string;
  first_seen: string;
  last_seen: string;
}

/** Failed API calls per principal and error code: AccessDenied storms, throttling, probing. */
export default defineQuery({
  id: 'cloudtrail/api-errors-by-principal',
  version: '1.0.0',
  title: 'API errors by principal',
  description:
    'Failed API calls in [from, to) per principal and error code, with the calls that failed and when; most ' +
    'errors first. Useful to spot AccessDenied storms, throttling and permission probing.',
  example: { from: '2026-11-01', to: '2026-11-08' },
  params: timeWindow({
    account: accountId.optional().describe('only events recorded for this account'),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(100)
      .describe('most rows to return (default 100)'),
  }),
  // Athena rejects `LIMIT ?`, so the validated integer is written into the SQL.
  build: ({ from, to, account, limit }, context) => sql<ApiErrorsByPrincipalRow>`
    select
      userIdentity.arn as principal_arn,
      userIdentity.type as principal_type,
      errorCode as error_code,
      count(*) as errors,
      array_join(array_sort(array_agg(distinct eventName) filter (where eventName is not null)), ',') as event_names,
      min(eventTime) as first_seen,
      max(eventTime) as last_seen
    from ${sql.table('cloudtrail_events')}
    where errorCode is not null
      and eventTime >= ${from} and eventTime < ${to}${dayPartitions(from, to, context)}${
        account === undefined ? sql`` : sql`\n      and recipientAccountId = ${account}`
      }
    group by userIdentity.arn, userIdentity.type, errorCode
    order by errors desc, principal_arn, error_code
    limit ${sql.lit(limit)}`,
});
