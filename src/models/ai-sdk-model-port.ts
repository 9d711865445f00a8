/**
 * The ModelPort on the Vercel AI SDK: `complete` is `generateText` with tools declared but never
 * executed (the model's tool calls are returned, not run); `completeObject` is `generateText` with
 * `Output.object` (the provider's structured output, checked against the zod schema, never scraped from
 * prose); `embed` is `embedMany`. The SDK's own retries are off (`maxRetries: 0`): the runner and the
 * judge own retries, and they need each failure as an EvalOpsError saying whether it is retryable.
 */
import { embedMany, generateText, jsonSchema, NoObjectGeneratedError, Output, type ModelMessage, type ToolSet } from 'ai';
import type { z } from 'zod';
import { EvalOpsError } from '../core/errors.js';
import { parseModelRef, type ProvidersConfig } from '../core/provider-config.js';
import type { ToolSpec } from '../core/target-config.js';
import type { ToolCall } from '../core/target-output.js';
import { mapProviderError } from './map-provider-error.js';
import type { ChatMessage, CompleteObjectRequest, CompleteObjectResult, CompleteRequest, CompleteResult, EmbedRequest, ModelPort } from './model-port.js';
import { createProviderHandles, type Env, type ProviderHandle } from './provider-factory.js';
import { toTokenUsage, usageCost } from './usage-cost.js';

export interface ModelPortOptions {
  /** The config's `providers:` section; `openai` and `anthropic` need no entry when their key is set. */
  readonly providers: ProvidersConfig;
  /** Where API keys and OPENAI_BASE_URL / ANTHROPIC_BASE_URL are read; defaults to `process.env`. */
  readonly env?: Env;
}

/**
 * @example
 * const models = createModelPort({ providers: { local: { kind: 'openai-compatible', baseURL: 'http://localhost:11434/v1' } } });
 * const { text } = await models.complete({ model: 'local:llama3', messages: [{ role: 'user', content: 'Hi' }] });
 * @throws EvalOpsError('config') when a provider entry can never work (openai-compatible without baseURL).
 */
