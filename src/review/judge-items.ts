import type { EvalOpsConfig } from '../config/config-schema.js';
import { EvalOpsError } from '../core/errors.js';
import type { JudgeAnswer } from '../core/review/compute-calibration.js';
import type { ReviewPayload } from '../core/review/review-item.js';
import { outputText } from '../core/target-output.js';
import type { ModelPort } from '../models/model-port.js';
import { withDefaultModel } from '../runner/with-default-model.js';
import { createScorer } from '../scorers/create-scorer.js';
import { isJudgeScorerType } from '../core/judge-scorer-types.js';

export interface JudgeItemsDeps {
  readonly baseDir: string;
  readonly importModule: (absolutePath: string) => Promise<Record<string, unknown>>;
  readonly models?: ModelPort;
}

/**
 * Runs a metric's judge, exactly as the config defines it now, over review or gold items: the same prompt,
 * rubric and model a run would use, so the version calibrated is the version that gates. At most
 * `concurrency` calls at once. A judge that cannot run at all (no model configured) is refused: a
 * calibration of skipped answers would say nothing.
 */
export async function judgeItems(
  config: EvalOpsConfig,
  metricName: string,
  items: readonly { key: string; payload: ReviewPayload }[],
  deps: JudgeItemsDeps,
  concurrency = 8,
): Promise<{ judgeVersion: string; answers: JudgeAnswer[] }> {
  const metric = config.metrics.find((m) => m.name === metricName);
  if (!metric) throw new EvalOpsError('usage', `metric ${metricName} is not in the config (metrics: ${config.metrics.map((m) => m.name).join(', ')})`);
  if (!isJudgeScorerType(metric.scorer.type)) throw new EvalOpsError('usage', `metric ${metricName} is scored by ${metric.scorer.type}, not by a judge; only judges are calibrated`);
  const scorer = await createScorer(withDefaultModel(metric.scorer, config.models), { baseDir: deps.baseDir, importModule: deps.importModule, ...(deps.models ? { models: deps.models } : {}) });
  const answers: JudgeAnswer[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      const { key, payload } = items[i]!;
      const score = await scorer.score({
        example: { id: key, input: payload.input ?? null, ...(payload.expected === undefined ? {} : { expected: payload.expected }), metadata: {} },
        output: payload.output,
        text: outputText(payload.output),
        toolCalls: payload.toolCalls,
        latencyMs: payload.latencyMs ?? 0,
        ...(payload.costUsd === null ? {} : { costUsd: payload.costUsd }),
      });
      if (score.status === 'skipped') throw new EvalOpsError('usage', `the judge of ${metricName} cannot run: ${score.reason ?? 'skipped'}; configure its model provider first`);
      answers[i] = { key, status: score.status, label: score.label ?? null, reason: score.reason ?? null };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return { judgeVersion: scorer.version, answers };
}
