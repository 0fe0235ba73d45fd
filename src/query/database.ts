import type { CloudTrailEventsTable, CloudTrailLogsTable } from '../catalog/cloudtrail-schema.ts';

/**
 * The tables and views queries can refer to, for Kysely's type checking. Timestamps are
 * typed as `Date | string` where queries compare them with Date parameters.
 */
export interface Database {
  cloudtrail_events: Omit<CloudTrailEventsTable, 'eventTime'> & {
    eventTime: Date | string;
    dt: string;
    hour: string;
  };
  cloudtrail_events_raw: Omit<CloudTrailEventsTable, 'eventTime'> & { eventTime: Date | string };
  cloudtrail_logs: CloudTrailLogsTable;
}
