/**
 * The SPICE datasets the dashboards read. Each is a named query or a curated table; the
 * orchestration refreshes a dataset after a load changed one of the tables it reads.
 */
export interface SpiceDataset {
  /** QuickSight DataSetId and the local snapshot's name: `lakeq-<name>`. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Curated tables the dataset reads: a load that changes one of them refreshes the dataset. */
  readonly tables: readonly string[];
  /** The SQL source: a curated table as it is, or a library query with fixed parameters. */
  readonly source:
    | { readonly table: string }
    | { readonly queryId: string; readonly params: Readonly<Record<string, string>> };
}

export const SPICE_DATASETS: readonly SpiceDataset[] = [
  {
    id: 'lakeq-identity-center-instance-churn-hourly',
    name: 'Identity Center instance churn (hourly)',
    description: 'Instances created and deleted per hour, account and Region.',
    tables: ['identity_center_instance_churn_hourly'],
    source: { table: 'identity_center_instance_churn_hourly' },
  },
];

/** The datasets to refresh after loads that changed these tables: each at most once. */
export function datasetsReading(changedTables: Iterable<string>): SpiceDataset[] {
  const changed = new Set(changedTables);
  return SPICE_DATASETS.filter((d) => d.tables.some((t) => changed.has(t)));
}
