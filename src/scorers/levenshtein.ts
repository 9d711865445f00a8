import { scored } from '../core/score.js';
import { normalisedLevenshtein } from '../core/text-similarity.js';
import { emptyTemplate, quote, scorerVersion, textParam } from './deterministic.js';
import type { ScorerFactory } from './scorer.js';

/**
 * `levenshtein`: normalised edit similarity between the output text and `value`
 * (`1 - distance / longer length`, case and whitespace count) is at least `threshold`. The score's
 * value is that similarity. A templated value that renders empty skips the example.
 * @example { type: levenshtein, value: "{{expected.answer}}", threshold: 0.8 }
 */
export const levenshteinScorer: ScorerFactory<'levenshtein'> = (config) => {
  const version = scorerVersion(config);
  const value = textParam(config.value);
  return {
    type: 'levenshtein',
    version,
    score(input) {
      const target = value.render(input);
      if (value.templated && target === '') return emptyTemplate(version, value.source);
      const similarity = normalisedLevenshtein(input.text, target);
      const pass = similarity >= config.threshold;
      return scored(version, pass, {
        value: similarity,
        reason: `similarity ${similarity.toFixed(3)} ${pass ? '≥' : '<'} threshold ${config.threshold} to ${quote(target)}`,
      });
    },
  };
};
