import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { LakeqSettings } from '../../src/config/lakeq-config.ts';
import { resolveDeployConfig } from '../../src/deploy/deploy-config.ts';
import {
  iamPolicy,
  POLICY_PRINCIPALS,
  type PolicyStatement,
  validatePolicyDocument,
} from '../../src/deploy/iam-policy.ts';
import { lakeFormationGrantScript, lakeFormationGrants } from '../../src/deploy/lake-formation-grants.ts';
import { expectValidRequest } from '../support/aws-model-validator.ts';
import { captureIO } from '../support/capture-io.ts';

/* What lakeq's policies grant for reading Security Lake's tables, and the Lake Formation grants printed beside them. */

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const ACCOUNT = '111122223333';
const SETTINGS: Pick<LakeqSettings, 'aws'> = {
  aws: { athena: { workGroup: 'primary', database: 'lakeq', catalog: 'AwsDataCatalog' }, cloudtrailLake: {} },
};
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const BASE = {
  accountId: ACCOUNT,
  region: 'eu-west-1',
  data: { bucket: 'lakeq-lake', prefix: 'lakeq' },
  resultsLocation: 's3://lakeq-results/athena/',
  trail: { bucket: 'org-trail', accounts: [ACCOUNT], regions: ['eu-west-1'], startDate: '2026-01-01' },
  roles: {
    stateMachine: `arn:aws:iam::${ACCOUNT}:role/lakeq-states`,
    lambda: `arn:aws:iam::${ACCOUNT}:role/lakeq-lambda`,
    scheduler: `arn:aws:iam::${ACCOUNT}:role/lakeq-scheduler`,
  },
};
const SECTION = {
  regions: ['eu-west-1', 'us-east-1'],
  tables: ['SH_FINDINGS:1.0', 'SH_FINDINGS:2.0'],
  bucket: 'aws-security-data-lake-eu-west-1-abc',
  kmsKeys: [KEY],
};
const configOf = (securityLake?: object) =>
  resolveDeployConfig(securityLake ? { ...BASE, securityLake } : BASE, SETTINGS, {}, REPO);

const SECURITY_LAKE_SIDS = [
  'GlueSecurityLakeTables',
  'S3SecurityLakeTables',
  'S3ListSecurityLakeTables',
  'KmsSecurityLakeDecrypt',
];
const READERS = ['stateMachine', 'lambda', 'analyst'] as const;
const statement = (doc: { Statement: PolicyStatement[] }, sid: string) =>
  doc.Statement.find((s) => s.Sid === sid);

const glue = (region: string, resource: string) => `arn:aws:glue:${region}:${ACCOUNT}:${resource}`;
const EU_DB = 'amazon_security_lake_glue_db_eu_west_1';
const US_DB = 'amazon_security_lake_glue_db_us_east_1';
const EU_TABLES = [
  'amazon_security_lake_table_eu_west_1_sh_findings_1_0',
  'amazon_security_lake_table_eu_west_1_sh_findings_2_0',
];
const US_TABLES = [
  'amazon_security_lake_table_us_east_1_sh_findings_1_0',
  'amazon_security_lake_table_us_east_1_sh_findings_2_0',
];
// Each database in its own Region's catalog, and in the deploy Region's, where Athena resolves the views' names.
const GLUE_RESOURCES = [
  glue('eu-west-1', 'catalog'),
  glue('eu-west-1', `database/${EU_DB}`),
  ...EU_TABLES.map((t) => glue('eu-west-1', `table/${EU_DB}/${t}`)),
  glue('us-east-1', 'catalog'),
  glue('us-east-1', `database/${US_DB}`),
  ...US_TABLES.map((t) => glue('us-east-1', `table/${US_DB}/${t}`)),
  glue('eu-west-1', `database/${US_DB}`),
  ...US_TABLES.map((t) => glue('eu-west-1', `table/${US_DB}/${t}`)),
];

