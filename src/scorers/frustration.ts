import { scored } from '../core/score.js';
import { scorerVersion } from './deterministic.js';
import { sameMessage } from './repeated-question.js';
import type { ScorerFactory } from './scorer.js';
import { sessionOf } from './session-input.js';

/**
 * Phrases that show a frustrated user (matched on word boundaries, case ignored). Documented in
 * docs/session-scorers.md; kept short and specific so that ordinary requests do not match.
 */
export const FRUSTRATION_PHRASES: readonly string[] = [
  'already told you',
  'already said',
  'i just said',
  'i just told you',
  'for the last time',
  'are you even listening',
  'not listening',
  'you are not helping',
  "you're not helping",
  'not helpful',
  'unhelpful',
  'useless',
  'ridiculous',
  'waste of time',
  'wasting my time',
  'unacceptable',
  'frustrating',
  'frustrated',
  'annoying',
  'annoyed',
  'fed up',
  'this is a joke',
  'terrible',
  'worst',
  'stupid',
  'pointless',
  'nonsense',
  'wtf',
  'seriously?',
  'not what i asked',
  'that is not what i asked',
  'you keep asking',
  'how many times',
];

const PHRASES = FRUSTRATION_PHRASES.map((p) => ({ phrase: p, re: new RegExp(`(^|[^\\p{L}\\p{N}])${escape(p)}($|[^\\p{L}\\p{N}])`, 'iu') }));
/** Asking for a person: "let me talk to a human", "transfer me to an agent", or a message that is only "agent". */
const ESCALATION = [
  /\b(talk|speak|chat|connect|transfer|put|get|give|want|need)\b[^.!?\n]{0,25}\b(human|real person|person|agent|representative|operator|manager|supervisor|someone else)\b/i,
  /^\W*(agent|human|representative|operator|manager|supervisor)\W*$/i,
];
/** Shouting: two or more all-caps words of 3+ letters in one message ("THIS IS WRONG"). */
const CAPS_WORD = /(?<![\p{L}\p{N}-])\p{Lu}{3,}(?![\p{L}\p{N}-])/gu;
/** "!!", "?!", "!?", "???". */
const PUNCTUATION = /!!|\?!|!\?|\?\?\?/;
const REPEAT_THRESHOLD = 0.8;

export type FrustrationSignalKind = 'phrase' | 'escalation' | 'caps' | 'punctuation' | 'repeat';
export interface FrustrationSignal {
  readonly turn: number;
  readonly kind: FrustrationSignalKind;
  readonly detail: string;
}

/**
 * `frustration`: deterministic signals in the user's messages — the phrases above, asking for a
 * human/agent/manager, shouting in capitals, "!!"/"?!", and a message that repeats an earlier one
 * (content-word cosine ≥ 0.8, as `repeated-question`). At most one signal of each kind per message. Passes while the
 * session has at most `maxSignals` (default 0); the value is 1 / (1 + signals).
 * @example { type: frustration, maxSignals: 0 }
 */
export const frustrationScorer: ScorerFactory<'frustration'> = (config) => {
  const version = scorerVersion(config);
  const max = config.maxSignals ?? 0;
  return {
    type: 'frustration',
    version,
    score(input) {
      const session = sessionOf(input, version);
      if ('score' in session) return session.score;
      const signals = frustrationSignals(session.transcript.turns.map((t) => t.user));
      const ok = signals.length <= max;
      const reason =
        signals.length === 0 ? 'no frustration signal' : `${signals.length} frustration ${signals.length === 1 ? 'signal' : 'signals'} (max ${max}): ${signals.map((s) => `turn ${s.turn + 1} ${s.kind} ${s.detail}`).join('; ')}`;
      return scored(version, ok, { value: 1 / (1 + signals.length), reason });
    },
  };
};

/** The frustration signals of a session's user messages, in order. */
export function frustrationSignals(userMessages: readonly string[]): FrustrationSignal[] {
  const out: FrustrationSignal[] = [];
  userMessages.forEach((text, turn) => {
    const phrase = PHRASES.find((p) => p.re.test(text));
    if (phrase) out.push({ turn, kind: 'phrase', detail: JSON.stringify(phrase.phrase) });
    const escalation = ESCALATION.map((re) => re.exec(text)).find((m) => m !== null);
    if (escalation) out.push({ turn, kind: 'escalation', detail: JSON.stringify(escalation[0].trim()) });
    const caps = text.match(CAPS_WORD) ?? [];
    if (caps.length >= 2) out.push({ turn, kind: 'caps', detail: JSON.stringify(caps.join(' ')) });
    const punct = PUNCTUATION.exec(text);
    if (punct) out.push({ turn, kind: 'punctuation', detail: JSON.stringify(punct[0]) });
    const earlier = userMessages.slice(0, turn).findIndex((before) => sameMessage(before, text, REPEAT_THRESHOLD));
    if (earlier >= 0) out.push({ turn, kind: 'repeat', detail: `of turn ${earlier + 1}` });
  });
  return out;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
