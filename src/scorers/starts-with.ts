import { scored } from '../core/score.js';
import { emptyTemplate, quote, scorerVersion, textParam } from './deterministic.js';
import type { ScorerFactory } from './scorer.js';

/**
 * `starts-with`: the output text starts with `value` (case sensitive, leading whitespace counts).
 * A templated value that renders empty skips the example.
 * @example { type: starts-with, value: "Dear {{input.customer}}" }
 */
export const startsWithScorer: ScorerFactory<'starts-with'> = (config) => {
  const version = scorerVersion(config);
  const value = textParam(config.value);
  return {
    type: 'starts-with',
    version,
    score(input) {
      const prefix = value.render(input);
      if (value.templated && prefix === '') return emptyTemplate(version, value.source);
      const ok = input.text.startsWith(prefix);
      return scored(version, ok, {
        reason: ok ? `output starts with ${quote(prefix)}` : `output starts with ${quote(input.text.slice(0, Math.max(prefix.length, 1)))}, not ${quote(prefix)}`,
      });
    },
  };
};
