import type { ScorerConfig, ScorerConfigOf } from './scorer-config.js';

/**
 * The scorer types that ask an LLM judge for a label: `judge` and `goal-completed` (a judge over a
 * whole conversation). Everything that treats judges specially — calibration against a gold set,
 * "uncalibrated judge" in the gate, the default `models.judge`, review routing — goes through here.
 */
export const JUDGE_SCORER_TYPES = ['judge', 'goal-completed'] as const;
export type JudgeScorerType = (typeof JUDGE_SCORER_TYPES)[number];
export type JudgeScorerConfig = ScorerConfigOf<JudgeScorerType>;

/** @example isJudgeScorerType('goal-completed') // true */
export function isJudgeScorerType(type: string): type is JudgeScorerType {
  return (JUDGE_SCORER_TYPES as readonly string[]).includes(type);
}

/** @example if (isJudgeConfig(metric.scorer)) metric.scorer.labels */
export function isJudgeConfig(scorer: ScorerConfig): scorer is JudgeScorerConfig {
  return isJudgeScorerType(scorer.type);
}
