import type { HandlerContext } from './handler-context.ts';
import {
  type BackfillInput,
  backfillInputWindow,
  type HourlyInput,
  hourlyInputWindow,
} from './plan-window.ts';

/** What the collect task answers; the planner reads `touchedHours`. */
export interface CollectedSources {
  /** Hour starts (ISO) whose collected files changed, possibly before the window (a run that finished late). */
  readonly touchedHours: readonly string[];
  readonly glue:
    | { readonly collected: false; readonly reason: string }
    | {
        readonly collected: true;
        readonly runs: number;
        readonly metricPoints: number;
        readonly files: number;
        /** The first warnings (malformed captured files, runs without a start time). */
        readonly warnings: readonly string[];
      };
}

const MAX_WARNINGS = 20;

/**
 * Lambda action `collectSources`: the sources read through an API rather than delivered as
 * files (today AWS Glue job runs and their CloudWatch metrics) → hour files under the collected
 * root, written only where they changed. It runs before the plan, for the same window as the
 * load (an hourly run's hour and lookback, or a backfill's `[from, to)`), so the planner's
 * fingerprints see the new files; the hours it changed outside the window are planned too.
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
  if (!context.glue)
    return { touchedHours: [], glue: { collected: false, reason: 'no Glue source configured' } };
  const api = await context.glue.api();
  if (!api) return { touchedHours: [], glue: { collected: false, reason: context.glue.describe } };
  const { collectGlue } = await import('../../sources/glue/collect.ts');
  const result = await collectGlue({
    api,
    root: context.glue.collected,
    from,
    to,
    prices: context.glue.prices,
    region: context.glue.region,
    accountId: context.glue.accountId ?? null,
    now: context.now,
    signal: context.signal,
  });
  return {
    touchedHours: result.touchedHours,
    glue: {
      collected: true,
      runs: result.runs,
      metricPoints: result.metricPoints,
      files: result.files.length,
      warnings: result.warnings.slice(0, MAX_WARNINGS),
    },
  };
}

function collectWindow(input: HourlyInput | BackfillInput): { from: Date; to: Date } {
  return 'time' in input && input.time !== undefined
    ? hourlyInputWindow(input)
    : backfillInputWindow(input as BackfillInput);
}
