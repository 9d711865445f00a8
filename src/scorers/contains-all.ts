import { scored } from '../core/score.js';
import { emptyTemplate, quote, renderList, scorerVersion, textParam } from './deterministic.js';
import type { ScorerFactory } from './scorer.js';

/**
 * `contains-all`: every one of `values` occurs in the output text (case sensitive). Templated values
 * that render empty are left out; when none is left the example is skipped.
 * @example { type: contains-all, values: ["{{expected.orderId}}", "refund"] }
 */
export const containsAllScorer: ScorerFactory<'contains-all'> = (config) => {
  const version = scorerVersion(config);
  const params = config.values.map(textParam);
  return {
    type: 'contains-all',
    version,
    score(input) {
      const values = renderList(params, input);
      if (values === undefined) return emptyTemplate(version, config.values);
      const missing = values.filter((v) => !input.text.includes(v));
      return scored(version, missing.length === 0, {
        reason: missing.length === 0 ? `all of ${quote(values)} found in the output` : `missing from the output: ${quote(missing)}`,
      });
    },
  };
};
