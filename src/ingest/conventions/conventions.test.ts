import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CONVENTION_PRECEDENCE, readConventions, SESSION_ID_KEYS, USER_ID_KEYS } from './conventions.js';
import { testSpan } from '../../../test/support/otlp-test-span.js';

describe('readConventions', () => {
  it('runs the conventions in the documented order: OpenInference, AI SDK, Traceloop, GenAI', () => {
    expect(CONVENTION_PRECEDENCE).toEqual(['openinference', 'ai-sdk', 'traceloop', 'genai']);
  });

  it('lets OpenInference win over the AI SDK on a span that carries both (an OpenInference span processor)', () => {
    const draft = readConventions(testSpan({ 'openinference.span.kind': 'CHAIN', 'input.value': 'oi input', 'ai.operationId': 'ai.generateText', 'ai.prompt': '{"prompt":"sdk input"}', 'ai.response.text': 'answer' }, { scope: { name: 'ai', version: '' } }));
    expect(draft).toMatchObject({ kind: 'CHAIN', input: 'oi input', output: 'answer' });
  });

  it('lets the AI SDK win over the GenAI attributes it also writes on a model call', () => {
    const draft = readConventions(
      testSpan({ 'ai.operationId': 'ai.generateText.doGenerate', 'ai.prompt.messages': '[{"role":"user","content":"hi"}]', 'ai.response.model': 'sdk-model', 'gen_ai.response.model': 'genai-model', 'gen_ai.request.model': 'm', 'ai.usage.inputTokens': 5, 'gen_ai.usage.input_tokens': 7, 'gen_ai.usage.output_tokens': 2 }),
    );
    expect(draft).toMatchObject({ kind: 'LLM', input: [{ role: 'user', content: 'hi' }], model: 'sdk-model', usage: { inputTokens: 5, outputTokens: 2 } });
  });

  it('lets a Traceloop model call be read by the GenAI mapper, its entity keys by the Traceloop one', () => {
    const draft = readConventions(testSpan({ 'gen_ai.operation.name': 'chat', 'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"q"}]}]', 'traceloop.workflow.name': 'w' }, { scope: { name: '@traceloop/instrumentation-openai', version: '' } }));
    expect(draft).toMatchObject({ kind: 'LLM', input: [{ role: 'user', content: 'q' }] });
  });
});

describe('openInferenceConvention.applies', () => {
  it("skips the AI SDK's spans unless an OpenInference processor marked them", async () => {
    const { openInferenceConvention } = await import('./openinference-convention.js');
    expect(openInferenceConvention.applies(testSpan({ 'ai.operationId': 'ai.generateText' }, { scope: { name: 'ai', version: '' } }))).toBe(false);
    expect(openInferenceConvention.applies(testSpan({ 'openinference.span.kind': 'LLM' }, { scope: { name: 'ai', version: '' } }))).toBe(true);
    expect(openInferenceConvention.applies(testSpan({}, { scope: { name: 'anything', version: '' } }))).toBe(true);
  });
});

describe('the session and user id keys', () => {
  it('are each named in the table of docs/integrations.md', () => {
    const doc = readFileSync(new URL('../../../docs/integrations.md', import.meta.url), 'utf8');
    const table = doc.slice(doc.indexOf('## Sessions and users'), doc.indexOf('## When nothing is recognised'));
    for (const key of [...SESSION_ID_KEYS, ...USER_ID_KEYS]) expect(table.includes(`\`${key}\``), key).toBe(true);
  });
});
