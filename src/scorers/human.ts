import { EvalOpsError } from '../core/errors.js';
import { skipped } from '../core/score.js';
import { scorerVersion } from './deterministic.js';
import type { ScorerFactory } from './scorer.js';

/**
 * `human`: filled from settled review labels (a label in `pass` passes). At scoring time no label
 * exists yet, so every result is skipped as awaiting review; the review service records the verdict.
 * @example { type: human, labels: [wrong, partial, right], pass: [right] }
 */
export const humanScorer: ScorerFactory<'human'> = (config) => {
  const unknown = config.pass.filter((p) => !config.labels.includes(p));
  if (unknown.length > 0) throw new EvalOpsError('config', `human pass labels not among labels: ${unknown.join(', ')}`);
  const version = scorerVersion(config);
  return { type: 'human', version, score: () => skipped(version, 'awaiting human review') };
};