describe('IAM for Security Lake', () => {
  it('without a securityLake section: no Security Lake statement, resource or note', () => {
    const config = configOf();
    for (const principal of POLICY_PRINCIPALS) {
      const doc = iamPolicy(principal, config);
      expect(doc.Statement.map((s) => s.Sid).filter((sid) => SECURITY_LAKE_SIDS.includes(sid))).toEqual([]);
      expect(JSON.stringify(doc)).not.toMatch(/security_lake|security-data-lake|kms:/);
    }
    expect(lakeFormationGrants(config)).toEqual([]);
    expect(lakeFormationGrantScript(config)).toBe('');
  });

  it('the section adds the Glue, S3 and KMS reads to each Athena caller and changes no other statement', () => {
    const without = configOf();
    const config = configOf(SECTION);
    for (const principal of POLICY_PRINCIPALS) {
      const doc = iamPolicy(principal, config);
      expect(validatePolicyDocument(doc)).toEqual([]);
      expectValidRequest('iam', 'PutRolePolicy', {
        RoleName: `lakeq-${principal}`,
        PolicyName: 'lakeq',
        PolicyDocument: JSON.stringify(doc),
      });
      const added = {
        stateMachine: SECURITY_LAKE_SIDS,
        lambda: SECURITY_LAKE_SIDS,
        analyst: SECURITY_LAKE_SIDS,
        deployer: ['GlueSecurityLakeTables'],
        scheduler: [],
      }[principal];
      expect(doc.Statement.map((s) => s.Sid).filter((sid) => SECURITY_LAKE_SIDS.includes(sid))).toEqual(
        added,
      );
      const others = doc.Statement.filter((s) => !SECURITY_LAKE_SIDS.includes(s.Sid));
      expect(others).toEqual(iamPolicy(principal, without).Statement);
    }
    for (const principal of READERS) {
      const doc = iamPolicy(principal, config);
      expect(statement(doc, 'GlueSecurityLakeTables')).toEqual({
        Sid: 'GlueSecurityLakeTables',
        Effect: 'Allow',
        Action: [
          'glue:BatchGetPartition',
          'glue:GetDatabase',
          'glue:GetDatabases',
          'glue:GetPartition',
          'glue:GetPartitions',
          'glue:GetTable',
          'glue:GetTables',
        ],
        Resource: GLUE_RESOURCES,
      });
      // The rollup Region's bucket as named; us-east-1's, unnamed, as Security Lake names its buckets.
      expect(statement(doc, 'S3SecurityLakeTables')).toEqual({
        Sid: 'S3SecurityLakeTables',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: [
          'arn:aws:s3:::aws-security-data-lake-eu-west-1-abc/aws/*',
          'arn:aws:s3:::aws-security-data-lake-us-east-1-*/aws/*',
        ],
      });
      expect(statement(doc, 'S3ListSecurityLakeTables')).toEqual({
        Sid: 'S3ListSecurityLakeTables',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: [
          'arn:aws:s3:::aws-security-data-lake-eu-west-1-abc',
          'arn:aws:s3:::aws-security-data-lake-us-east-1-*',
        ],
        Condition: { StringLike: { 's3:prefix': ['aws/*'] } },
      });
      expect(statement(doc, 'KmsSecurityLakeDecrypt')).toEqual({
        Sid: 'KmsSecurityLakeDecrypt',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: [KEY],
      });
      expect(doc.Statement.flatMap((s) => s.Action)).toContain('lakeformation:GetDataAccess');
    }
    // Deploy creates the views over those tables: Athena reads their entries with the deployer's permissions.
    expect(statement(iamPolicy('deployer', config), 'GlueSecurityLakeTables')).toEqual({
      Sid: 'GlueSecurityLakeTables',
      Effect: 'Allow',
      Action: ['glue:GetDatabase', 'glue:GetTable'],
      Resource: GLUE_RESOURCES,
    });
    expect(iamPolicy('scheduler', config)).toEqual(iamPolicy('scheduler', without));
  });

  it('named buckets replace the Regions’ patterns; without kmsKeys no KMS statement; a bad key is refused', () => {
    const config = configOf({
      regions: ['eu-west-1', 'us-east-1'],
      tables: ['SH_FINDINGS:2.0'],
      buckets: ['aws-security-data-lake-eu-west-1-abc', 'aws-security-data-lake-us-east-1-def'],
    });
    const doc = iamPolicy('analyst', config);
    expect(statement(doc, 'S3SecurityLakeTables')?.Resource).toEqual([
      'arn:aws:s3:::aws-security-data-lake-eu-west-1-abc/aws/*',
      'arn:aws:s3:::aws-security-data-lake-us-east-1-def/aws/*',
    ]);
    expect(statement(doc, 'KmsSecurityLakeDecrypt')).toBeUndefined();
    expect(statement(doc, 'GlueSecurityLakeTables')?.Resource).toContain(
      glue('eu-west-1', `table/${US_DB}/amazon_security_lake_table_us_east_1_sh_findings_2_0`),
    );
    expect(() => configOf({ ...SECTION, kmsKeys: ['alias/aws/s3'] })).toThrow(
      /securityLake\.kmsKeys\.0: must be a KMS key ARN/,
    );
  });

  it('the Lake Formation grants: SELECT and DESCRIBE on each table for the readers, DESCRIBE for the deployer, each in its Region', () => {
    const grants = lakeFormationGrants(configOf(SECTION));
    expect(grants).toHaveLength(4 * 4);
    expect(
      new Set(
        grants.map(
          (g) => `${g.principal.principal} ${g.region} ${g.database}.${g.table} ${g.permissions.join('+')}`,
        ),
      ),
    ).toEqual(
      new Set(
        ['stateMachine', 'lambda', 'analyst', 'deployer'].flatMap((p) =>
          [
            ...EU_TABLES.map((t) => `eu-west-1 ${EU_DB}.${t}`),
            ...US_TABLES.map((t) => `us-east-1 ${US_DB}.${t}`),
          ].map((where) => `${p} ${where} ${p === 'deployer' ? 'DESCRIBE' : 'SELECT+DESCRIBE'}`),
        ),
      ),
    );
    expect(grants.find((g) => g.principal.principal === 'lambda')?.principal.arn).toBe(BASE.roles.lambda);
  });
});

