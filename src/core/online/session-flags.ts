import { z } from 'zod';
import type { Transcript } from '../transcript.js';
import { isFrustrated } from './trace-flags.js';

/**
 * Session flags: simple deterministic signals on a whole production session (its transcript) that
 * route it to review, whatever the sample says. Decided when the session is ready, over every turn:
 *
 * - `long`: the session has more than `maxTurns` user turns (a case that drags on);
 * - `repeated_message`: the user sent the same message twice (compared lower-cased, punctuation and
 *   extra spaces removed) — they were not understood, or the assistant looped;
 * - `frustration`: a user message reads as frustrated, by the built-in lexicon of the trace flag of
 *   the same name ("that's wrong", "talk to a human", shouting, "?!") plus `patterns`.
 */
export const SessionFlagSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('long'), maxTurns: z.number().int().min(1).max(10_000).default(10) }),
  z.strictObject({ kind: z.literal('repeated_message') }),
  z.strictObject({ kind: z.literal('frustration'), patterns: z.array(z.string().min(1).max(200)).max(50).default([]) }),
]);
export type SessionFlagSpec = z.infer<typeof SessionFlagSpecSchema>;
export type SessionFlagKind = SessionFlagSpec['kind'];

export const DEFAULT_SESSION_FLAGS: SessionFlagSpec[] = [{ kind: 'long', maxTurns: 10 }, { kind: 'repeated_message' }, { kind: 'frustration', patterns: [] }];

/** A user message as the repeat check compares it: lower case, letters and digits, single spaces. */
export function normaliseMessage(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The flags that hold for a session, in spec order.
 * @example sessionFlags(transcriptOf(['refund?', 'REFUND?']), DEFAULT_SESSION_FLAGS) // ['repeated_message']
 */
export function sessionFlags(transcript: Pick<Transcript, 'turns'>, specs: readonly SessionFlagSpec[]): SessionFlagKind[] {
  const users = transcript.turns.map((t) => t.user);
  const out: SessionFlagKind[] = [];
  for (const spec of specs) {
    if (holds(users, spec)) out.push(spec.kind);
  }
  return out;
}

function holds(users: readonly string[], spec: SessionFlagSpec): boolean {
  switch (spec.kind) {
    case 'long':
      return users.length > spec.maxTurns;
    case 'repeated_message': {
      const seen = new Set<string>();
      for (const u of users) {
        const n = normaliseMessage(u);
        if (n === '') continue;
        if (seen.has(n)) return true;
        seen.add(n);
      }
      return false;
    }
    case 'frustration':
      return users.some((u) => isFrustrated(u, spec.patterns));
  }
}
