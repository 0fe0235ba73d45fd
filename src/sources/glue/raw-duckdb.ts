import { collectedRelationsFactory } from '../collected-raw-duckdb.ts';
import { COLLECTED_RELATIONS } from './schema.ts';

/**
 * Glue's local raw relations (`SourceDefinition.local`): the views `glue_job_runs_collected` and
 * `glue_job_metrics_collected` over the collector's hour files (src/sources/collected-raw-duckdb.ts).
 *
 * @example
 * ```ts
 * const relations = localGlueRelations({ root: './lakeq-data/raw/glue', scan: false });
 * ```
 */
export const localGlueRelations = collectedRelationsFactory(COLLECTED_RELATIONS);
