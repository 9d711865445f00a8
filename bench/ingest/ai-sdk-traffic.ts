import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { sdkSpans } from '../../test/ingest/sdk-payloads.js';

/**
 * `count` spans (a multiple of 4) shaped like the Vercel AI SDK's telemetry of a tool-calling
 * `generateText` — the outer `ai.generateText`, two `ai.generateText.doGenerate` model calls and an
 * `ai.toolCall` — with the attribute names and value shapes of `ai` 6 (read from its dist and from
 * the spans test/ingest/stacks/ai-sdk.test.ts receives), made by the real OTel SDK. Times are fixed.
 */
export function aiSdkTraffic(count: number): ReadableSpan[] {
  return sdkSpans((tracer) => {
    for (let t = 0; t < count / 4; t++) {
      const question = `Where is my refund for order A-${t}? It has been two weeks since I returned the item.`;
      const base: Attributes = {
        'ai.model.provider': 'openai.chat',
        'ai.model.id': 'gpt-4.1-mini',
        'ai.settings.maxRetries': 2,
        'ai.telemetry.functionId': 'support-agent',
        'ai.telemetry.metadata.sessionId': `sess-${t % 50}`,
        'ai.telemetry.metadata.userId': `user-${t % 200}`,
      };
      const op = (id: string): Attributes => ({ 'operation.name': `${id} support-agent`, 'resource.name': 'support-agent', 'ai.operationId': id, ...base });
      const root = tracer.startSpan('ai.generateText', { startTime: [1_750_000_000, t * 10], attributes: { ...op('ai.generateText'), 'ai.prompt': JSON.stringify({ system: 'You are a helpful support agent for ACME. Answer briefly and cite the policy.', prompt: question }) } }, ROOT_CONTEXT);
      const parent = trace.setSpan(ROOT_CONTEXT, root);
      const tool = JSON.stringify({ type: 'function', name: 'lookup_order', description: 'Looks an order up', inputSchema: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] } });
      const prompt = [
        { role: 'system', content: 'You are a helpful support agent for ACME. Answer briefly and cite the policy.' },
        { role: 'user', content: [{ type: 'text', text: question }] },
      ];
      const call = { toolCallId: `call_${t}`, toolName: 'lookup_order', input: `{"orderId":"A-${t}"}` };
      const llm = (i: number, messages: unknown[], response: Attributes) => {
        const span = tracer.startSpan('ai.generateText.doGenerate', { kind: SpanKind.CLIENT, startTime: [1_750_000_000, t * 10 + i], attributes: { ...op('ai.generateText.doGenerate'), 'ai.prompt.messages': JSON.stringify(messages), 'ai.prompt.tools': [tool], 'ai.prompt.toolChoice': '{"type":"auto"}', 'gen_ai.system': 'openai.chat', 'gen_ai.request.model': 'gpt-4.1-mini' } }, parent);
        span.setAttributes({ 'ai.response.finishReason': 'stop', 'ai.response.id': `chatcmpl-${t}-${i}`, 'ai.response.model': 'gpt-4.1-mini', 'ai.response.timestamp': '2025-06-15T12:00:00.000Z', 'ai.response.providerMetadata': '{"openai":{}}', 'ai.usage.inputTokens': 412, 'ai.usage.outputTokens': 38, 'ai.usage.totalTokens': 450, 'ai.usage.inputTokenDetails.noCacheTokens': 412, 'ai.usage.outputTokenDetails.textTokens': 38, 'gen_ai.response.finish_reasons': ['stop'], 'gen_ai.response.id': `chatcmpl-${t}-${i}`, 'gen_ai.response.model': 'gpt-4.1-mini', 'gen_ai.usage.input_tokens': 412, 'gen_ai.usage.output_tokens': 38, ...response });
        span.setStatus({ code: SpanStatusCode.OK });
        span.end([1_750_000_000, t * 10 + i + 1]);
      };
      llm(1, prompt, { 'ai.response.toolCalls': JSON.stringify([call]) });
      const run = tracer.startSpan('ai.toolCall', { startTime: [1_750_000_000, t * 10 + 3], attributes: { ...op('ai.toolCall'), 'ai.toolCall.name': 'lookup_order', 'ai.toolCall.id': call.toolCallId, 'ai.toolCall.args': call.input } }, parent);
      run.setAttribute('ai.toolCall.result', '{"status":"refunded","amount":42.5}');
      run.end([1_750_000_000, t * 10 + 4]);
      const after = [...prompt, { role: 'assistant', content: [{ type: 'tool-call', ...call }] }, { role: 'tool', content: [{ type: 'tool-result', toolCallId: call.toolCallId, toolName: 'lookup_order', output: { type: 'json', value: { status: 'refunded', amount: 42.5 } } }] }];
      llm(5, after, { 'ai.response.text': 'Your refund of 42.50 was issued; see the refund policy.' });
      root.setAttributes({ 'ai.response.finishReason': 'stop', 'ai.response.text': 'Your refund of 42.50 was issued; see the refund policy.', 'ai.usage.inputTokens': 824, 'ai.usage.outputTokens': 76, 'ai.usage.totalTokens': 900 });
      root.end([1_750_000_000, t * 10 + 9]);
    }
  });
}
