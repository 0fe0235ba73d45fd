import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { accountId, timeWindow } from '../../src/query/param-types.ts';
import { dayPartitions } from './cloudtrail-sql.ts';

export interface EventsBySourceRow {
  event_source: string | null;
  events: number;
  errors: number;
  /** Distinct event names of the source. */
  event_names: number;
  principals: number;
  first_event: string;
  last_event: string;
}

/** CloudTrail events per event source (AWS service), busiest first. */
export default defineQuery({
  id: 'cloudtrail/events-by-source',
  version: '1.0.0',
  title: 'CloudTrail events by source',
  description:
    'Events per event source (the AWS service called) in [from, to): calls, failed calls, distinct event names and ' +
    'principals, first and last event. Busiest source first.',
  example: { from: '2026-11-01', to: '2026-11-08' },
  params: timeWindow({ account: accountId.optional().describe('only events recorded for this account') }),
  build: ({ from, to, account }, context) => sql<EventsBySourceRow>`
    select
      eventSource as event_source,
      count(*) as events,
      count_if(errorCode is not null) as errors,
      count(distinct eventName) as event_names,
      count(distinct userIdentity.arn) as principals,
      min(eventTime) as first_event,
      max(eventTime) as last_event
    from ${sql.table('cloudtrail_events')}
    where eventTime >= ${from} and eventTime < ${to}${dayPartitions(from, to, context)}${
      account === undefined ? sql`` : sql`\n      and recipientAccountId = ${account}`
    }
    group by eventSource
    order by events desc, event_source`,
});
