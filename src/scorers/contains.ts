import { scored } from '../core/score.js';
import { emptyTemplate, quote, scorerVersion, textParam } from './deterministic.js';
import type { ScorerFactory } from './scorer.js';

/**
 * `contains`: the output text contains `value` (case sensitive). A templated value that renders empty
 * for an example skips it rather than passing trivially.
 * @example { type: contains, value: "{{expected.keyword}}" }
 */
export const containsScorer: ScorerFactory<'contains'> = (config) => {
  const version = scorerVersion(config);
  const value = textParam(config.value);
  return {
    type: 'contains',
    version,
    score(input) {
      const needle = value.render(input);
      if (value.templated && needle === '') return emptyTemplate(version, value.source);
      const found = input.text.includes(needle);
      return scored(version, found, { reason: `${quote(needle)} ${found ? 'found' : 'not found'} in the output` });
    },
  };
};
