import { scored } from '../core/score.js';
import { scorerVersion } from './deterministic.js';
import type { ScorerFactory } from './scorer.js';
import { sessionOf } from './session-input.js';

/**
 * `turns`: the conversation took at most `max` turns (a user message and its answer). Long sessions
 * are a cost and usually a sign of a loop. Value 1 or 0.
 * @example { type: turns, max: 6 }
 */
export const turnsScorer: ScorerFactory<'turns'> = (config) => {
  const version = scorerVersion(config);
  return {
    type: 'turns',
    version,
    score(input) {
      const session = sessionOf(input, version);
      if ('score' in session) return session.score;
      const n = session.transcript.turns.length;
      const ok = n <= config.max;
      return scored(version, ok, { reason: `${n} ${n === 1 ? 'turn' : 'turns'} (max ${config.max})` });
    },
  };
};
