import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { GlueClient, UpdateTableCommand } from '@aws-sdk/client-glue';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { QuickSightClient } from '@aws-sdk/client-quicksight';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateStateMachineCommand, SFNClient, UpdateStateMachineCommand } from '@aws-sdk/client-sfn';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALARMS } from '../../src/alarms/alarms.ts';
import { TABLES } from '../../src/catalog/tables/index.ts';
import { main } from '../../src/cli/main.ts';
import type { LakeqSettings } from '../../src/config/lakeq-config.ts';
import { SPICE_DATASETS } from '../../src/dashboards/datasets.ts';
import { athenaViewSql } from '../../src/deploy/athena-view-resource.ts';
import { openDeployClients } from '../../src/deploy/deploy-clients.ts';
import {
  DEFAULT_STATE_MACHINES_DIR,
  type DeployConfig,
  resolveDeployConfig,
} from '../../src/deploy/deploy-config.ts';
import { diffValues } from '../../src/deploy/diff-values.ts';
import { bundleLambda } from '../../src/deploy/lambda-bundle.ts';
import { listPlaceholders, substitutePlaceholders } from '../../src/deploy/placeholders.ts';
import {
  applyDeploy,
  type DeployInputs,
  type DeployPlan,
  formatPlan,
  planDeploy,
} from '../../src/deploy/plan-deploy.ts';
import { quickSightType } from '../../src/deploy/quicksight-columns.ts';
import { loadStateMachines } from '../../src/deploy/state-machine-resources.ts';
import { storedZip } from '../../src/deploy/stored-zip.ts';
import type { LibraryQuery } from '../../src/query/define-query.ts';
import { loadAllQueries } from '../../src/query/registry.ts';
import { cloudtrailEvents } from '../../src/sources/cloudtrail/tables/cloudtrail-events.ts';
import { expectValidCommands } from '../support/aws-model-validator.ts';
import { captureIO } from '../support/capture-io.ts';
import {
  ACCOUNT,
  type FakeAws,
  glue,
  installFakeAws,
  MOCKS,
  mutatingCalls,
  REGION,
  resetCalls,
  sentCalls,
  sfn,
} from './deploy-fake-aws.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
let aws: FakeAws;
const PRINCIPAL = `arn:aws:quicksight:${REGION}:${ACCOUNT}:user/default/analyst`;
const SETTINGS: Pick<LakeqSettings, 'aws'> = {
  aws: { athena: { workGroup: 'primary', database: 'lakeq', catalog: 'AwsDataCatalog' }, cloudtrailLake: {} },
};

const HOURLY_ASL = {
  Comment: 'fixture: plan with Lambda, load with Athena',
  StartAt: 'Plan',
  States: {
    Plan: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: `\${LambdaFunctionArn}`, 'Payload.$': '$' },
      Next: 'Load',
    },
    Load: {
      Type: 'Task',
      Resource: 'arn:aws:states:::athena:startQueryExecution.sync',
      Parameters: { 'QueryString.$': '$.Payload.sql', WorkGroup: `\${AthenaWorkGroup}` },
      End: true,
    },
  },
};
const BACKFILL_ASL = {
  StartAt: 'Hours',
  States: {
    Hours: {
      Type: 'Map',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Hour',
        States: {
          Hour: {
            Type: 'Task',
            Resource: 'arn:aws:states:::states:startExecution.sync:2',
            Parameters: { StateMachineArn: `\${HourlyStateMachineArn}`, 'Input.$': '$' },
            End: true,
          },
        },
      },
      End: true,
    },
  },
};
const ENTRY = `import { PARTITION_KEYS } from ${JSON.stringify(path.join(REPO, 'src/catalog/table-definition.ts'))};
export const handler = async (event: { action: string }) => ({ action: event.action, keys: PARTITION_KEYS.length });
`;

// ---------------------------------------------------------------------------------------------

