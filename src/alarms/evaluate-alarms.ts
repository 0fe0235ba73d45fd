import { type LedgerRow, readLedger } from '../ingest/ledger.ts';
import {
  type AlarmDefinition,
  type Comparison,
  cloudWatchAlarmName,
  LAKEQ_NAMESPACE,
  type MetricAlarm,
  periodSecondsOf,
} from './alarm-definition.ts';
import { type AlarmState, decideState } from './alarm-state.ts';
import {
  type AlarmStateFile,
  type AlarmTransition,
  appendAlarmHistory,
  readAlarmState,
  type StoredAlarmState,
  writeAlarmState,
} from './alarm-store.ts';
import { ALARMS } from './alarms.ts';
import { type HealthMetrics, healthData, healthMetrics } from './health-metrics.ts';
import { queryAlarmValue, type RunAlarmQuery } from './query-alarm-value.ts';

/** One alarm after an evaluation. */
export interface AlarmEvaluation {
  readonly name: string;
  readonly kind: AlarmDefinition['kind'];
  /** `lakeq-<name>`, as deployed to CloudWatch. */
  readonly alarmName: string;
  readonly state: AlarmState;
  /** The state before this evaluation (INSUFFICIENT_DATA for an alarm never evaluated, as CloudWatch starts). */
  readonly previousState: AlarmState;
  readonly changed: boolean;
  /** When the alarm entered `state`. */
  readonly since: string;
  /** This period's datapoint; `null` when there is none. */
  readonly value: number | null;
  readonly threshold: number;
  readonly comparison: Comparison;
  readonly reason: string;
  /**
   * False for a metric alarm on a metric only CloudWatch has (not lakeq's health): it is
   * deployed, not evaluated here, and its state is INSUFFICIENT_DATA.
   */
  readonly evaluated: boolean;
  /** Why the value could not be computed (a query failed). */
  readonly error?: string;
  /** The parameters a query alarm's query ran with. */
  readonly params?: Readonly<Record<string, string | number | boolean>>;
}

/** What `evaluateAlarms` found and recorded. */
export interface AlarmReport {
  readonly at: string;
  readonly health: HealthMetrics;
  readonly alarms: readonly AlarmEvaluation[];
  readonly transitions: readonly AlarmTransition[];
  /**
   * False when nothing was written: `record: false`, or `at` is before the last recorded
   * evaluation (an evaluation of the past does not rewrite the present).
   */
  readonly recorded: boolean;
}

export interface EvaluateAlarmsOptions {
  readonly dataDir: string;
  /** The evaluation time (default now). */
  readonly at?: Date;
  /** Default ALARMS. */
  readonly alarms?: readonly AlarmDefinition[];
  readonly runQuery: RunAlarmQuery;
  /** The ledger rows (default `readLedger(dataDir)`). */
  readonly ledger?: readonly LedgerRow[];
  /** Write state.json and the history (default true). */
  readonly record?: boolean;
  /** The tables whose lag counts (default every table in the ledger). */
  readonly healthTables?: readonly string[];
}

/**
 * A lakeq-namespace metric's datapoint from the health metrics; `undefined` when the metric is
 * not one of them (so it cannot be evaluated locally), `null` when it has no datapoint.
 */
function healthValue(alarm: MetricAlarm, health: HealthMetrics): number | null | undefined {
  if (alarm.metric.namespace !== LAKEQ_NAMESPACE) return undefined;
  const wanted = Object.entries(alarm.metric.dimensions).sort();
  const key = (name: string, dims: [string, string][]) => JSON.stringify([name, dims]);
  const data = new Map(
    healthData(health).map((d) => [key(d.metricName, Object.entries(d.dimensions).sort()), d.value]),
  );
  const found = data.get(key(alarm.metric.name, wanted));
  if (found !== undefined) return found;
  // A known metric without this period's datapoint: LagHours before any load, or of a table not loaded.
  const known = alarm.metric.name === 'LagHours' && wanted.every(([k]) => k === 'Table');
  return known ? null : undefined;
}

