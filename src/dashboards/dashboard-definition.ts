import type { DashboardVersionDefinition } from '@aws-sdk/client-quicksight';

/**
 * A dashboard as code: QuickSight's own `DashboardVersionDefinition` (typed by
 * `@aws-sdk/client-quicksight`), plus the SPICE datasets it reads. The same object is
 * published to QuickSight (CreateDashboard/UpdateDashboard) and rendered by the local page.
 */
export interface LakeqDashboard {
  /** QuickSight DashboardId, also the local page's path: `lakeq-<name>`. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /**
   * DataSetIdentifier (as the definition's visuals and filters name it) → SPICE dataset id
   * (`SPICE_DATASETS` in src/dashboards/datasets.ts). Deploy turns it into
   * `DataSetIdentifierDeclarations` with the dataset ARNs.
   */
  readonly datasets: Readonly<Record<string, string>>;
  /** Everything but `DataSetIdentifierDeclarations`, which comes from `datasets`. */
  readonly definition: Omit<DashboardVersionDefinition, 'DataSetIdentifierDeclarations'>;
}
