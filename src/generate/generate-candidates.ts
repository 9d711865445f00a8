import { EvalOpsError, isEvalOpsError } from '../core/errors.js';
import type { Example } from '../core/example.js';
import { inputText, removeNearDuplicates, type DuplicateFinding } from '../core/near-duplicates.js';
import type { ModelPort } from '../models/model-port.js';
import type { GenerationFocus } from './generation-focus.js';
import { answerSchema, generationMessages } from './generation-prompt.js';

/** One generated input, before review. */
export interface Candidate {
  readonly input: unknown;
  readonly expected?: unknown;
  readonly rationale: string;
}

export interface GenerateCandidatesOptions {
  readonly model: string;
  readonly focus: GenerationFocus;
  /** How many distinct new inputs are wanted. */
  readonly count: number;
  /** Examples shown to the model (the slice's, or the dataset's first). */
  readonly seeds: readonly Example[];
  /** Every example of the dataset: candidates too close to one of them are dropped. */
  readonly existing: readonly Example[];
  /** Token Jaccard at or above which two inputs are near-duplicates (0..1). */
  readonly threshold: number;
  /** Spend cap in USD; no call starts that could pass it at the dearest call's cost so far. */
  readonly maxUsd: number;
  /** Inputs asked per call. */
  readonly batchSize: number;
  readonly temperature?: number;
}

export interface GenerationReport {
  readonly candidates: readonly Candidate[];
  readonly dropped: readonly DuplicateFinding<Candidate>[];
  readonly calls: number;
  /** Answers that broke the schema (each retried once). */
  readonly invalidAnswers: number;
  readonly costUsd: number;
  /** False when a call reported no cost (no price configured for the model): the cap then cannot bind. */
  readonly costKnown: boolean;
  /** Why generation stopped: enough candidates, the budget, or the model kept repeating itself. */
  readonly stoppedBy: 'count' | 'budget' | 'exhausted';
}

/**
 * Asks the model for new inputs around a focus, in batches, until `count` distinct ones are kept:
 * near-duplicates of the dataset or of each other are dropped (normalised token Jaccard ≥ threshold),
 * and another batch tops the set up. Spending is metered per call and capped. An answer that breaks
 * the schema is retried once; a second one in a row stops everything with a provider error — the
 * caller stores nothing, so a generation is never half-stored.
 */
export async function generateCandidates(models: ModelPort, options: GenerateCandidatesOptions): Promise<GenerationReport> {
  if (!(options.maxUsd > 0)) throw new EvalOpsError('usage', `--max-usd must be more than 0 (got ${options.maxUsd}): generation calls a paid model`);
  const schema = answerSchema(options.seeds.length > 0 ? options.seeds : options.existing);
  const existing = options.existing.map((e) => ({ id: e.id, text: inputText(e.input) }));
  const raw: Candidate[] = [];
  let kept: Candidate[] = [];
  let dropped: DuplicateFinding<Candidate>[] = [];
  let calls = 0;
  let invalidAnswers = 0;
  let costUsd = 0;
  let costKnown = true;
  let dearest = 0;
  let fruitless = 0;
  const maxCalls = Math.ceil(options.count / options.batchSize) * 3 + 2;
  const overBudget = (): boolean => costUsd >= options.maxUsd || costUsd + dearest > options.maxUsd;
  const pay = (cost: number | undefined): void => {
    calls++;
    if (cost === undefined) costKnown = false;
    costUsd += cost ?? 0;
    dearest = Math.max(dearest, cost ?? 0);
  };
  while (kept.length < options.count) {
    if (overBudget()) return report('budget');
    if (calls >= maxCalls || fruitless >= 2) return report('exhausted');
    const ask = Math.min(options.batchSize, options.count - kept.length);
    const { system, messages } = generationMessages(options.focus, options.seeds, ask, kept.map((c) => c.input));
    let answer: { items: Candidate[] } | undefined;
    for (let attempt = 1; answer === undefined; attempt++) {
      try {
        const result = await models.completeObject({ model: options.model, system, messages, schema, schemaName: 'generated_inputs', ...(options.temperature === undefined ? {} : { temperature: options.temperature }) });
        pay(result.costUsd);
        answer = result.object as { items: Candidate[] };
      } catch (e) {
        if (!isInvalidOutput(e)) throw e;
        pay((e.details as { costUsd?: number }).costUsd);
        invalidAnswers++;
        if (attempt >= 2) throw new EvalOpsError('provider', `the model's answer broke the schema twice in a row; nothing was stored: ${e.message}`, { cause: e, details: { calls, invalidAnswers, costUsd } });
        if (overBudget()) return report('budget');
      }
    }
    raw.push(...answer.items.slice(0, options.batchSize).map(withoutNulls));
    const before = kept.length;
    const deduped = removeNearDuplicates(raw, existing, (c) => inputText(c.input), options.threshold);
    kept = deduped.kept.slice(0, options.count);
    // A repeat of another candidate names that candidate's input text (indices into `raw` mean nothing outside).
    dropped = deduped.dropped.map((d) => (d.of === 'batch' ? { ...d, similarTo: inputText(raw[d.similarTo as number]?.input) } : d));
    fruitless = kept.length > before ? 0 : fruitless + 1;
  }
  return report('count');

  function report(stoppedBy: GenerationReport['stoppedBy']): GenerationReport {
    return { candidates: kept, dropped, calls, invalidAnswers, costUsd, costKnown, stoppedBy };
  }
}

/** A field the model set to null (one only some seeds have) is left out of the candidate. */
function withoutNulls(candidate: Candidate): Candidate {
  const clean = (v: unknown): unknown => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null)) : v);
  return { input: clean(candidate.input), ...(candidate.expected === undefined ? {} : { expected: clean(candidate.expected) }), rationale: candidate.rationale };
}

function isInvalidOutput(e: unknown): e is EvalOpsError {
  return isEvalOpsError(e) && typeof e.details === 'object' && e.details !== null && (e.details as { invalidOutput?: unknown }).invalidOutput === true;
}
