import type { RunSubset } from './subset-spec.js';

/**
 * One line saying what a subset run covered, for scorecards and reports.
 * @example subsetText(s) // "subset pr: 300 of 10000 examples (size 300, seed 0; every one of 12 slices kept, 4 critical always in)"
 */
export function subsetText(s: RunSubset): string {
  const how = s.spec.size !== undefined ? `size ${s.spec.size}` : s.spec.share !== undefined ? `share ${s.spec.share}` : s.spec.detect ? `sized to detect a ${(s.spec.detect.drop * 100).toFixed(1)} pt drop at ${(s.spec.detect.power * 100).toFixed(0)}% power` : '';
  const grown = s.size > s.requested ? `; ${s.size - s.requested} more than asked, for critical examples and slice minimums` : '';
  return `subset ${s.name}: ${s.size} of ${s.datasetSize} examples (${how}, seed ${s.seed}; every one of ${s.slices} slice(s) kept with at least ${s.minPerSlice}, ${s.critical} critical always in${grown})`;
}
