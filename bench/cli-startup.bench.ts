/**
 * CLI start-up: wall time of `node bin/lakeq.js --help` and `node bin/lakeq.js query list` as child
 * processes, against `node -e ""` (the floor: Node itself) measured in the same run.
 *
 * Goal (from the issue): `lakeq --help` under 0.5 s. The same commands with `NODE_COMPILE_CACHE` set are
 * measured too (informational; `LAKEQ_BENCH_COMPILE_CACHE=0` leaves them out).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { type BenchResult, envInt, log, median, ms, ratio, type SummaryRow, table } from './lib.ts';

const ROOT = path.join(import.meta.dirname, '..');
const GOAL_HELP_MS = 500;

interface Command {
  readonly label: string;
  readonly args: readonly string[];
  /** Extra environment of the child. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Informational: the same commands with Node's module compile cache (V8 code cache, TypeScript
 * stripping included), which `module.enableCompileCache()` in bin/lakeq.js would turn on.
 */
const COMPILE_CACHE = { NODE_COMPILE_CACHE: path.join(import.meta.dirname, '.data', 'node-compile-cache') };

const BASELINE: Command = { label: 'node -e ""', args: ['-e', ''] };
const COMMANDS: readonly Command[] = [
  { label: 'lakeq --help', args: ['bin/lakeq.js', '--help'] },
  { label: 'lakeq query list', args: ['bin/lakeq.js', 'query', 'list'] },
];
const CACHED: readonly Command[] = COMMANDS.map((c) => ({
  ...c,
  label: `${c.label} (compile cache)`,
  env: COMPILE_CACHE,
}));

/** One child process run, wall time from spawn to exit (stdout and stderr piped, not a terminal). */
function runOnce(command: Command): number {
  const started = performance.now();
  const env = { ...process.env, ...command.env };
  if (!command.env) delete env.NODE_COMPILE_CACHE;
  const child = spawnSync(process.execPath, command.args, { cwd: ROOT, encoding: 'utf8', env });
  const elapsed = performance.now() - started;
  if (child.error) throw child.error;
  if (child.status !== 0) {
    throw new Error(`${command.label} exited with ${child.status}: ${child.stderr.trim().slice(0, 500)}`);
  }
  return elapsed;
}

export async function runCliStartup(): Promise<BenchResult> {
  const runs = envInt('LAKEQ_BENCH_CLI_RUNS', 5);
  const withCache = process.env.LAKEQ_BENCH_COMPILE_CACHE !== '0';
  const all = [BASELINE, ...COMMANDS, ...(withCache ? CACHED : [])];
  log(
    `\n== CLI start-up (${runs} runs each after one warm-up, order rotated; node ${process.version}; ` +
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}) ==`,
  );
  for (const command of all) runOnce(command);
  const times = new Map<Command, number[]>(all.map((c) => [c, []]));
  for (let i = 0; i < runs; i++) {
    // Rotate the order each round so no command always runs first (or right after another).
    for (let j = 0; j < all.length; j++) {
      const command = all[(i + j) % all.length]!;
      times.get(command)!.push(runOnce(command));
    }
  }
  const floor = median(times.get(BASELINE)!);
  const lines = all.map((c) => {
    const t = times.get(c)!;
    return [
      c.label,
      ms(median(t)),
      ms(Math.min(...t)),
      ms(Math.max(...t)),
      c === BASELINE ? '1.00' : ratio(median(t), floor),
      c === BASELINE ? '-' : ms(median(t) - floor),
    ];
  });
  log(table(['command', 'median', 'min', 'max', 'x node -e ""', 'over node'], lines));

  const rows: SummaryRow[] = all.slice(1).map((c) => {
    const m = median(times.get(c)!);
    const isHelp = c === COMMANDS[0];
    return {
      bench: 'cli-startup',
      metric: c.label,
      lakeq: ms(m),
      baseline: `node -e "" ${ms(floor)}`,
      ratio: `lakeq/node ${ratio(m, floor)}`,
      goal: isHelp ? `< ${GOAL_HELP_MS} ms` : '-',
      met: isHelp ? m < GOAL_HELP_MS : undefined,
    };
  });
  return { rows, failed: false };
}

if (import.meta.main) await runCliStartup();
