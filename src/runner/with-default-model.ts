import type { EvalOpsConfig } from '../config/config-schema.js';
import type { ScorerConfig } from '../core/scorer-config.js';
import { isJudgeConfig } from '../core/judge-scorer-types.js';

/** A judge or similarity scorer without its own `model` takes the config's `models.judge` / `models.embedding`. */
export function withDefaultModel(scorer: ScorerConfig, models: EvalOpsConfig['models']): ScorerConfig {
  if (isJudgeConfig(scorer) && scorer.model === undefined && models?.judge) return { ...scorer, model: models.judge };
  if (scorer.type === 'similarity' && scorer.model === undefined && models?.embedding) return { ...scorer, model: models.embedding };
  return scorer;
}

