import { type CollectedLayout, collectedOnAws } from '../collected-raw-athena.ts';
import type { SourceAws } from '../source-definition.ts';
import { IDENTITY_CENTER_RELATIONS } from './schema.ts';

/** The collector's daily snapshots: `s3://bucket/prefix/raw/identity-center/<relation>/dt=…/hour=00/`. */
const IDENTITY_CENTER_LAYOUT: CollectedLayout = {
  rawFolder: 'raw/identity-center',
  partitions: 'daily',
  describe: (r) =>
    `Identity Center collector NDJSON snapshots (${r.folder}), read in place; partitions projected by dt (hour 00).`,
};

/**
 * Identity Center's AWS side (`SourceDefinition.aws`): the collector's snapshot files live in the
 * data bucket, so the raw tables need no settings of their own and no read access besides the lake's.
 *
 * @example
 * ```ts
 * identityCenterAws.fromSection(undefined, { target: { bucket: 'lake', prefix: 'lakeq', database: 'lakeq' }, startDate: '2026-01-01' })
 *   .tableInputs().map((t) => t.Name) // ['identity_center_instances_collected', …]
 * ```
 */
export const identityCenterAws: SourceAws = {
  ddlDescribe:
    'the raw Identity Center snapshots (identity_center_*_collected, by day, over ' +
    's3://<data-bucket>/<data-prefix>/raw/identity-center/)',
  fromSection: (_section, common) =>
    collectedOnAws(IDENTITY_CENTER_RELATIONS, IDENTITY_CENTER_LAYOUT, common),
  fromFlags: (_flags, common) => collectedOnAws(IDENTITY_CENTER_RELATIONS, IDENTITY_CENTER_LAYOUT, common),
};
