import { SOURCES } from '../../sources/index.ts';
import type { HandlerContext } from './handler-context.ts';
import {
  type BackfillInput,
  backfillInputWindow,
  type HourlyInput,
  hourlyInputWindow,
} from './plan-window.ts';

/**
 * What the collect task answers: the planner reads `touchedHours`; each collected source (by
 * name) says what it collected, or why it collected nothing.
 */
export type CollectedSources = {
  /** Hour starts (ISO) whose collected files changed, possibly before the window (a run that finished late). */
  readonly touchedHours: readonly string[];
} & {
  readonly [source: string]: SourceCollected | readonly string[];
};

/** One source's part of the collect task's answer. */
export type SourceCollected =
  | { readonly collected: false; readonly reason: string }
  | ({ readonly collected: true } & Readonly<Record<string, unknown>>);

/**
 * Lambda action `collectSources`: the sources read through an API rather than delivered as
 * files (the registry's `collected` sources, today AWS Glue job runs and their CloudWatch
 * metrics) → hour files under each one's collected root, written only where they changed. It
 * runs before the plan, for the same window as the load (an hourly run's hour and lookback, or a
 * backfill's `[from, to)`), so the planner's fingerprints see the new files; the hours it changed
 * outside the window are planned too.
 *
 * @example
 * ```ts
 * await collectSources({ input: { time: '2026-11-27T14:05:00Z' } }, context)
 * // { touchedHours: ['2026-11-27T09:00:00.000Z', '2026-11-27T13:00:00.000Z'],
 * //   glue: { collected: true, runs: 14, metricPoints: 2310, files: 4, warnings: [] } }
 * ```
 */
export async function collectSources(
  payload: { input: HourlyInput | BackfillInput },
  context: HandlerContext,
): Promise<CollectedSources> {
  const input = payload.input ?? ({} as HourlyInput);
  const { from, to } = collectWindow(input);
  const touched = new Set<string>();
  const out: Record<string, SourceCollected> = {};
  for (const source of SOURCES) {
    if (source.inputs !== 'collected') continue;
    const collector = context.collectors?.[source.name];
    if (!collector) {
      out[source.name] = { collected: false, reason: `no ${source.title} source configured` };
      continue;
    }
    const result = await collector.collect({ from, to, now: context.now, signal: context.signal });
    if (!result.collected) {
      out[source.name] = { collected: false, reason: result.reason };
      continue;
    }
    for (const hour of result.touchedHours) touched.add(hour);
    out[source.name] = { collected: true, ...result.summary };
  }
  return { touchedHours: [...touched].sort(), ...out };
}

function collectWindow(input: HourlyInput | BackfillInput): { from: Date; to: Date } {
  return 'time' in input && input.time !== undefined
    ? hourlyInputWindow(input)
    : backfillInputWindow(input as BackfillInput);
}
