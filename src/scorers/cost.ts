import { scored, skipped } from '../core/score.js';
import { scorerVersion } from './deterministic.js';
import type { ScorerFactory } from './scorer.js';

/**
 * `cost`: the result's cost in USD is at most `maxUsd`. A result with no recorded cost (the target
 * reported none) is skipped: an unknown cost is neither within nor over budget.
 * @example { type: cost, maxUsd: 0.01 }
 */
export const costScorer: ScorerFactory<'cost'> = (config) => {
  const version = scorerVersion(config);
  return {
    type: 'cost',
    version,
    score(input) {
      if (input.costUsd === undefined) return skipped(version, 'no cost recorded for this result');
      const ok = input.costUsd <= config.maxUsd;
      return scored(version, ok, { reason: `$${input.costUsd} ${ok ? '≤' : '>'} $${config.maxUsd}` });
    },
  };
};
