import type { Scenario } from '../core/conversation.js';
import type { SimulatedUserVerdict } from '../core/transcript.js';

/** A message as the simulated user sees it: its own messages and the target's answers, text only. */
export interface VisibleMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

export interface SimulatedUserRequest {
  readonly scenario: Scenario;
  /**
   * The conversation so far, from the user's side: empty for the opening message. Never holds the
   * target's tool calls or tool results — a real user does not see them either.
   */
  readonly history: readonly VisibleMessage[];
  /** Differs per trial, so `--repeat` trials are independent; the same trial replays. */
  readonly seed: number;
  readonly signal: AbortSignal;
}

export interface SimulatedUserReply {
  readonly verdict: SimulatedUserVerdict;
  readonly costUsd?: number;
}

/**
 * The user side of a scenario: writes the opening message (empty history), then after each of the
 * target's answers the next message and whether the conversation is over (`done`) and the goal met.
 * Rejects with an EvalOpsError: `retryable` for provider hiccups; a malformed answer carries its raw
 * text in `details.rawText`.
 */
export interface SimulatedUser {
  /** Hash of what defines its behaviour (kind, model, prompt, rules), part of the cache key. */
  readonly variant: string;
  reply(request: SimulatedUserRequest): Promise<SimulatedUserReply>;
}
