/**
 * How an agreement statistic says "undefined": `value: null` with a `reason`, never NaN or Infinity,
 * so every result can go to JSON as it is.
 */

/** A statistic that is a number, or null with the reason it is undefined. */
export type StatisticValue = { readonly value: number; readonly reason: null } | UndefinedStatistic;

/** The undefined case of a statistic: no value, and why. */
export interface UndefinedStatistic {
  readonly value: null;
  readonly reason: string;
}

/** Reason given when every rating is the same label, so chance agreement is 1 and kappa is 0/0. */
export const NO_VARIATION_REASON = 'no variation: every rating is the same label';

/** Reason given when no item carries the two or more ratings a comparison needs. */
export const NO_PAIRABLE_ITEM_REASON = 'no item has two or more ratings';

/**
 * @example undefinedStatistic('fewer than two raters') // { value: null, reason: 'fewer than two raters' }
 */
export function undefinedStatistic(reason: string): UndefinedStatistic {
  return { value: null, reason };
}

/**
 * A defined statistic, or undefined with `reason` if `value` is not a finite number.
 * @example statisticValue(0.5, 'unused') // { value: 0.5, reason: null }
 */
export function statisticValue(value: number, reasonIfNotFinite: string): StatisticValue {
  return Number.isFinite(value) ? { value, reason: null } : undefinedStatistic(reasonIfNotFinite);
}
