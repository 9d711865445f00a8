import { scored } from '../core/score.js';
import { scorerVersion } from './deterministic.js';
import type { ScorerFactory } from './scorer.js';

/**
 * `is-json`: the output is JSON. A non-string output (object, array, number, boolean) passes; a null
 * or missing output fails. A string passes only when it is plain JSON as a whole (surrounding
 * whitespace allowed): strict on purpose, so Markdown code fences (```json … ```) or prose around the
 * JSON fail — a consumer that calls JSON.parse on the output would fail on them too.
 * @example { type: is-json }
 */
export const isJsonScorer: ScorerFactory<'is-json'> = (config) => {
  const version = scorerVersion(config);
  return {
    type: 'is-json',
    version,
    score(input) {
      const { output } = input;
      if (output === null || output === undefined) return scored(version, false, { reason: 'no output' });
      if (typeof output !== 'string') return scored(version, true, { reason: `output is a ${Array.isArray(output) ? 'array' : typeof output}` });
      try {
        JSON.parse(output);
        return scored(version, true, { reason: 'output parses as JSON' });
      } catch (e) {
        const fenced = output.trimStart().startsWith('```');
        return scored(version, false, {
          reason: fenced ? 'output is wrapped in a code fence, not plain JSON' : `output is not JSON: ${(e as Error).message}`,
        });
      }
    },
  };
};
