/**
 * The support-bot target, version 2: identical to version 1 except for one defect that the gate must
 * catch: Spanish refund requests are looked up but never issued, and the reply no longer cites the
 * refund policy. `evalops.v2.yaml` points here.
 */
import { respond, type AgentReply, type AnswerContext } from './agent-core.js';

export type { AgentReply, AnswerContext, SupportInput } from './agent-core.js';

/** @example await answer({ message: 'Quiero un reembolso del pedido A1001', lang: 'es' }) */
export async function answer(input: unknown, _ctx?: AnswerContext): Promise<AgentReply> {
  return respond(input, { regressSpanishRefunds: true });
}
