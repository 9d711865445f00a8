import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeEmbedding, startFakeOpenAI, type FakeOpenAIServer } from './fake-openai-server.js';

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function post(url: string, body: unknown): Promise<{ status: number; headers: Headers; json: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

const chat = (content: string) => ({ model: 'm', messages: [{ role: 'user', content }] });

describe('startFakeOpenAI', () => {
  it('listens on 127.0.0.1 with a base URL ending in /v1 and records parsed requests', async () => {
    server = await startFakeOpenAI();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const res = await post(`${server.url}/chat/completions`, chat('hello'));

    expect(res.status).toBe(200);
    expect(res.json.choices[0].message).toEqual({ role: 'assistant', content: 'ok' });
    expect(server.calls).toHaveLength(1);
    expect(server.calls[0]).toMatchObject({ index: 0, endpoint: 'chat', method: 'POST', path: '/v1/chat/completions', body: chat('hello') });
  });

  it('answers tool calls with JSON-text arguments and finish_reason tool_calls', async () => {
    server = await startFakeOpenAI({ respond: () => ({ toolCalls: [{ name: 'search', arguments: { q: 'x' } }] }) });
    const res = await post(`${server.url}/chat/completions`, chat('find x'));
    const choice = res.json.choices[0];

    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls[0].function).toEqual({ name: 'search', arguments: '{"q":"x"}' });
  });

  it('answers a json reply as message content and reports scripted usage', async () => {
    server = await startFakeOpenAI({ respond: () => ({ json: { label: 'good' }, usage: { promptTokens: 7, completionTokens: 2 } }) });
    const res = await post(`${server.url}/chat/completions`, chat('judge'));

    expect(JSON.parse(res.json.choices[0].message.content)).toEqual({ label: 'good' });
    expect(res.json.usage).toEqual({ prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 });
  });

  it('answers errors in the OpenAI format with Retry-After', async () => {
    server = await startFakeOpenAI({ respond: () => ({ status: 429, retryAfter: 3, message: 'slow down' }) });
    const res = await post(`${server.url}/chat/completions`, chat('x'));

    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.json.error.message).toBe('slow down');
  });

  it('refuses unknown routes', async () => {
    server = await startFakeOpenAI();
    expect((await post(`${server.url}/responses`, {})).status).toBe(404);
  });

  it('streams a chat completion as server-sent chunks: text word by word, tool calls, finish reason, usage, [DONE]', async () => {
    server = await startFakeOpenAI({ respond: () => ({ toolCalls: [{ name: 'weather', arguments: { city: 'Paris' } }], text: 'Let me check.', usage: { promptTokens: 7, completionTokens: 3 } }) });
    const res = await fetch(`${server.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...chat('x'), stream: true, stream_options: { include_usage: true } }) });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = (await res.text()).split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, ''));
    expect(events.pop()).toBe('[DONE]');
    const chunks = events.map((e) => JSON.parse(e));
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('Let me check.');
    expect(chunks.find((c) => c.choices[0]?.delta?.tool_calls)?.choices[0].delta.tool_calls[0]).toMatchObject({ index: 0, function: { name: 'weather', arguments: '{"city":"Paris"}' } });
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0].finish_reason).toBe('tool_calls');
    expect(chunks.at(-1).usage).toEqual({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
  });

  it('embeds deterministically: identical texts have cosine 1, unrelated ones 0', async () => {
    server = await startFakeOpenAI();
    const res = await post(`${server.url}/embeddings`, { model: 'e', input: ['refund policy', 'Refund   POLICY', 'shipping'] });
    const [a, b, c] = res.json.data.map((d: { embedding: number[] }) => d.embedding) as number[][];
    const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * (y[i] ?? 0), 0);

    expect(a).toEqual(fakeEmbedding('refund policy'));
    expect(dot(a!, b!)).toBeCloseTo(1, 12);
    expect(dot(a!, c!)).toBeCloseTo(0, 12);
    expect(res.json.data.map((d: { index: number }) => d.index)).toEqual([0, 1, 2]);
  });

  it('holds 32 requests in flight at once (no reply until all have arrived)', async () => {
    let release!: () => void;
    const allArrived = new Promise<void>((r) => (release = r));
    server = await startFakeOpenAI({
      latencyMs: 20,
      respond: async (req) => {
        if (req.index === 31) release();
        await allArrived;
        return { text: `reply ${req.index}` };
      },
    });
    const url = `${server.url}/chat/completions`;
    const replies = await Promise.all(Array.from({ length: 32 }, (_, i) => post(url, chat(`q${i}`))));

    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(new Set(replies.map((r) => r.json.choices[0].message.content)).size).toBe(32);
  });

  it('keeps connections alive between requests', async () => {
    server = await startFakeOpenAI();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const reused: boolean[] = [];
    for (let i = 0; i < 3; i++) {
      reused.push(
        await new Promise<boolean>((resolve, reject) => {
          const req = request(`${server!.url}/chat/completions`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
            res.resume();
            res.on('end', () => resolve(req.reusedSocket));
          });
          req.on('error', reject);
          req.end(JSON.stringify(chat('x')));
        }),
      );
    }
    agent.destroy();
    expect(reused).toEqual([false, true, true]);
  });

  it('drops the connection for a hang-up reply and closes with requests pending', async () => {
    server = await startFakeOpenAI({ respond: (req) => (req.index === 0 ? { hangUp: true } : { text: 'never', delayMs: 60_000 }) });
    await expect(post(`${server.url}/chat/completions`, chat('x'))).rejects.toThrow();

    const pending = post(`${server.url}/chat/completions`, chat('y'));
    while (server.calls.length < 2) await new Promise<void>((r) => setTimeout(r, 5));
    await server.close();
    server = undefined;
    await expect(pending).rejects.toThrow();
  });
});
