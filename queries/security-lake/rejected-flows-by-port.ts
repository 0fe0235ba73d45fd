import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery } from '../../src/query/define-query.ts';
import { accountId, timeWindow } from '../../src/query/param-types.ts';
import { inWindow } from './security-lake-sql.ts';

export interface RejectedFlowsByPortRow {
  dst_port: number | null;
  rejected_flows: number;
  packets: number;
  source_ips: number;
  interfaces: number;
}

/** Rejected VPC flows by destination port: what the internet is knocking on. */
export default defineQuery({
  id: 'security-lake/rejected-flows-by-port',
  version: '1.0.0',
  title: 'Rejected VPC flows by destination port (Security Lake)',
  description:
    'VPC Flow Logs records of [from, to) whose traffic was rejected (ocsf_network_activity, action Denied), per ' +
    'destination port: flows, packets, distinct source addresses and network interfaces; most flows first.',
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
      .default(20)
      .describe('most rows to return (default 20)'),
  }),
  build: ({ from, to, account, limit }) => sql<RejectedFlowsByPortRow>`
    select dst_port, count(*) as rejected_flows, sum(packets) as packets,
      count(distinct src_ip) as source_ips, count(distinct interface_uid) as interfaces
    from ${sql.table('ocsf_network_activity')}
    where action = 'Denied' and ${inWindow(from, to, account)}
    group by dst_port
    order by rejected_flows desc, dst_port
    limit ${sql.lit(limit)}`,
});
