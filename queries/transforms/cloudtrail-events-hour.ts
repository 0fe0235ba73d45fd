import { sql } from 'kysely';
import { z } from 'zod';
import { defineQuery } from '../../src/query/define-query.ts';
import { timeWindow } from '../../src/query/param-types.ts';
import { cloudtrailEvents } from '../../src/sources/cloudtrail/tables/cloudtrail-events.ts';
import { LATEST_DELIVERY_DAYS, partitionColumns, sourceDay } from './transform-sql.ts';

/**
 * The load of `cloudtrail_events`: raw CloudTrail records of a window, one row per eventID,
 * with the hour partition of each event's own time (never the clock's).
 */
export default defineQuery({
  id: 'transforms/cloudtrail-events-hour',
  version: '1.0.0',
  title: 'Load: CloudTrail events into hour partitions',
  description:
    'Raw CloudTrail records with eventTime in [from, to), an event delivered twice kept once (same eventID, ' +
    'account, source, name and time), in the columns of cloudtrail_events plus the partition keys dt and hour.',
  example: { from: '2026-11-01T00', to: '2026-11-01T01' },
  // A load writes tables: CloudTrail Lake only reads.
  engines: ['duckdb', 'athena'],
  params: timeWindow({
    copies: z
      .enum(['remove', 'absent'])
      .default('remove')
      .describe(
        "'remove' (default) keeps one record of an event delivered twice; 'absent' leaves that step out, " +
          'for a caller that has checked that no two records of its input share an event key (the local load ' +
          'checks each batch: the step is a sort of every row of the window)',
      ),
  }),
  build: ({ from, to, copies }) => {
    const window = sql`eventTime >= ${from} and eventTime < ${to}
        and sourceDay >= ${sourceDay(from, 0)} and sourceDay <= ${sourceDay(to, LATEST_DELIVERY_DAYS)}`;
    const events =
      copies === 'absent'
        ? sql`${sql.table('cloudtrail_events_raw')} e where ${window}`
        : sql`(
      select *, row_number() over (
        partition by eventID, recipientAccountId, eventSource, eventName, eventTime order by requestID
      ) as event_copy
      from ${sql.table('cloudtrail_events_raw')}
      where ${window}
    ) e
    where event_copy = 1 or eventID is null`;
    return sql<Record<string, unknown>>`
    select ${sql.join(cloudtrailEvents.columns.map((c) => sql.ref(c.name)))},
      ${partitionColumns('eventTime')}
    from ${events}`;
  },
});
