import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery } from '../../src/query/define-query.ts';
import { accountId, timeWindow } from '../../src/query/param-types.ts';
import { inWindow } from './security-lake-sql.ts';

export interface TopTalkerRow {
  src_ip: string | null;
  bytes: number;
  packets: number;
  flows: number;
  destinations: number;
}

/** The source addresses that sent the most bytes in accepted VPC flows. */
export default defineQuery({
  id: 'security-lake/top-talkers',
  version: '1.0.0',
  title: 'Top talkers (Security Lake)',
  description:
    'Source addresses of accepted VPC flows in [from, to) (ocsf_network_activity) by bytes sent, with packets, ' +
    'flows and distinct destinations; most bytes first.',
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
      .default(10)
      .describe('most rows to return (default 10)'),
  }),
  build: ({ from, to, account, limit }) => sql<TopTalkerRow>`
    select src_ip, sum(bytes) as bytes, sum(packets) as packets, count(*) as flows,
      count(distinct dst_ip) as destinations
    from ${sql.table('ocsf_network_activity')}
    where action = 'Allowed' and ${inWindow(from, to, account)}
    group by src_ip
    order by bytes desc, src_ip
    limit ${sql.lit(limit)}`,
});
