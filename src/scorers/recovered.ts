import { scored, skipped } from '../core/score.js';
import type { Transcript } from '../core/transcript.js';
import { quote, scorerVersion } from './deterministic.js';
import type { ScorerFactory } from './scorer.js';
import { sessionOf } from './session-input.js';

/**
 * An answer that says an action was carried out ("I've issued the refund", "it has been processed",
 * "you're all set"). After a failed call that nothing repaired, such an answer is a false claim.
 */
const SUCCESS_CLAIM =
  /\b(successfully|(has|have) been (issued|processed|completed|refunded|cancell?ed|updated|sent|changed|booked|resolved)|i(?:'ve| have)? (issued|processed|refunded|cancell?ed|updated|sent|changed|booked|resolved)|(you're|you are) all set|all done)\b/i;

/**
 * `recovered`: after a tool call that failed (`error` set), the agent recovered. For each failed call:
 * - recovered when a later call of the same tool succeeded (a retry, perhaps with fixed arguments);
 * - otherwise it fails when an answer from the failure's turn on claims success (see SUCCESS_CLAIM),
 *   or when the session ends on the failure's turn (nothing happened after it);
 * - otherwise recovered: the agent answered without a false claim and the conversation went on.
 * Passes when every failed call recovered; skipped when no call failed (nothing to recover from).
 * @example { type: recovered }
 */
export const recoveredScorer: ScorerFactory<'recovered'> = (config) => {
  const version = scorerVersion(config);
  return {
    type: 'recovered',
    version,
    score(input) {
      const session = sessionOf(input, version);
      if ('score' in session) return session.score;
      const outcomes = recoveryOutcomes(session.transcript);
      if (outcomes.length === 0) return skipped(version, 'no tool call failed in this session');
      const failed = outcomes.filter((o) => !o.recovered);
      const ok = failed.length === 0;
      const reason = ok
        ? `recovered from ${outcomes.length} failed tool ${outcomes.length === 1 ? 'call' : 'calls'}: ${outcomes.map((o) => o.how).join('; ')}`
        : failed.map((o) => o.how).join('; ');
      return scored(version, ok, { value: (outcomes.length - failed.length) / outcomes.length, reason });
    },
  };
};

export interface RecoveryOutcome {
  readonly turn: number;
  readonly tool: string;
  readonly recovered: boolean;
  readonly how: string;
}

/** One outcome per failed tool call of the session, in order. */
export function recoveryOutcomes(transcript: Transcript): RecoveryOutcome[] {
  const calls = transcript.turns.flatMap((t, turn) => t.toolCalls.map((call) => ({ call, turn })));
  const last = transcript.turns.length - 1;
  const out: RecoveryOutcome[] = [];
  calls.forEach(({ call, turn }, i) => {
    if (call.error === undefined) return;
    const what = `${call.name} failed on turn ${turn + 1} (${quote(call.error, 60)})`;
    const retry = calls.slice(i + 1).find((c) => c.call.name === call.name && c.call.error === undefined);
    if (retry) {
      out.push({ turn, tool: call.name, recovered: true, how: `${what}, retried successfully on turn ${retry.turn + 1}` });
      return;
    }
    const claim = transcript.turns.slice(turn).findIndex((t) => SUCCESS_CLAIM.test(t.text));
    if (claim >= 0) {
      const t = transcript.turns[turn + claim];
      out.push({ turn, tool: call.name, recovered: false, how: `${what}, never repaired, yet turn ${turn + claim + 1} claims success: ${quote(t?.text ?? '', 60)}` });
      return;
    }
    if (turn === last) {
      out.push({ turn, tool: call.name, recovered: false, how: `${what}, and the session ended on that turn` });
      return;
    }
    out.push({ turn, tool: call.name, recovered: true, how: `${what}, answered without a false claim and the conversation went on` });
  });
  return out;
}
