import type { CliIO } from '../io.ts';
import { localRunSources, parseCommon, parseFormat, parseMaxWidth, settingsFrom } from '../options.ts';
import { writeRows } from '../output.ts';
import { printWarnings } from '../warnings.ts';

/** The sample estate's window: one week of November 2026, fixed so the output is reproducible. */
export const SAMPLE_FROM = '2026-11-01';
export const SAMPLE_TO = '2026-11-08';
const LAST_SAMPLE_DAY = '2026-11-07';

/**
 * `lakeq start` (`npm start`): the embedded default end to end. Writes sample CloudTrail logs
 * into the data folder when it has none, runs the backfill and hourly state machines over them
 * (Parquet tables, ledger, local SPICE snapshots; only what changed), then prints the Identity
 * Center instance churn from the tables.
 */
export async function run(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommon(args);
  const maxWidth = parseMaxWidth(values['max-width']);
  const settings = await settingsFrom({ ...values, engine: 'duckdb' });
  const { scanCloudTrailFolder } = await import('../../sources/cloudtrail/raw-duckdb-files.ts');
  const existing = await scanCloudTrailFolder(settings.sources.cloudtrail);
  if (existing.files.length === 0) {
    const { writeCloudTrailSample } = await import('../../sources/cloudtrail/sample.ts');
    io.err(`No CloudTrail logs in ${settings.sources.cloudtrail}: writing a sample estate there…`);
    const summary = await writeCloudTrailSample({
      out: settings.sources.cloudtrail,
      from: new Date(`${SAMPLE_FROM}T00:00:00Z`),
      to: new Date(`${SAMPLE_TO}T00:00:00Z`),
      seed: 1,
    });
    io.err(`  ${summary.events} events in ${summary.files} files, ${summary.accounts.length} accounts`);
  } else {
    io.err(`Reading ${existing.files.length} CloudTrail log files in ${settings.sources.cloudtrail}`);
  }
  const { stat } = await import('node:fs/promises');
  if (!(await stat(settings.sources.glue).catch(() => undefined))) {
    const { writeGlueSample } = await import('../../sources/glue/sample.ts');
    io.err(`No captured Glue API responses in ${settings.sources.glue}: writing a sample there…`);
    const glue = await writeGlueSample({
      out: settings.sources.glue,
      from: new Date(`${SAMPLE_FROM}T00:00:00Z`),
      to: new Date(`${SAMPLE_TO}T00:00:00Z`),
      seed: 1,
    });
    io.err(`  ${glue.jobs} Glue jobs, ${glue.runs} runs, ${glue.metricPoints} metric datapoints`);
  }
  // The same state machines as on AWS: a backfill of the sample week (only what changed is
  // loaded), then the hourly run of its last hour; each refreshes the local SPICE snapshots.
  const { runStateMachine } = await import('../../orchestration/run-state-machine.ts');
  const { formatBytes } = await import('../progress.ts');
  const options = { ...localRunSources(settings), signal: io.signal };
  const runs = [
    await runStateMachine(
      'backfill',
      { from: `${SAMPLE_FROM}T00:00:00Z`, to: `${SAMPLE_TO}T00:00:00Z` },
      options,
    ),
    await runStateMachine(
      'hourly',
      { time: `${SAMPLE_TO}T00:05:00Z` },
      { ...options, alarms: settings.alarms },
    ),
  ];
  for (const r of runs) {
    const loaded = r.ledgerRows.filter((row) => row.status === 'loaded');
    const bytes = loaded.reduce((n, row) => n + row.bytes, 0);
    const rows = loaded.reduce((n, row) => n + row.rows, 0);
    const unchanged = r.ledgerRows.filter((row) => row.status === 'skipped').length;
    io.err(
      `${r.executionName} ${r.status}: ${loaded.length} partitions loaded (${unchanged} unchanged), ${rows} rows, ` +
        `${formatBytes(bytes)}; ${r.refreshedDatasets.length} SPICE datasets refreshed`,
    );
    if (r.status === 'FAILED') io.err(`warning: ${r.error?.Error}: ${r.error?.Cause}`);
  }
  const { openEngine } = await import('../../engines/open-engine.ts');
  const { runQuery } = await import('../../query/run-query.ts');
  const { default: churn } = await import('../../../queries/identity-center/instance-churn.ts');
  const engine = await openEngine(settings, 'duckdb', { sql: 'select from cloudtrail_events' });
  try {
    const result = await runQuery(engine, churn, { from: SAMPLE_FROM, to: SAMPLE_TO }, { signal: io.signal });
    printWarnings(engine.warnings(), io);
    io.out(`\nIAM Identity Center instance churn, ${SAMPLE_FROM} to ${SAMPLE_TO} (UTC, end excluded)\n`);
    await writeRows(
      result.rows as unknown as Record<string, unknown>[],
      result.columns,
      {
        format: parseFormat(values.format ?? 'table', true),
        maxRows: Number.POSITIVE_INFINITY,
        ...maxWidth,
      },
      io,
    );
    const { default: costByJob } = await import('../../../queries/glue/cost-by-job.ts');
    const lastDay = await runQuery(
      engine,
      costByJob,
      { from: LAST_SAMPLE_DAY, to: SAMPLE_TO },
      { signal: io.signal },
    );
    io.out(
      `\nAWS Glue jobs on ${LAST_SAMPLE_DAY}: runs, failures, DPU-hours and estimated cost (glue/cost-by-job)\n`,
    );
    await writeRows(
      lastDay.rows as unknown as Record<string, unknown>[],
      lastDay.columns,
      { format: parseFormat(values.format ?? 'table', true), maxRows: Number.POSITIVE_INFINITY, ...maxWidth },
      io,
    );
    io.out(
      `\nNext: lakeq query list · lakeq query run glue/cost-by-job --param from=${SAMPLE_FROM} --param to=${SAMPLE_TO} · lakeq alarms`,
    );
    io.out(
      `Dashboards: npm run lakeq -- dashboards serve --data-dir ${JSON.stringify(settings.dataDir)}  (then open http://127.0.0.1:8040/)`,
    );
    return 0;
  } finally {
    await engine.close();
  }
}
