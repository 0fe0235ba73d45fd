import { type DeployConfig, sourcesOnAws } from './deploy-config.ts';

/** Who needs a Lake Formation grant, and its ARN (a shell variable where the deploy file names none). */
export interface LakeFormationPrincipal {
  readonly principal: 'stateMachine' | 'lambda' | 'analyst' | 'deployer';
  readonly arn: string;
}

/** One `aws lakeformation grant-permissions`: permissions on one table to one principal. */
export interface LakeFormationGrant {
  readonly principal: LakeFormationPrincipal;
  /** The Region of the table's catalog: Lake Formation's grants hold in their own Region only. */
  readonly region: string;
  readonly catalogId: string;
  readonly database: string;
  readonly table: string;
  readonly permissions: readonly ('SELECT' | 'DESCRIBE')[];
  /** The source whose tables they are (`Security Lake`). */
  readonly source: string;
}

/** The shell variables the commands read the analyst's and deployer's ARNs from. */
export const ANALYST_ARN_VARIABLE = 'ANALYST_ARN';
export const DEPLOYER_ARN_VARIABLE = 'DEPLOYER_ARN';

/**
 * The Lake Formation grants lakeq's readers need on the tables other services keep under Lake
 * Formation (Security Lake's), which no IAM policy gives: SELECT and DESCRIBE on each table the
 * views read for the state machine's role (the loads), the Lambda's role (the findings report
 * from Security Lake) and the analyst; DESCRIBE for whoever deploys (Athena reads the views'
 * tables when it creates them). None without a source section that configures such tables.
 *
 * @example
 * ```ts
 * lakeFormationGrants(config)[0]
 * // { principal: { principal: 'stateMachine', arn: 'arn:aws:iam::111122223333:role/lakeq-states' }, region: 'eu-west-1',
 * //   database: 'amazon_security_lake_glue_db_eu_west_1', table: 'amazon_security_lake_table_eu_west_1_sh_findings_2_0',
 * //   permissions: ['SELECT', 'DESCRIBE'], … }
 * ```
 */
export function lakeFormationGrants(config: DeployConfig): LakeFormationGrant[] {
  const readers: LakeFormationPrincipal[] = [
    { principal: 'stateMachine', arn: config.roles.stateMachine },
    { principal: 'lambda', arn: config.roles.lambda },
    { principal: 'analyst', arn: `$${ANALYST_ARN_VARIABLE}` },
  ];
  const deployer: LakeFormationPrincipal = { principal: 'deployer', arn: `$${DEPLOYER_ARN_VARIABLE}` };
  return sourcesOnAws(config).flatMap(({ source, aws }) => {
    const foreign = aws.foreignTables;
    if (!foreign?.lakeFormation) return [];
    return [...readers, deployer].flatMap((principal) =>
      foreign.databases.flatMap((db) =>
        db.tables.map(
          (table): LakeFormationGrant => ({
            principal,
            region: db.region,
            catalogId: config.accountId,
            database: db.name,
            table,
            permissions: principal === deployer ? ['DESCRIBE'] : ['SELECT', 'DESCRIBE'],
            source: source.title,
          }),
        ),
      ),
    );
  });
}

/** A grant as one `aws lakeformation grant-permissions` command line. */
export function grantCommand(grant: LakeFormationGrant): string {
  const resource = JSON.stringify({
    Table: { CatalogId: grant.catalogId, DatabaseName: grant.database, Name: grant.table },
  });
  const principal = grant.principal.arn.startsWith('$') ? `"${grant.principal.arn}"` : grant.principal.arn;
  return [
    'aws lakeformation grant-permissions',
    `--region ${grant.region}`,
    `--catalog-id ${grant.catalogId}`,
    `--principal DataLakePrincipalIdentifier=${principal}`,
    `--permissions ${grant.permissions.join(' ')}`,
    `--resource '${resource}'`,
  ].join(' ');
}

/**
 * The grants as a shell script for a Lake Formation data lake administrator to run (what
 * `lakeq iam-policy --lake-formation-grants` prints); empty when no table needs one.
 *
 * @example
 * ```ts
 * lakeFormationGrantScript(config).split('\n').find((l) => l.startsWith('aws '))
 * // "aws lakeformation grant-permissions --region eu-west-1 --catalog-id 111122223333 --principal DataLakePrincipalIdentifier=arn:aws:iam::111122223333:role/lakeq-states --permissions SELECT DESCRIBE --resource '{\"Table\":{…}}'"
 * ```
 */
export function lakeFormationGrantScript(config: DeployConfig): string {
  const grants = lakeFormationGrants(config);
  if (grants.length === 0) return '';
  const sources = [...new Set(grants.map((g) => g.source))].join(', ');
  return [
    '#!/bin/sh',
    `# Lake Formation grants on the ${sources} tables lakeq's views read: IAM policies alone do not give them.`,
    '# Run as a Lake Formation data lake administrator, with the IAM role or user ARNs of the analyst',
    `# (who runs lakeq query on Athena) and of whoever runs lakeq deploy in ${ANALYST_ARN_VARIABLE} and ${DEPLOYER_ARN_VARIABLE}.`,
    'set -e',
    `: "\${${ANALYST_ARN_VARIABLE}:?set ${ANALYST_ARN_VARIABLE} to the analyst's IAM role or user ARN}"`,
    `: "\${${DEPLOYER_ARN_VARIABLE}:?set ${DEPLOYER_ARN_VARIABLE} to the deployer's IAM role or user ARN}"`,
    ...grants.map(grantCommand),
    '',
  ].join('\n');
}
