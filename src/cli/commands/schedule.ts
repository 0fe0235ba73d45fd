import { parseArgs } from 'node:util';
import { LakeqError } from '../../engines/engine.ts';
import type { CliIO } from '../io.ts';
import { localRunSources, settingsFrom } from '../options.ts';

const USAGE = `Usage: lakeq schedule [--at-minute M] [--max-catch-up N]
Runs the hourly state machine at minute M (default 5) past every hour, for the hour that just
finished; on start it catches up the hours missed while it was down (at most N, default 48).
Stops after the current run on Ctrl-C or SIGTERM; a second Ctrl-C aborts that run (the hour is
run again on the next start, or by lakeq run hourly --hour). One log line per run.`;

/** `lakeq schedule`: the hourly job on a laptop or a VM, without AWS. */
export async function run(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'at-minute': { type: 'string' },
      'max-catch-up': { type: 'string' },
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      source: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const atMinute = values['at-minute'] === undefined ? 5 : Number(values['at-minute']);
  const maxCatchUpHours = values['max-catch-up'] === undefined ? 48 : Number(values['max-catch-up']);
  if (!Number.isInteger(maxCatchUpHours) || maxCatchUpHours < 1) {
    throw new LakeqError('BAD_OPTION', `--max-catch-up must be a positive integer\n${USAGE}`, {
      usage: true,
    });
  }
  const settings = await settingsFrom(values);
  const { runScheduler } = await import('../../orchestration/scheduler/scheduler.ts');
  const { runStateMachine } = await import('../../orchestration/run-state-machine.ts');
  const { HOUR_MS } = await import('../../ingest/hours.ts');
  // The first Ctrl-C, or SIGTERM (systemd, docker stop), stops after the current run; only a
  // second Ctrl-C aborts the run itself.
  const controller = new AbortController();
  const abortRun = new AbortController();
  io.signal.addEventListener(
    'abort',
    () => {
      io.err('lakeq schedule: stopping after the current run (Ctrl-C again aborts it)');
      controller.abort();
    },
    { once: true },
  );
  io.onForce?.(() => abortRun.abort());
  const onTerm = () => controller.abort();
  process.once('SIGTERM', onTerm);
  io.err(`lakeq schedule: hourly at minute ${atMinute}, data in ${settings.dataDir}`);
  await runScheduler({
    dataDir: settings.dataDir,
    atMinute,
    maxCatchUpHours,
    signal: controller.signal,
    log: (line) => io.out(line),
    runHour: async (hour) => {
      const result = await runStateMachine(
        'hourly',
        { time: new Date(hour.getTime() + HOUR_MS).toISOString() },
        { ...localRunSources(settings), alarms: settings.alarms, signal: abortRun.signal },
      );
      const loaded = result.ledgerRows.filter((r) => r.status === 'loaded').length;
      const refreshed = result.refreshedDatasets.length;
      if (result.status === 'DUPLICATE')
        return { status: 'SKIPPED', detail: `${result.executionName} already ran` };
      if (result.status === 'ABORTED')
        return { status: 'ABORTED', detail: `${result.executionName} aborted` };
      if (result.status !== 'SUCCEEDED') {
        return {
          status: 'FAILED',
          detail:
            `${result.executionName} ${result.error?.Error ?? result.status}: ${result.error?.Cause ?? ''}`.trim(),
        };
      }
      return { status: 'SUCCEEDED', detail: `${loaded} partitions loaded, ${refreshed} datasets refreshed` };
    },
  });
  process.off('SIGTERM', onTerm);
  io.err('lakeq schedule: stopped');
  return 0;
}
