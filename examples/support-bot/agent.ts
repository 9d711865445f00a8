/**
 * The support-bot target, version 1: `evalops.yaml` points here (`export: answer`).
 * Deterministic, offline; see agent-core.ts.
 */
import { respond, type AgentReply, type AnswerContext } from './agent-core.js';

export type { AgentReply, AnswerContext, SupportInput } from './agent-core.js';

/** @example await answer({ message: 'Where is my order A1002?', lang: 'en' }) */
export async function answer(input: unknown, _ctx?: AnswerContext): Promise<AgentReply> {
  return respond(input, { regressSpanishRefunds: false });
}
