import { z } from 'zod';

/**
 * The Glue price table: USD per DPU-hour by execution class, with per-Region overrides. It is the
 * `pricing.glue` section of lakeq.config.json, so prices are configuration, not code.
 *
 * Defaults are the AWS Glue list prices in us-east-1 (aws.amazon.com/glue/pricing): $0.44 per
 * DPU-hour for the STANDARD execution class (Spark, streaming, Ray and Python shell jobs alike) and
 * $0.29 for FLEX. Prices vary by Region (eu-west-1, ap-southeast-2 and others cost more): set
 * `regions` for exact figures. Estimated cost is DPU-seconds / 3600 × this price; it ignores
 * free tiers, Savings Plans and the 1-minute minimum billing that Glue's own bill applies.
 *
 * @example
 * ```json
 * { "pricing": { "glue": { "default": { "STANDARD": 0.44, "FLEX": 0.29 },
 *                          "regions": { "eu-west-1": { "STANDARD": 0.44, "FLEX": 0.29 } } } } }
 * ```
 */
export const DEFAULT_GLUE_PRICES: GluePrices = { default: { STANDARD: 0.44, FLEX: 0.29 } };

const price = z.number().finite().nonnegative();

/**
 * The zod schema of `pricing.glue`; `default` may be left out (DEFAULT_GLUE_PRICES.default).
 *
 * @example
 * ```ts
 * gluePricesSchema.parse({ regions: { 'eu-west-1': { STANDARD: 0.48 } } });
 * // { default: { STANDARD: 0.44, FLEX: 0.29 }, regions: { 'eu-west-1': { STANDARD: 0.48 } } }
 * ```
 */
export const gluePricesSchema = z
  .object({
    default: z
      .object({ STANDARD: price, FLEX: price })
      .strict()
      .default({ STANDARD: 0.44, FLEX: 0.29 })
      .describe('USD per DPU-hour by execution class'),
    regions: z
      .record(
        z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a Region name such as eu-west-1'),
        z.object({ STANDARD: price.optional(), FLEX: price.optional() }).strict(),
      )
      .optional()
      .describe('per-Region overrides of the default prices'),
  })
  .strict();

/**
 * A parsed Glue price table.
 *
 * @example
 * ```ts
 * const prices: GluePrices = { default: { STANDARD: 0.44, FLEX: 0.29 }, regions: { 'eu-west-1': { FLEX: 0.31 } } };
 * ```
 */
export type GluePrices = z.output<typeof gluePricesSchema>;

/**
 * Parses a `pricing.glue` value, with an error naming `where` and the bad member.
 *
 * @example
 * ```ts
 * parseGluePrices({ default: { STANDARD: 0.44, FLEX: -1 } }, 'lakeq.config.json pricing.glue');
 * // throws: lakeq.config.json pricing.glue.default.FLEX: Too small: expected number to be >=0
 * ```
 */
export function parseGluePrices(value: unknown, where = 'pricing.glue'): GluePrices {
  const parsed = gluePricesSchema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = issue && issue.path.length > 0 ? `.${issue.path.join('.')}` : '';
  throw new Error(`${where}${at}: ${issue?.message ?? 'invalid price table'}`);
}

/**
 * USD per DPU-hour for a Region and execution class: the Region's override, else the default.
 * An unknown execution class (runs from before Glue had FLEX) is priced as STANDARD.
 *
 * @example
 * ```ts
 * priceFor(DEFAULT_GLUE_PRICES, 'us-east-1', 'FLEX'); // 0.29
 * priceFor({ default: { STANDARD: 0.44, FLEX: 0.29 }, regions: { 'eu-west-1': { STANDARD: 0.48 } } }, 'eu-west-1', null); // 0.48
 * ```
 */
export function priceFor(
  prices: GluePrices,
  region: string,
  executionClass: string | null | undefined,
): number {
  const cls = executionClass === 'FLEX' ? 'FLEX' : 'STANDARD';
  return prices.regions?.[region]?.[cls] ?? prices.default[cls];
}
