import { scored } from '../core/score.js';
import { scorerVersion } from './deterministic.js';
import type { ScorerFactory } from './scorer.js';

/**
 * `latency`: the result's latency (as measured by the runner) is at most `maxMs`.
 * @example { type: latency, maxMs: 2000 }
 */
export const latencyScorer: ScorerFactory<'latency'> = (config) => {
  const version = scorerVersion(config);
  return {
    type: 'latency',
    version,
    score(input) {
      const ok = input.latencyMs <= config.maxMs;
      return scored(version, ok, { reason: `${Math.round(input.latencyMs)} ms ${ok ? '≤' : '>'} ${config.maxMs} ms` });
    },
  };
};
