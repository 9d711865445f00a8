import { scored } from '../core/score.js';
import { calledNames, emptyTemplate, quote, scorerVersion, textParam } from './deterministic.js';
import type { ScorerFactory } from './scorer.js';

/**
 * `tool-called`: a tool call named `name` (exact, case sensitive) is among the output's tool calls.
 * A templated name that renders empty skips the example.
 * @example { type: tool-called, name: "{{expected.tool}}" }
 */
export const toolCalledScorer: ScorerFactory<'tool-called'> = (config) => {
  const version = scorerVersion(config);
  const name = textParam(config.name);
  return {
    type: 'tool-called',
    version,
    score(input) {
      const wanted = name.render(input);
      if (wanted === '') return emptyTemplate(version, name.source);
      const called = input.toolCalls.some((c) => c.name === wanted);
      return scored(version, called, { reason: `${quote(wanted)} ${called ? 'was' : 'was not'} called; ${calledNames(input)}` });
    },
  };
};
