import { defineQuery } from '../../src/query/define-query.ts';
import { timeWindow } from '../../src/query/param-types.ts';
import { IDENTITY_CENTER_APPLICATION_ASSIGNMENTS } from '../../src/sources/identity-center/schema.ts';
import { snapshotTransformSql } from './identity-center-snapshot-sql.ts';

/** The load of `identity_center_application_assignments`: the day's collected snapshot, in the partition `hour='00'` of its day. */
export default defineQuery({
  id: 'transforms/identity-center-application-assignments-day',
  version: '1.0.0',
  title: 'Load: Identity Center application assignments into daily snapshots',
  description:
    'The collected application assignments of the snapshot days whose first hour is in [from, to), one row per application, principal and day, plus the partition keys dt (the snapshot day) and hour (always 00).',
  example: { from: '2026-11-27T00', to: '2026-11-28T00' },
  // A load writes tables: CloudTrail Lake only reads.
  engines: ['duckdb', 'athena'],
  params: timeWindow({}),
  build: ({ from, to }) => snapshotTransformSql(IDENTITY_CENTER_APPLICATION_ASSIGNMENTS, from, to),
});
