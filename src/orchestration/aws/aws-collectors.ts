import type { AwsCollect } from '../../sources/source-definition.ts';

/**
 * The collectors the Lambda runs on AWS, by source name: each `collected` source's
 * `collect-aws.ts`, which calls the service's APIs through the AWS SDK.
 *
 * Listed here, not in the source's SourceDefinition like its other hooks: the registry is
 * reached (lazily) from the code of every principal (`lakeq deploy`, `lakeq query`), and the IAM
 * policies are derived from the SDK calls each principal's code can reach
 * (test/orchestration/iam-policy.test.ts), so a collector's API calls in the registry would ask
 * the deployer and the analyst for the collector's read permissions. Only the Lambda's code reaches
 * this file. A collected source with an AWS collector adds its line here.
 */
export const AWS_COLLECTORS: Readonly<Record<string, () => Promise<AwsCollect>>> = {
  glue: async () => (await import('../../sources/glue/collect-aws.ts')).collectAwsGlue,
  'identity-center': async () =>
    (await import('../../sources/identity-center/collect-aws.ts')).collectAwsIdentityCenter,
};
