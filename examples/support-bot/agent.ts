/**
 * The support-bot target, release 2.0.0: `evalops.yaml` points here (`export: answer`). It answers
 * with its release config, releases/2.0.0.json (prompt, model, data) — the same config the demo
 * stores with release 2.0.0 and the resolver hands to customers. Deterministic, offline; see agent-core.ts.
 */
import { readFileSync } from 'node:fs';
import { optionsFromConfig, respond, type AgentReply, type AnswerContext, type SupportReleaseConfig } from './agent-core.js';

export type { AgentReply, AnswerContext, SupportInput } from './agent-core.js';

const CONFIG = JSON.parse(readFileSync(new URL('./releases/2.0.0.json', import.meta.url), 'utf8')) as SupportReleaseConfig;

/** @example await answer({ message: 'Where is my order A1002?', lang: 'en' }) */
export async function answer(input: unknown, _ctx?: AnswerContext): Promise<AgentReply> {
  return respond(input, optionsFromConfig(CONFIG, input));
}
