import { scored } from '../core/score.js';
import { emptyTemplate, quote, renderList, scorerVersion, textParam } from './deterministic.js';
import type { ScorerFactory } from './scorer.js';

/**
 * `contains-any`: at least one of `values` occurs in the output text (case sensitive). Templated values
 * that render empty are left out; when none is left the example is skipped.
 * @example { type: contains-any, values: ["refund", "reimburse"] }
 */
export const containsAnyScorer: ScorerFactory<'contains-any'> = (config) => {
  const version = scorerVersion(config);
  const params = config.values.map(textParam);
  return {
    type: 'contains-any',
    version,
    score(input) {
      const values = renderList(params, input);
      if (values === undefined) return emptyTemplate(version, config.values);
      const hit = values.find((v) => input.text.includes(v));
      return scored(version, hit !== undefined, {
        reason: hit !== undefined ? `${quote(hit)} found in the output` : `none of ${quote(values)} found in the output`,
      });
    },
  };
};
