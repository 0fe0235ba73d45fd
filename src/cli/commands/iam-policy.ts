import { parseArgs } from 'node:util';
import { LakeqError } from '../../engines/engine.ts';
import type { CliIO } from '../io.ts';
import { settingsFrom } from '../options.ts';

const USAGE = `Usage: lakeq iam-policy [--principal stateMachine|lambda|scheduler|analyst|deployer] [--deploy-config FILE]
       lakeq iam-policy --identity-center-member-role [--deploy-config FILE]
       lakeq iam-policy --glue-statistics-role [--deploy-config FILE]
Prints least-privilege IAM policy documents (JSON), scoped to the resources of lakeq.deploy.json:
the Step Functions role, the Lambda role, the EventBridge Scheduler role, an analyst running
queries, and whoever runs lakeq deploy. Without --principal, all of them, keyed by principal.
--identity-center-member-role prints the role the Identity Center collector assumes in each
member account (its name, trust policy and permissions), to create with a StackSet.
--glue-statistics-role prints the role AWS Glue assumes to compute the TPC-DS tables' column
statistics for lakeq tpcds compare --engine athena (roles.glueStatistics).`;

/** `lakeq iam-policy`: the policies of the roles lakeq deploy expects to exist. */
export async function run(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      principal: { type: 'string' },
      'identity-center-member-role': { type: 'boolean' },
      'glue-statistics-role': { type: 'boolean' },
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
    if (principal !== undefined || values['identity-center-member-role'])
      throw new LakeqError(
        'BAD_OPTION',
        '--glue-statistics-role goes alone (not with --principal or --identity-center-member-role)',
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
  const selected = principal ? [principal as (typeof POLICY_PRINCIPALS)[number]] : POLICY_PRINCIPALS;
  const documents = Object.fromEntries(selected.map((p) => [p, iamPolicy(p, config)]));
  io.out(JSON.stringify(principal ? documents[principal] : documents, null, 2));
  return 0;
}
