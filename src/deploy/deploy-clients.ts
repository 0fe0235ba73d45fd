import type { DeployConfig } from './deploy-config.ts';
import type { DeployClients } from './plan-deploy.ts';

/**
 * The real AWS SDK clients for a deploy, in the deploy's Region with the settings' profile.
 * The SDK packages are imported here only, when a deploy runs.
 *
 * @example
 * ```ts
 * const plan = await planDeploy(await openDeployClients(config), config);
 * ```
 */
export async function openDeployClients(
  config: Pick<DeployConfig, 'region' | 'profile'>,
): Promise<DeployClients> {
  const options = { region: config.region, ...(config.profile ? { profile: config.profile } : {}) };
  const [glue, athena, sfn, lambda, scheduler, quicksight, cloudwatch, sns] = await Promise.all([
    import('@aws-sdk/client-glue'),
    import('@aws-sdk/client-athena'),
    import('@aws-sdk/client-sfn'),
    import('@aws-sdk/client-lambda'),
    import('@aws-sdk/client-scheduler'),
    import('@aws-sdk/client-quicksight'),
    import('@aws-sdk/client-cloudwatch'),
    import('@aws-sdk/client-sns'),
  ]);
  return {
    glue: new glue.GlueClient(options),
    athena: new athena.AthenaClient(options),
    sfn: new sfn.SFNClient(options),
    lambda: new lambda.LambdaClient(options),
    scheduler: new scheduler.SchedulerClient(options),
    quicksight: new quicksight.QuickSightClient(options),
    cloudwatch: new cloudwatch.CloudWatchClient(options),
    sns: new sns.SNSClient(options),
  };
}
