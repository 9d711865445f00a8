import type { JsonValue } from '../core/json.js';
import type { SpanKind } from '../core/span.js';
import { parseJsonText, readString } from './read-attribute.js';

/**
 * The model provider of an OpenInference span: `llm.provider`, else `llm.system`, else — for an LLM
 * span of LangChain, whose instrumentation sets neither — LangChain's own `ls_provider` in the
 * span's `metadata` JSON (parsed only for such spans).
 * @example openInferenceProvider({ metadata: '{"ls_provider":"openai"}' }, 'LLM') // 'openai'
 */
export function openInferenceProvider(attributes: Readonly<Record<string, JsonValue>>, kind: SpanKind | undefined): string | undefined {
  const declared = readString(attributes, 'llm.provider', 'llm.system');
  if (declared !== undefined || kind !== 'LLM' || typeof attributes['metadata'] !== 'string') return declared;
  const metadata = parseJsonText(attributes['metadata']);
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) return undefined;
  return readString(metadata, 'ls_provider');
}
