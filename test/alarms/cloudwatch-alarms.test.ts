import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandInput,
  type MetricAlarm,
  PutMetricAlarmCommand,
  type PutMetricAlarmCommandInput,
  PutMetricDataCommand,
  type PutMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlarmDefinition, defineAlarm } from '../../src/alarms/alarm-definition.ts';
import { alarmResources } from '../../src/alarms/alarm-resources.ts';
import { ALARMS, defaultAlarms } from '../../src/alarms/alarms.ts';
import {
  healthValues,
  type MetricValue,
  putMetricAlarmInput,
  putMetricDataInputs,
} from '../../src/alarms/cloudwatch-alarms.ts';
import { healthMetrics } from '../../src/alarms/health-metrics.ts';
import { alarmsAfterHourlyRun } from '../../src/alarms/hourly-alarms.ts';
import { applyDeploy, type DeployPlan } from '../../src/deploy/plan-deploy.ts';
import { planResource } from '../../src/deploy/resource.ts';
import { expectValidCommands, expectValidRequest } from '../support/aws-model-validator.ts';
import { ledgerRow } from './ledger-rows.ts';

const cloudwatch = mockClient(CloudWatchClient);
const client = () => new CloudWatchClient({ region: 'eu-west-1' });
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:lakeq-alarms';
const AT = new Date('2026-11-28T01:20:00Z');

afterEach(() => {
  cloudwatch.reset();
});

describe('PutMetricAlarm inputs', () => {
  it('are valid CloudWatch requests for every default alarm', () => {
    for (const alarm of ALARMS)
      expectValidRequest(
        'cloudwatch',
        'PutMetricAlarm',
        putMetricAlarmInput(alarm, { alarmActions: [TOPIC] }),
      );
  });

  it('watch LagHours for loads-stopped and the published value for a query alarm', () => {
    const [loadsStopped] = ALARMS;
    expect(putMetricAlarmInput(loadsStopped as AlarmDefinition, { alarmActions: [TOPIC] })).toMatchObject({
      AlarmName: 'lakeq-loads-stopped',
      Namespace: 'lakeq',
      MetricName: 'LagHours',
      Dimensions: [],
      Statistic: 'Maximum',
      Period: 3600,
      EvaluationPeriods: 1,
      Threshold: 3,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'breaching',
      ActionsEnabled: true,
      AlarmActions: [TOPIC],
    });
    const cost = ALARMS.find((a) => a.name === 'glue-daily-cost') as AlarmDefinition;
    const input = putMetricAlarmInput(cost);
    expect(input).toMatchObject({
      AlarmName: 'lakeq-glue-daily-cost',
      Namespace: 'lakeq',
      MetricName: 'GlueDailyCost',
      Dimensions: [{ Name: 'Alarm', Value: 'glue-daily-cost' }],
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: 100,
      AlarmActions: [],
    });
    expect(input.AlarmDescription).toContain('query glue/cost-by-job (sum of estimated_cost_usd)');
  });
});

describe('PutMetricData inputs', () => {
  it('carry the health metrics and are split at 1000 metric data per request', () => {
    const health = healthMetrics(
      [
        ledgerRow({
          table: 'cloudtrail_events',
          dt: '2026-11-27',
          hour: '23',
          status: 'loaded',
          rows: 12,
          finishedAt: '2026-11-28T01:00:00Z',
        }),
      ],
      AT,
    );
    const [one, ...none] = putMetricDataInputs(healthValues(health), AT);
    expect(none).toEqual([]);
    expectValidRequest('cloudwatch', 'PutMetricData', one);
    expect(one).toEqual({
      Namespace: 'lakeq',
      MetricData: [
        { MetricName: 'RowsLoaded', Dimensions: [], Timestamp: AT, Value: 12, Unit: 'Count' },
        { MetricName: 'FailedLoads', Dimensions: [], Timestamp: AT, Value: 0, Unit: 'Count' },
        { MetricName: 'LagHours', Dimensions: [], Timestamp: AT, Value: 1, Unit: 'None' },
        {
          MetricName: 'LagHours',
          Dimensions: [{ Name: 'Table', Value: 'cloudtrail_events' }],
          Timestamp: AT,
          Value: 1,
          Unit: 'None',
        },
      ],
    });

    const many: MetricValue[] = Array.from({ length: 2500 }, (_, i) => ({
      metricName: 'LagHours',
      dimensions: { Table: `t${i}` },
      value: i,
      unit: 'None',
    }));
    const requests = putMetricDataInputs(many, AT);
    expect(requests.map((r) => r.MetricData?.length)).toEqual([1000, 1000, 500]);
    expect(requests.flatMap((r) => r.MetricData?.map((d) => d.Value))).toEqual(many.map((m) => m.value));
    for (const r of requests) expectValidRequest('cloudwatch', 'PutMetricData', r);
    expect(() =>
      putMetricDataInputs([{ metricName: 'X', dimensions: {}, value: Number.NaN, unit: 'None' }], AT),
    ).toThrow('metric lakeq/X {}: value NaN is not a finite number');
  });
});

