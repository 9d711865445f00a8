import { describe, expect, it } from 'vitest';
import type { SpanDraft } from './span-convention.js';
import { testSpan } from '../../../test/support/otlp-test-span.js';
import { traceloopConvention } from './traceloop-convention.js';

function read(attributes: Parameters<typeof testSpan>[0], name = 'span'): SpanDraft {
  const draft: SpanDraft = { usage: {} };
  traceloopConvention.map(testSpan(attributes, { name }), draft);
  return draft;
}

describe('traceloopConvention', () => {
  it("applies to the @traceloop tracers and to spans with Traceloop's entity keys", () => {
    expect(traceloopConvention.applies(testSpan({}, { scope: { name: '@traceloop/instrumentation-openai', version: '0.27.0' } }))).toBe(true);
    expect(traceloopConvention.applies(testSpan({ 'traceloop.span.kind': 'task' }))).toBe(true);
    expect(traceloopConvention.applies(testSpan({ 'traceloop.workflow.name': 'w' }))).toBe(false);
  });

  it('reads a workflow: CHAIN, its lone text argument as input, its return value as output', () => {
    expect(read({ 'traceloop.span.kind': 'workflow', 'traceloop.entity.input': '{"args":["Where is my parcel?"],"kwargs":{}}', 'traceloop.entity.output': '"On its way."' })).toEqual({
      kind: 'CHAIN',
      input: 'Where is my parcel?',
      output: 'On its way.',
      usage: {},
    });
  });

  it('reads an agent as AGENT, and structured input and output as JSON text', () => {
    expect(read({ 'traceloop.span.kind': 'agent', 'traceloop.entity.input': '{"args":[],"kwargs":{"q":"a","n":2}}', 'traceloop.entity.output': '{"ok":true}' })).toMatchObject({
      kind: 'AGENT',
      input: '{"q":"a","n":2}',
      output: '{"ok":true}',
    });
  });

  it('reads a tool entity as the tool called: name, keyword arguments, result', () => {
    expect(read({ 'traceloop.span.kind': 'tool', 'traceloop.entity.name': 'weather', 'traceloop.entity.input': '{"args":[],"kwargs":{"city":"Paris"}}', 'traceloop.entity.output': '{"t":21}' }, 'weather.tool').tool).toEqual({
      name: 'weather',
      arguments: { city: 'Paris' },
      result: { t: 21 },
    });
  });

  it('reads the older llm.request.type as the kind of a model call', () => {
    expect(read({ 'llm.request.type': 'chat' }).kind).toBe('LLM');
    expect(read({ 'llm.request.type': 'embedding' }).kind).toBe('EMBEDDING');
  });

  it('keeps an entity input that is not JSON as its text, with a notice', () => {
    expect(read({ 'traceloop.span.kind': 'task', 'traceloop.entity.input': 'args=(1,' })).toMatchObject({
      kind: 'CHAIN',
      input: 'args=(1,',
      notices: ['traceloop.entity.input is not valid JSON; its text is kept as it is'],
    });
  });
});
