import type { z } from 'zod';
import type { TokenUsage, ToolCall } from '../core/target-output.js';
import type { ToolSpec } from '../core/target-config.js';

/**
 * The one port every LLM call goes through (DESIGN.md §4). Model references are `provider:model`.
 * Errors are EvalOpsError with code `provider`; `retryable` is set for 429, 5xx and timeouts, and
 * `details.retryAfterMs` carries the server's Retry-After when it sent one.
 */
export type ChatMessage =
  | { readonly role: 'system' | 'user'; readonly content: string }
  /** An assistant turn; `toolCalls` are the calls it made, each answered by a later `tool` message. */
  | { readonly role: 'assistant'; readonly content: string; readonly toolCalls?: readonly ChatToolCall[] }
  /** The result of the assistant's call `toolCallId` (an error when `isError`). */
  | { readonly role: 'tool'; readonly toolCallId: string; readonly toolName: string; readonly content: string; readonly isError?: boolean };

/** A tool call in a prompt's history, with the id its result message names. */
export interface ChatToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: unknown;
}

export interface CompleteRequest {
  readonly model: string;
  readonly system?: string;
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly ToolSpec[];
  readonly temperature?: number;
  readonly maxTokens?: number;
  /** Sampling seed, for providers that honour one (a simulated user's trials differ by seed). */
  readonly seed?: number;
  readonly signal?: AbortSignal;
}

export interface CompleteResult {
  readonly text: string;
  readonly toolCalls: readonly ToolCall[];
  readonly usage?: TokenUsage;
  readonly costUsd?: number;
}

export interface CompleteObjectRequest<T> extends Omit<CompleteRequest, 'tools'> {
  readonly schema: z.ZodType<T>;
  readonly schemaName?: string;
}

export interface CompleteObjectResult<T> {
  readonly object: T;
  readonly usage?: TokenUsage;
  readonly costUsd?: number;
}

export interface EmbedRequest {
  readonly model: string;
  readonly values: readonly string[];
  readonly signal?: AbortSignal;
  /** Told the call's usage (input tokens) and cost, when the provider reports tokens; for callers that meter embeddings. */
  readonly onUsage?: (usage: TokenUsage, costUsd: number | undefined) => void;
}

export interface ModelPort {
  complete(request: CompleteRequest): Promise<CompleteResult>;
  completeObject<T>(request: CompleteObjectRequest<T>): Promise<CompleteObjectResult<T>>;
  embed(request: EmbedRequest): Promise<number[][]>;
  /** Whether `provider:model` can be called (provider known and its credentials present). */
  isConfigured(modelRef: string): boolean;
  /** Why `provider:model` cannot be called, naming what is missing (e.g. "OPENAI_API_KEY is not set"); undefined when it can. */
  unavailable?(modelRef: string): string | undefined;
}
