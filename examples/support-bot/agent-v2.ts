/**
 * The support-bot target, release 2.1.0: identical code to 2.0.0, answering with its own release
 * config, releases/2.1.0.json, whose prompt and `data.regressSpanishRefunds` bring one defect the gate
 * must catch: Spanish refund requests are looked up but never issued, and the reply no longer cites
 * the refund policy. `evalops.v2.yaml` points here.
 */
import { readFileSync } from 'node:fs';
import { optionsFromConfig, respond, type AgentReply, type AnswerContext, type SupportReleaseConfig } from './agent-core.js';

export type { AgentReply, AnswerContext, SupportInput } from './agent-core.js';

const CONFIG = JSON.parse(readFileSync(new URL('./releases/2.1.0.json', import.meta.url), 'utf8')) as SupportReleaseConfig;

/** @example await answer({ message: 'Quiero un reembolso del pedido A1001', lang: 'es' }) */
export async function answer(input: unknown, _ctx?: AnswerContext): Promise<AgentReply> {
  return respond(input, optionsFromConfig(CONFIG, input));
}
