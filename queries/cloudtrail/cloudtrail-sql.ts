import { type RawBuilder, sql } from 'kysely';
import type { QueryBuildContext } from '../../src/query/define-query.ts';

/**
 * `and dt >= 'YYYY-MM-DD' and dt <= 'YYYY-MM-DD'` for the days of `[from, to)`, where
 * `cloudtrail_events` is lakeq's hour-partitioned table: Athena then reads only those
 * partitions instead of the whole table (an `eventTime` filter alone cannot prune them).
 * Nothing on CloudTrail Lake, whose event data store has no partitions.
 */
export function dayPartitions(from: Date, to: Date, context: QueryBuildContext): RawBuilder<unknown> {
  if (!context.capabilities.hourPartitionedTables) return sql``;
  const first = from.toISOString().slice(0, 10);
  const last = new Date(to.getTime() - 1).toISOString().slice(0, 10);
  return sql`\n      and dt >= ${first} and dt <= ${last}`;
}
