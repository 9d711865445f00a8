/**
 * `resolved`: did the conversation end with the customer's request done, on the right order? Scored
 * per conversation from the whole transcript (EvalOps passes `transcript` to function scorers of
 * conversation results). The row's `expected` names the end state:
 * - `{ action: refund | cancel, orderId }`: a successful `issue_refund` / `cancel_order` of that order,
 *   and none of another order (the customer who changed the order number mid-way must not get the
 *   first one refunded);
 * - `{ action: status, orderId }`: a successful `lookup_order` of that order and a last answer that
 *   gives its status;
 * - `{ action: handoff }`: the last answer hands over to a human agent.
 * A conversation that ended in a target error, or whose simulated user said the goal was not met,
 * is not resolved. Used as `{ type: function, path: ./scorers/session-outcome.ts, export: resolved }`.
 */

interface ToolCallLike {
  readonly name: string;
  readonly arguments?: unknown;
  readonly error?: string;
}

interface TranscriptLike {
  readonly turns: readonly { readonly text: string; readonly toolCalls?: readonly ToolCallLike[]; readonly error?: string }[];
  readonly endedBy: string;
  readonly goalMet?: boolean | null;
}

export interface SessionScoreInput {
  readonly expected?: unknown;
  readonly transcript?: TranscriptLike;
}

export interface SessionVerdict {
  readonly pass: boolean;
  readonly reason: string;
}

const ACTION_TOOL: Readonly<Record<string, string>> = { refund: 'issue_refund', cancel: 'cancel_order', status: 'lookup_order' };

export function resolved({ expected, transcript }: SessionScoreInput): SessionVerdict {
  if (transcript === undefined) return { pass: false, reason: 'not a conversation result' };
  if (transcript.turns.length === 0) return { pass: false, reason: 'the conversation has no turn' };
  if (transcript.endedBy === 'error' || transcript.turns.some((t) => t.error !== undefined)) return { pass: false, reason: 'the conversation ended in a target error' };
  if (transcript.goalMet === false) return { pass: false, reason: 'the simulated user said the goal was not met' };
  const want = (expected ?? {}) as { action?: string; orderId?: string };
  const lastAnswer = transcript.turns[transcript.turns.length - 1]?.text ?? '';
  if (want.action === 'handoff') {
    const ok = /human agent/i.test(lastAnswer);
    return { pass: ok, reason: ok ? 'handed over to a human agent' : `the last answer does not hand over: ${JSON.stringify(lastAnswer.slice(0, 80))}` };
  }
  const tool = want.action === undefined ? undefined : ACTION_TOOL[want.action];
  if (tool === undefined || typeof want.orderId !== 'string') return { pass: false, reason: `expected.action must be refund, cancel, status or handoff (with expected.orderId); got ${JSON.stringify(expected)}` };
  const done = transcript.turns
    .flatMap((t) => t.toolCalls ?? [])
    .filter((c) => c.name === tool && c.error === undefined)
    .map((c) => String((c.arguments as { orderId?: unknown } | undefined)?.orderId));
  const wrong = done.filter((id) => id !== want.orderId);
  if (wrong.length > 0 && tool !== 'lookup_order') return { pass: false, reason: `${tool} on the wrong order: ${[...new Set(wrong)].join(', ')} (expected ${want.orderId})` };
  if (!done.includes(want.orderId)) return { pass: false, reason: `no successful ${tool} of order ${want.orderId}` };
  if (want.action === 'status' && !(lastAnswer.includes(want.orderId) && /processing|shipped|delivered/i.test(lastAnswer))) {
    return { pass: false, reason: `the last answer does not give the status of ${want.orderId}` };
  }
  return { pass: true, reason: `${want.action} of ${want.orderId} done` };
}
