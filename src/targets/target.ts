import type { TargetOutput } from '../core/target-output.js';
import type { ChatMessage } from '../core/transcript.js';
import type { TargetConfigOf, TargetType } from '../core/target-config.js';
import type { ModelPort } from '../models/model-port.js';

export interface InvokeContext {
  readonly exampleId: string;
  readonly trial: number;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly signal: AbortSignal;
}

/** Where a conversation call stands: the 0-based turn and the example it belongs to. */
export interface ConversationPosition {
  readonly turn: number;
  readonly exampleId: string;
}

export interface ConverseContext extends InvokeContext {
  readonly conversation: ConversationPosition;
}

/**
 * The system under test. `invoke` resolves with the output, or rejects with an EvalOpsError of code
 * `target` (retryable for 429, 5xx and timeouts, with `details.retryAfterMs` from Retry-After) that the
 * runner records as that result's error.
 */
export interface Target {
  readonly type: TargetType;
  /** Hash of what defines the target's behaviour (config, code, prompt, model, tools, version). */
  readonly variant: string;
  /**
   * Set when results of earlier runs must not be served from the response cache (e.g. an http
   * target with nothing identifying its deployment); the reason is shown to the user. Responses are
   * still recorded.
   */
  readonly cacheReadsOffReason?: string;
  /** Things the user should know about the target's set-up (e.g. a `files:` glob matching nothing). */
  readonly notices?: readonly string[];
  invoke(input: unknown, context: InvokeContext): Promise<TargetOutput>;
  /**
   * One turn of a conversation: the history so far (user and assistant messages, the assistant's tool
   * calls on its messages, tool results as `tool` messages), ending with the user's new message. The
   * answer and its errors are those of `invoke`. Each kind adapts it in its own terms: `module` calls
   * the same export with `(messages, ctx)`, `http` renders `{{messages}}`, `model` sends the messages,
   * `command` reads `{ "messages": [...] }` on stdin.
   */
  converse(messages: readonly ChatMessage[], context: ConverseContext): Promise<TargetOutput>;
  close?(): Promise<void>;
}

export interface TargetDeps {
  readonly baseDir: string;
  readonly models?: ModelPort;
  readonly importModule: (absolutePath: string) => Promise<Record<string, unknown>>;
}

export type TargetFactory<T extends TargetType> = (config: TargetConfigOf<T>, deps: TargetDeps) => Promise<Target>;
export type TargetRegistry = { readonly [T in TargetType]: TargetFactory<T> };
