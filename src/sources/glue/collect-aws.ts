import type { AwsCollect } from '../source-definition.ts';
import { DEFAULT_GLUE_PRICES, parseGluePrices } from './collect/prices.ts';
import { collectGlueResult } from './collect.ts';

/**
 * The Glue collector on AWS: GetJobs, GetJobRuns and CloudWatch GetMetricData in the Lambda's
 * Region, into `s3://<bucket>/<prefix>/raw/glue/`, where the Athena tables read them, priced with
 * `LAKEQ_GLUE_PRICES` (the `pricing.glue` JSON of lakeq.config.json; default list prices).
 *
 * @example
 * ```ts
 * await collectAwsGlue({ root, store, region: 'eu-west-1', accountId: '111122223333', env: process.env }, { from, to, now })
 * ```
 */
export const collectAwsGlue: AwsCollect = async ({ store, region, accountId, env }, window) => {
  const prices = env.LAKEQ_GLUE_PRICES
    ? parseGluePrices(JSON.parse(env.LAKEQ_GLUE_PRICES), 'LAKEQ_GLUE_PRICES')
    : DEFAULT_GLUE_PRICES;
  const { createSdkGlueApi } = await import('./collect/sdk-api.ts');
  return collectGlueResult({
    api: createSdkGlueApi({ region }),
    root: store,
    from: window.from,
    to: window.to,
    prices,
    region,
    accountId,
    now: window.now,
    signal: window.signal,
  });
};
