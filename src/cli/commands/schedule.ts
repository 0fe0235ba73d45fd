import { parseArgs } from 'node:util';
import { LakeqError } from '../../engines/engine.ts';
import type { CliIO } from '../io.ts';
import { localRunSources, settingsFrom } from '../options.ts';

const USAGE = `Usage: lakeq schedule [--at-minute M] [--max-catch-up N]
Runs the hourly state machine at minute M (default 5) past every hour, for the hour that just
finished; on start it catches up the hours missed while it was down (at most N, default 48).
Stops after the current run on Ctrl-C or SIGTERM. One log line per run.`;

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
  // SIGTERM (systemd, docker stop) stops like Ctrl-C: after the current run.
  const controller = new AbortController();
  io.signal.addEventListener('abort', () => controller.abort(), { once: true });
  process.once('SIGTERM', () => controller.abort());
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
        { ...localRunSources(settings), alarms: settings.alarms, signal: controller.signal },
      );
      const loaded = result.ledgerRows.filter((r) => r.status === 'loaded').length;
      const refreshed = result.refreshedDatasets.length;
      if (result.status === 'DUPLICATE')
        return { status: 'SKIPPED', detail: `${result.executionName} already ran` };
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
  io.err('lakeq schedule: stopped');
  return 0;
}