let dir: string;
let config: DeployConfig;
let queries: LibraryQuery[];
const clients = {
  glue: new GlueClient({ region: REGION }),
  athena: new AthenaClient({ region: REGION }),
  sfn: new SFNClient({ region: REGION }),
  lambda: new LambdaClient({ region: REGION }),
  scheduler: new SchedulerClient({ region: REGION }),
  quicksight: new QuickSightClient({ region: REGION }),
  cloudwatch: new CloudWatchClient({ region: REGION }),
};
const instant = async () => {};

function inputs(overrides: DeployInputs = {}): DeployInputs {
  return { queries, tables: TABLES, datasets: SPICE_DATASETS, sleep: instant, ...overrides };
}

async function deployFile(extra: Record<string, unknown> = {}): Promise<string> {
  const file = path.join(dir, 'lakeq.deploy.json');
  await writeFile(
    file,
    JSON.stringify({
      accountId: ACCOUNT,
      region: REGION,
      data: { bucket: 'lakeq-lake', prefix: 'lakeq' },
      trail: { bucket: 'org-trail', accounts: [ACCOUNT], regions: [REGION], startDate: '2026-01-01' },
      roles: {
        stateMachine: `arn:aws:iam::${ACCOUNT}:role/lakeq-states`,
        lambda: `arn:aws:iam::${ACCOUNT}:role/lakeq-lambda`,
        scheduler: `arn:aws:iam::${ACCOUNT}:role/lakeq-scheduler`,
      },
      lambda: { entry: 'entry.ts' },
      stateMachines: { dir: 'statemachines' },
      quicksight: { principals: [PRINCIPAL] },
      ...extra,
    }),
  );
  return file;
}

async function firstDeploy(): Promise<DeployPlan> {
  const plan = await planDeploy(clients, config, inputs());
  await applyDeploy(plan);
  resetCalls();
  return plan;
}

beforeAll(async () => {
  queries = await loadAllQueries();
});

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-deploy-'));
  await writeFile(path.join(dir, 'entry.ts'), ENTRY);
  await import('node:fs/promises').then((fs) => fs.mkdir(path.join(dir, 'statemachines')));
  await writeFile(path.join(dir, 'statemachines/hourly.asl.json'), JSON.stringify(HOURLY_ASL, null, 2));
  await writeFile(path.join(dir, 'statemachines/backfill.asl.json'), JSON.stringify(BACKFILL_ASL, null, 2));
  const file = await deployFile();
  config = resolveDeployConfig(JSON.parse(await readFile(file, 'utf8')), SETTINGS, {}, dir, file);
  for (const mock of Object.values(MOCKS)) mock.reset();
  aws = installFakeAws();
});

// Every request deploy sent must be one AWS would accept.
afterEach(async () => {
  for (const [service, mock] of Object.entries(MOCKS))
    expectValidCommands(
      service,
      mock.calls().map((c) => c.args[0]),
    );
  await rm(dir, { recursive: true, force: true });
});

afterAll(() => {
  for (const mock of Object.values(MOCKS)) mock.restore();
});

