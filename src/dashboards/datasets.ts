import { LEDGER_TABLE } from '../catalog/athena/ledger-ddl.ts';

/**
 * The SPICE datasets the dashboards read. Each is a named query or a curated table; the
 * orchestration refreshes a dataset after a load changed one of the tables it reads.
 *
 * `{ table: 'lakeq_runs' }` is the run ledger (LEDGER_TABLE of src/catalog/athena/ledger-ddl.ts):
 * not a curated table, so its columns come from LEDGER_COLUMNS (see `dataSetDefinitions` in
 * src/deploy/spice-datasets.ts), and locally it is the DuckDB view of the same name.
 */
export interface SpiceDataset {
  /** QuickSight DataSetId and the local snapshot's name: `lakeq-<name>`. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Curated tables the dataset reads: a load that changes one of them refreshes the dataset. */
  readonly tables: readonly string[];
  /**
   * The SQL source: a curated table (or the run ledger) as it is, or a library query with fixed
   * parameters. A query's columns are those of the table it loads (a transform), or, for a query
   * no table is loaded by, the `columns` it declares here (names as the query returns them,
   * Hive types; a snapshot whose query lacks one fails).
   */
  readonly source:
    | { readonly table: string }
    | {
        readonly queryId: string;
        readonly params: Readonly<Record<string, string>>;
        readonly columns?: readonly DatasetColumn[];
      };
}

/** A column a query dataset declares: its name as the query returns it and its Hive type. */
export interface DatasetColumn {
  readonly name: string;
  /** `string`, `bigint`, `double`, `boolean`, `timestamp`… (see quickSightType). */
  readonly type: string;
}

/** The Identity Center snapshot tables: a load that changes one refreshes the inventory datasets. */
const INVENTORY_TABLES = [
  'identity_center_instances',
  'identity_center_users',
  'identity_center_applications',
] as const;

export const SPICE_DATASETS: readonly SpiceDataset[] = [
  {
    id: 'lakeq-identity-center-instance-churn-hourly',
    name: 'Identity Center instance churn (hourly)',
    description: 'Instances created and deleted per hour, account and Region.',
    tables: ['identity_center_instance_churn_hourly'],
    source: { table: 'identity_center_instance_churn_hourly' },
  },
  {
    id: 'lakeq-identity-center-instances',
    name: 'Identity Center instances (latest snapshot)',
    description:
      'The IAM Identity Center instances of the latest inventory snapshot, one row per instance, with its users and applications.',
    tables: [...INVENTORY_TABLES],
    source: {
      queryId: 'identity-center/instances',
      params: {},
      columns: [
        { name: 'account_id', type: 'string' },
        { name: 'identity_store_id', type: 'string' },
        { name: 'instance_arn', type: 'string' },
        { name: 'owner_account_id', type: 'string' },
        { name: 'instance_type', type: 'string' },
        { name: 'status', type: 'string' },
        { name: 'created_date', type: 'timestamp' },
        { name: 'region', type: 'string' },
        { name: 'name', type: 'string' },
        { name: 'users', type: 'bigint' },
        { name: 'applications', type: 'bigint' },
        { name: 'snapshot_day', type: 'string' },
      ],
    },
  },
  {
    id: 'lakeq-identity-center-duplicate-users',
    name: 'Identity Center duplicate users (latest snapshot)',
    description:
      'E-mail addresses in more than one identity store of the latest snapshot, and the users without an e-mail address.',
    tables: ['identity_center_users'],
    source: {
      queryId: 'identity-center/duplicate-users',
      params: {},
      columns: [
        { name: 'kind', type: 'string' },
        { name: 'email', type: 'string' },
        { name: 'identity_stores', type: 'bigint' },
        { name: 'users', type: 'bigint' },
        { name: 'identity_store_ids', type: 'string' },
        { name: 'instance_arns', type: 'string' },
        { name: 'account_ids', type: 'string' },
        { name: 'user_names', type: 'string' },
        { name: 'snapshot_day', type: 'string' },
      ],
    },
  },
  {
    id: 'lakeq-glue-job-runs',
    name: 'Glue job runs',
    description: 'One row per Glue job run attempt: state, times, DPU-seconds and estimated cost.',
    tables: ['glue_job_runs'],
    source: { table: 'glue_job_runs' },
  },
  {
    id: 'lakeq-glue-job-metrics',
    name: 'Glue job metrics',
    description: 'CloudWatch metrics of the Glue job runs, one row per run, metric and timestamp.',
    tables: ['glue_job_metrics'],
    source: { table: 'glue_job_metrics' },
  },
  {
    id: 'lakeq-tpcds-cbo-runs',
    name: 'TPC-DS CBO comparison runs',
    description:
      'lakeq tpcds compare: one row per timed run of a TPC-DS query without (cbo-off) and with (cbo-on) the cost-based optimizer.',
    // Written by lakeq tpcds compare, not by a load: the comparison refreshes it.
    tables: ['tpcds_cbo_runs'],
    source: { table: 'tpcds_cbo_runs' },
  },
  {
    id: 'lakeq-security-findings-daily',
    name: 'Security Lake findings (daily)',
    description:
      'The latest state of each Security Hub finding per day, from Security Lake (source version 1 or 2).',
    tables: ['security_findings_daily'],
    source: { table: 'security_findings_daily' },
  },
  {
    id: 'lakeq-security-lake-activity-daily',
    name: 'Security Lake signals (daily)',
    description: 'API errors, root activity, console sign-ins without MFA and rejected VPC flows per day.',
    tables: ['security_lake_activity_daily'],
    source: { table: 'security_lake_activity_daily' },
  },
  {
    id: 'lakeq-pipeline-runs',
    name: 'Pipeline runs (ledger)',
    description: "lakeq's run ledger: one row per table, partition and load run, with status and rows.",
    // Every load that changes a table also writes the ledger: datasetsReading adds it then.
    tables: ['lakeq_runs'],
    source: { table: 'lakeq_runs' },
  },
];

/**
 * The datasets to refresh after loads that changed these tables, each once. A load that changed
 * any table also wrote the run ledger, so the ledger's dataset (`lakeq_runs`) comes with them.
 *
 * @example
 * ```ts
 * datasetsReading(['glue_job_runs']).map((d) => d.id) // ['lakeq-glue-job-runs', 'lakeq-pipeline-runs']
 * ```
 */
export function datasetsReading(
  changedTables: Iterable<string>,
  datasets: readonly SpiceDataset[] = SPICE_DATASETS,
): SpiceDataset[] {
  const changed = new Set(changedTables);
  if (changed.size > 0) changed.add(LEDGER_TABLE);
  return datasets.filter((d) => d.tables.some((t) => changed.has(t)));
}

/**
 * A dataset by id, or a clear error naming who asked for it.
 *
 * @example
 * ```ts
 * spiceDataset('lakeq-glue-job-runs').source // { table: 'glue_job_runs' }
 * ```
 */
export function spiceDataset(id: string, datasets: readonly SpiceDataset[] = SPICE_DATASETS): SpiceDataset {
  const found = datasets.find((d) => d.id === id);
  if (!found) {
    throw new Error(`no SPICE dataset ${id} (known: ${datasets.map((d) => d.id).join(', ')})`);
  }
  return found;
}
