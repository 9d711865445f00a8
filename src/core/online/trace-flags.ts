import { z } from 'zod';
import { lexicalCosine } from '../text-similarity.js';

/**
 * Flags: signals that pick a trace for scoring and review whatever the sample says. All but
 * `low_judge_confidence` are decided from the trace and its session before scoring (the sweep sees
 * every trace); `low_judge_confidence` is decided from the judge's verdict once a trace is scored.
 */
export const FlagSpecSchema = z.discriminatedUnion('kind', [
  /** A span of the trace has status error. */
  z.strictObject({ kind: z.literal('error') }),
  /** A thumbs-down, or a negative custom signal, on the trace. */
  z.strictObject({ kind: z.literal('negative_feedback') }),
  /** The trace's session holds at least `minTraces` traces. */
  z.strictObject({ kind: z.literal('long_session'), minTraces: z.number().int().min(2).max(10_000).default(8) }),
  /** The user asked (nearly) the same thing earlier in the session: lexical cosine ≥ `similarity`. */
  z.strictObject({ kind: z.literal('repeated_question'), similarity: z.number().gt(0).max(1).default(0.9) }),
  /** The user's message reads as frustrated: a phrase of the built-in list or of `patterns`, shouting, "?!". */
  z.strictObject({ kind: z.literal('frustration'), patterns: z.array(z.string().min(1).max(200)).max(50).default([]) }),
  /** A judge metric's verdict errored, or its label sits next to the pass boundary. */
  z.strictObject({ kind: z.literal('low_judge_confidence') }),
]);
export type FlagSpec = z.infer<typeof FlagSpecSchema>;
export type FlagKind = FlagSpec['kind'];

export const DEFAULT_FLAGS: FlagSpec[] = [
  { kind: 'error' },
  { kind: 'negative_feedback' },
  { kind: 'repeated_question', similarity: 0.9 },
  { kind: 'frustration', patterns: [] },
  { kind: 'low_judge_confidence' },
];

/** What the sweep knows of one trace when it decides its flags. */
export interface TraceFacts {
  readonly traceId: string;
  /** The user's message on the root span (the last user message of chat input), if any. */
  readonly userText: string | undefined;
  readonly hasError: boolean;
  readonly negativeFeedback: boolean;
  /** Traces in the trace's session so far, this one included; 1 without a session. */
  readonly sessionTraces: number;
  /** The user's messages of earlier traces in the same session. */
  readonly earlierUserTexts: readonly string[];
}

/** Phrases users type when an assistant fails them (lower case, matched on word boundaries). */
const FRUSTRATION_PHRASES = [
  'not what i asked',
  "that's wrong",
  'that is wrong',
  "that's not right",
  'you are wrong',
  "you're wrong",
  'useless',
  "doesn't work",
  'does not work',
  'still wrong',
  'still broken',
  'i already told you',
  'i already said',
  'speak to a human',
  'talk to a human',
  'real person',
  'this is ridiculous',
  'waste of time',
];

/**
 * The pre-scoring flags that hold for a trace, in spec order.
 * @example traceFlags({ traceId: 't', userText: 'That is WRONG!!', hasError: false, negativeFeedback: false, sessionTraces: 1, earlierUserTexts: [] }, DEFAULT_FLAGS) // ['frustration']
 */
export function traceFlags(facts: TraceFacts, specs: readonly FlagSpec[]): FlagKind[] {
  const out: FlagKind[] = [];
  for (const spec of specs) {
    if (holds(facts, spec)) out.push(spec.kind);
  }
  return out;
}

function holds(facts: TraceFacts, spec: FlagSpec): boolean {
  switch (spec.kind) {
    case 'error':
      return facts.hasError;
    case 'negative_feedback':
      return facts.negativeFeedback;
    case 'long_session':
      return facts.sessionTraces >= spec.minTraces;
    case 'repeated_question': {
      const text = facts.userText?.trim();
      if (!text) return false;
      return facts.earlierUserTexts.some((earlier) => earlier.trim() !== '' && lexicalCosine(text, earlier) >= spec.similarity);
    }
    case 'frustration':
      return facts.userText !== undefined && isFrustrated(facts.userText, spec.patterns);
    case 'low_judge_confidence':
      return false; // decided after scoring: judgeIsUnsure
  }
}

/** @example isFrustrated('WHY DOES THIS NOT WORK') // true (shouting) */
export function isFrustrated(text: string, extraPatterns: readonly string[] = []): boolean {
  const lower = text.toLowerCase();
  for (const phrase of [...FRUSTRATION_PHRASES, ...extraPatterns.map((p) => p.toLowerCase())]) {
    for (let at = lower.indexOf(phrase); at >= 0; at = lower.indexOf(phrase, at + 1)) {
      if (boundary(lower, at - 1) && boundary(lower, at + phrase.length)) return true;
    }
  }
  // "?!", "!!", "!?!": a run of two or more marks with an exclamation in it ("??" alone is not).
  if ((text.match(/[?!]{2,}/g) ?? []).some((run) => run.includes('!'))) return true;
  const letters = text.replace(/[^A-Za-z]/g, '');
  return letters.length >= 12 && letters === letters.toUpperCase();
}

function boundary(text: string, i: number): boolean {
  return i < 0 || i >= text.length || !/[a-z0-9]/.test(text[i] as string);
}

/**
 * Whether a judge verdict is one to have a person look at: it errored, or its label is next to the
 * pass boundary (the lowest passing or the highest failing of the labels, in their order).
 * @example judgeIsUnsure({ status: 'scored', label: 'adequate' }, ['poor', 'adequate', 'excellent'], ['adequate', 'excellent']) // true
 */
export function judgeIsUnsure(verdict: { status: string; label: string | null | undefined }, labels: readonly string[], pass: readonly string[]): boolean {
  if (verdict.status === 'errored') return true;
  if (verdict.status !== 'scored' || !verdict.label) return false;
  const firstPass = labels.findIndex((l) => pass.includes(l));
  const i = labels.indexOf(verdict.label);
  if (firstPass < 0 || i < 0) return false;
  return i === firstPass || i === firstPass - 1;
}
