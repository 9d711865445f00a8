import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../core/json.js';
import { testSpan } from '../../../test/support/otlp-test-span.js';
import { openInferenceConvention } from './openinference-convention.js';
import type { SpanDraft } from './span-convention.js';

function read(attributes: Record<string, JsonValue>, scope: string): SpanDraft {
  const draft: SpanDraft = { usage: {} };
  openInferenceConvention.map(testSpan(attributes, { scope: { name: scope, version: '' } }), draft);
  return draft;
}

const LANGCHAIN = '@arizeai/openinference-instrumentation-langchain';
const lc = (className: string, kwargs: Record<string, JsonValue>): JsonValue => ({ lc: 1, type: 'constructor', id: ['langchain_core', 'messages', className], kwargs });

describe('openInferenceConvention, on what the LangChain and OpenAI Agents instrumentations write', () => {
  it("reads a LangGraph chain's state as messages: its input, and what it added as output", () => {
    const given = [lc('HumanMessage', { content: 'Where is D-5?' })];
    const draft = read(
      {
        'openinference.span.kind': 'CHAIN',
        'input.value': JSON.stringify({ messages: given }),
        'output.value': JSON.stringify({ messages: [...given, lc('AIMessage', { content: 'Shipped.' })] }),
      },
      LANGCHAIN,
    );
    expect(draft).toMatchObject({ kind: 'CHAIN', input: [{ role: 'user', content: 'Where is D-5?' }], output: [{ role: 'assistant', content: 'Shipped.' }] });
    expect(draft.outputMessages).toBeUndefined(); // a chain's messages name no tool calls of its own
  });

  it("reads a LangChain tool's result from its ToolMessage; other tools are left to the generic tool reading", () => {
    const attributes = { 'openinference.span.kind': 'TOOL', 'tool.name': 'lookup_order', 'input.value': 'D-5', 'output.value': JSON.stringify({ output: lc('ToolMessage', { content: '{"status":"shipped"}', tool_call_id: 'c1' }) }) };
    expect(read(attributes, LANGCHAIN).tool).toEqual({ name: 'lookup_order', arguments: 'D-5', result: { status: 'shipped' } });
    expect(read(attributes, 'openinference-core').tool).toBeUndefined();
  });

  it("reads an OpenAI Agents run's input items as messages, and no other tracer's", () => {
    const attributes = { 'openinference.span.kind': 'AGENT', 'input.value': '[{"type":"message","role":"user","content":"Where is E-3?"}]', 'output.value': 'Shipped.' };
    expect(read(attributes, '@arizeai/openinference-instrumentation-openai-agents')).toMatchObject({ input: [{ role: 'user', content: 'Where is E-3?' }], output: 'Shipped.' });
    expect(read(attributes, 'openinference-core').input).toBe(attributes['input.value']);
  });

  it("names a LangChain model call's provider from its ls_provider metadata", () => {
    expect(read({ 'openinference.span.kind': 'LLM', metadata: '{"ls_provider":"openai"}' }, LANGCHAIN).provider).toBe('openai');
  });
});