describe('alarmsAfterHourlyRun on AWS', () => {
  it('publishes health and query alarm values; a failing query is named, not published', async () => {
    const sent: PutMetricDataCommandInput[] = [];
    let throttled = false;
    cloudwatch.on(PutMetricDataCommand).callsFake(async (input: PutMetricDataCommandInput) => {
      if (!throttled) {
        throttled = true;
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      }
      sent.push(input);
      return {};
    });
    const asked: [string, Readonly<Record<string, unknown>>][] = [];
    const result = await alarmsAfterHourlyRun({
      at: AT,
      dataDir: '/nonexistent',
      ledger: [
        ledgerRow({
          table: 'glue_job_runs',
          dt: '2026-11-28',
          hour: '00',
          status: 'failed',
          finishedAt: '2026-11-28T01:01:00Z',
        }),
      ],
      runQuery: async (id, params) => {
        asked.push([id, params]);
        if (id === 'glue/cost-by-job') throw new Error('Athena: TABLE_NOT_FOUND');
        return [{ job_name: 'a' }, { job_name: 'b' }, { job_name: 'a' }];
      },
      cloudwatch: client(),
      retry: { minTimeoutMs: 1, maxTimeoutMs: 1 },
    });
    expect(asked).toEqual([
      ['glue/failures', { from: '2026-11-28T00:00:00.000Z', to: '2026-11-28T01:00:00.000Z' }],
      ['glue/cost-by-job', { from: '2026-11-27T01:00:00.000Z', to: '2026-11-28T01:00:00.000Z' }],
    ]);
    expect(result).toMatchObject({
      mode: 'cloudwatch',
      values: [
        { alarm: 'glue-failed-runs', value: 3 },
        { alarm: 'glue-daily-cost', value: null, error: 'Athena: TABLE_NOT_FOUND' },
      ],
      metricData: 3,
      requests: 1,
    });
    // Retried once after the throttling error, then sent.
    expect(cloudwatch.commandCalls(PutMetricDataCommand)).toHaveLength(2);
    expectValidCommands(
      'cloudwatch',
      cloudwatch.calls().map((c) => c.args[0]),
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]?.MetricData?.map((d) => [d.MetricName, d.Dimensions, d.Value, d.Unit])).toEqual([
      ['RowsLoaded', [], 0, 'Count'],
      ['FailedLoads', [], 1, 'Count'],
      // Only a failed row: no table has loaded anything, so no LagHours.
      ['GlueFailedRuns', [{ Name: 'Alarm', Value: 'glue-failed-runs' }], 3, 'Count'],
    ]);
  });
});