describe('lakeq deploy against a mocked AWS', () => {
  it('first deploy: everything is NotFound, so everything is created, in dependency order', async () => {
    const plan = await planDeploy(clients, config, inputs());
    expect(mutatingCalls()).toEqual([]);
    expect(plan.changes.every((c) => c.action === 'create')).toBe(true);
    const athenaQueries = queries.filter((q) => !q.engines || q.engines.includes('athena'));
    const kinds = plan.changes.map((c) => c.kind);
    expect(kinds.filter((k) => k === 'athena-named-query')).toHaveLength(athenaQueries.length);
    expect(plan.changes.map((c) => `${c.kind} ${c.name}`)).toEqual(
      expect.arrayContaining([
        'glue-database lakeq',
        'athena-workgroup lakeq',
        'glue-table lakeq.cloudtrail_logs',
        'glue-table lakeq.cloudtrail_events',
        'glue-table lakeq.identity_center_instance_churn_hourly',
        'athena-view lakeq.cloudtrail_events_raw',
        'lambda-function lakeq-tasks',
        'state-machine lakeq-backfill',
        'state-machine lakeq-hourly',
        'schedule default/lakeq-hourly',
        'quicksight-data-source lakeq-athena',
        'quicksight-dataset lakeq-identity-center-instance-churn-hourly',
      ]),
    );
    expect(kinds.indexOf('glue-database')).toBeLessThan(kinds.indexOf('glue-table'));
    expect(kinds.indexOf('athena-workgroup')).toBeLessThan(kinds.indexOf('athena-view'));
    expect(kinds.indexOf('lambda-function')).toBeLessThan(kinds.indexOf('state-machine'));
    expect(kinds.indexOf('state-machine')).toBeLessThan(kinds.indexOf('schedule'));
    expect(kinds.indexOf('quicksight-data-source')).toBeLessThan(kinds.indexOf('quicksight-dataset'));

    const applied = await applyDeploy(plan);
    expect(applied).toHaveLength(plan.changes.length);
    const creates = mutatingCalls();
    // cloudtrail_logs, the two Glue collector tables, the four Identity Center snapshot tables,
    // the 24 TPC-DS tables and tpcds_cbo_runs, then the curated tables.
    expect(creates.filter((c) => c === 'glue:CreateTable')).toHaveLength(TABLES.length + 7 + 25);
    expect(creates.filter((c) => c === 'cloudwatch:PutMetricAlarm')).toHaveLength(ALARMS.length);
    expect(creates.filter((c) => c === 'athena:CreateNamedQuery')).toHaveLength(athenaQueries.length);
    expect(creates).toEqual(
      expect.arrayContaining([
        'glue:CreateDatabase',
        'athena:CreateWorkGroup',
        'athena:StartQueryExecution',
        'lambda:CreateFunction',
        'sfn:CreateStateMachine',
        'scheduler:CreateSchedule',
        'quicksight:CreateDataSource',
        'quicksight:CreateDataSet',
        'cloudwatch:PutMetricAlarm',
      ]),
    );
    expect(creates.filter((c) => /Update/.test(c))).toEqual([]);
  });

  it('creates what the design asks for: engine v3, the hourly cron at minute M, SPICE, substituted ASL', async () => {
    await firstDeploy();
    const wg = aws.workGroups.get('lakeq');
    expect(wg?.Configuration).toMatchObject({
      ResultConfiguration: { OutputLocation: 's3://lakeq-lake/lakeq/athena-results/' },
      EnforceWorkGroupConfiguration: true,
      EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
    });
    const schedule = aws.schedules.get('default/lakeq-hourly');
    expect(schedule).toMatchObject({
      ScheduleExpression: 'cron(5 * * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        // The launcher (the Lambda) names the execution after its hour, which the scheduler cannot.
        Arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:lakeq-tasks`,
        RoleArn: `arn:aws:iam::${ACCOUNT}:role/lakeq-scheduler`,
      },
    });
    expect(JSON.parse(schedule?.Target?.Input ?? '')).toEqual({
      action: 'launchHourly',
      time: '<aws.scheduler.scheduled-time>',
    });
    const launcher = aws.functions.get('lakeq-tasks');
    expect(launcher?.Environment?.Variables?.LAKEQ_HOURLY_STATE_MACHINE_ARN).toBe(
      `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:lakeq-hourly`,
    );

    const hourly = aws.stateMachines.get(`arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:lakeq-hourly`);
    expect(hourly?.type).toBe('STANDARD');
    expect(listPlaceholders(hourly?.definition ?? '')).toEqual([]);
    expect(JSON.parse(hourly?.definition ?? '{}').States.Plan.Parameters.FunctionName).toBe(
      `arn:aws:lambda:${REGION}:${ACCOUNT}:function:lakeq-tasks`,
    );
    const backfill = aws.stateMachines.get(`arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:lakeq-backfill`);
    expect(
      JSON.parse(backfill?.definition ?? '{}').States.Hours.ItemProcessor.States.Hour.Parameters
        .StateMachineArn,
    ).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:lakeq-hourly`);

    const fn = aws.functions.get('lakeq-tasks');
    expect(fn).toMatchObject({ Runtime: 'nodejs22.x', Handler: 'index.handler', Architectures: ['arm64'] });
    expect(fn?.Environment?.Variables).toEqual({
      LAKEQ_GLUE_DATABASE: 'lakeq',
      LAKEQ_ATHENA_WORKGROUP: 'lakeq',
      LAKEQ_DATA_BUCKET: 'lakeq-lake',
      LAKEQ_DATA_PREFIX: 'lakeq',
      LAKEQ_CLOUDTRAIL_ROOT: 's3://org-trail',
      LAKEQ_AWS_ACCOUNT_ID: ACCOUNT,
      LAKEQ_HOURLY_STATE_MACHINE_ARN: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:lakeq-hourly`,
    });

    const dataSet = aws.dataSets.get('lakeq-identity-center-instance-churn-hourly');
    expect(dataSet?.set.ImportMode).toBe('SPICE');
    const relational = dataSet?.set.PhysicalTableMap?.['lakeq-source']?.RelationalTable;
    expect(relational).toMatchObject({
      DataSourceArn: `arn:aws:quicksight:${REGION}:${ACCOUNT}:datasource/lakeq-athena`,
      Schema: 'lakeq',
      Name: 'identity_center_instance_churn_hourly',
    });
    expect(relational?.InputColumns).toContainEqual({ Name: 'net', Type: 'INTEGER' });
    expect(relational?.InputColumns?.slice(-2)).toEqual([
      { Name: 'dt', Type: 'STRING' },
      { Name: 'hour', Type: 'STRING' },
    ]);
    expect(dataSet?.permissions).toEqual([
      { Principal: PRINCIPAL, Actions: expect.arrayContaining(['quicksight:CreateIngestion']) },
    ]);
    expect(aws.dataSources.get('lakeq-athena')?.source.DataSourceParameters).toEqual({
      AthenaParameters: { WorkGroup: 'lakeq' },
    });

    const named = [...aws.namedQueries.values()].find(
      (q) => q.Name === 'lakeq/identity-center/instance-churn',
    );
    expect(named?.Database).toBe('lakeq');
    expect(named?.WorkGroup).toBe('lakeq');
    expect(named?.QueryString).toMatch(
      /^-- lakeq identity-center\/instance-churn v\d+\.\d+\.\d+; example parameters inlined: from=/,
    );
    expect(named?.QueryString).toContain("TIMESTAMP '2026-11-01 00:00:00.000'");
    expect(named?.QueryString).not.toMatch(/\?/);
    expect(named?.Description).toMatch(/^v\d+\.\d+\.\d+ · /);

    const view = aws.tables.get('lakeq.cloudtrail_events_raw');
    expect(athenaViewSql(view ?? {})).toMatch(/^SELECT\n/);
  });

  it('second deploy with nothing changed: every resource is a no-op and nothing is created or updated', async () => {
    await firstDeploy();
    const plan = await planDeploy(clients, config, inputs());
    const changed = plan.changes.filter((c) => c.action !== 'no-op');
    expect(changed.map((c) => `${c.kind} ${c.name}: ${c.diff.join('; ')}`)).toEqual([]);
    expect(await applyDeploy(plan)).toEqual([]);
    expect(mutatingCalls()).toEqual([]);
    expect(formatPlan(plan)).toMatch(
      new RegExp(`Plan: 0 to create, 0 to update, ${plan.changes.length} unchanged\\.$`),
    );
  });

  it('a changed state machine definition updates that state machine only', async () => {
    await firstDeploy();
    const changed = structuredClone(HOURLY_ASL);
    (changed.States.Load as Record<string, unknown>).TimeoutSeconds = 900;
    await writeFile(path.join(dir, 'statemachines/hourly.asl.json'), JSON.stringify(changed, null, 2));
    const plan = await planDeploy(clients, config, inputs());
    const updates = plan.changes.filter((c) => c.action !== 'no-op');
    expect(updates.map((c) => [c.action, c.name, c.diff])).toEqual([
      ['update', 'lakeq-hourly', ['definition.States.Load.TimeoutSeconds: (none) → 900']],
    ]);
    await applyDeploy(plan);
    expect(mutatingCalls()).toEqual(['sfn:UpdateStateMachine']);
    const update = sfn.commandCalls(UpdateStateMachineCommand)[0]?.args[0].input;
    expect(update?.stateMachineArn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:lakeq-hourly`);
    expect(JSON.parse(update?.definition ?? '{}').States.Load.TimeoutSeconds).toBe(900);
  });

  it('whitespace-only changes to an ASL file are not an update', async () => {
    await firstDeploy();
    await writeFile(path.join(dir, 'statemachines/hourly.asl.json'), JSON.stringify(HOURLY_ASL));
    const plan = await planDeploy(clients, config, inputs());
    expect(plan.changes.filter((c) => c.action !== 'no-op')).toEqual([]);
  });

  it('a column added to a table updates that Glue table only', async () => {
    await firstDeploy();
    const wider = {
      ...cloudtrailEvents,
      columns: [
        ...cloudtrailEvents.columns,
        { name: 'addendum', type: 'string', comment: 'CloudTrail addendum' },
      ],
    };
    const tables = TABLES.map((t) => (t.name === cloudtrailEvents.name ? wider : t));
    const plan = await planDeploy(clients, config, inputs({ tables }));
    const updates = plan.changes.filter((c) => c.action !== 'no-op');
    expect(updates.map((c) => [c.action, c.name, c.diff])).toEqual([
      ['update', 'lakeq.cloudtrail_events', ['StorageDescriptor.Columns: + addendum (string)']],
    ]);
    await applyDeploy(plan);
    expect(mutatingCalls()).toEqual(['glue:UpdateTable']);
    const input = glue.commandCalls(UpdateTableCommand)[0]?.args[0].input;
    expect(input?.TableInput?.StorageDescriptor?.Columns?.at(-1)).toEqual({
      Name: 'addendum',
      Type: 'string',
      Comment: 'CloudTrail addendum',
    });
  });

  it('changed Lambda code updates the code only, and a changed setting waits for that update to finish', async () => {
    await firstDeploy();
    await writeFile(path.join(dir, 'entry.ts'), `${ENTRY}export const version = 2;\n`);
    const next = resolveDeployConfig(
      JSON.parse(await readFile(await deployFile({ lambda: { entry: 'entry.ts', memoryMb: 1024 } }), 'utf8')),
      SETTINGS,
      {},
      dir,
    );
    const plan = await planDeploy(clients, next, inputs());
    const updates = plan.changes.filter((c) => c.action !== 'no-op');
    expect(updates.map((c) => c.name)).toEqual(['lakeq-tasks']);
    expect(updates[0]?.diff).toEqual([
      expect.stringMatching(/^MemorySize: 512 → 1024$/),
      expect.stringMatching(/^code: sha256 /),
    ]);
    await applyDeploy(plan);
    // The fake refuses a configuration update while the code update is in progress, and reports
    // it in progress to the first poll: deploy polls until it is done.
    expect(sentCalls().filter((c) => c.startsWith('lambda:') && c !== 'lambda:GetFunction')).toEqual([
      'lambda:UpdateFunctionCode',
      'lambda:GetFunctionConfiguration',
      'lambda:GetFunctionConfiguration',
      'lambda:UpdateFunctionConfiguration',
    ]);
  });

  it('a principal missing from a dataset gets its grants, without redefining (and re-ingesting) the dataset', async () => {
    await firstDeploy();
    const other = `arn:aws:quicksight:${REGION}:${ACCOUNT}:group/default/security`;
    const next = resolveDeployConfig(
      JSON.parse(
        await readFile(await deployFile({ quicksight: { principals: [PRINCIPAL, other] } }), 'utf8'),
      ),
      SETTINGS,
      {},
      dir,
    );
    const plan = await planDeploy(clients, next, inputs());
    expect(plan.changes.filter((c) => c.action !== 'no-op').map((c) => c.kind)).toEqual([
      'quicksight-data-source',
      ...SPICE_DATASETS.map(() => 'quicksight-dataset'),
    ]);
    await applyDeploy(plan);
    expect(mutatingCalls()).toEqual([
      'quicksight:UpdateDataSourcePermissions',
      ...SPICE_DATASETS.map(() => 'quicksight:UpdateDataSetPermissions'),
    ]);
  });

  it('a changed work group setting and schedule minute update just those', async () => {
    await firstDeploy();
    const next = resolveDeployConfig(
      JSON.parse(
        await readFile(
          await deployFile({ schedule: { minute: 17 }, bytesScannedCutoffPerQuery: 50_000_000_000 }),
          'utf8',
        ),
      ),
      SETTINGS,
      {},
      dir,
    );
    const plan = await planDeploy(clients, next, inputs());
    const updates = plan.changes.filter((c) => c.action !== 'no-op');
    expect(updates.map((c) => [c.name, c.diff])).toEqual([
      ['lakeq', ['Configuration.BytesScannedCutoffPerQuery: (none) → 50000000000']],
      [
        'default/lakeq-hourly',
        [
          'Description: "lakeq: start the hourly load at minute 5 of every hour" → "lakeq: start the hourly load at minute 17 of every hour"',
          'ScheduleExpression: "cron(5 * * * ? *)" → "cron(17 * * * ? *)"',
        ],
      ],
    ]);
    await applyDeploy(plan);
    expect(mutatingCalls()).toEqual(['athena:UpdateWorkGroup', 'scheduler:UpdateSchedule']);
    resetCalls();
    const again = await planDeploy(clients, next, inputs());
    expect(again.changes.filter((c) => c.action !== 'no-op')).toEqual([]);
  });

  it('dry run (lakeq deploy --dry-run) prints the plan and sends no mutating call', async () => {
    const file = await deployFile();
    const io = captureIO();
    const code = await main(['deploy', '--dry-run', '--deploy-config', file], io);
    expect(io.stderr()).toContain('Dry run: nothing was changed.');
    expect(code).toBe(0);
    expect(io.stdout()).toMatch(/^\+ create {2}glue-database +lakeq$/m);
    expect(io.stdout()).toMatch(/^\+ create {2}state-machine +lakeq-hourly$/m);
    expect(io.stdout()).toMatch(/Plan: \d+ to create, 0 to update, 0 unchanged\./);
    expect(sentCalls().length).toBeGreaterThan(0);
    expect(mutatingCalls()).toEqual([]);
  });

  it('lakeq deploy applies, and a second run reports nothing to change', async () => {
    const file = await deployFile();
    const first = captureIO();
    expect(await main(['deploy', '--deploy-config', file], first)).toBe(0);
    expect(first.stderr()).toMatch(/Deployed: \d+ change\(s\)\./);
    resetCalls();
    const second = captureIO();
    expect(await main(['deploy', '--deploy-config', file], second)).toBe(0);
    expect(second.stderr()).toContain('Nothing to change');
    expect(mutatingCalls()).toEqual([]);
  });

  it('refuses a state machine with a placeholder it has no value for, naming it', async () => {
    await writeFile(
      path.join(dir, 'statemachines/hourly.asl.json'),
      JSON.stringify({ ...HOURLY_ASL, Comment: `bucket \${LedgerBucket} and \${Nope}` }),
    );
    await expect(planDeploy(clients, config, inputs())).rejects.toThrow(
      /no value for \$\{LedgerBucket\}, \$\{Nope\}/,
    );
    expect(sentCalls()).toEqual([]);
  });

  it('waits for the QuickSight data source to be created before its datasets, and stops if it failed', async () => {
    aws.dataSourceCreation = 'CREATION_FAILED';
    const plan = await planDeploy(clients, config, inputs());
    await expect(applyDeploy(plan)).rejects.toThrow(
      /create quicksight-data-source lakeq-athena failed: data source lakeq-athena: CREATION_FAILED: Athena denied/,
    );
    expect(mutatingCalls()).not.toContain('quicksight:CreateDataSet');
    expect(sentCalls().filter((c) => c === 'quicksight:DescribeDataSource')).toHaveLength(3);
  });

  it('a failed create stops the deploy, naming the resource and what was done', async () => {
    sfn
      .on(CreateStateMachineCommand)
      .rejects(new Error('AccessDeniedException: not authorized to perform: iam:PassRole'));
    const plan = await planDeploy(clients, config, inputs());
    await expect(applyDeploy(plan)).rejects.toThrow(
      /deploy stopped: create state-machine lakeq-backfill failed: AccessDeniedException.*\(\d+ change\(s\) applied before it/,
    );
    expect(mutatingCalls()).not.toContain('scheduler:CreateSchedule');
  });
});

describe('the repository state machines', () => {
  it('deploy with every placeholder resolved (statemachines/*.asl.json)', async () => {
    const repoConfig = {
      ...config,
      stateMachines: { ...config.stateMachines, dir: DEFAULT_STATE_MACHINES_DIR },
    };
    const machines = await loadStateMachines(repoConfig);
    expect(machines.map((m) => m.name)).toEqual(expect.arrayContaining(['lakeq-hourly']));
    for (const m of machines) {
      expect(listPlaceholders(m.definition)).toEqual([]);
      expect(m.definition).toContain(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:lakeq-tasks`);
    }
  });
});

describe('deploy building blocks', () => {
  it('substitutePlaceholders escapes values for JSON and lists every missing name once', () => {
    expect(substitutePlaceholders(`{"a": "\${A}"}`, { A: 'say "hi"\\' })).toBe('{"a": "say \\"hi\\"\\\\"}');
    expect(substitutePlaceholders(`\${A}/\${A}`, { A: 'x' }, { escape: 'none' })).toBe('x/x');
    expect(() =>
      substitutePlaceholders(`\${B} \${C} \${B} \${aws:username}`, { A: 'x' }, { source: 'f.json' }),
    ).toThrow(`f.json: no value for \${B}, \${C} (known: A)`);
  });

  it('diffValues ignores members AWS adds, but exact mode sees removals', () => {
    expect(diffValues({ a: 1, b: { c: 'x' } }, { a: 1, b: { c: 'x', d: 2 }, e: 3 })).toEqual([]);
    expect(diffValues({ a: 1, b: { c: 'x' } }, { a: 1, b: { c: 'x', d: 2 } }, { exact: true })).toEqual([
      'b.d: 2 → (none)',
    ]);
    expect(
      diffValues(
        {
          Columns: [
            { Name: 'b', Type: 'int' },
            { Name: 'a', Type: 'string' },
          ],
        },
        {
          Columns: [
            { Name: 'a', Type: 'string' },
            { Name: 'b', Type: 'bigint' },
            { Name: 'z', Type: 'string' },
          ],
        },
      ),
    ).toEqual(['Columns[b].Type: "bigint" → "int"', 'Columns: - z (string)', 'Columns: order a, b → b, a']);
  });

  it('the stored zip is byte-stable and readable (local header, CRC, central directory)', async () => {
    const data = new TextEncoder().encode('export const handler = async () => 42;\n');
    const a = storedZip([{ name: 'index.mjs', data }]);
    expect(Buffer.from(a).equals(Buffer.from(storedZip([{ name: 'index.mjs', data }])))).toBe(true);
    const buf = Buffer.from(a);
    expect(buf.readUInt32LE(0)).toBe(0x04034b50);
    const nameLength = buf.readUInt16LE(26);
    expect(buf.subarray(30, 30 + nameLength).toString()).toBe('index.mjs');
    expect(buf.subarray(30 + nameLength, 30 + nameLength + data.length).toString()).toBe(
      Buffer.from(data).toString(),
    );
    const { crc32 } = await import('node:zlib');
    expect(buf.readUInt32LE(14)).toBe(crc32(data));
    const end = buf.length - 22;
    expect(buf.readUInt32LE(end)).toBe(0x06054b50);
    expect(buf.readUInt16LE(end + 10)).toBe(1);
    expect(buf.readUInt32LE(buf.readUInt32LE(end + 16))).toBe(0x02014b50);
  });

  it('bundles the Lambda entry into a runnable index.mjs, with the same hash each time', async () => {
    const entry = path.join(dir, 'entry.ts');
    const one = await bundleLambda(entry);
    const two = await bundleLambda(entry);
    expect(one.sha256).toBe(two.sha256);
    const buf = Buffer.from(one.zip);
    const code = buf
      .subarray(30 + buf.readUInt16LE(26), 30 + buf.readUInt16LE(26) + buf.readUInt32LE(18))
      .toString();
    const file = path.join(dir, 'index.mjs');
    await writeFile(file, code);
    const mod = (await import(file)) as { handler: (e: { action: string }) => Promise<unknown> };
    expect(await mod.handler({ action: 'planWindow' })).toEqual({ action: 'planWindow', keys: 2 });
    await expect(bundleLambda(path.join(dir, 'missing.ts'))).rejects.toThrow(/does not exist/);
    expect(one.missingPackages).toEqual([]);
    await writeFile(
      entry,
      `import { DuckDBInstance } from '@duckdb/node-api';\n${ENTRY}export const db = DuckDBInstance;\n`,
    );
    expect((await bundleLambda(entry, { external: ['@duckdb/*'] })).missingPackages).toEqual([
      '@duckdb/node-api',
    ]);
  });

  it('maps Hive types to SPICE input types and refuses what SPICE cannot hold', () => {
    expect(
      [
        'string',
        'varchar(10)',
        'bigint',
        'int',
        'double',
        'decimal(10,2)',
        'boolean',
        'timestamp',
        'date',
      ].map(quickSightType),
    ).toEqual([
      'STRING',
      'STRING',
      'INTEGER',
      'INTEGER',
      'DECIMAL',
      'DECIMAL',
      'BOOLEAN',
      'DATETIME',
      'DATETIME',
    ]);
    expect(() => quickSightType('map<string,string>')).toThrow(/SPICE cannot import/);
  });

  it('the deploy file is validated with the settings as defaults', () => {
    expect(() => resolveDeployConfig({ accountId: '123' }, SETTINGS, {}, dir)).toThrow(
      /accountId: must be 12 digits/,
    );
    expect(config).toMatchObject({
      region: REGION,
      partition: 'aws',
      workGroup: 'lakeq',
      database: 'lakeq',
      lambda: { functionName: 'lakeq-tasks', runtime: 'nodejs22.x', entry: path.join(dir, 'entry.ts') },
      schedule: { minute: 5, stateMachine: 'hourly', group: 'default' },
    });
  });

  it('openDeployClients gives real SDK clients in the deploy Region', async () => {
    const real = await openDeployClients({ region: REGION });
    expect(await (real.glue as GlueClient).config.region()).toBe(REGION);
  });
});