/**
 * Evaluates alarms locally at a time, as CloudWatch would on the published metrics: query
 * alarms run their query (through `runQuery`), lakeq's health metrics come from the ledger.
 * Each alarm's state is decided from the datapoints of its last `evaluationPeriods` periods
 * (earlier ones kept in `<dataDir>/alarms/state.json`); a change of state is a transition,
 * appended to `<dataDir>/alarms/history.ndjson`. A query that fails makes its alarm
 * INSUFFICIENT_DATA with the error as the reason; it never stops the other alarms.
 *
 * @example
 * ```ts
 * const report = await evaluateAlarms({ dataDir, at: new Date('2026-11-27T14:05:00Z'), runQuery });
 * report.alarms.map((a) => [a.name, a.state]) // [['loads-stopped', 'OK'], ['etl-failed-loads', 'OK'], ...]
 * report.transitions // [{ alarm: 'etl-failed-loads', from: 'OK', to: 'ALARM', reason: 'Threshold Crossed: …' }]
 * ```
 */
export async function evaluateAlarms(options: EvaluateAlarmsOptions): Promise<AlarmReport> {
  const at = options.at ?? new Date();
  const alarms = options.alarms ?? ALARMS;
  const ledger = options.ledger ?? (await readLedger(options.dataDir)).rows;
  const health = healthMetrics(ledger, at, options.healthTables ? { tables: options.healthTables } : {});
  const stored = await readAlarmState(options.dataDir);
  const iso = at.toISOString();
  const evaluations: AlarmEvaluation[] = [];
  const next: Record<string, StoredAlarmState> = { ...(stored?.alarms ?? {}) };
  const transitions: AlarmTransition[] = [];
  for (const alarm of alarms) {
    const before = stored?.alarms[alarm.name];
    const previousState: AlarmState = before?.state ?? 'INSUFFICIENT_DATA';
    const base = {
      name: alarm.name,
      kind: alarm.kind,
      alarmName: cloudWatchAlarmName(alarm),
      threshold: alarm.threshold,
      comparison: alarm.comparison,
      previousState,
    };
    let value: number | null;
    let error: string | undefined;
    let params: Record<string, string | number | boolean> | undefined;
    if (alarm.kind === 'query') {
      try {
        const result = await queryAlarmValue(alarm, at, options.runQuery);
        value = result.value;
        params = result.params;
      } catch (e) {
        value = null;
        error = e instanceof Error ? e.message : String(e);
      }
    } else {
      const found = healthValue(alarm, health);
      if (found === undefined) {
        evaluations.push({
          ...base,
          state: 'INSUFFICIENT_DATA',
          changed: false,
          since: iso,
          value: null,
          reason: `Not evaluated locally: ${alarm.metric.namespace}/${alarm.metric.name} is read by CloudWatch only`,
          evaluated: false,
        });
        continue;
      }
      value = found;
    }
    const periodMs = periodSecondsOf(alarm) * 1000;
    const current = Math.floor(at.getTime() / periodMs) * periodMs;
    const kept = new Map((before?.datapoints ?? []).map((d) => [Date.parse(d.period), d.value]));
    kept.set(current, value);
    const series: (number | null)[] = [];
    const datapoints: { period: string; value: number | null }[] = [];
    for (let i = alarm.evaluationPeriods - 1; i >= 0; i--) {
      const period = current - i * periodMs;
      const v = kept.get(period) ?? null;
      series.push(v);
      if (kept.has(period)) datapoints.push({ period: new Date(period).toISOString(), value: v });
    }
    const decided =
      error === undefined
        ? decideState(series, alarm, previousState)
        : { state: 'INSUFFICIENT_DATA' as const, reason: `Query failed: ${error}` };
    const changed = decided.state !== previousState;
    const since = changed || !before ? iso : before.since;
    evaluations.push({
      ...base,
      state: decided.state,
      changed,
      since,
      value,
      reason: decided.reason,
      evaluated: true,
      ...(error !== undefined ? { error } : {}),
      ...(params ? { params } : {}),
    });
    next[alarm.name] = {
      state: decided.state,
      since,
      evaluatedAt: iso,
      value,
      reason: decided.reason,
      datapoints,
    };
    if (changed) {
      transitions.push({
        at: iso,
        alarm: alarm.name,
        from: previousState,
        to: decided.state,
        value,
        threshold: alarm.threshold,
        reason: decided.reason,
      });
    }
  }
  const stale = stored !== undefined && Date.parse(stored.evaluatedAt) > at.getTime();
  const record = (options.record ?? true) && !stale;
  if (record) {
    // History first: a crash in between repeats a transition next time rather than losing it.
    await appendAlarmHistory(options.dataDir, transitions);
    const file: AlarmStateFile = { version: 1, evaluatedAt: iso, alarms: next };
    await writeAlarmState(options.dataDir, file);
  }
  return { at: iso, health, alarms: evaluations, transitions, recorded: record };
}
