import { scored } from '../core/score.js';
import { lexicalCosine, wordTokens } from '../core/text-similarity.js';
import { quote, scorerVersion } from './deterministic.js';
import type { ScorerFactory } from './scorer.js';
import { sessionOf } from './session-input.js';

/** Messages with fewer content words are never "the same question again" ("yes", "ok thanks"). */
export const MIN_CONTENT_WORDS = 2;

/**
 * Words that carry no content in a request ("could you tell me your …", "what is the …"): dropped
 * before comparing, so a rephrased request for the same thing still counts as the same.
 */
export const FILLER_WORDS: ReadonlySet<string> = new Set(
  ('a an the and or but so to of for in on at by with from about is are was were be been am do does did ' +
    'can could would will should may might shall please kindly just again also still now then there here ' +
    'i me my mine we us our you your yours it its this that these those what which who whom how when where why ' +
    'tell give provide share send let know need want like confirm ok okay yes no hi hello hey thanks thank sure').split(' '),
);
const DEFAULT_THRESHOLD = 0.8;

/**
 * `repeated-question`: passes when nobody has to say the same thing twice. It fails when
 * - the assistant asks a question it already asked (a sentence ending in "?" in a later turn whose
 *   normalised text is at least `threshold` similar to one of an earlier turn), or
 * - the user sends a message at least `threshold` similar to one of their earlier messages (they had
 *   to repeat themselves).
 * Similarity is deterministic: lowercased word tokens (punctuation and case ignored) without filler
 * words (FILLER_WORDS: "could you tell me", "what is the"), token cosine. Messages or questions with
 * fewer than 2 content words are ignored ("yes", "ok thanks"). `who` limits the check to one side.
 * @example { type: repeated-question, threshold: 0.8 }
 */
export const repeatedQuestionScorer: ScorerFactory<'repeated-question'> = (config) => {
  const version = scorerVersion(config);
  const threshold = config.threshold ?? DEFAULT_THRESHOLD;
  const who = config.who ?? 'both';
  return {
    type: 'repeated-question',
    version,
    score(input) {
      const session = sessionOf(input, version);
      if ('score' in session) return session.score;
      const { turns } = session.transcript;
      const found: string[] = [];
      if (who !== 'user') {
        const repeat = firstRepeat(turns.map((t) => questions(t.text)), threshold);
        if (repeat) found.push(`the assistant asked again on turn ${repeat.turn + 1} (first on turn ${repeat.earlier + 1}): ${quote(repeat.text)}`);
      }
      if (who !== 'assistant') {
        const repeat = firstRepeat(turns.map((t) => [t.user]), threshold);
        if (repeat) found.push(`the user repeated themselves on turn ${repeat.turn + 1} (first on turn ${repeat.earlier + 1}): ${quote(repeat.text)}`);
      }
      return scored(version, found.length === 0, { reason: found.length === 0 ? 'no question or message was repeated' : found.join('; ') });
    },
  };
};

/** The question sentences of a text: each run of text ending in "?" (after a sentence boundary). */
export function questions(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[^.!?\n]*\?+/g)) {
    const q = m[0].trim();
    if (q !== '') out.push(q);
  }
  return out;
}

/** Two messages count as the same when their word-token cosine reaches the threshold. */
export function sameMessage(a: string, b: string, threshold: number): boolean {
  const ca = contentWords(a);
  const cb = contentWords(b);
  if (ca.length < MIN_CONTENT_WORDS || cb.length < MIN_CONTENT_WORDS) return false;
  return lexicalCosine(ca.join(' '), cb.join(' ')) >= threshold;
}

/** Lowercased word tokens without filler words. */
export function contentWords(text: string): string[] {
  return wordTokens(text).filter((w) => !FILLER_WORDS.has(w));
}

/** The first message (by turn) that repeats one of an earlier turn, or undefined. */
function firstRepeat(perTurn: readonly (readonly string[])[], threshold: number): { turn: number; earlier: number; text: string } | undefined {
  for (let t = 1; t < perTurn.length; t++) {
    for (const text of perTurn[t] ?? []) {
      for (let e = 0; e < t; e++) {
        if ((perTurn[e] ?? []).some((before) => sameMessage(before, text, threshold))) return { turn: t, earlier: e, text };
      }
    }
  }
  return undefined;
}
