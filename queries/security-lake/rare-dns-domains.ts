import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery } from '../../src/query/define-query.ts';
import { accountId, timeWindow } from '../../src/query/param-types.ts';
import { inWindow } from './security-lake-sql.ts';

export interface RareDnsDomainRow {
  query_hostname: string;
  queries: number;
  /** Distinct asking addresses. */
  sources: number;
  vpcs: number;
  first_seen: string;
  last_seen: string;
}

/** Domains queried rarely: at most `max-queries` times in the window, across every VPC. */
export default defineQuery({
  id: 'security-lake/rare-dns-domains',
  version: '1.0.0',
  title: 'DNS queries to rarely seen domains (Security Lake)',
  description:
    'Route 53 Resolver queries of [from, to) (ocsf_dns_activity) to names asked at most max-queries times in the ' +
    'window (default 5), with who asked and when: beaconing, typo-squats and mining pools stand out among the usual names.',
  example: { from: '2026-11-01', to: '2026-11-08' },
  // Security Lake's tables are in Athena (Glue), not in a CloudTrail Lake event data store.
  engines: ['duckdb', 'athena'],
  params: timeWindow({
    account: accountId.optional().describe('only this account'),
    'max-queries': z.coerce
      .number()
      .int()
      .min(1)
      .default(5)
      .describe('most queries of a rare name (default 5)'),
  }),
  build: (params) => {
    const { from, to, account } = params;
    return sql<RareDnsDomainRow>`
    select query_hostname, count(*) as queries, count(distinct src_ip) as sources, count(distinct vpc_uid) as vpcs,
      min(time) as first_seen, max(time) as last_seen
    from ${sql.table('ocsf_dns_activity')}
    where query_hostname is not null and ${inWindow(from, to, account)}
    group by query_hostname
    having count(*) <= ${sql.lit(params['max-queries'])}
    order by queries, query_hostname`;
  },
});
