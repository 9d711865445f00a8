import { scored } from '../core/score.js';
import { calledNames, emptyTemplate, quote, scorerVersion, textParam } from './deterministic.js';
import type { ScorerFactory } from './scorer.js';

/**
 * `tool-not-called`: no tool call named `name` (exact, case sensitive) is among the output's tool
 * calls. A templated name that renders empty skips the example.
 * @example { type: tool-not-called, name: "issue_refund" }
 */
export const toolNotCalledScorer: ScorerFactory<'tool-not-called'> = (config) => {
  const version = scorerVersion(config);
  const name = textParam(config.name);
  return {
    type: 'tool-not-called',
    version,
    score(input) {
      const banned = name.render(input);
      if (banned === '') return emptyTemplate(version, name.source);
      const times = input.toolCalls.filter((c) => c.name === banned).length;
      return scored(version, times === 0, {
        reason: times === 0 ? `${quote(banned)} was not called; ${calledNames(input)}` : `${quote(banned)} was called ${times} time${times === 1 ? '' : 's'}`,
      });
    },
  };
};
