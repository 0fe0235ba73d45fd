import { collectedRelationsFactory } from '../collected-raw-duckdb.ts';
import { IDENTITY_CENTER_RELATIONS } from './schema.ts';

/**
 * Identity Center's local raw relations (`SourceDefinition.local`): the views
 * `identity_center_instances_collected`, `…_users_collected`, `…_applications_collected` and
 * `…_application_assignments_collected` over the collector's daily snapshot files
 * (src/sources/collected-raw-duckdb.ts).
 *
 * @example
 * ```ts
 * const relations = localIdentityCenterRelations({ root: './lakeq-data/raw/identity-center', scan: false });
 * ```
 */
export const localIdentityCenterRelations = collectedRelationsFactory(IDENTITY_CENTER_RELATIONS);
