import type { CliIO } from '../io.ts';
import { parseCommon, parseFormat, settingsFrom } from '../options.ts';
import { writeRows } from '../output.ts';
import { printWarnings } from '../warnings.ts';

/** The sample estate's window: one week of November 2026, fixed so the output is reproducible. */
export const SAMPLE_FROM = '2026-11-01';
export const SAMPLE_TO = '2026-11-08';

/**
 * `lakeq start` (`npm start`): the embedded default end to end. Writes sample CloudTrail logs
 * into the data folder when it has none, loads them into the hour-partitioned Parquet tables
 * (only what changed), then prints the Identity Center instance churn from them.
 */
export async function run(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommon(args);
  const settings = await settingsFrom({ ...values, engine: 'duckdb' });
  const { scanCloudTrailFolder } = await import('../../ingest/cloudtrail-files.ts');
  const existing = await scanCloudTrailFolder(settings.sources.cloudtrail);
  if (existing.files.length === 0) {
    const { writeCloudTrailSample } = await import('../../ingest/sample/cloudtrail-sample.ts');
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
  const { runLoad } = await import('../../ingest/run-load.ts');
  const { progressReporter, formatBytes } = await import('../progress.ts');
  const { summary } = await runLoad({
    dataDir: settings.dataDir,
    cloudtrailRoot: settings.sources.cloudtrail,
    from: new Date(`${SAMPLE_FROM}T00:00:00Z`),
    to: new Date(`${SAMPLE_TO}T00:00:00Z`),
    onProgress: progressReporter(io),
    signal: io.signal,
  });
  if (summary) {
    io.err(
      `Loaded ${summary.loaded} hour partitions (${summary.unchanged} unchanged), ${summary.rows} rows, ` +
        `${formatBytes(summary.bytes)} of Parquet into ${settings.dataDir}`,
    );
    if (summary.failed > 0)
      io.err(`warning: ${summary.failed} partitions failed: ${summary.errors.join('; ')}`);
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
      },
      io,
    );
    io.out(
      `\nNext: lakeq query list · lakeq query run identity-center/instance-events --param from=${SAMPLE_FROM} --param to=${SAMPLE_TO}`,
    );
    return 0;
  } finally {
    await engine.close();
  }
}
