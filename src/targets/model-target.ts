/**
 * `model` target: a prompt, a model and optionally tools, called through the ModelPort. The output is
 * the model's text; tool calls are recorded, never executed. `prompt` and `system` are templates over
 * `{ input, metadata }`; without `prompt` the input itself is the user message (text as is, anything
 * else as JSON).
 */
import { EvalOpsError } from '../core/errors.js';
import { contentHash } from '../core/hash.js';
import type { TargetConfigOf } from '../core/target-config.js';
import { outputText, type TargetOutput } from '../core/target-output.js';
import { renderTemplate, type TemplateScope } from '../core/template.js';
import type { CompleteRequest, ModelPort } from '../models/model-port.js';
import { startDeadline } from './deadline.js';
import type { ChatMessage as HistoryMessage } from '../core/transcript.js';
import type { ChatMessage } from '../models/model-port.js';
import type { InvokeContext, Target, TargetFactory } from './target.js';

/** A model target with its model known (a `release` or `config` target is filled in by src/runner/release-model-target.ts first). */
type ModelConfig = TargetConfigOf<'model'> & { readonly model: string };

/**
 * The variant hashes what defines behaviour: model, system, prompt, tools, temperature, max tokens and
 * version (not the timeout).
 * @throws EvalOpsError('config') when no provider can serve `config.model`.
 * @example await modelTarget({ type: 'model', model: 'openai:gpt-4.1-mini', prompt: 'Answer: {{input.question}}', tools: [], timeoutMs: 60_000 }, deps)
 */
export const modelTarget: TargetFactory<'model'> = async (target, deps) => {
  const model = target.model;
  if (model === undefined) throw new EvalOpsError('internal', 'a model target from a release config reached the factory before its config was read', { location: 'target' });
  const config: ModelConfig = { ...target, model };
  const models = deps.models;
  if (models === undefined || !models.isConfigured(config.model)) {
    throw new EvalOpsError(
      'config',
      `model "${config.model}" is not configured: add its provider under providers: or set its API key (OPENAI_API_KEY, ANTHROPIC_API_KEY)`,
      { location: 'target.model' },
    );
  }
  return {
    type: 'model',
    variant: modelTargetVariant(config),
    invoke: (input, context) => invokeModel(models, config, input, context),
    converse: (messages, context) => invokeModel(models, config, firstUserContent(messages), context, toPortMessages(messages)),
  } satisfies Target;
};

export function modelTargetVariant(config: TargetConfigOf<'model'>): string {
  return contentHash({
    type: 'model',
    model: config.model,
    system: config.system,
    prompt: config.prompt,
    tools: config.tools,
    temperature: config.temperature,
    maxTokens: config.maxTokens,
    version: config.version,
  });
}

function firstUserContent(messages: readonly HistoryMessage[]): string {
  return messages.find((m) => m.role === 'user')?.content ?? '';
}

/**
 * The history as the port's messages: each assistant tool call becomes a real tool call (id
 * `call_<turn>_<i>`, the turn counted in assistant messages) answered by a tool message — its result,
 * its error, or, for a call nobody ran (a `model` target's calls are recorded, never executed), an
 * error saying so, since providers refuse a tool call without a result. The history's own `tool`
 * messages are not sent again: their results travel on the calls.
 */
export function toPortMessages(messages: readonly HistoryMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  let turn = 0;
  for (const m of messages) {
    if (m.role === 'tool') continue;
    if (m.role !== 'assistant') {
      out.push({ role: m.role, content: m.content });
      continue;
    }
    const calls = (m.toolCalls ?? []).map((c, i) => ({ ...c, id: `call_${turn}_${i}` }));
    turn += 1;
    out.push({ role: 'assistant', content: m.content, ...(calls.length > 0 ? { toolCalls: calls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments ?? {} })) } : {}) });
    for (const c of calls) out.push(toolResult(c.id, c.name, c.result, c.error));
  }
  return out;
}

const NOT_RUN = 'not run: this evaluation records tool calls without executing them';

function toolResult(id: string, name: string, result: unknown, error: string | undefined): ChatMessage {
  if (error !== undefined) return { role: 'tool', toolCallId: id, toolName: name, content: error, isError: true };
  if (result === undefined) return { role: 'tool', toolCallId: id, toolName: name, content: NOT_RUN, isError: true };
  return { role: 'tool', toolCallId: id, toolName: name, content: typeof result === 'string' ? result : JSON.stringify(result) };
}

async function invokeModel(models: ModelPort, config: ModelConfig, input: unknown, context: InvokeContext, history?: readonly ChatMessage[]): Promise<TargetOutput> {
  const scope: TemplateScope = { input, metadata: context.metadata };
  const deadline = startDeadline(context.signal, config.timeoutMs);
  const request: CompleteRequest = {
    model: config.model,
    messages: history ?? [{ role: 'user', content: config.prompt === undefined ? outputText(input) : renderTemplate(config.prompt, scope) }],
    ...(config.system === undefined ? {} : { system: renderTemplate(config.system, scope) }),
    ...(config.tools.length > 0 ? { tools: config.tools } : {}),
    ...(config.temperature === undefined ? {} : { temperature: config.temperature }),
    ...(config.maxTokens === undefined ? {} : { maxTokens: config.maxTokens }),
    signal: deadline.signal,
  };
  try {
    const result = await Promise.race([models.complete(request), deadline.expired]);
    return {
      output: result.text,
      toolCalls: result.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments ?? {} })),
      ...(result.usage === undefined ? {} : { usage: result.usage }),
      ...(result.costUsd === undefined ? {} : { costUsd: result.costUsd }),
    };
  } catch (e) {
    throw asTargetError(e, deadline.signal);
  } finally {
    deadline.dispose();
  }
}

/** Provider failures become target failures, keeping `retryable` and `details` (status, retryAfterMs). */
function asTargetError(error: unknown, signal: AbortSignal): EvalOpsError {
  if (signal.aborted && signal.reason instanceof EvalOpsError) return signal.reason;
  if (error instanceof EvalOpsError) {
    if (error.code === 'target' || error.code === 'config') return error;
    return new EvalOpsError('target', error.message, {
      cause: error,
      retryable: error.retryable,
      ...(error.details === undefined ? {} : { details: error.details }),
    });
  }
  return new EvalOpsError('target', error instanceof Error ? error.message : String(error), { cause: error });
}
