import { CreateTableCommand, GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { mockClient } from 'aws-sdk-client-mock';
import { HiveSQL } from 'dt-sql-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { TABLES } from '../../../src/catalog/tables/index.ts';
import type { LakeqSettings } from '../../../src/config/lakeq-config.ts';
import { glueTableResource } from '../../../src/deploy/glue-resources.ts';
import { planResource } from '../../../src/deploy/resource.ts';
import { compileTarget } from '../../../src/engines/compile-targets.ts';
import { compileQuery } from '../../../src/query/compile-query.ts';
import { loadQuery } from '../../../src/query/registry.ts';
import {
  collectedTableDdl,
  collectedTableInput,
  collectedTablesDdl,
  glueAws,
} from '../../../src/sources/glue/raw-athena.ts';
import { GLUE_JOB_METRICS, GLUE_JOB_RUNS } from '../../../src/sources/glue/schema.ts';
import { glueJobMetrics } from '../../../src/sources/glue/tables/glue-job-metrics.ts';
import { glueJobRuns } from '../../../src/sources/glue/tables/glue-job-runs.ts';
import { expectValidRequest } from '../../support/aws-model-validator.ts';

const hive = new HiveSQL();
const TARGET = { bucket: 'lake-bucket', prefix: 'lakeq', database: 'lakeq' };
const glue = mockClient(GlueClient);
afterEach(() => glue.reset());

describe('the Glue tables in the catalog', () => {
  it('glue_job_runs and glue_job_metrics have the collected keys in order, typed, after the CloudTrail tables', () => {
    expect(glueJobRuns.columns.map((c) => [c.name, c.type])).toEqual([
      ['job_name', 'string'],
      ['job_run_id', 'string'],
      ['attempt', 'int'],
      ['previous_run_id', 'string'],
      ['trigger_name', 'string'],
      ['job_run_state', 'string'],
      ['job_type', 'string'],
      ['started_on', 'timestamp'],
      ['completed_on', 'timestamp'],
      ['last_modified_on', 'timestamp'],
      ['execution_seconds', 'int'],
      ['worker_type', 'string'],
      ['number_of_workers', 'int'],
      ['max_capacity', 'double'],
      ['dpu_seconds', 'double'],
      ['glue_version', 'string'],
      ['execution_class', 'string'],
      ['timeout_minutes', 'int'],
      ['error_message', 'string'],
      ['estimated_cost_usd', 'double'],
      ['region', 'string'],
      ['account_id', 'string'],
    ]);
    expect(glueJobMetrics.columns.map((c) => c.name)).toEqual([
      'job_name',
      'job_run_id',
      'metric_name',
      'metric_type',
      'metric_time',
      'value',
      'unit',
      'statistic',
      'region',
      'account_id',
    ]);
    expect(glueJobRuns.input).toEqual({ source: 'glue-job-runs' });
    expect(glueJobMetrics.input).toEqual({ source: 'glue-job-metrics' });
    expect(TABLES.map((t) => t.name)).toEqual(
      expect.arrayContaining(['cloudtrail_events', 'glue_job_runs', 'glue_job_metrics']),
    );
  });

  it.each([GLUE_JOB_RUNS, GLUE_JOB_METRICS].map((r) => [r.relation, r] as const))(
    '%s: Hive DDL over the raw/glue prefix with dt and hour projected',
    (_, relation) => {
      const ddl = collectedTableDdl(relation, TARGET, { startDate: '2026-01-01' });
      expect(hive.validate(ddl)).toEqual([]);
      expect(ddl).toMatch(new RegExp(`^CREATE EXTERNAL TABLE \`lakeq\`\\.\`${relation.relation}\` \\(\n`));
      expect(ddl).toContain('PARTITIONED BY (`dt` string, `hour` string)');
      expect(ddl).toContain("ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'");
      expect(ddl).toContain(`LOCATION 's3://lake-bucket/lakeq/raw/glue/${relation.folder}/'`);
      expect(ddl).toContain("'projection.dt.range'='2026-01-01,NOW'");
      expect(ddl).toContain("'projection.hour.digits'='2'");
      expect(ddl).toContain(
        `'storage.location.template'='s3://lake-bucket/lakeq/raw/glue/${relation.folder}/dt=\${dt}/hour=\${hour}/'`,
      );
      // Timestamps stay the collector's ISO text in the raw table; the transform parses them.
      for (const c of relation.columns)
        expect(ddl).toContain(`  \`${c.name}\` ${c.type === 'timestamp' ? 'string' : c.type}`);
    },
  );

  it('refuses a start date that is not a day', () => {
    expect(() => collectedTablesDdl(TARGET, { startDate: '2026-02-30' })).toThrow(/startDate "2026-02-30"/);
  });

  it.each([GLUE_JOB_RUNS, GLUE_JOB_METRICS].map((r) => [r.relation, r] as const))(
    '%s: Glue TableInput AWS accepts',
    (_, relation) => {
      const TableInput = collectedTableInput(relation, TARGET, { startDate: '2026-01-01' });
      expectValidRequest('glue', 'CreateTable', { DatabaseName: 'lakeq', TableInput });
      expectValidRequest('glue', 'UpdateTable', { DatabaseName: 'lakeq', TableInput });
      expect(TableInput).toMatchObject({
        Name: relation.relation,
        PartitionKeys: [
          { Name: 'dt', Type: 'string' },
          { Name: 'hour', Type: 'string' },
        ],
        Parameters: { 'projection.enabled': 'true', 'projection.dt.type': 'date', classification: 'json' },
        StorageDescriptor: {
          Location: `s3://lake-bucket/lakeq/raw/glue/${relation.folder}/`,
          SerdeInfo: { SerializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
        },
      });
    },
  );

  it('deploy creates both collected tables when they are missing, with valid requests', async () => {
    glue
      .on(GetTableCommand)
      .rejects(Object.assign(new Error('not found'), { name: 'EntityNotFoundException' }));
    glue.on(CreateTableCommand).resolves({});
    // What deploy creates for the source (plan-deploy.ts): its raw tables' TableInputs as Glue tables.
    const onAws = glueAws.fromSection(undefined, { target: TARGET, startDate: '2026-01-01' });
    const client = new GlueClient({ region: 'eu-west-1' });
    const resources = onAws.tableInputs().map((t) => glueTableResource(client, 'lakeq', t));
    for (const r of resources) {
      const change = await planResource(r);
      expect(change.action).toBe('create');
      await r.create();
    }
    for (const call of glue.commandCalls(GetTableCommand))
      expectValidRequest('glue', 'GetTable', call.args[0].input);
    const creates = glue.commandCalls(CreateTableCommand).map((c) => c.args[0].input);
    for (const input of creates) expectValidRequest('glue', 'CreateTable', input);
    expect(creates.map((c) => c.TableInput?.Name)).toEqual([
      'glue_job_runs_collected',
      'glue_job_metrics_collected',
    ]);
  });

  it('the transforms compile for Athena to Trino that parses the collected text and names the dt folders', async () => {
    const settings = { aws: { athena: {}, cloudtrailLake: {} } } as unknown as LakeqSettings;
    const athena = compileTarget('athena', settings);
    const runs = compileQuery(
      await loadQuery('transforms/glue-job-runs-hour'),
      { from: '2026-11-02T10', to: '2026-11-02T11' },
      athena,
    );
    expect(runs.compiled.sql).toContain('from "glue_job_runs_collected"');
    expect(runs.compiled.sql).toContain(
      `CAST(from_iso8601_timestamp("started_on") AT TIME ZONE 'UTC' AS timestamp) as "started_on"`,
    );
    expect(runs.compiled.sql).toContain('CAST("attempt" AS integer) as "attempt"');
    expect(runs.compiled.sql).toMatch(/where dt >= \? and dt <= \?/);
    expect(runs.compiled.parameters.slice(0, 2)).toEqual(['2026-11-02', '2026-11-02']);
  });
});
