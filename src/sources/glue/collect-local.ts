import { stat } from 'node:fs/promises';
import type { LocalCollect } from '../source-definition.ts';
import { DEFAULT_GLUE_PRICES, parseGluePrices } from './collect/prices.ts';
import { collectGlueResult } from './collect.ts';

/**
 * The Glue collector of a local run (`SourceDefinition.collect`): captured API responses (AWS CLI
 * output, or `lakeq sample glue`) in the source's input, collected into `<dataDir>/raw/glue`,
 * priced with `pricing.glue`. No folder there means nothing to collect.
 *
 * @example
 * ```ts
 * await collectLocalGlue({ input: './lakeq-data/raw/glue-api', root: './lakeq-data/raw/glue', pricing: {} }, { from, to, now })
 * ```
 */
export const collectLocalGlue: LocalCollect = async ({ input, root, pricing, region }, window) => {
  const found = await stat(input).catch(() => undefined);
  if (!found?.isDirectory()) return { collected: false, reason: `captured Glue API responses in ${input}` };
  const { openCapturedGlueApi } = await import('./collect/captured-api.ts');
  return collectGlueResult({
    api: await openCapturedGlueApi(input),
    root,
    from: window.from,
    to: window.to,
    prices: pricing.glue === undefined ? DEFAULT_GLUE_PRICES : parseGluePrices(pricing.glue, 'pricing.glue'),
    region: region ?? 'us-east-1',
    accountId: null,
    now: window.now,
    signal: window.signal,
  });
};
