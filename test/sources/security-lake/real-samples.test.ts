import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalEngine } from '../../../src/catalog/duckdb/local-engine.ts';
import type { DuckDbEngine } from '../../../src/engines/duckdb/duckdb-engine.ts';
import { type PlacedSample, placeSamples, SAMPLES } from './lake-fixtures.ts';

/** The class counts of a sample, from its JSON conversion (written upstream beside each file), not from its Parquet. */
function classCounts(samples: readonly PlacedSample[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) {
    const records = JSON.parse(readFileSync(`${s.fixture}.json`, 'utf8')) as { class_uid: number }[];
    for (const r of records)
      out[`${s.source}:${s.version}:${r.class_uid}`] =
        (out[`${s.source}:${s.version}:${r.class_uid}`] ?? 0) + 1;
  }
  return out;
}

const TABLE = (source: string, version: string) =>
  `amazon_security_lake_glue_db_us_east_1.amazon_security_lake_table_us_east_1_${source.toLowerCase()}_${version.replace('.', '_')}`;

describe('the real Security Lake samples', () => {
  let dir: string;
  let engine: DuckDbEngine;
  let samples: PlacedSample[];
  const rows = async (sql: string) =>
    (await engine.execute(CompiledQuery.raw(sql))).rows as Record<string, unknown>[];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lakeq-seclake-real-'));
    const lake = path.join(dir, 'lake');
    samples = await placeSamples(lake);
    // Beside them: a Parquet file that is not OCSF (the raw VPC flow input the samples came
    // from) and a truncated copy of a real sample; both must be named and skipped.
    const day = path.join(
      lake,
      'aws/SH_FINDINGS/1.0/region=us-east-1/accountId=123456789012/eventDay=20221110',
    );
    await copyFile(
      path.join(SAMPLES, '1.0.0-rc.2/VPC_FLOW/inputs/vpc_flow-input0.json.parquet'),
      path.join(day, 'foreign.parquet'),
    );
    const whole = readFileSync(path.join(SAMPLES, '1.0.0-rc.2/SH_FINDINGS/example0.json.gz.parquet'));
    await writeFile(path.join(day, 'truncated.gz.parquet'), whole.subarray(0, Math.floor(whole.length / 2)));
    await mkdir(path.join(lake, 'aws/NOT_A_SOURCE/1.0'), { recursive: true });
    engine = await openLocalEngine({ sources: { 'security-lake': lake }, dataDir: path.join(dir, 'data') });
  });
  afterAll(async () => {
    await engine?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('are 34 files of the seven classes and four sources of version 1, and one EKS record of version 2', () => {
    expect(samples.length).toBe(34);
    expect(classCounts(samples)).toEqual({
      'CLOUD_TRAIL_MGMT:1.0:3001': 7,
      'CLOUD_TRAIL_MGMT:1.0:3005': 7,
      'CLOUD_TRAIL_MGMT:1.0:3002': 7,
      'ROUTE53:1.0:4003': 4,
      'SH_FINDINGS:1.0:2001': 4,
      'VPC_FLOW:1.0:4001': 4,
      'EKS_AUDIT:2.0:6003': 1,
    });
  });

  it('each is readable through its raw table, under its Glue database and table name, with counts per class', async () => {
    const expected = classCounts(samples);
    const found: Record<string, number> = {};
    for (const [source, version] of [...new Set(samples.map((s) => `${s.source}|${s.version}`))].map((k) =>
      k.split('|'),
    )) {
      for (const r of await rows(
        `select class_uid, count(*) as n from ${TABLE(source as string, version as string)} group by class_uid`,
      ))
        found[`${source}:${version}:${r.class_uid}`] = Number(r.n);
    }
    expect(found).toEqual(expected);
  });

  it('the raw tables have the partitions and Security Lake’s column types', async () => {
    const [r] = await rows(
      `select region, accountid, eventday, typeof(time) as t, typeof(unmapped) as u from ${TABLE('SH_FINDINGS', '1.0')} limit 1`,
    );
    expect(r).toEqual({
      region: 'us-east-1',
      accountid: '123456789012',
      eventday: '20221110',
      t: 'bigint',
      u: 'map(varchar, varchar)',
    });
  });

  it('each is readable through its view, with the same counts per class', async () => {
    const expected = classCounts(samples);
    const views: Record<string, string> = {
      3001: 'ocsf_account_change',
      3002: 'ocsf_authentication',
      3005: 'ocsf_api_activity',
      6003: 'ocsf_api_activity',
      4001: 'ocsf_network_activity',
      4003: 'ocsf_dns_activity',
      2001: 'ocsf_findings',
    };
    const found: Record<string, number> = {};
    for (const view of new Set(Object.values(views))) {
      for (const r of await rows(
        `select source_name, source_version, class_uid, count(*) as n from ${view} group by all`,
      ))
        found[`${r.source_name}:${r.source_version}:${r.class_uid}`] = Number(r.n);
    }
    expect(found).toEqual(expected);
  });

  it('the views flatten the fields as the records have them', async () => {
    const findings = await rows(
      `select finding_uid, severity, workflow_status, record_state, compliance_status, control_id, resource_type,
         product_name, cast(first_observed as varchar) as first_observed, remediation_url, account_id, region
       from ocsf_findings order by severity, workflow_status`,
    );
    expect(findings.map((f) => [f.severity, f.workflow_status, f.record_state, f.compliance_status])).toEqual(
      [
        ['Critical', 'SUPPRESSED', 'ARCHIVED', null],
        ['Informational', 'NOTIFIED', 'ACTIVE', 'PASSED'],
        ['Informational', 'SUPPRESSED', 'ARCHIVED', 'PASSED'],
        ['Medium', 'RESOLVED', 'ACTIVE', null],
      ],
    );
    expect(findings[0]).toMatchObject({
      control_id: 'EC2.19',
      resource_type: 'AwsEc2SecurityGroup',
      product_name: 'Security Hub',
      first_observed: '2021-10-28 19:33:39.417',
      remediation_url: 'https://docs.aws.amazon.com/console/securityhub/EC2.19/remediation',
      account_id: '123456789012',
      region: 'us-east-1',
    });
    const [trail] = await rows(
      `select api_operation, api_error, actor_user_arn, src_ip, cast(time as varchar) as t from ocsf_api_activity where api_operation = 'UpdateTrail'`,
    );
    expect(trail).toEqual({
      api_operation: 'UpdateTrail',
      api_error: 'TrailNotFoundException',
      actor_user_arn: 'arn:aws:iam::123456789012:user/Alice',
      src_ip: '205.251.233.182',
      t: '2016-07-14 19:15:45.000',
    });
    const [eks] = await rows(
      `select api_operation, actor_user_name, source_version from ocsf_api_activity where class_uid = 6003`,
    );
    expect(eks).toEqual({
      api_operation: 'create',
      actor_user_name: 'system:node:ip-192-001-02-03.ec2.internal',
      source_version: '2.0',
    });
  });

  it('names and skips the foreign and the truncated Parquet file', () => {
    const skipped = engine.warnings().filter((w) => w.code === 'SOURCE_FILE_SKIPPED');
    expect(skipped.map((w) => path.basename(w.path ?? ''))).toEqual([
      'foreign.parquet',
      'truncated.gz.parquet',
    ]);
    expect(skipped[0]?.message).toMatch(/not an OCSF record \(no time, class_uid, metadata column\)/);
    expect(skipped[1]?.message).toMatch(/truncated/);
  });

  it('a version with no folder is no table, and the views still answer', async () => {
    const [r] = await rows(`select count(*) as n from ocsf_http_activity`);
    expect(Number(r?.n)).toBe(0);
    await expect(rows(`select * from ${TABLE('WAF', '2.0')}`)).rejects.toThrow(/does not exist|not found/i);
  });
});
