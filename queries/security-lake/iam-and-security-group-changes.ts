import { sql } from 'kysely';
import { defineQuery } from '../../src/query/define-query.ts';
import { accountId, timeWindow } from '../../src/query/param-types.ts';
import { inWindow } from './security-lake-sql.ts';

export interface IamAndSecurityGroupChangeRow {
  time: string;
  account_id: string;
  region: string;
  /** iam or security-group */
  kind: string;
  operation: string;
  actor_arn: string | null;
  /** The user or role changed, or the policy attached (IAM); NULL for security groups. */
  target: string | null;
  error: string | null;
}

const IAM_POLICY = /* The IAM calls that change who may do what. */ [
  'AttachRolePolicy',
  'DetachRolePolicy',
  'AttachUserPolicy',
  'DetachUserPolicy',
  'PutRolePolicy',
  'PutUserPolicy',
  'DeleteRolePolicy',
  'DeleteUserPolicy',
  'CreatePolicyVersion',
  'CreatePolicy',
  'DeletePolicy',
  'SetDefaultPolicyVersion',
  'UpdateAssumeRolePolicy',
];
const SECURITY_GROUP = [
  'AuthorizeSecurityGroupIngress',
  'AuthorizeSecurityGroupEgress',
  'RevokeSecurityGroupIngress',
  'RevokeSecurityGroupEgress',
  'CreateSecurityGroup',
  'DeleteSecurityGroup',
  'ModifySecurityGroupRules',
];

/** IAM policy changes and security group changes, one row per call, newest last. */
export default defineQuery({
  id: 'security-lake/iam-and-security-group-changes',
  version: '1.0.0',
  title: 'IAM policy and security group changes (Security Lake)',
  description:
    'Every IAM policy change (attach, detach, put, delete, new versions, trust policies) and every security group ' +
    'change (rules authorized or revoked, groups created or deleted) in [from, to), from ocsf_account_change and ' +
    'ocsf_api_activity, with who made it and whether it failed.',
  example: { from: '2026-11-01', to: '2026-11-08' },
  // Security Lake's tables are in Athena (Glue), not in a CloudTrail Lake event data store.
  engines: ['duckdb', 'athena'],
  params: timeWindow({ account: accountId.optional().describe('only this account') }),
  build: ({ from, to, account }) => sql<IamAndSecurityGroupChangeRow>`
    select time, account_id, region, kind, operation, actor_arn, target, error from (
      select time, account_id, region, 'iam' as kind, api_operation as operation, actor_user_arn as actor_arn,
        coalesce(policy_arn, user_name) as target, api_error as error
      from ${sql.table('ocsf_account_change')}
      where api_operation in (${sql.join(IAM_POLICY)}) and ${inWindow(from, to, account)}
      union all
      select time, account_id, region,
        case when api_service = 'iam.amazonaws.com' then 'iam' else 'security-group' end as kind,
        api_operation as operation, actor_user_arn as actor_arn,
        case when api_service = 'iam.amazonaws.com' then element_at(unmapped, 'requestParameters.policyArn') end as target,
        api_error as error
      from ${sql.table('ocsf_api_activity')}
      where ((api_service = 'ec2.amazonaws.com' and api_operation in (${sql.join(SECURITY_GROUP)}))
          or (api_service = 'iam.amazonaws.com' and api_operation in (${sql.join(IAM_POLICY)})))
        and ${inWindow(from, to, account)}
    ) c
    order by time, account_id, operation`,
});
