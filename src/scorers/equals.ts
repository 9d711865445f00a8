import { EvalOpsError } from '../core/errors.js';
import { jsonEqual } from '../core/json.js';
import { scored } from '../core/score.js';
import { deepParam, emptyTemplate, quote, scorerVersion } from './deterministic.js';
import type { ScorerFactory } from './scorer.js';

/**
 * `equals`: the output equals `value`. A string value is compared with the output text, exactly (case
 * and whitespace count). Any other value (object, array, number, boolean, null) is compared by deep
 * JSON equality, key order ignored; a string output is parsed as JSON first, so `'{"a":1}'` equals
 * `{ a: 1 }` and `"42"` equals `42`. A value that is exactly one template (`"{{expected}}"`) keeps the
 * type of what it points at; a template that renders empty skips the example.
 * @example { type: equals, value: "{{expected.answer}}" }
 */
export const equalsScorer: ScorerFactory<'equals'> = (config) => {
  if (config.value === undefined) {
    throw new EvalOpsError('config', 'equals needs a `value` (use null to expect a null output)');
  }
  const version = scorerVersion(config);
  const value = deepParam(config.value);
  return {
    type: 'equals',
    version,
    score(input) {
      const expected = value.render(input);
      if (value.templated && expected === '') return emptyTemplate(version, config.value);
      const equal = typeof expected === 'string' ? input.text === expected : jsonEqual(asJson(input.output), expected);
      return scored(version, equal, {
        reason: equal ? `output equals ${quote(expected)}` : `expected ${quote(expected)}, got ${quote(input.output)}`,
      });
    },
  };
};

/** A string output that parses as JSON is compared as that JSON value; anything else as it is. */
function asJson(output: unknown): unknown {
  if (typeof output !== 'string') return output;
  try {
    return JSON.parse(output) as unknown;
  } catch {
    return output;
  }
}
