/**
 * The support-bot in conversation, version 1: reads the whole history. `evalops.conversations.yaml`
 * points here (`export: answer`); EvalOps calls it with `(messages, ctx)` on each turn.
 */
import { converse, type ConversationReply } from './conversation-core.js';

export type { ChatMessage, ConversationReply } from './conversation-core.js';

/** @example await answer([{ role: 'user', content: 'Where is order A1002?' }]) */
export async function answer(messages: unknown, _ctx?: unknown): Promise<ConversationReply> {
  return converse(messages, { memory: 'history' });
}