describe('the grant script, run by a shell with a stand-in aws', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lakeq-lf-'));
    // Records each call's arguments, one per line, then a separator.
    await writeFile(
      path.join(dir, 'aws'),
      '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done >> "$LOG"\necho "--" >> "$LOG"\n',
    );
    await chmod(path.join(dir, 'aws'), 0o755);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes each grant to aws lakeformation grant-permissions as GrantPermissions takes it', async () => {
    const script = path.join(dir, 'grants.sh');
    await writeFile(script, lakeFormationGrantScript(configOf(SECTION)));
    const log = path.join(dir, 'calls.log');
    const analyst = `arn:aws:iam::${ACCOUNT}:role/analyst`;
    const deployer = `arn:aws:iam::${ACCOUNT}:user/deployer`;
    execFileSync('sh', [script], {
      env: { PATH: `${dir}:${process.env.PATH}`, LOG: log, ANALYST_ARN: analyst, DEPLOYER_ARN: deployer },
    });
    const calls = (await readFile(log, 'utf8'))
      .split('--\n')
      .filter(Boolean)
      .map((c) => c.trimEnd().split('\n'));
    expect(calls).toHaveLength(16);
    const options = (argv: string[]) => {
      expect(argv.slice(0, 2)).toEqual(['lakeformation', 'grant-permissions']);
      const out: Record<string, string[]> = {};
      let key = '';
      for (const a of argv.slice(2)) {
        if (a.startsWith('--')) {
          key = a.slice(2);
          out[key] = [];
        } else out[key]?.push(a);
      }
      return out;
    };
    const parsed = calls.map(options);
    for (const o of parsed) {
      expect(Object.keys(o).sort()).toEqual(['catalog-id', 'permissions', 'principal', 'region', 'resource']);
      expect(o['catalog-id']).toEqual([ACCOUNT]);
      const resource = JSON.parse(o.resource?.[0] ?? '') as { Table: Record<string, string> };
      expect(Object.keys(resource.Table)).toEqual(['CatalogId', 'DatabaseName', 'Name']);
      expect(resource.Table.DatabaseName).toBe(
        `amazon_security_lake_glue_db_${o.region?.[0]?.replace(/-/g, '_')}`,
      );
    }
    const byPrincipal = (arn: string) =>
      parsed.filter((o) => o.principal?.[0] === `DataLakePrincipalIdentifier=${arn}`);
    expect(byPrincipal(analyst).map((o) => o.permissions)).toEqual(Array(4).fill(['SELECT', 'DESCRIBE']));
    expect(byPrincipal(deployer).map((o) => o.permissions)).toEqual(Array(4).fill(['DESCRIBE']));
    expect(byPrincipal(BASE.roles.stateMachine)).toHaveLength(4);
    // Without the analyst's ARN the script stops before any grant, saying what to set.
    const unset = path.join(dir, 'unset.log');
    const run = spawnSync('sh', [script], { env: { PATH: `${dir}:${process.env.PATH}`, LOG: unset } });
    expect(run.status).not.toBe(0);
    expect(run.stderr.toString()).toContain("set ANALYST_ARN to the analyst's IAM role or user ARN");
    await expect(readFile(unset, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});

describe('lakeq iam-policy and Lake Formation', () => {
  it('--lake-formation-grants prints the script; the policies come with a note; without the section, neither', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lakeq-iam-lf-'));
    try {
      const withLake = path.join(dir, 'with.json');
      const without = path.join(dir, 'without.json');
      await writeFile(withLake, JSON.stringify({ ...BASE, securityLake: SECTION }));
      await writeFile(without, JSON.stringify(BASE));
      const grants = captureIO();
      expect(await main(['iam-policy', '--lake-formation-grants', '--deploy-config', withLake], grants)).toBe(
        0,
      );
      expect(grants.stdout()).toBe(lakeFormationGrantScript(configOf(SECTION)));
      const policies = captureIO();
      expect(await main(['iam-policy', '--principal', 'lambda', '--deploy-config', withLake], policies)).toBe(
        0,
      );
      expect(JSON.parse(policies.stdout())).toEqual(iamPolicy('lambda', configOf(SECTION)));
      expect(policies.stderr()).toContain('Lake Formation governs the Security Lake tables');
      expect(policies.stderr()).toContain("'lakeq iam-policy --lake-formation-grants'");
      const plain = captureIO();
      expect(await main(['iam-policy', '--deploy-config', without], plain)).toBe(0);
      expect(plain.stderr()).toBe('');
      const none = captureIO();
      expect(await main(['iam-policy', '--lake-formation-grants', '--deploy-config', without], none)).toBe(2);
      expect(none.stderr()).toContain('no table of lakeq.deploy.json needs a Lake Formation grant');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
