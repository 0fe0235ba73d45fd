import { TrinoSQL } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { resolveDeployConfig, sourcesOnAws } from '../../../src/deploy/deploy-config.ts';
import { securityLakeAws, securityLakeViews } from '../../../src/sources/security-lake/raw-athena.ts';
import { localOcsfViewSql } from '../../../src/sources/security-lake/raw-duckdb.ts';
import { SECURITY_LAKE_TABLES } from '../../../src/sources/security-lake/schema.ts';
import { OCSF_VIEWS, ocsfViewSelect, viewColumns } from '../../../src/sources/security-lake/schema-views.ts';
import { captureIO } from '../../support/capture-io.ts';

const trino = new TrinoSQL();
const COMMON = { target: { bucket: 'lake', prefix: 'lakeq', database: 'lakeq' }, startDate: '2026-01-01' };
const table = (source: string, version: 1 | 2) => {
  const t = SECURITY_LAKE_TABLES.find((x) => x.source === source && x.version === version);
  if (!t) throw new Error(`${source} ${version}`);
  return t;
};

describe('Security Lake on Athena: views only', () => {
  it('lakeq ddl prints the seven OCSF views over the tables the flags name, and no Security Lake table', async () => {
    const io = captureIO();
    const code = await main(
      [
        'ddl',
        ...['--trail-bucket', 'trail', '--accounts', '111122223333', '--regions', 'eu-west-1'],
        ...['--start-date', '2026-01-01', '--data-bucket', 'lake'],
        ...['--security-lake-regions', 'us-east-1,eu-west-1'],
        ...['--security-lake-tables', 'SH_FINDINGS:1.0,SH_FINDINGS:2.0,CLOUD_TRAIL_MGMT:2.0'],
      ],
      io,
    );
    expect(code).toBe(0);
    const out = io.stdout();
    const views = [...out.matchAll(/^CREATE OR REPLACE VIEW (ocsf_\w+)/gm)].map((m) => m[1]);
    expect(views).toEqual(OCSF_VIEWS.map((v) => v.name));
    expect(out).not.toMatch(/CREATE EXTERNAL TABLE[^\n]*amazon_security_lake/);
    const findings = out.slice(out.indexOf('CREATE OR REPLACE VIEW ocsf_findings'));
    const findingsView = findings.slice(0, findings.indexOf(';'));
    expect(findingsView.match(/^FROM \S+/gm)).toEqual([
      'FROM amazon_security_lake_glue_db_eu_west_1.amazon_security_lake_table_eu_west_1_sh_findings_1_0',
      'FROM amazon_security_lake_glue_db_us_east_1.amazon_security_lake_table_us_east_1_sh_findings_1_0',
      'FROM amazon_security_lake_glue_db_eu_west_1.amazon_security_lake_table_eu_west_1_sh_findings_2_0',
      'FROM amazon_security_lake_glue_db_us_east_1.amazon_security_lake_table_us_east_1_sh_findings_2_0',
    ]);
    expect(findingsView).toContain('WHERE class_uid IN (2002, 2003, 2004)');
  });

  it('every view, over tables of both versions or over none, is SQL a real Trino grammar accepts', () => {
    const present = SECURITY_LAKE_TABLES.map((t) => ({ region: 'us-east-1', table: t }));
    for (const options of [{ regions: ['us-east-1'], tables: [...SECURITY_LAKE_TABLES] }, undefined]) {
      for (const view of securityLakeViews(options)) expect(trino.validate(view.sql), view.name).toEqual([]);
    }
    for (const view of OCSF_VIEWS)
      expect(trino.validate(ocsfViewSelect(view, present)), view.name).toEqual([]);
  });

  it('ocsf_findings has the columns the findings report reads, typed, NULL where a version lacks them', () => {
    const findings = OCSF_VIEWS.find((v) => v.name === 'ocsf_findings');
    if (!findings) throw new Error('no ocsf_findings');
    const columns = Object.fromEntries(viewColumns(findings).map((c) => [c.name, c.type]));
    expect(columns).toMatchObject({
      time: 'timestamp',
      class_uid: 'int',
      source_version: 'string',
      account_id: 'string',
      region: 'string',
      finding_uid: 'string',
      finding_title: 'string',
      severity: 'string',
      severity_id: 'int',
      product_name: 'string',
      workflow_status: 'string',
      record_state: 'string',
      compliance_status: 'string',
      control_id: 'string',
      resource_type: 'string',
      resource_uid: 'string',
      first_observed: 'timestamp',
      last_observed: 'timestamp',
      remediation_url: 'string',
    });
    // The original nested columns are kept, one per version where their types differ.
    expect(columns).toHaveProperty('finding');
    expect(columns).toHaveProperty('finding_info');
    expect(columns).toHaveProperty('metadata_v1');
    expect(columns).toHaveProperty('metadata_v2');
    expect(columns.unmapped).toBe('map<string,string>');
  });

  it('one definition: the local view is the Athena view’s SELECT through the Trino rewrite', () => {
    const present = [{ region: 'us-east-1', table: table('SH_FINDINGS', 1) }];
    const view = OCSF_VIEWS.find((v) => v.name === 'ocsf_findings');
    if (!view) throw new Error('no ocsf_findings');
    const local = localOcsfViewSql(view, present);
    expect(local).toMatch(/^CREATE OR REPLACE VIEW "ocsf_findings" AS\n/);
    expect(local).toContain(
      'amazon_security_lake_glue_db_us_east_1.amazon_security_lake_table_us_east_1_sh_findings_1_0',
    );
    expect(ocsfViewSelect(view, present)).toContain(
      "from_unixtime(finding.first_seen_time / 1e3) AT TIME ZONE 'UTC'",
    );
  });

  it('lakeq.deploy.json’s securityLake section names the Regions, tables and bucket; a table it does not know is refused by name', () => {
    const onAws = securityLakeAws.fromSection(
      {
        regions: ['eu-west-1'],
        tables: ['VPC_FLOW:2.0', 'WAF:2.0'],
        bucket: 'aws-security-data-lake-eu-west-1-abc',
      },
      COMMON,
    );
    expect(onAws.tableInputs()).toEqual([]);
    // Read through its Glue tables (what IAM and Lake Formation scope), not as a raw input of lakeq's own.
    expect(onAws.readScope).toBeUndefined();
    expect(onAws.foreignTables).toEqual({
      databases: [
        {
          region: 'eu-west-1',
          name: 'amazon_security_lake_glue_db_eu_west_1',
          tables: [
            'amazon_security_lake_table_eu_west_1_vpc_flow_2_0',
            'amazon_security_lake_table_eu_west_1_waf_2_0',
          ],
        },
      ],
      locations: ['s3://aws-security-data-lake-eu-west-1-abc/aws/'],
      kmsKeys: [],
      lakeFormation: true,
    });
    expect(onAws.root).toBe('s3://aws-security-data-lake-eu-west-1-abc');
    const http = onAws.views().find((v) => v.name === 'ocsf_http_activity');
    expect(http?.sql).toContain('amazon_security_lake_table_eu_west_1_waf_2_0');
    expect(() =>
      securityLakeAws.fromFlags(
        { 'security-lake-regions': 'eu-west-1', 'security-lake-tables': 'WAF:1.0' },
        COMMON,
      ),
    ).toThrow(/^securityLake: unknown table "WAF:1.0" \(known: CLOUD_TRAIL_MGMT:1.0, .*WAF:2.0\)$/);
    const deployFile = (tables: string[]) => ({
      accountId: '111122223333',
      region: 'eu-west-1',
      data: { bucket: 'lake' },
      trail: { bucket: 'trail', accounts: ['111122223333'], regions: ['eu-west-1'], startDate: '2026-01-01' },
      securityLake: { regions: ['eu-west-1'], tables },
      roles: {
        stateMachine: 'arn:aws:iam::111122223333:role/s',
        lambda: 'arn:aws:iam::111122223333:role/l',
        scheduler: 'arn:aws:iam::111122223333:role/c',
      },
    });
    const settings = {
      aws: {
        athena: { workGroup: 'primary', database: 'lakeq', catalog: 'AwsDataCatalog' },
        cloudtrailLake: {},
      },
    };
    expect(() => resolveDeployConfig(deployFile(['SH_FINDING:2.0']), settings, {}, '/repo')).toThrow(
      /securityLake.tables: securityLake: unknown table "SH_FINDING:2.0"/,
    );
    const config = resolveDeployConfig(deployFile(['SH_FINDINGS:2.0']), settings, {}, '/repo');
    const lake = sourcesOnAws(config).find((s) => s.source.name === 'security-lake');
    expect(lake?.aws.views().map((v) => v.name)).toEqual(OCSF_VIEWS.map((v) => v.name));
    expect(lake?.aws.views().find((v) => v.name === 'ocsf_findings')?.sql).toContain(
      'amazon_security_lake_glue_db_eu_west_1.amazon_security_lake_table_eu_west_1_sh_findings_2_0',
    );
  });
});
