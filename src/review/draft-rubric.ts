import { z } from 'zod';
import type { EvalOpsConfig } from '../config/config-schema.js';
import { EvalOpsError } from '../core/errors.js';
import { contentHash } from '../core/hash.js';
import type { CalibrationReport } from '../core/review/calibration-report.js';
import { computeCalibration } from '../core/review/compute-calibration.js';
import type { CalibrationThresholds } from '../core/review/judge-status.js';
import { rubricLabels, type Rubric } from '../core/review/rubric.js';
import { outputText } from '../core/target-output.js';
import type { ModelPort } from '../models/model-port.js';
import type { GoldItem } from '../store/gold-set-repository.js';
import { judgeItems, type JudgeItemsDeps } from './judge-items.js';

export interface DraftRubricOptions {
  readonly config: EvalOpsConfig;
  readonly metric: string;
  /** The model that writes the draft (the judge keeps its own model). */
  readonly model: string;
  readonly gold: { readonly id: string; readonly version: number; readonly rubric: Rubric; readonly items: readonly GoldItem[] };
  /** Share of the gold items held out for calibration (0..1). */
  readonly holdout: number;
  readonly seed: string;
  readonly thresholds: CalibrationThresholds;
  readonly concurrency?: number;
}

export interface RubricDraft {
  readonly rubric: string;
  /** Gold item keys the draft was written from, and those it was calibrated on. */
  readonly draftedFrom: number;
  readonly heldOut: number;
  readonly judgeVersion: string;
  readonly calibration: CalibrationReport;
  readonly costUsd: number | null;
}

/** The most labelled items shown to the model. */
const MAX_SHOWN = 60;

const DraftAnswer = z.strictObject({ rubric: z.string().min(20).describe('the rubric, in Markdown: what the metric judges, and one definition per label with what decides it') });

/**
 * Drafts a judge rubric from human-labelled gold items and calibrates it at once: the items are split
 * (deterministically, by a hash of seed and key) into a drafting part, shown to the model with their
 * human labels, and a held-out part the model never sees; the metric's judge, with the draft in place
 * of its rubric (same model, labels and pass labels), labels the held-out items, and the existing
 * calibration (Cohen's kappa with its 95% interval against the humans) says whether it could gate.
 * Nothing is written here.
 */
export async function draftRubric(models: ModelPort, options: DraftRubricOptions, deps: Omit<JudgeItemsDeps, 'models'>): Promise<RubricDraft> {
  const { drafting, heldOut } = splitGold(options.gold.items, options.holdout, options.seed);
  if (drafting.length < 2 || heldOut.length < 2) throw new EvalOpsError('input', `gold set ${options.metric} v${options.gold.version} has ${options.gold.items.length} items: too few to draft from and hold out (need at least 2 of each; --holdout ${options.holdout})`);
  const metric = options.config.metrics.find((m) => m.name === options.metric);
  if (!metric || metric.scorer.type !== 'judge') throw new EvalOpsError('usage', `metric ${options.metric} is not a judge metric of the config`);
  const labels = rubricLabels(options.gold.rubric);
  const shown = drafting.slice(0, MAX_SHOWN).map((i) => JSON.stringify({ input: i.payload.input, output: outputText(i.payload.output).slice(0, 1500), humanLabel: i.label }));
  const answer = await models.completeObject({
    model: options.model,
    system: 'You write rubrics for an LLM judge. A rubric states what is judged and defines each label by observable criteria, so that the judge labels as the humans did. Answer only with the JSON object asked for.',
    messages: [
      {
        role: 'user',
        content: `Metric: ${options.metric}\nLabels: ${labels.join(', ')} (passing: ${options.gold.rubric.pass.join(', ')})\n\nItems labelled by humans:\n${shown.join('\n')}\n\nWrite the rubric.`,
      },
    ],
    schema: DraftAnswer,
    schemaName: 'rubric_draft',
  });
  const drafted: EvalOpsConfig = { ...options.config, metrics: options.config.metrics.map((m) => (m.name === options.metric && m.scorer.type === 'judge' ? { ...m, scorer: { ...m.scorer, rubric: answer.object.rubric } } : m)) };
  const { judgeVersion, answers } = await judgeItems(drafted, options.metric, heldOut, { ...deps, models }, options.concurrency ?? 8);
  const calibration = computeCalibration({
    metric: options.metric,
    judgeVersion,
    goldSet: { id: options.gold.id, version: options.gold.version },
    rubric: options.gold.rubric,
    gold: heldOut.map((i) => ({ key: i.key, label: i.label, slices: i.payload.slices, input: i.payload.input, output: i.payload.output })),
    answers,
    thresholds: options.thresholds,
  });
  return { rubric: answer.object.rubric, draftedFrom: drafting.length, heldOut: heldOut.length, judgeVersion, calibration, costUsd: answer.costUsd ?? null };
}

/**
 * Splits gold items into drafting and held-out parts by a hash of seed and key: the same seed gives
 * the same split, whatever the order, and about `holdout` of the items are held out.
 */
export function splitGold<T extends { readonly key: string }>(items: readonly T[], holdout: number, seed: string): { drafting: T[]; heldOut: T[] } {
  const drafting: T[] = [];
  const heldOut: T[] = [];
  for (const item of items) (parseInt(contentHash(`${seed}:${item.key}`, 8), 16) / 0xffffffff < holdout ? heldOut : drafting).push(item);
  return { drafting, heldOut };
}
