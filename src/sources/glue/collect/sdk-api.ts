import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { GlueClient } from '@aws-sdk/client-glue';
import { type AwsRetryOptions, withThrottlingRetry } from '../../../engines/aws-retry.ts';
import type {
  GetMetricDataInput,
  GetMetricDataOutput,
  GlueApi,
  GlueJobRunsPage,
  GlueJobsPage,
} from './api.ts';

/** Most jobs GetJobs returns per page (glue.service-2.json PageSize). */
export const GET_JOBS_PAGE_SIZE = 1000;
/** Most runs GetJobRuns returns per page (OrchestrationPageSize200). */
export const GET_JOB_RUNS_PAGE_SIZE = 200;

/**
 * Options of the AWS SDK source.
 *
 * @example
 * ```ts
 * const options: SdkGlueApiOptions = { region: 'eu-west-1', profile: 'analytics', retry: { retries: 8 } };
 * ```
 */
export interface SdkGlueApiOptions {
  readonly region?: string | undefined;
  readonly profile?: string | undefined;
  /** Backoff while AWS throttles (ThrottlingException and the like); other errors are thrown at once. */
  readonly retry?: AwsRetryOptions | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Runs per GetJobRuns page (default 200, the most Glue allows). */
  readonly jobRunsPageSize?: number | undefined;
}

interface Clients {
  readonly glue: GlueClient;
  readonly cloudwatch: CloudWatchClient;
  readonly sdk: {
    readonly glue: typeof import('@aws-sdk/client-glue');
    readonly cloudwatch: typeof import('@aws-sdk/client-cloudwatch');
  };
}

/**
 * The Glue collector's source on AWS: GetJobs and GetJobRuns (AWS Glue), GetMetricData (CloudWatch),
 * each retried on throttling. The SDK is imported at the first call, so the CLI starts fast.
 *
 * @example
 * ```ts
 * const api = createSdkGlueApi({ region: 'us-east-1' });
 * const { JobRuns } = await api.getJobRuns('orders-daily-etl'); // newest first, 200 a page
 * ```
 */
export function createSdkGlueApi(options: SdkGlueApiOptions = {}): GlueApi {
  let clients: Promise<Clients> | undefined;
  const config = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  };
  const load = (): Promise<Clients> => {
    clients ??= (async () => {
      const [glue, cloudwatch] = await Promise.all([
        import('@aws-sdk/client-glue'),
        import('@aws-sdk/client-cloudwatch'),
      ]);
      return {
        glue: new glue.GlueClient(config),
        cloudwatch: new cloudwatch.CloudWatchClient(config),
        sdk: { glue, cloudwatch },
      };
    })();
    return clients;
  };
  const retry = <T>(call: () => Promise<T>) =>
    withThrottlingRetry(call, { ...options.retry, signal: options.signal });
  const runsPageSize = options.jobRunsPageSize ?? GET_JOB_RUNS_PAGE_SIZE;

  return {
    async getJobs(nextToken?: string): Promise<GlueJobsPage> {
      const c = await load();
      const command = new c.sdk.glue.GetJobsCommand({
        MaxResults: GET_JOBS_PAGE_SIZE,
        ...(nextToken ? { NextToken: nextToken } : {}),
      });
      return retry(() => c.glue.send(command));
    },
    async getJobRuns(jobName: string, nextToken?: string): Promise<GlueJobRunsPage> {
      const c = await load();
      const command = new c.sdk.glue.GetJobRunsCommand({
        JobName: jobName,
        MaxResults: runsPageSize,
        ...(nextToken ? { NextToken: nextToken } : {}),
      });
      return retry(() => c.glue.send(command));
    },
    async getMetricData(input: GetMetricDataInput): Promise<GetMetricDataOutput> {
      const c = await load();
      const command = new c.sdk.cloudwatch.GetMetricDataCommand(input);
      return retry(() => c.cloudwatch.send(command));
    },
  };
}
