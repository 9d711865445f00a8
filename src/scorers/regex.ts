import { EvalOpsError, errorMessage } from '../core/errors.js';
import { errored, scored } from '../core/score.js';
import { emptyTemplate, quote, scorerVersion, textParam } from './deterministic.js';
import type { ScorerFactory } from './scorer.js';

/**
 * `regex`: `pattern` (JavaScript syntax, with `flags`) matches somewhere in the output text.
 * A pattern without templates is compiled once, and an invalid one is a config error. Template values
 * are inserted into a templated pattern as they are (not escaped), so they may carry regex syntax;
 * if the rendered pattern is invalid, that example's score is errored.
 * @example { type: regex, pattern: "^order #\\d+", flags: "im" }
 */
export const regexScorer: ScorerFactory<'regex'> = (config) => {
  const version = scorerVersion(config);
  const pattern = textParam(config.pattern);
  const flags = config.flags ?? '';
  const constant = pattern.templated ? undefined : compile(config.pattern, flags);
  return {
    type: 'regex',
    version,
    score(input) {
      let re = constant;
      if (re === undefined) {
        const source = pattern.render(input);
        if (source === '') return emptyTemplate(version, pattern.source);
        try {
          re = new RegExp(source, flags);
        } catch (e) {
          return errored(version, `rendered pattern ${quote(source)} is not a valid regex: ${errorMessage(e)}`);
        }
      }
      // `g` and `y` make test() start at lastIndex; every output is matched from its start.
      re.lastIndex = 0;
      const match = re.exec(input.text);
      return scored(version, match !== null, {
        reason: match !== null ? `/${re.source}/ matched ${quote(match[0])}` : `/${re.source}/ did not match the output`,
      });
    },
  };
};

function compile(pattern: string, flags: string): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch (cause) {
    throw new EvalOpsError('config', `regex pattern ${quote(pattern)} is invalid: ${errorMessage(cause)}`, { cause });
  }
}
