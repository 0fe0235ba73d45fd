import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery } from '../../src/query/define-query.ts';
import { accountId, timeWindow } from '../../src/query/param-types.ts';
import { findingsByDay } from './security-lake-sql.ts';

export interface FindingsPerResourceRow {
  resource_uid: string;
  resource_type: string | null;
  account_id: string;
  /** Findings of the resource active at their latest record in the window. */
  active_findings: number;
  /** The highest severity among them (OCSF id: 5 Critical, 4 High, …). */
  max_severity_id: number | null;
  /** Distinct products that found something, sorted, comma-separated. */
  products: string;
}

/** The resources with the most active findings. */
export default defineQuery({
  id: 'security-lake/findings-per-resource',
  version: '1.0.0',
  title: 'Findings per resource (Security Lake)',
  description:
    'Resources by their findings of [from, to) from ocsf_findings, each finding at its latest record in the window: ' +
    'the active ones, the highest severity, and which products found them; most findings first.',
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
  build: ({ from, to, account, limit }) => sql<FindingsPerResourceRow>`
    select resource_uid, max(resource_type) as resource_type, max(account_id) as account_id,
      count(*) as active_findings, max(severity_id) as max_severity_id,
      array_join(array_sort(array_agg(distinct product_name) filter (where product_name is not null)), ',') as products
    from (
      select *, row_number() over (partition by finding_uid order by time desc, day desc) as last
      from ${findingsByDay(from, to, account, ['resource_uid', 'resource_type', 'account_id', 'severity_id', 'product_name', 'record_state'])} d where newest = 1
    ) l
    where last = 1 and record_state = 'ACTIVE' and resource_uid is not null
    group by resource_uid
    order by active_findings desc, max_severity_id desc, resource_uid
    limit ${sql.lit(limit)}`,
});
