import { contentHash } from '../core/hash.js';
import type { Scenario } from '../core/conversation.js';
import type { ModelSimulatedUserConfig } from '../core/simulated-user-config.js';
import { SimulatedUserVerdictSchema } from '../core/transcript.js';
import type { ChatMessage, ModelPort } from '../models/model-port.js';
import type { SimulatedUser, SimulatedUserRequest, SimulatedUserReply, VisibleMessage } from './simulated-user.js';

const OPENING_CUE = '[The conversation starts now. Write your first message to the assistant.]';

/**
 * A simulated user played by a model through the ModelPort, with structured output
 * `{ message, done, goalMet }` checked against its schema. The persona, goal and facts are in its
 * system prompt; it sees the conversation from its side (its messages as the assistant's, the
 * target's as the user's), text only, so the target's hidden tool results never reach it.
 * @example modelSimulatedUser({ type: 'model', model: 'openai:gpt-4.1-mini', seed: 0 }, models)
 */
export function modelSimulatedUser(config: ModelSimulatedUserConfig, models: ModelPort): SimulatedUser {
  return {
    variant: contentHash({ type: 'model', model: config.model, temperature: config.temperature, instructions: config.instructions, prompt: PROMPT_VERSION }),
    async reply(request: SimulatedUserRequest): Promise<SimulatedUserReply> {
      const result = await models.completeObject({
        model: config.model,
        system: simulatedUserPrompt(request.scenario, config.instructions),
        messages: fromUserSide(request.history),
        schema: SimulatedUserVerdictSchema,
        schemaName: 'simulated_user_turn',
        seed: config.seed + request.seed,
        ...(config.temperature === undefined ? {} : { temperature: config.temperature }),
        signal: request.signal,
      });
      return { verdict: result.object, ...(result.costUsd === undefined ? {} : { costUsd: result.costUsd }) };
    },
  };
}

/** Bumped when the prompt below changes, so cached simulated-user answers of the old prompt are not replayed. */
const PROMPT_VERSION = 1;

/** The system prompt: who the user is, what they want, what they know, and how to answer. */
export function simulatedUserPrompt(scenario: Scenario, instructions?: string): string {
  const facts = Object.entries(scenario.facts).map(([k, v]) => `- ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return [
    'You play a user talking to an assistant, to test the assistant. Stay in character; never say you are simulated.',
    `Persona: ${scenario.persona}`,
    `Your goal: ${scenario.goal}`,
    facts.length === 0 ? 'Facts you know: none beyond the goal.' : `Facts you know (give them when they are needed or asked for; never invent others):\n${facts.join('\n')}`,
    'Each time, write only your next message to the assistant, short and natural.',
    'Set "done" to true when the goal has been met or clearly cannot be met; set "goalMet" to true only when the assistant has actually achieved the goal.',
    'Answer as JSON: {"message": string, "done": boolean, "goalMet": boolean}.',
    ...(instructions === undefined ? [] : [instructions]),
  ].join('\n');
}

/** The conversation from the simulated user's side: its own messages are the assistant's. */
function fromUserSide(history: readonly VisibleMessage[]): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'user', content: OPENING_CUE }];
  for (const m of history) messages.push({ role: m.role === 'user' ? 'assistant' : 'user', content: m.content });
  return messages;
}
