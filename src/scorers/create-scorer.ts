import type { Score } from '../core/score.js';
import type { ScorerConfig } from '../core/scorer-config.js';
import { scorerRegistry } from './registry.js';
import type { Scorer, ScorerDeps, ScoreInput } from './scorer.js';

type AnyScorerFactory = (config: ScorerConfig, deps: ScorerDeps) => Scorer | Promise<Scorer>;

/**
 * Builds the scorer for one metric's config: the registry's factory for its type, inverted when the
 * config says `not: true`. Factories throw EvalOpsError('config') for configs they cannot use.
 * @example const scorer = await createScorer({ type: 'contains', value: 'refund' }, deps);
 */
export async function createScorer(config: ScorerConfig, deps: ScorerDeps): Promise<Scorer> {
  const factory = scorerRegistry[config.type] as AnyScorerFactory;
  const scorer = await factory(config, deps);
  return 'not' in config && config.not === true ? negate(scorer) : scorer;
}

/**
 * `not: true`: a scored result has its pass inverted and its value mirrored (1 - v), and its reason
 * marked; errored and skipped results stay as they are (inverting "could not decide" decides nothing).
 * The version is unchanged: it already hashes the config, `not` included.
 */
function negate(scorer: Scorer): Scorer {
  return {
    type: scorer.type,
    version: scorer.version,
    score(input: ScoreInput) {
      const result = scorer.score(input);
      return result instanceof Promise ? result.then(invert) : invert(result);
    },
  };
}

export function invert(score: Score): Score {
  if (score.status !== 'scored' || score.pass === null || score.value === null) return score;
  return {
    ...score,
    pass: !score.pass,
    value: 1 - score.value,
    reason: score.reason === undefined ? 'not' : `not: ${score.reason}`,
  };
}
