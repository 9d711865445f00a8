import { EvalOpsError } from '../core/errors.js';
import { scored } from '../core/score.js';
import { scorerVersion } from './deterministic.js';
import type { ScorerFactory } from './scorer.js';

/**
 * `length`: the output text is within the given bounds (inclusive). Words are runs of non-whitespace;
 * characters are Unicode code points. At least one bound is required, and a minimum may not exceed
 * its maximum.
 * @example { type: length, minWords: 5, maxChars: 600 }
 */
export const lengthScorer: ScorerFactory<'length'> = (config) => {
  const { minWords, maxWords, minChars, maxChars } = config;
  if (minWords === undefined && maxWords === undefined && minChars === undefined && maxChars === undefined) {
    throw new EvalOpsError('config', 'length needs at least one of minWords, maxWords, minChars, maxChars');
  }
  if (minWords !== undefined && maxWords !== undefined && minWords > maxWords) {
    throw new EvalOpsError('config', `length minWords (${minWords}) is greater than maxWords (${maxWords})`);
  }
  if (minChars !== undefined && maxChars !== undefined && minChars > maxChars) {
    throw new EvalOpsError('config', `length minChars (${minChars}) is greater than maxChars (${maxChars})`);
  }
  const needWords = minWords !== undefined || maxWords !== undefined;
  const needChars = minChars !== undefined || maxChars !== undefined;
  const version = scorerVersion(config);
  return {
    type: 'length',
    version,
    score(input) {
      const problems: string[] = [];
      const facts: string[] = [];
      if (needWords) {
        const words = countWords(input.text);
        facts.push(`${words} words`);
        if (minWords !== undefined && words < minWords) problems.push(`${words} words < minWords ${minWords}`);
        if (maxWords !== undefined && words > maxWords) problems.push(`${words} words > maxWords ${maxWords}`);
      }
      if (needChars) {
        const chars = countChars(input.text);
        facts.push(`${chars} characters`);
        if (minChars !== undefined && chars < minChars) problems.push(`${chars} characters < minChars ${minChars}`);
        if (maxChars !== undefined && chars > maxChars) problems.push(`${chars} characters > maxChars ${maxChars}`);
      }
      return scored(version, problems.length === 0, {
        reason: problems.length === 0 ? `${facts.join(', ')}: within bounds` : problems.join('; '),
      });
    },
  };
};

function countWords(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

function countChars(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}
