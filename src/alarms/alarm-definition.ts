import { z } from 'zod';

/** CloudWatch's names for how a value is compared with the threshold (PutMetricAlarm ComparisonOperator). */
export const COMPARISONS = [
  'GreaterThanThreshold',
  'GreaterThanOrEqualToThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** What a period without a datapoint counts as (PutMetricAlarm TreatMissingData). */
export const TREAT_MISSING_DATA = ['breaching', 'notBreaching', 'ignore', 'missing'] as const;
export type TreatMissingData = (typeof TREAT_MISSING_DATA)[number];

/** PutMetricAlarm Statistic. */
export const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export type Statistic = (typeof STATISTICS)[number];

/** PutMetricData / PutMetricAlarm StandardUnit values lakeq's metrics use. */
export const UNITS = ['Count', 'None', 'Seconds', 'Bytes', 'Percent'] as const;
export type MetricUnit = (typeof UNITS)[number];

/** The namespace of the metrics lakeq publishes (its health and its query alarms' values). */
export const LAKEQ_NAMESPACE = 'lakeq';

/** How a query alarm turns rows into one value: `count` of rows, or sum/max/min of a column. */
export type AlarmReduce =
  | { readonly reduce: 'count' }
  | { readonly reduce: 'sum' | 'max' | 'min'; readonly column: string };

/** What both kinds share. */
interface AlarmCommon {
  /** Lower-case kebab; the CloudWatch alarm is `lakeq-<name>`. */
  readonly name: string;
  readonly description: string;
  readonly comparison: Comparison;
  readonly threshold: number;
  /** Periods that must all breach to go to ALARM (PutMetricAlarm EvaluationPeriods). */
  readonly evaluationPeriods: number;
  readonly treatMissingData: TreatMissingData;
}

/**
 * An alarm on a library query: the query runs over a window ending at the evaluation time's
 * last finished hour, its rows are reduced to one value, and the value is compared with the
 * threshold. On AWS the hourly run publishes the value (namespace `lakeq`, metric `metricName`,
 * dimension `Alarm=<name>`) and a CloudWatch alarm watches it.
 */
export interface QueryAlarm extends AlarmCommon {
  readonly kind: 'query';
  readonly query: {
    readonly id: string;
    /** The window `[end − hours, end)`, given to the query as `fromParam`/`toParam` (ISO times). */
    readonly window?: {
      readonly hours: number;
      readonly fromParam: string;
      readonly toParam: string;
    };
    /** Fixed parameters, as on the command line. */
    readonly params: Readonly<Record<string, string | number | boolean>>;
  };
  readonly value: AlarmReduce;
  readonly periodHours: number;
  readonly metricName: string;
  readonly unit: MetricUnit;
}

/** An alarm on a CloudWatch metric, deployed as it is; locally evaluated for lakeq's own health metrics. */
export interface MetricAlarm extends AlarmCommon {
  readonly kind: 'metric';
  readonly metric: {
    readonly namespace: string;
    readonly name: string;
    readonly dimensions: Readonly<Record<string, string>>;
    readonly statistic: Statistic;
  };
  readonly periodSeconds: number;
}

export type AlarmDefinition = QueryAlarm | MetricAlarm;

const NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const QUERY_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\/[a-z0-9]+(?:-[a-z0-9]+)*)+$/;
const DAY_SECONDS = 86_400;

const common = {
  name: z.string().max(200).regex(NAME, 'must be lower-case kebab, like "loads-stopped"'),
  description: z.string().min(1).max(1024),
  comparison: z.enum(COMPARISONS),
  threshold: z.number().finite(),
  evaluationPeriods: z.number().int().min(1).default(1),
};

const querySchema = z
  .object({
    kind: z.literal('query'),
    ...common,
    query: z
      .object({
        id: z.string().regex(QUERY_ID, 'must be a library query id like "glue/failures"'),
        window: z
          .object({
            hours: z
              .number()
              .int()
              .min(1)
              .max(24 * 90),
            fromParam: z.string().min(1).default('from'),
            toParam: z.string().min(1).default('to'),
          })
          .strict()
          .optional(),
        params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
      })
      .strict(),
    value: z.discriminatedUnion('reduce', [
      z.object({ reduce: z.literal('count') }).strict(),
      z.object({ reduce: z.enum(['sum', 'max', 'min']), column: z.string().min(1) }).strict(),
    ]),
    periodHours: z.number().int().min(1).max(24).default(1),
    // An hourly run that did not happen publishes nothing: by default that reads as unknown.
    treatMissingData: z.enum(TREAT_MISSING_DATA).default('missing'),
    metricName: z.string().min(1).max(255).optional(),
    unit: z.enum(UNITS).default('None'),
  })
  .strict()
  .refine((a) => a.evaluationPeriods * a.periodHours * 3600 <= 7 * DAY_SECONDS, {
    message: 'evaluationPeriods × periodHours must be at most 7 days (CloudWatch)',
    path: ['evaluationPeriods'],
  })
  .refine(
    (a) =>
      !a.query.window ||
      !(a.query.window.fromParam in a.query.params || a.query.window.toParam in a.query.params),
    {
      message: 'a fixed param has the name of a window param',
      path: ['query', 'params'],
    },
  );

