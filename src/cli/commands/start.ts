import type { Engine } from '../../engines/engine.ts';
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
 * Center instance churn and, beside it, the inventory of the latest Identity Center snapshot.
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
    await printInventory(engine, io, { format: parseFormat(values.format ?? 'table', true), ...maxWidth });
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

/**
 * The Identity Center inventory beside the churn: the latest snapshot's instances
 * (identity-center/instances), and in one line what the trail and the snapshot each see alone
 * (identity-center/inventory-vs-churn) and the people in more than one instance.
 */
async function printInventory(
  engine: Engine,
  io: CliIO,
  output: { format: ReturnType<typeof parseFormat>; maxWidth?: number },
): Promise<void> {
  const { runQuery } = await import('../../query/run-query.ts');
  const { default: instances } = await import('../../../queries/identity-center/instances.ts');
  const { default: vsChurn } = await import('../../../queries/identity-center/inventory-vs-churn.ts');
  const { default: duplicates } = await import('../../../queries/identity-center/duplicate-users.ts');
  const inventory = await runQuery(engine, instances, {}, { signal: io.signal });
  const day = inventory.rows[0]?.snapshot_day;
  if (day === undefined) {
    io.out(
      "\nIAM Identity Center inventory: no snapshot is loaded yet (the day's snapshot loads after its first hour)",
    );
    return;
  }
  io.out(`\nIAM Identity Center instances in the inventory snapshot of ${day} (identity-center/instances)\n`);
  const shown = inventory.rows.map(({ snapshot_day: _d, ...row }) => row);
  await writeRows(
    shown as unknown as Record<string, unknown>[],
    inventory.columns.filter((c) => c.name !== 'snapshot_day'),
    { ...output, maxRows: Number.POSITIVE_INFINITY },
    io,
  );
  const versus = await runQuery(engine, vsChurn, { from: SAMPLE_FROM, to: SAMPLE_TO }, { signal: io.signal });
  const trailOnly = versus.rows.filter((r) => r.finding === 'in_trail_not_in_snapshot');
  const deleted = trailOnly.filter((r) => r.deleted_in_trail !== null).length;
  const before = versus.rows.filter((r) => r.finding === 'in_snapshot_not_created_in_trail').length;
  const people = await runQuery(engine, duplicates, {}, { signal: io.signal });
  const shared = people.rows.filter((r) => r.kind === 'duplicate').length;
  const noEmail = people.rows.filter((r) => r.kind === 'no_email').length;
  io.out(
    `Beside the churn (identity-center/inventory-vs-churn): ${trailOnly.length} instances of the trail are not in the snapshot ` +
      `(${deleted} deleted in the trail), ${before} of the snapshot have no CreateInstance in it. ` +
      `${shared} e-mail addresses are in more than one instance, ${noEmail} users have none (identity-center/duplicate-users).`,
  );
}
