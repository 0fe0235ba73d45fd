import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { LakeqSettings } from '../../src/config/lakeq-config.ts';
import { resolveDeployConfig } from '../../src/deploy/deploy-config.ts';
import { DEFAULT_GLUE_STATISTICS_ROLE, glueStatisticsRole } from '../../src/deploy/glue-statistics-role.ts';
import { iamPolicy, validatePolicyDocument } from '../../src/deploy/iam-policy.ts';
import { captureIO } from '../support/capture-io.ts';

/*
 * The role AWS Glue assumes to compute the TPC-DS tables' column statistics (lakeq tpcds compare
 * --engine athena): trusted by Glue for this account only, reading only the generated tables and
 * writing only lakeq's database's statistics; the analyst may pass exactly this role.
 */

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const ACCOUNT = '111122223333';
const SETTINGS: Pick<LakeqSettings, 'aws'> = {
  aws: { athena: { workGroup: 'primary', database: 'lakeq', catalog: 'AwsDataCatalog' }, cloudtrailLake: {} },
};
const STATS_ROLE = `arn:aws:iam::${ACCOUNT}:role/tpcds-stats`;
const DEPLOY = {
  accountId: ACCOUNT,
  region: 'eu-west-1',
  data: { bucket: 'lakeq-lake', prefix: 'lakeq' },
  resultsLocation: 's3://lakeq-results/athena/',
  trail: {
    bucket: 'org-trail',
    organizationId: 'o-abcdefghij',
    accounts: [ACCOUNT],
    regions: ['eu-west-1'],
    startDate: '2026-01-01',
  },
  roles: {
    stateMachine: `arn:aws:iam::${ACCOUNT}:role/lakeq-states`,
    lambda: `arn:aws:iam::${ACCOUNT}:role/lakeq-lambda`,
    scheduler: `arn:aws:iam::${ACCOUNT}:role/lakeq-scheduler`,
    glueStatistics: STATS_ROLE,
  },
};

describe('the Glue column statistics role', () => {
  it('is trusted by Glue for this account only and reads and writes only the TPC-DS tables', () => {
    const role = glueStatisticsRole(resolveDeployConfig(DEPLOY, SETTINGS, {}, REPO));
    expect(role.roleName).toBe('tpcds-stats');
    expect(role.trustPolicy.Statement).toEqual([
      {
        Sid: 'GlueColumnStatistics',
        Effect: 'Allow',
        Principal: { Service: 'glue.amazonaws.com' },
        Action: ['sts:AssumeRole'],
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
      },
    ]);
    expect(role.managedPolicyArns).toEqual(['arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole']);
    expect(validatePolicyDocument(role.policy)).toEqual([]);
    const byId = Object.fromEntries(role.policy.Statement.map((s) => [s.Sid, s]));
    expect(byId.TpcdsDataRead?.Resource).toEqual(['arn:aws:s3:::lakeq-lake/lakeq/raw/tpcds/*']);
    expect(byId.TpcdsDataList?.Condition).toEqual({ StringLike: { 's3:prefix': ['lakeq/raw/tpcds/*'] } });
    expect(byId.TpcdsColumnStatisticsWrite?.Action).toContain('glue:UpdateColumnStatisticsForTable');
    expect(byId.TpcdsColumnStatisticsWrite?.Resource).toEqual([
      `arn:aws:glue:eu-west-1:${ACCOUNT}:catalog`,
      `arn:aws:glue:eu-west-1:${ACCOUNT}:database/lakeq`,
      `arn:aws:glue:eu-west-1:${ACCOUNT}:table/lakeq/*`,
    ]);
    // Nothing outside the generated tables' prefix and lakeq's database.
    for (const s of role.policy.Statement)
      for (const r of s.Resource)
        expect(r).toMatch(/lakeq-lake(\/lakeq\/raw\/tpcds\/\*)?$|:catalog$|lakeq(\/\*)?$/);
    // The analyst passes this role, and only to Glue.
    const pass = iamPolicy('analyst', resolveDeployConfig(DEPLOY, SETTINGS, {}, REPO)).Statement.find(
      (s) => s.Sid === 'PassGlueStatisticsRole',
    );
    expect(pass?.Resource).toEqual([STATS_ROLE]);
  });

  it('has a default name without roles.glueStatistics, and lakeq iam-policy --glue-statistics-role prints it', async () => {
    const { glueStatistics: _, ...roles } = DEPLOY.roles;
    const plain = { ...DEPLOY, roles };
    expect(glueStatisticsRole(resolveDeployConfig(plain, SETTINGS, {}, REPO)).roleName).toBe(
      DEFAULT_GLUE_STATISTICS_ROLE,
    );
    const dir = await mkdtemp(path.join(tmpdir(), 'lakeq-glue-stats-'));
    const file = path.join(dir, 'lakeq.deploy.json');
    await writeFile(file, JSON.stringify(DEPLOY));
    try {
      const io = captureIO();
      expect(await main(['iam-policy', '--glue-statistics-role', '--deploy-config', file], io)).toBe(0);
      expect(JSON.parse(io.stdout())).toMatchObject({ roleName: 'tpcds-stats' });
      const both = captureIO();
      expect(
        await main(
          ['iam-policy', '--glue-statistics-role', '--principal', 'analyst', '--deploy-config', file],
          both,
        ),
      ).toBe(2);
      expect(both.stderr()).toContain('--glue-statistics-role goes alone');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
