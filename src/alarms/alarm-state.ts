import type { Comparison, TreatMissingData } from './alarm-definition.ts';

/** CloudWatch's alarm states. */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

const WORDS: Record<Comparison, string> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/**
 * True when a value breaches the threshold.
 *
 * @example
 * ```ts
 * breaches(3, 'GreaterThanThreshold', 3) // false
 * ```
 */
export function breaches(value: number, comparison: Comparison, threshold: number): boolean {
  switch (comparison) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

/**
 * A number as CloudWatch writes it in a state reason: `3.0`, `0.25`, `1234.0`.
 *
 * @example
 * ```ts
 * formatDatapoint(3) // '3.0'
 * ```
 */
export function formatDatapoint(value: number): string {
  if (Number.isInteger(value)) return value.toFixed(1);
  return String(Number(value.toPrecision(12)));
}

const datapoints = (n: number) => `${n} datapoint${n === 1 ? '' : 's'}`;
const missingPoints = (n: number) => `${n} missing datapoint${n === 1 ? '' : 's'}`;

/** What decides a state: the threshold rule and the last `evaluationPeriods` datapoints. */
export interface StateRule {
  readonly comparison: Comparison;
  readonly threshold: number;
  readonly treatMissingData: TreatMissingData;
}

/**
 * The state of an alarm from its datapoints, oldest first, one per period of the evaluation
 * range (`null` for a period without one), the way CloudWatch decides it: ALARM when every
 * datapoint breaches, OK otherwise. Missing datapoints count as TreatMissingData says:
 * `breaching` and `notBreaching` fill them in; `missing` leaves them out (all missing:
 * INSUFFICIENT_DATA); `ignore` leaves them out too (all missing: the state stays as it was).
 *
 * @example
 * ```ts
 * decideState([3], { comparison: 'GreaterThanThreshold', threshold: 0, treatMissingData: 'missing' }, 'OK')
 * // { state: 'ALARM', reason: 'Threshold Crossed: 1 datapoint [3.0] was greater than the threshold (0.0)' }
 * ```
 */
export function decideState(
  values: readonly (number | null)[],
  rule: StateRule,
  previous: AlarmState,
): { state: AlarmState; reason: string } {
  const { comparison, threshold, treatMissingData } = rule;
  const words = WORDS[comparison];
  const limit = `the threshold (${formatDatapoint(threshold)})`;
  const present = values.filter((v): v is number => v !== null);
  const missing = values.length - present.length;
  if (present.length === 0) {
    const n = values.length;
    switch (treatMissingData) {
      case 'breaching':
        return {
          state: 'ALARM',
          reason: `Threshold Crossed: no datapoints were received for ${n} period${n === 1 ? '' : 's'} and ${missingPoints(n)} ${n === 1 ? 'was' : 'were'} treated as [Breaching]`,
        };
      case 'notBreaching':
        return {
          state: 'OK',
          reason: `Threshold Crossed: no datapoints were received for ${n} period${n === 1 ? '' : 's'} and ${missingPoints(n)} ${n === 1 ? 'was' : 'were'} treated as [NonBreaching]`,
        };
      case 'ignore':
        return {
          state: previous,
          reason: `No datapoints were received for ${n} period${n === 1 ? '' : 's'}; missing data is ignored, so the state stays ${previous}`,
        };
      case 'missing':
        return {
          state: 'INSUFFICIENT_DATA',
          reason: `Insufficient Data: ${datapoints(n)} ${n === 1 ? 'was' : 'were'} unknown`,
        };
    }
  }
  const filled = missing > 0 && (treatMissingData === 'breaching' || treatMissingData === 'notBreaching');
  const breaching = present.filter((v) => breaches(v, comparison, threshold));
  const filledBreaching = filled && treatMissingData === 'breaching' ? missing : 0;
  const considered = present.length + (filled ? missing : 0);
  const note = filled
    ? ` (${missingPoints(missing)} treated as [${treatMissingData === 'breaching' ? 'Breaching' : 'NonBreaching'}])`
    : '';
  const of = (k: number) =>
    considered === 1 ? `${datapoints(k)}` : `${k} out of the last ${datapoints(considered)}`;
  if (breaching.length + filledBreaching === considered) {
    const shown = breaching.map(formatDatapoint).join(', ');
    return {
      state: 'ALARM',
      reason: `Threshold Crossed: ${of(considered)} [${shown}] ${considered === 1 ? 'was' : 'were'} ${words} ${limit}${note}`,
    };
  }
  const notBreaching = present.filter((v) => !breaches(v, comparison, threshold));
  const k = notBreaching.length + (filled && treatMissingData === 'notBreaching' ? missing : 0);
  return {
    state: 'OK',
    reason: `Threshold Crossed: ${of(k)}${notBreaching.length > 0 ? ` [${notBreaching.map(formatDatapoint).join(', ')}]` : ''} ${k === 1 ? 'was' : 'were'} not ${words} ${limit}${note}`,
  };
}
