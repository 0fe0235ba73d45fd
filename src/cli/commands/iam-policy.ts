import { parseArgs } from 'node:util';
import { LakeqError } from '../../engines/engine.ts';
import type { CliIO } from '../io.ts';
import { settingsFrom } from '../options.ts';

const USAGE = `Usage: lakeq iam-policy [--principal stateMachine|lambda|scheduler|analyst|deployer] [--deploy-config FILE]
       lakeq iam-policy --identity-center-member-role [--deploy-config FILE]
       lakeq iam-policy --glue-statistics-role [--deploy-config FILE]
       lakeq iam-policy --lake-formation-grants [--deploy-config FILE]
Prints least-privilege IAM policy documents (JSON), scoped to the resources of lakeq.deploy.json:
the Step Functions role, the Lambda role, the EventBridge Scheduler role, an analyst running
queries, and whoever runs lakeq deploy. Without --principal, all of them, keyed by principal.
--identity-center-member-role prints the role the Identity Center collector assumes in each
member account (its name, trust policy and permissions), to create with a StackSet.
--glue-statistics-role prints the role AWS Glue assumes to compute the TPC-DS tables' column
statistics for lakeq tpcds compare --engine athena (roles.glueStatistics).
--lake-formation-grants prints, as a shell script, the aws lakeformation grant-permissions
commands that give the roles, the analyst and the deployer SELECT (DESCRIBE) on the Security
Lake tables of the securityLake section: Lake Formation governs them, and IAM alone does not.`;

/** `lakeq iam-policy`: the policies of the roles lakeq deploy expects to exist. */
export async function run(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      principal: { type: 'string' },
      'identity-center-member-role': { type: 'boolean' },
      'glue-statistics-role': { type: 'boolean' },
      'lake-formation-grants': { type: 'boolean' },
      'deploy-config': { type: 'string' },
      config: { type: 'string' },
      region: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const { POLICY_PRINCIPALS, iamPolicy, identityCenterMemberRole } = await import(
    '../../deploy/iam-policy.ts'
  );
  const principal = values.principal;
  if (principal !== undefined && !(POLICY_PRINCIPALS as readonly string[]).includes(principal)) {
    throw new LakeqError(
      'BAD_OPTION',
      `--principal must be one of ${POLICY_PRINCIPALS.join(', ')} (got "${principal}")`,
      {
        usage: true,
      },
    );
  }
  const settings = await settingsFrom(values);
  const { loadDeployConfig } = await import('../../deploy/deploy-config.ts');
  const config = await loadDeployConfig(settings, {
    ...(values['deploy-config'] ? { deployFile: values['deploy-config'] } : {}),
    ...(values.region ? { region: values.region } : {}),
  });
  if (values['glue-statistics-role']) {
    if (principal !== undefined || values['identity-center-member-role'] || values['lake-formation-grants'])
      throw new LakeqError(
        'BAD_OPTION',
        '--glue-statistics-role goes alone (not with --principal, --identity-center-member-role or --lake-formation-grants)',
        { usage: true },
      );
    const { glueStatisticsRole } = await import('../../deploy/glue-statistics-role.ts');
    io.out(JSON.stringify(glueStatisticsRole(config), null, 2));
    return 0;
  }
  if (values['identity-center-member-role']) {
    if (principal !== undefined)
      throw new LakeqError('BAD_OPTION', '--identity-center-member-role and --principal are exclusive', {
        usage: true,
      });
    io.out(JSON.stringify(identityCenterMemberRole(config), null, 2));
    return 0;
  }
  const { lakeFormationGrantScript } = await import('../../deploy/lake-formation-grants.ts');
  const grants = lakeFormationGrantScript(config);
  if (values['lake-formation-grants']) {
    if (principal !== undefined || values['identity-center-member-role'])
      throw new LakeqError('BAD_OPTION', '--lake-formation-grants goes alone (not with --principal)', {
        usage: true,
      });
    if (grants === '')
      throw new LakeqError(
        'NOTHING_TO_GRANT',
        'no table of lakeq.deploy.json needs a Lake Formation grant (add a securityLake section)',
        { usage: true },
      );
    io.out(grants.trimEnd());
    return 0;
  }
  const selected = principal ? [principal as (typeof POLICY_PRINCIPALS)[number]] : POLICY_PRINCIPALS;
  const documents = Object.fromEntries(selected.map((p) => [p, iamPolicy(p, config)]));
  io.out(JSON.stringify(principal ? documents[principal] : documents, null, 2));
  if (grants !== '' && principal !== 'scheduler')
    io.err(
      'lakeq: Lake Formation governs the Security Lake tables: besides these policies, the state machine and ' +
        "Lambda roles, the analyst and the deployer need Lake Formation grants on them (SELECT, DESCRIBE), which IAM cannot give; 'lakeq iam-policy --lake-formation-grants' prints the aws lakeformation grant-permissions commands.",
    );
  return 0;
}