export function createModelPort(options: ModelPortOptions): ModelPort {
  const handles = createProviderHandles(options.providers, options.env ?? process.env);

  function resolve(modelRef: string): { handle: ProviderHandle; model: string } {
    let ref: { provider: string; model: string };
    try {
      ref = parseModelRef(modelRef);
    } catch (e) {
      throw new EvalOpsError('config', (e as Error).message);
    }
    const handle = handles.get(ref.provider);
    if (!handle) {
      const known = [...handles.keys()].join(', ');
      throw new EvalOpsError('config', `model "${modelRef}": unknown provider "${ref.provider}" (known: ${known}); add it under providers:`);
    }
    if (handle.missing) throw new EvalOpsError('config', `model "${modelRef}": provider "${handle.name}" is not usable: ${handle.missing}`);
    return { handle, model: ref.model };
  }

  return {
    unavailable(modelRef) {
      try {
        resolve(modelRef);
        return undefined;
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
    },
    isConfigured(modelRef) {
      try {
        resolve(modelRef);
        return true;
      } catch {
        return false;
      }
    },

    async complete(request: CompleteRequest): Promise<CompleteResult> {
      const { handle, model } = resolve(request.model);
      try {
        const result = await generateText({
          model: handle.languageModel(model),
          ...common(request),
          ...(request.tools && request.tools.length > 0 ? { tools: toToolSet(request.tools) } : {}),
        });
        const usage = toTokenUsage(result.usage);
        return withCost(
          { text: result.text, toolCalls: result.toolCalls.map((c): ToolCall => ({ name: c.toolName, arguments: c.input ?? {} })), usage },
          usageCost(usage, handle.pricing(model)),
        );
      } catch (e) {
        throw failure(e, request.model, request.signal);
      }
    },

    async completeObject<T>(request: CompleteObjectRequest<T>): Promise<CompleteObjectResult<T>> {
      const { handle, model } = resolve(request.model);
      try {
        const result = await generateText({
          model: handle.languageModel(model),
          ...common(request),
          output: objectOutput(request.schema, request.schemaName),
        });
        const usage = toTokenUsage(result.usage);
        return withCost({ object: result.output, usage }, usageCost(usage, handle.pricing(model)));
      } catch (e) {
        // An answer that breaks the schema was still paid for: its usage and cost go with the error.
        if (NoObjectGeneratedError.isInstance(e)) {
          const mapped = failure(e, request.model, request.signal);
          const usage = toTokenUsage(e.usage);
          const costUsd = usageCost(usage, handle.pricing(model));
          throw new EvalOpsError(mapped.code, mapped.message, { cause: e, retryable: mapped.retryable, details: { ...(mapped.details as Record<string, unknown> | undefined), invalidOutput: true, ...(usage ? { usage } : {}), ...(costUsd === undefined ? {} : { costUsd }) } });
        }
        throw failure(e, request.model, request.signal);
      }
    },

    async embed(request: EmbedRequest): Promise<number[][]> {
      const { handle, model } = resolve(request.model);
      if (request.values.length === 0) return [];
      try {
        const result = await embedMany({
          model: handle.embeddingModel(model),
          values: [...request.values],
          maxRetries: 0,
          ...(request.signal ? { abortSignal: request.signal } : {}),
        });
        const usage = toTokenUsage({ inputTokens: result.usage?.tokens, totalTokens: result.usage?.tokens });
        if (usage && request.onUsage) request.onUsage(usage, usageCost(usage, handle.pricing(model)));
        return result.embeddings;
      } catch (e) {
        throw failure(e, request.model, request.signal);
      }
    },
  };
}

/**
 * One `Output.object` per schema and name: the SDK turns a zod schema into JSON Schema when the output
 * is made, which cost a simulated user's every turn a full conversion (the schemas are module constants).
 */
const objectOutputs = new WeakMap<z.ZodType, Map<string, unknown>>();
function objectOutput<T>(schema: z.ZodType<T>, name: string | undefined) {
  const byName = objectOutputs.get(schema) ?? new Map<string, unknown>();
  objectOutputs.set(schema, byName);
  const key = name ?? '';
  let output = byName.get(key) as ReturnType<typeof makeObjectOutput<T>> | undefined;
  if (output === undefined) {
    output = makeObjectOutput(schema, name);
    byName.set(key, output);
  }
  return output;
}

function makeObjectOutput<T>(schema: z.ZodType<T>, name: string | undefined) {
  return Output.object({ schema, ...(name ? { name } : {}) });
}

function common(request: Omit<CompleteRequest, 'tools'>) {
  return {
    messages: request.messages.map(toModelMessage),
    // The port lets callers put system turns in `messages`; that is their choice, not an injection.
    allowSystemInMessages: true,
    maxRetries: 0,
    ...(request.system === undefined ? {} : { system: request.system }),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.maxTokens === undefined ? {} : { maxOutputTokens: request.maxTokens }),
    ...(request.seed === undefined ? {} : { seed: request.seed }),
    ...(request.signal ? { abortSignal: request.signal } : {}),
  };
}

/** Tool calls and results become the SDK's tool-call and tool-result parts (OpenAI: `tool_calls`, `role: tool`). */
function toModelMessage(m: ChatMessage): ModelMessage {
  switch (m.role) {
    case 'assistant':
      if (m.toolCalls === undefined || m.toolCalls.length === 0) return { role: 'assistant', content: m.content };
      return {
        role: 'assistant',
        content: [...(m.content === '' ? [] : [{ type: 'text' as const, text: m.content }]), ...m.toolCalls.map((c) => ({ type: 'tool-call' as const, toolCallId: c.id, toolName: c.name, input: c.arguments ?? {} }))],
      };
    case 'tool':
      return { role: 'tool', content: [{ type: 'tool-result', toolCallId: m.toolCallId, toolName: m.toolName, output: m.isError === true ? { type: 'error-text', value: m.content } : { type: 'text', value: m.content } }] };
    default:
      return { role: m.role, content: m.content };
  }
}

/** Declared, never executed: without `execute` the SDK stops after the model's first answer. */
function toToolSet(tools: readonly ToolSpec[]): ToolSet {
  const set: ToolSet = {};
  for (const t of tools) {
    set[t.name] = {
      ...(t.description ? { description: t.description } : {}),
      inputSchema: jsonSchema(t.parameters as Parameters<typeof jsonSchema>[0]),
    };
  }
  return set;
}

function withCost<R extends object>(result: R, costUsd: number | undefined): R & { costUsd?: number } {
  return costUsd === undefined ? result : { ...result, costUsd };
}

/** The caller's abort reason wins when it is already one of ours (a target deadline, say). */
function failure(error: unknown, modelRef: string, signal: AbortSignal | undefined): EvalOpsError {
  if (signal?.aborted && signal.reason instanceof EvalOpsError) return signal.reason;
  return mapProviderError(error, modelRef);
}
