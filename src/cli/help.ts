/** Kept free of imports: `lakeq --help` must not load anything heavy. */
export const VERSION = '0.1.0';

export const HELP = `lakeq ${VERSION}: typed SQL queries over AWS CloudTrail data, on embedded DuckDB or on AWS

Usage: lakeq <command> [options]

Commands
  start                          write sample CloudTrail logs if there are none, load them into
                                 Parquet, then print the Identity Center instance churn
  query list                     the library's queries
  query show <id>                a query's description, parameters and SQL (--engine for its dialect)
  query run <id> --param k=v     run a named query (parameters validated by the query's schema)
  query explain <id> --param k=v the engine's plan for a query
  sql "<SQL>"                    ad-hoc Trino SQL on the local engine (rewritten for DuckDB; --show-local-sql)
  load --from T --to T           load raw CloudTrail logs of [from, to) into the hour-partitioned
                                 Parquet tables (again: only hours whose inputs changed)
  load --hour T [--lookback N]   the hourly load: the hour and the N hours before it (default 2)
  backfill --from T --to T [--tables a,b] [--concurrency N] [--dry-run]
                                 a long range in batches, resumable; --dry-run prints the plan
  run hourly [--hour T]          run statemachines/hourly.asl.json locally: load the hour and its
                                 lookback, refresh the SPICE snapshots whose tables changed
  run backfill --from T --to T [--tables a,b]
                                 run statemachines/backfill.asl.json locally; one refresh at the end
  run findings-report [--time T] [--input security-hub|security-lake|DIR]
                                 run statemachines/findings-report.asl.json locally: the day's
                                 findings report under <data-dir>/reports/findings/, and a log line
  runs [--table T] [--failed]    the run ledger: what was loaded, when, by which query version
  alarms [--at T] [--json] [--dry-run]
                                 evaluate lakeq's alarms locally (query alarms, ETL health from the
                                 ledger); states and changes recorded in <data-dir>/alarms/
  alarms history [--alarm NAME]  the alarms' changes of state, newest first
  ddl --trail-bucket B --accounts A --regions R --start-date D --data-bucket B
                                 the Athena DDL of lakeq's tables (raw with projection, curated)
  schedule [--at-minute M]       run the hourly state machine every hour on this machine, catching
                                 up missed hours; stops cleanly on Ctrl-C or SIGTERM
  deploy [--dry-run] [--deploy-config FILE]
                                 create or update lakeq on AWS from lakeq.deploy.json (Glue, Athena,
                                 Lambda, Step Functions, Scheduler, QuickSight); --dry-run prints the plan
  iam-policy [--principal P]     least-privilege IAM policies for the state machine, Lambda, scheduler,
                                 analyst and deployer roles (--identity-center-member-role,
                                 --glue-statistics-role: the roles lakeq's tasks assume or pass;
                                 --lake-formation-grants: the Security Lake grants IAM cannot give)
  dashboards serve [--port N]    the dashboards as a local web page on 127.0.0.1 (from local SPICE)
  dashboards build --out DIR     the same pages as a static site
  dashboards export --out DIR    write the QuickSight requests deploy sends (CreateDataSource,
                                 CreateDataSet, CreateDashboard), one JSON file per request
  dashboards deploy [--dry-run]  publish dashboards/ to QuickSight: data source, datasets, dashboards,
                                 permissions; one SPICE ingestion per new dataset
  dashboards diff                compare the published dashboards with dashboards/ (exit 1 on drift)
  sample cloudtrail --out DIR --from T --to T [--accounts N] [--events-per-hour N] [--seed N]
                                 write realistic, deterministic CloudTrail logs in the S3 layout
  tpcds generate --sf N [--out DIR] [--seed S]
                                 generate the 24 TPC-DS tables as Parquet into <data-dir>/raw/tpcds
                                 (fact tables partitioned by date key), queryable by their names
  tpcds compare [--queries q02,q82|all] [--runs N] [--engine duckdb|athena] [--stats-role ARN]
                                 each TPC-DS query without and with the cost-based optimizer; the
                                 result hashes must match; recorded in tpcds_cbo_runs
  tpcds report [--run ID]        a comparison as AWS's CBO post shows it: per-query speedup, top 10,
                                 overall change and geometric mean, Q82's and Q2's join orders
  sample security-lake --out DIR --from T --to T [--version 1|2|both] [--accounts N] [--seed N]
                                 write a deterministic Security Lake (OCSF Parquet, source version
                                 1, 2 or both) whose CloudTrail events are sample cloudtrail's
  report identity-center --out DIR [--day D]
                                 the Identity Center inventory's three CSVs (instances, users in
                                 more than one instance, application assignments) of a snapshot
  report findings --out FILE [--from T] [--to T] [--severity S] [--format csv|json]
                  [--input security-hub|security-lake|DIR]
                                 the Security Hub findings report: one row per active finding, from
                                 the Security Hub API, Security Lake or captured GetFindings responses

Options
  --param name=value             a query parameter (repeatable)
  --engine duckdb|athena|cloudtrail-lake
                                 where to run (default duckdb, the embedded engine)
  --format table|csv|json|ndjson|parquet
                                 output format (default: table on a terminal, csv when piped)
  --out FILE                     write the result to FILE (required for parquet)
  --max-rows N                   rows shown in a terminal table (default 50); --all shows every row
  --max-width N                  a table's width (default: the terminal's; whole cells when piped);
                                 wider cells are cut with …; 0 shows cells whole (csv/json never cut)
  --config FILE                  settings file (default ./lakeq.config.json)
  --data-dir DIR                 local data folder (default ./lakeq-data)
  --source cloudtrail=DIR        CloudTrail logs folder (default <data-dir>/raw/cloudtrail)
  --source security-lake=DIR     Security Lake folder in its S3 layout (default <data-dir>/raw/security-lake)
  -h, --help                     this help
  -v, --version                  the version

Times are UTC; a window [from, to) includes from and excludes to. Dates (2026-11-01), hours
(2026-11-01T13) and ISO times (2026-11-01T13:05:00Z) are accepted.
AWS settings come from AWS_PROFILE / AWS_REGION and "aws" in lakeq.config.json.
Exit codes: 0 ok, 1 failure, 2 usage or validation error.`;
