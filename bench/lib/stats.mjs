/** Small order statistics for benchmark samples. */

/** @example median([3, 1, 2]) // 2 */
export function median(values) {
  return quantile(values, 0.5);
}

/**
 * Linear-interpolated quantile of an unsorted sample (q in 0..1), NaN for an empty sample.
 * @example quantile([1, 2, 3, 4], 0.9) // 3.7
 */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Rounds for display: integers stay integers, others get `digits` decimals. */
export function fmt(value, digits = 0) {
  if (value === undefined || value === null || Number.isNaN(value)) return '–';
  return value.toFixed(digits);
}