describe('the alarm deploy resources', () => {
  /** CloudWatch's alarms, as PutMetricAlarm leaves them and DescribeAlarms pages through them (2 a page). */
  let deployed: Map<string, MetricAlarm>;
  beforeEach(() => {
    deployed = new Map();
    cloudwatch.on(DescribeAlarmsCommand).callsFake(async (input: DescribeAlarmsCommandInput) => {
      const names = [...deployed.keys()].filter((n) => n.startsWith(input.AlarmNamePrefix ?? '')).sort();
      const start = input.NextToken ? Number(input.NextToken) : 0;
      const page = names.slice(start, start + 2);
      return {
        MetricAlarms: page.map((n) => deployed.get(n) as MetricAlarm),
        ...(start + 2 < names.length ? { NextToken: String(start + 2) } : {}),
      };
    });
    cloudwatch.on(PutMetricAlarmCommand).callsFake(async (input: PutMetricAlarmCommandInput) => {
      const name = input.AlarmName as string;
      deployed.set(name, {
        ...(input as MetricAlarm),
        AlarmArn: `arn:aws:cloudwatch:eu-west-1:111122223333:alarm:${name}`,
        StateValue: 'INSUFFICIENT_DATA',
        OKActions: [],
        InsufficientDataActions: [],
        AlarmConfigurationUpdatedTimestamp: new Date(),
      });
      return {};
    });
    // Someone else's alarm: not lakeq's prefix, never listed or touched.
    deployed.set('other-team-alarm', { AlarmName: 'other-team-alarm', Threshold: 1 });
  });

  const plan = async (alarms: readonly AlarmDefinition[]): Promise<DeployPlan> => ({
    changes: await Promise.all(
      alarmResources(client(), alarms, { alarmActions: [TOPIC] }).map((r) => planResource(r)),
    ),
    warnings: [],
  });
  const puts = () => cloudwatch.commandCalls(PutMetricAlarmCommand).map((c) => c.args[0].input);

  it('creates every alarm, then changes nothing, then updates only a changed threshold', async () => {
    const extra = defineAlarm({
      kind: 'metric',
      name: 'rows-stopped',
      description: 'no rows loaded for 3 hours',
      metric: { namespace: 'lakeq', name: 'RowsLoaded', statistic: 'Sum' },
      evaluationPeriods: 3,
      comparison: 'LessThanOrEqualToThreshold',
      threshold: 0,
    });
    const alarms = [...ALARMS, extra];
    const first = await plan(alarms);
    expect(first.changes.map((c) => [c.kind, c.name, c.action])).toEqual(
      alarms.map((a) => ['cloudwatch-alarm', `lakeq-${a.name}`, 'create']),
    );
    await applyDeploy(first);
    expect(puts().map((p) => p.AlarmName)).toEqual(alarms.map((a) => `lakeq-${a.name}`));
    expect([...deployed.keys()].filter((n) => n.startsWith('lakeq-'))).toHaveLength(5);

    cloudwatch.resetHistory();
    const second = await plan(alarms);
    expect(second.changes.map((c) => c.action)).toEqual(['no-op', 'no-op', 'no-op', 'no-op', 'no-op']);
    await applyDeploy(second);
    expect(puts()).toEqual([]);
    // 5 alarms at 2 a page: 3 DescribeAlarms calls, once for the whole plan.
    expect(cloudwatch.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input.NextToken)).toEqual([
      undefined,
      '2',
      '4',
    ]);

    cloudwatch.resetHistory();
    const changed = [...defaultAlarms({ glueDailyCostUsd: 250 }), extra];
    const third = await plan(changed);
    expect(third.changes.map((c) => [c.name, c.action, c.diff])).toEqual([
      ['lakeq-loads-stopped', 'no-op', []],
      ['lakeq-etl-failed-loads', 'no-op', []],
      ['lakeq-glue-failed-runs', 'no-op', []],
      [
        'lakeq-glue-daily-cost',
        'update',
        [
          expect.stringMatching(
            /^AlarmDescription: "The estimated Glue cost of the last 24 hours is above 100 USD/,
          ),
          'Threshold: 100 → 250',
        ],
      ],
      ['lakeq-rows-stopped', 'no-op', []],
    ]);
    await applyDeploy(third);
    expect(puts().map((p) => [p.AlarmName, p.Threshold])).toEqual([['lakeq-glue-daily-cost', 250]]);
    expect(deployed.get('lakeq-glue-daily-cost')?.Threshold).toBe(250);
    expect(deployed.get('other-team-alarm')).toEqual({ AlarmName: 'other-team-alarm', Threshold: 1 });
    expectValidCommands(
      'cloudwatch',
      cloudwatch.calls().map((c) => c.args[0]),
    );
  });

  it('updates an alarm whose SNS action was removed in CloudWatch', async () => {
    await applyDeploy(await plan(ALARMS));
    const current = deployed.get('lakeq-etl-failed-loads') as MetricAlarm;
    deployed.set('lakeq-etl-failed-loads', { ...current, AlarmActions: [] });
    const again = await plan(ALARMS);
    expect(again.changes.filter((c) => c.action !== 'no-op').map((c) => [c.name, c.diff])).toEqual([
      ['lakeq-etl-failed-loads', [`AlarmActions: [] → ["${TOPIC}"]`]],
    ]);
  });
});
