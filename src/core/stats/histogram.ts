/** One bar of a histogram: values v with from ≤ v < to (the last bar also holds v = to). */
export interface HistogramBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

/**
 * Equal-width bins from the smallest to the largest value. `sorted` must be ascending; an empty input
 * has no bins, and a single distinct value is one bin of width 0.
 * @example histogram([1, 2, 2, 9], 4) // [{from:1,to:3,count:3},{from:3,to:5,count:0},{from:5,to:7,count:0},{from:7,to:9,count:1}]
 */
export function histogram(sorted: ArrayLike<number>, bins: number): HistogramBin[] {
  const n = sorted.length;
  if (n === 0) return [];
  const min = sorted[0] as number;
  const max = sorted[n - 1] as number;
  if (max === min) return [{ from: min, to: max, count: n }];
  const k = Math.max(1, Math.floor(bins));
  const width = (max - min) / k;
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const at = Math.min(k - 1, Math.floor(((sorted[i] as number) - min) / width));
    counts[at] = (counts[at] as number) + 1;
  }
  return counts.map((count, i) => ({ from: min + i * width, to: i === k - 1 ? max : min + (i + 1) * width, count }));
}
