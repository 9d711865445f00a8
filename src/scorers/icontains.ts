import { scored } from '../core/score.js';
import { emptyTemplate, quote, scorerVersion, textParam } from './deterministic.js';
import type { ScorerFactory } from './scorer.js';

/**
 * `icontains`: the output text contains `value`, ignoring case (Unicode lower-casing, no accent
 * folding: "café" does not match "CAFE"). A templated value that renders empty skips the example.
 * @example { type: icontains, value: "refund" }
 */
export const icontainsScorer: ScorerFactory<'icontains'> = (config) => {
  const version = scorerVersion(config);
  const value = textParam(config.value);
  const constant = value.templated ? undefined : config.value.toLowerCase();
  return {
    type: 'icontains',
    version,
    score(input) {
      const needle = constant ?? value.render(input).toLowerCase();
      if (value.templated && needle === '') return emptyTemplate(version, value.source);
      const found = input.text.toLowerCase().includes(needle);
      return scored(version, found, { reason: `${quote(needle)} ${found ? 'found' : 'not found'} in the output, ignoring case` });
    },
  };
};
