import type { JsonValue } from '../../core/json.js';
import { SPAN_KINDS, type SpanKind } from '../../core/span.js';
import { availableTools } from '../available-tools.js';
import { isLangChainScope, langChainToolResult } from '../langchain-messages.js';
import { openInferenceMessages } from '../openinference-messages.js';
import { openInferenceProvider } from '../openinference-provider.js';
import { valueMessages } from '../openinference-value-messages.js';
import { parseJsonText, readCount, readString } from '../read-attribute.js';
import { fill, fillUsage, io, type SpanConvention, type SpanDraft } from './span-convention.js';

const KNOWN_KINDS: ReadonlySet<string> = new Set(SPAN_KINDS);

/**
 * OpenInference (Arize Phoenix's conventions; LangChain, LlamaIndex, OpenAI, Anthropic, MCP, …
 * instrumentations): `openinference.span.kind`, `input.value` / `output.value` with their MIME types,
 * flattened `llm.input_messages` / `llm.output_messages`, `llm.tools`, `llm.token_count.*`,
 * `llm.cost.*`, `llm.model_name`, `llm.provider`. Read on every span but the AI SDK's (see `applies`):
 * the keys are looked up, and the flattened lists are gathered in one pass each.
 */
export const openInferenceConvention: SpanConvention = {
  name: 'openinference',
  // Every span but the AI SDK's own, which carry OpenInference attributes only when an OpenInference
  // span processor rewrote them — and that always sets the kind. Skipping them spares three scans of
  // their many `ai.*` keys.
  applies: (span) => span.scope.name !== 'ai' || span.attributes['openinference.span.kind'] !== undefined,
  map(span, draft) {
    const a = span.attributes;
    const kind = declaredKind(a);
    fill(draft, 'kind', kind);
    const inputMessages = openInferenceMessages(a, 'llm.input_messages');
    const outputMessages = openInferenceMessages(a, 'llm.output_messages');
    fill(draft, 'input', io(inputMessages ?? valueMessages(a, 'input', span.scope.name), a['input.value']));
    fill(draft, 'inputMimeType', readString(a, 'input.mime_type'));
    fill(draft, 'output', io(outputMessages ?? valueMessages(a, 'output', span.scope.name), a['output.value']));
    fill(draft, 'outputMimeType', readString(a, 'output.mime_type'));
    fill(draft, 'outputMessages', outputMessages);
    fill(draft, 'availableTools', availableTools(a));
    fill(draft, 'model', readString(a, 'llm.response.model_name', 'llm.model_name', 'llm.request.model_name', 'embedding.model_name', 'reranker.model_name'));
    fill(draft, 'provider', openInferenceProvider(a, kind));
    if (kind === 'TOOL' && isLangChainScope(span.scope.name)) fill(draft, 'tool', langChainTool(span.name, a));
    fillUsage(draft, readCount(a, 'llm.token_count.prompt'), readCount(a, 'llm.token_count.completion'), readCount(a, 'llm.token_count.total'));
    fill(draft, 'costUsd', costOf(a));
  },
};

/** `openinference.span.kind` in any case; a value this version does not know reads as UNKNOWN. */
function declaredKind(a: Readonly<Record<string, JsonValue>>): SpanKind | undefined {
  const declared = readString(a, 'openinference.span.kind')?.toUpperCase();
  if (declared === undefined) return undefined;
  return KNOWN_KINDS.has(declared) ? (declared as SpanKind) : 'UNKNOWN';
}

/** A LangChain tool span, whose result is the ToolMessage it returned: the message's content is the result. */
function langChainTool(spanName: string, a: Readonly<Record<string, JsonValue>>): SpanDraft['tool'] {
  const result = langChainToolResult(a['output.value']);
  if (result === undefined) return undefined;
  const tool: NonNullable<SpanDraft['tool']> = { name: readString(a, 'tool.name') ?? spanName, result };
  const args = parseJsonText(a['input.value']);
  if (args !== undefined) tool.arguments = args;
  return tool;
}

/** `llm.cost.total`, else prompt + completion cost; in USD. */
function costOf(a: Readonly<Record<string, JsonValue>>): number | undefined {
  const total = readCount(a, 'llm.cost.total');
  if (total !== undefined) return total;
  const prompt = readCount(a, 'llm.cost.prompt');
  const completion = readCount(a, 'llm.cost.completion');
  return prompt !== undefined && completion !== undefined ? prompt + completion : undefined;
}

