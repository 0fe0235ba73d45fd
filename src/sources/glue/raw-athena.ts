import type { CuratedTableTarget } from '../../catalog/athena/curated-table-ddl.ts';
import type { GlueTableInput } from '../../catalog/athena/glue-table-input.ts';
import {
  type CollectedLayout,
  type CollectedTableOptions,
  collectedOnAws,
  collectedTableDdl as ddl,
  collectedTableInput as tableInput,
} from '../collected-raw-athena.ts';
import type { SourceAws } from '../source-definition.ts';
import { COLLECTED_RELATIONS, type CollectedRelation } from './schema.ts';

/** The Glue collector's hour files: `s3://bucket/prefix/raw/glue/job-runs/dt=…/hour=…/`. */
const GLUE_LAYOUT: CollectedLayout = {
  rawFolder: 'raw/glue',
  partitions: 'hourly',
  describe: (r) =>
    `Glue collector NDJSON files (${r.folder}), read in place; partitions projected by dt and hour.`,
};

/**
 * `CREATE EXTERNAL TABLE` of a collected Glue relation (src/sources/collected-raw-athena.ts).
 *
 * @example
 * ```ts
 * collectedTableDdl(GLUE_JOB_RUNS, { bucket: 'lake', prefix: 'lakeq', database: 'lakeq' }, { startDate: '2026-01-01' })
 * // CREATE EXTERNAL TABLE `lakeq`.`glue_job_runs_collected` (…) … LOCATION 's3://lake/lakeq/raw/glue/job-runs/' …
 * ```
 */
export function collectedTableDdl(
  relation: CollectedRelation,
  target: CuratedTableTarget,
  options: CollectedTableOptions,
): string {
  return ddl(relation, target, options, GLUE_LAYOUT);
}

/**
 * The Glue `TableInput` of a collected Glue relation: the table `collectedTableDdl` creates.
 *
 * @example
 * ```ts
 * collectedTableInput(GLUE_JOB_RUNS, { bucket: 'lake', prefix: 'lakeq' }, { startDate: '2026-01-01' }).Name // 'glue_job_runs_collected'
 * ```
 */
export function collectedTableInput(
  relation: CollectedRelation,
  target: Omit<CuratedTableTarget, 'database'>,
  options: CollectedTableOptions,
): GlueTableInput {
  return tableInput(relation, target, options, GLUE_LAYOUT);
}

/**
 * The DDL of every collected relation, in order (runs, metrics).
 *
 * @example
 * ```ts
 * collectedTablesDdl({ bucket: 'lake', prefix: '', database: 'lakeq' }, { startDate: '2026-01-01' }).length // 2
 * ```
 */
export function collectedTablesDdl(target: CuratedTableTarget, options: CollectedTableOptions): string[] {
  return COLLECTED_RELATIONS.map((r) => collectedTableDdl(r, target, options));
}

/**
 * Glue's AWS side (`SourceDefinition.aws`): the collector's hour files live in the data bucket, so
 * it needs no settings of its own and no read access besides the lake's.
 *
 * @example
 * ```ts
 * glueAws.fromSection(undefined, { target: { bucket: 'lake', prefix: 'lakeq', database: 'lakeq' }, startDate: '2026-01-01' })
 *   .tableInputs().map((t) => t.Name) // ['glue_job_runs_collected', 'glue_job_metrics_collected']
 * ```
 */
export const glueAws: SourceAws = {
  ddlDescribe:
    'the raw Glue collector tables (glue_job_runs_collected, glue_job_metrics_collected over ' +
    's3://<data-bucket>/<data-prefix>/raw/glue/, projected from --start-date)',
  fromSection: (_section, common) => collectedOnAws(COLLECTED_RELATIONS, GLUE_LAYOUT, common),
  fromFlags: (_flags, common) => collectedOnAws(COLLECTED_RELATIONS, GLUE_LAYOUT, common),
};
