import type { CliIO } from '../io.ts';
import { localRunSources, parseCommon, parseFormat, parseMaxWidth, settingsFrom } from '../options.ts';
import { writeRows } from '../output.ts';
import { printWarnings } from '../warnings.ts';

/** The sample estate's window: one week of November 2026, fixed so the output is reproducible. */
export const SAMPLE_FROM = '2026-11-01';
export const SAMPLE_TO = '2026-11-08';
const LAST_SAMPLE_DAY = '2026-11-07';

/**
 * `lakeq start` (`npm start`): the embedded default end to end. Writes each source's sample
 * (CloudTrail logs, captured Glue API responses) into its input folder when that has none, runs the backfill and hourly state machines over them
 * (Parquet tables, ledger, local SPICE snapshots; only what changed), then prints the Identity
 * Center instance churn from the tables.
 */
export async function run(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommon(args);
  const maxWidth = parseMaxWidth(values['max-width']);
  const settings = await settingsFrom({ ...values, engine: 'duckdb' });
  // Each source with a sample generator gets one where its input has no data yet.
  const { SOURCES } = await import('../../sources/index.ts');
  for (const source of SOURCES) {
    const input = settings.sources[source.name];
    if (!source.sample || input === undefined) continue;
    const writer = await source.sample.writer();
    const found = await writer.inspect(input);
    if (found.message) io.err(found.message);
    if (found.found) continue;
    const written = await writer.write({
      out: input,
      from: new Date(`${SAMPLE_FROM}T00:00:00Z`),
      to: new Date(`${SAMPLE_TO}T00:00:00Z`),
      seed: 1,
      options: {},
    });
    io.err(written.brief);
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