const metricSchema = z
  .object({
    kind: z.literal('metric'),
    ...common,
    metric: z
      .object({
        namespace: z.string().min(1).max(255).regex(/^[^:]/, 'must not start with ":"'),
        name: z.string().min(1).max(255),
        dimensions: z
          .record(z.string().min(1).max(255), z.string().min(1).max(1024))
          .default({})
          .refine((d) => Object.keys(d).length <= 30, 'at most 30 dimensions'),
        statistic: z.enum(STATISTICS),
      })
      .strict(),
    periodSeconds: z
      .number()
      .int()
      .refine((p) => p === 10 || p === 20 || p === 30 || (p % 60 === 0 && p > 0 && p <= DAY_SECONDS), {
        message: 'must be 10, 20, 30 or a multiple of 60 up to 86400 (CloudWatch)',
      })
      .default(3600),
    treatMissingData: z.enum(TREAT_MISSING_DATA).default('missing'),
  })
  .strict()
  .refine((a) => a.evaluationPeriods * a.periodSeconds <= 7 * DAY_SECONDS, {
    message: 'evaluationPeriods × periodSeconds must be at most 7 days (CloudWatch)',
    path: ['evaluationPeriods'],
  });

/** What an alarm's author writes: the definition with its defaults left out. */
export type QueryAlarmSpec = z.input<typeof querySchema>;
export type MetricAlarmSpec = z.input<typeof metricSchema>;
export type AlarmSpec = QueryAlarmSpec | MetricAlarmSpec;

/**
 * The default metric name of a query alarm.
 *
 * @example
 * ```ts
 * metricNameOf('glue-failed-runs') // 'GlueFailedRuns'
 * ```
 */
export function metricNameOf(alarmName: string): string {
  return alarmName
    .split('-')
    .map((w) => (w[0] ?? '').toUpperCase() + w.slice(1))
    .join('');
}

/**
 * Validates an alarm and fills in its defaults (evaluationPeriods 1, treatMissingData `missing`,
 * periodHours 1 / periodSeconds 3600, window params `from`/`to`, a query alarm's metric name
 * from its name). A bad definition throws at import, naming the alarm and the field.
 *
 * @example
 * ```ts
 * const alarm = defineAlarm({
 *   kind: 'query', name: 'api-errors', description: 'API errors in the last hour',
 *   query: { id: 'cloudtrail/api-errors-by-principal', window: { hours: 1 } },
 *   value: { reduce: 'sum', column: 'errors' },
 *   comparison: 'GreaterThanThreshold', threshold: 100,
 * });
 * alarm.metricName // 'ApiErrors'
 * ```
 */
export function defineAlarm(spec: QueryAlarmSpec): QueryAlarm;
export function defineAlarm(spec: MetricAlarmSpec): MetricAlarm;
export function defineAlarm(spec: AlarmSpec): AlarmDefinition;
export function defineAlarm(spec: AlarmSpec): AlarmDefinition {
  const kind = (spec as { kind?: unknown }).kind;
  const label = `alarm ${JSON.stringify((spec as { name?: unknown }).name ?? '(no name)')}`;
  if (kind !== 'query' && kind !== 'metric') {
    throw new Error(`${label}: kind must be "query" or "metric" (got ${JSON.stringify(kind)})`);
  }
  const parsed = kind === 'query' ? querySchema.safeParse(spec) : metricSchema.safeParse(spec);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${label}: ${problems.join('; ')}`);
  }
  const a = parsed.data;
  if (a.kind === 'metric') return Object.freeze(a satisfies MetricAlarm);
  return Object.freeze({ ...a, metricName: a.metricName ?? metricNameOf(a.name) } satisfies QueryAlarm);
}

/**
 * Checks a list of alarms as a whole: names unique (they name the CloudWatch alarms), and no two
 * query alarms publishing the same metric and dimension.
 *
 * @example
 * ```ts
 * export const ALARMS = defineAlarms([defineAlarm({ ... }), defineAlarm({ ... })]);
 * ```
 */
export function defineAlarms(alarms: readonly AlarmDefinition[]): readonly AlarmDefinition[] {
  const seen = new Set<string>();
  for (const a of alarms) {
    if (seen.has(a.name)) throw new Error(`alarm "${a.name}" is defined twice`);
    seen.add(a.name);
  }
  return Object.freeze([...alarms]);
}

/**
 * The CloudWatch alarm's name.
 *
 * @example
 * ```ts
 * cloudWatchAlarmName({ name: 'loads-stopped' }) // 'lakeq-loads-stopped'
 * ```
 */
export function cloudWatchAlarmName(alarm: Pick<AlarmDefinition, 'name'>): string {
  return `lakeq-${alarm.name}`;
}

/**
 * The period in seconds, for both kinds.
 *
 * @example
 * ```ts
 * periodSecondsOf(defineAlarm({ kind: 'query', periodHours: 2, ... })) // 7200
 * ```
 */
export function periodSecondsOf(alarm: AlarmDefinition): number {
  return alarm.kind === 'query' ? alarm.periodHours * 3600 : alarm.periodSeconds;
}
