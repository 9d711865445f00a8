/**
 * The support-bot in conversation, version 2: the same code, but it reads only the last user message
 * (a context-window "optimisation"). It forgets the order number and the request of earlier turns,
 * asks again, and never completes a request spread over several turns; the gate of
 * `evalops.conversations.v2.yaml` blocks it on the session metrics.
 */
import { converse, type ConversationReply } from './conversation-core.js';

export type { ChatMessage, ConversationReply } from './conversation-core.js';

/** @example await answer([{ role: 'user', content: 'Refund please' }, { role: 'assistant', content: '…' }, { role: 'user', content: 'A1001' }]) */
export async function answer(messages: unknown, _ctx?: unknown): Promise<ConversationReply> {
  return converse(messages, { memory: 'last-message' });
}
