import { TPCDS_RAW_FOLDER } from '../sources/tpcds/raw-athena.ts';
import type { DeployConfig } from './deploy-config.ts';
import { type PolicyDocument, policyValues } from './iam-policy.ts';

/** The managed policy AWS's guide on column statistics attaches to the role (Glue's own service role policy). */
export const GLUE_SERVICE_ROLE_POLICY = 'policy/service-role/AWSGlueServiceRole';

/** The role name `lakeq iam-policy --glue-statistics-role` suggests when `roles.glueStatistics` names none. */
export const DEFAULT_GLUE_STATISTICS_ROLE = 'lakeq-glue-column-statistics';

/**
 * The role AWS Glue assumes to compute the TPC-DS tables' column statistics for
 * `lakeq tpcds compare --engine athena` (`roles.glueStatistics` in lakeq.deploy.json, which the
 * analyst passes to Glue): trusted by Glue only, in this account; `AWSGlueServiceRole` attached
 * (as AWS's "Prerequisites for generating column statistics" asks), and an inline policy that
 * reads the generated tables under `s3://<data-bucket>/<prefix>/raw/tpcds/` and writes their
 * statistics in lakeq's database, nothing else.
 *
 * @example
 * ```ts
 * const role = glueStatisticsRole(config);
 * role.trustPolicy.Statement[0].Principal // { Service: 'glue.amazonaws.com' }
 * role.managedPolicyArns // ['arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole']
 * ```
 */
export function glueStatisticsRole(config: DeployConfig): {
  roleName: string;
  trustPolicy: {
    Version: '2012-10-17';
    Statement: {
      Sid: string;
      Effect: 'Allow';
      Principal: { Service: string };
      Action: string[];
      Condition: { StringEquals: { 'aws:SourceAccount': string } };
    }[];
  };
  managedPolicyArns: string[];
  policy: PolicyDocument;
} {
  const v = policyValues(config);
  const named = v.roles.glueStatistics?.split('/').pop();
  const prefix = `${v.data.keyPrefix}${TPCDS_RAW_FOLDER}/`;
  const glue = (resource: string) => `arn:${v.partition}:glue:${v.region}:${v.accountId}:${resource}`;
  return {
    roleName: named ?? DEFAULT_GLUE_STATISTICS_ROLE,
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'GlueColumnStatistics',
          Effect: 'Allow',
          Principal: { Service: 'glue.amazonaws.com' },
          Action: ['sts:AssumeRole'],
          // Only Glue acting for this account (the confused-deputy guard).
          Condition: { StringEquals: { 'aws:SourceAccount': v.accountId } },
        },
      ],
    },
    managedPolicyArns: [`arn:${v.partition}:iam::aws:${GLUE_SERVICE_ROLE_POLICY}`],
    policy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'TpcdsDataRead',
          Effect: 'Allow',
          Action: ['s3:GetObject'],
          Resource: [`arn:${v.partition}:s3:::${v.data.bucket}/${prefix}*`],
        },
        {
          Sid: 'TpcdsDataList',
          Effect: 'Allow',
          Action: ['s3:ListBucket'],
          Resource: [`arn:${v.partition}:s3:::${v.data.bucket}`],
          Condition: { StringLike: { 's3:prefix': [`${prefix}*`] } },
        },
        {
          Sid: 'TpcdsColumnStatisticsWrite',
          Effect: 'Allow',
          Action: [
            'glue:GetDatabase',
            'glue:GetTable',
            'glue:GetPartitions',
            'glue:GetColumnStatisticsForTable',
            'glue:UpdateColumnStatisticsForTable',
            'glue:DeleteColumnStatisticsForTable',
          ],
          Resource: [glue('catalog'), glue(`database/${v.database}`), glue(`table/${v.database}/*`)],
        },
      ],
    },
  };
}
