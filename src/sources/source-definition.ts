import type { RawSourceName, TableDefinition } from '../catalog/table-definition.ts';

/**
 * What lakeq's shared code knows of a data source by name: its curated tables, the raw sources
 * they read and the raw relations over those inputs. Each folder under `src/sources/` exports one
 * from its `index.ts`, and `src/sources/index.ts` lists them (see src/sources/README.md).
 *
 * @example
 * ```ts
 * export const glueSource: SourceDefinition = {
 *   name: 'glue',
 *   inputs: 'collected',
 *   rawSources: ['glue-job-runs', 'glue-job-metrics'],
 *   rawRelations: ['glue_job_runs_collected', 'glue_job_metrics_collected'],
 *   tables: [glueJobRuns, glueJobMetrics],
 * };
 * ```
 */
export interface SourceDefinition {
  /** The source's folder under `src/sources/`. */
  readonly name: string;
  /**
   * How its raw files come: `delivered` by AWS and read where they land (CloudTrail's log
   * files), or `collected` by lakeq's collect task from the service's APIs into hour files (Glue).
   * The hours a collection changed are planned again for the tables of a collected source, and
   * their lag is left out of the pipeline's health by default (an hour without runs has no partition).
   */
  readonly inputs: 'delivered' | 'collected';
  /** The names its tables' `input: { source }` may use. */
  readonly rawSources: readonly RawSourceName[];
  /** The relations over its raw inputs that SQL can read: DuckDB views locally, tables and views on Athena. */
  readonly rawRelations: readonly string[];
  /** Its curated tables, in load order: a table after the tables its transform reads. */
  readonly tables: readonly TableDefinition[];
}
