import { writeFileSync } from 'node:fs';

/** Wall and CPU time (ms) of one named step, summed over its calls. */
export interface StepTiming {
  calls: number;
  wallMs: number;
  cpuMs: number;
}

const target = process.env.LAKEQ_STEP_TIMINGS;
const steps = new Map<string, StepTiming>();
/** Each call's start and end (ms since the process started): where the cores sat idle. */
const spans: [step: string, startMs: number, endMs: number][] = [];
if (target) {
  process.once('exit', () => {
    const cpu = process.cpuUsage();
    // The whole process too: its wall time since it started, CPU time, peak resident memory.
    const whole = {
      wallMs: performance.now(),
      cpuMs: (cpu.user + cpu.system) / 1000,
      maxRssKb: process.resourceUsage().maxRSS,
    };
    writeFileSync(
      target,
      `${JSON.stringify({ process: whole, steps: Object.fromEntries(steps), spans }, null, 1)}\n`,
    );
  });
}

/**
 * Runs `fn` and, when `LAKEQ_STEP_TIMINGS` names a file, adds its wall and CPU time (the whole
 * process's, DuckDB's threads included) to the step's totals, written to that file as JSON when
 * the process exits (with the whole process's wall, CPU and peak RSS, and each call's start and
 * end as `spans`, a timeline of the run): how the load benchmark tells where the time of a
 * `lakeq load` goes. The CPU of overlapping steps is counted in each (it is the process's);
 * without the variable it only runs `fn`.
 *
 * @example
 * ```ts
 * await timed('load: read files', () => worker.useFiles(files, 'cloudtrail'));
 * // LAKEQ_STEP_TIMINGS=/tmp/t.json lakeq load … → {"process": {…}, "steps": {"load: read files": {"calls": 7, "wallMs": 4021, "cpuMs": 5980}}, "spans": [["load: read files", 1101, 1789], …]}
 * ```
 */
export async function timed<T>(step: string, fn: () => Promise<T>): Promise<T> {
  if (!target) return fn();
  const wall = performance.now();
  const cpu = process.cpuUsage();
  try {
    return await fn();
  } finally {
    const used = process.cpuUsage(cpu);
    const total = steps.get(step) ?? { calls: 0, wallMs: 0, cpuMs: 0 };
    total.calls++;
    const end = performance.now();
    total.wallMs += end - wall;
    spans.push([step, Math.round(wall), Math.round(end)]);
    total.cpuMs += (used.user + used.system) / 1000;
    steps.set(step, total);
  }
}
