/**
 * The one test double of EvalOps: a real HTTP server on 127.0.0.1 that speaks the OpenAI API
 * (`POST /v1/chat/completions`, plain or streamed, and `POST /v1/embeddings`) with scripted answers.
 * Tests point the real AI SDK client at `url` and script replies with `respond`.
 *
 * Latency is simulated with timers only, so any number of concurrent requests each take `latencyMs`
 * (plus a reply's own `delayMs`) without blocking one another.
 *
 * @example
 * const server = await startFakeOpenAI({ respond: () => ({ json: { label: 'good', reason: 'ok' } }) });
 * // createModelPort({ providers: { fake: { kind: 'openai-compatible', baseURL: server.url } } })
 * await server.close();
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FakeEndpoint = 'chat' | 'embeddings' | 'other';

/** One request the server received, body parsed as JSON (undefined when it was not JSON). */
export interface FakeRequest {
  /** 0-based arrival order over all requests. */
  readonly index: number;
  readonly endpoint: FakeEndpoint;
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: FakeRequestBody | undefined;
}

/** The parts of an OpenAI request body tests usually look at; everything else stays reachable. */
export interface FakeRequestBody {
  readonly model?: string;
  readonly messages?: ReadonlyArray<{ role: string; content: unknown; tool_calls?: unknown }>;
  readonly tools?: ReadonlyArray<{ type: string; function: { name: string; description?: string; parameters?: unknown } }>;
  readonly response_format?: { type: string; json_schema?: { name?: string; schema?: unknown; strict?: boolean } };
  readonly temperature?: number;
  readonly max_tokens?: number;
  readonly input?: string | readonly string[];
  readonly stream?: boolean;
  readonly [key: string]: unknown;
}

export interface FakeUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
}

interface ReplyBase {
  /** Extra delay for this reply, on top of the server's `latencyMs`. */
  readonly delayMs?: number;
}

/** A scripted answer. Return `undefined` from `respond` to get the default answer for the endpoint. */
export type FakeReply =
  /** Assistant message with this text. */
  | (ReplyBase & { readonly text: string; readonly usage?: FakeUsage })
  /** Assistant message whose content is this value as JSON text (how structured output arrives). */
  | (ReplyBase & { readonly json: unknown; readonly usage?: FakeUsage })
  /** Assistant message calling tools (arguments are sent as JSON text, as OpenAI does). */
  | (ReplyBase & {
      readonly toolCalls: ReadonlyArray<{ readonly name: string; readonly arguments: unknown }>;
      readonly text?: string;
      readonly usage?: FakeUsage;
    })
  /** Embedding vectors, one per input. */
  | (ReplyBase & { readonly embeddings: readonly (readonly number[])[] })
  /** An HTTP error in OpenAI's error format, optionally with Retry-After. */
  | (ReplyBase & { readonly status: number; readonly message?: string; readonly retryAfter?: string | number })
  /** A 200 with this raw body (for malformed-response tests). */
  | (ReplyBase & { readonly rawBody: string })
  /** Drop the connection without answering. */
  | (ReplyBase & { readonly hangUp: true });

export interface FakeOpenAIOptions {
  /** Fixed latency of every request, in milliseconds. */
  readonly latencyMs?: number;
  readonly respond?: (request: FakeRequest) => FakeReply | undefined | Promise<FakeReply | undefined>;
}

export interface FakeOpenAIServer {
  /** Base URL ending in `/v1`, e.g. `http://127.0.0.1:41234/v1`. */
  readonly url: string;
  /** Every request received so far, in arrival order. */
  readonly calls: readonly FakeRequest[];
  close(): Promise<void>;
}

export const FAKE_EMBEDDING_DIMENSIONS = 64;

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAIServer> {
  const calls: FakeRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: `fake server: ${String(e)}`, type: 'server_error' } });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const request: FakeRequest = {
      index: calls.length,
      endpoint: endpointOf(req.method ?? 'GET', path),
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body: parseJson(raw),
    };
    calls.push(request);
    const reply = (await options.respond?.(request)) ?? defaultReply(request);
    const delay = (options.latencyMs ?? 0) + (reply?.delayMs ?? 0);
    if (delay > 0) await sleep(delay, timers);
    if (res.destroyed) return;
    send(res, request, reply);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    calls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close((e) => (e ? reject(e) : resolve()));
        for (const s of sockets) s.destroy();
      }),
  };
}

/**
 * Deterministic embedding of a text: a hashed bag of lowercased words, L2-normalised. Identical texts
 * have cosine 1; texts sharing no word have cosine 0 (barring hash collisions).
 */
export function fakeEmbedding(text: string, dimensions = FAKE_EMBEDDING_DIMENSIONS): number[] {
  const v = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const i = fnv1a(word) % dimensions;
    v[i] = (v[i] ?? 0) + 1;
  }
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return norm === 0 ? v : v.map((x) => x / norm);
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function endpointOf(method: string, path: string): FakeEndpoint {
  if (method !== 'POST') return 'other';
  if (path.endsWith('/chat/completions')) return 'chat';
  if (path.endsWith('/embeddings')) return 'embeddings';
  return 'other';
}

function defaultReply(request: FakeRequest): FakeReply {
  switch (request.endpoint) {
    case 'chat':
      return { text: 'ok' };
    case 'embeddings':
      return { embeddings: inputsOf(request).map((t) => fakeEmbedding(t)) };
    case 'other':
      return { status: 404, message: `fake server: no route for ${request.method} ${request.path}` };
  }
}

function inputsOf(request: FakeRequest): string[] {
  const input = request.body?.input;
  if (typeof input === 'string') return [input];
  return Array.isArray(input) ? input.map(String) : [];
}

function send(res: ServerResponse, request: FakeRequest, reply: FakeReply): void {
  if ('hangUp' in reply) {
    res.destroy();
    return;
  }
  if ('rawBody' in reply) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(reply.rawBody);
    return;
  }
  if ('status' in reply) {
    const headers: Record<string, string> = {};
    if (reply.retryAfter !== undefined) headers['retry-after'] = String(reply.retryAfter);
    sendJson(res, reply.status, { error: { message: reply.message ?? `fake error ${reply.status}`, type: 'fake_error', code: null } }, headers);
    return;
  }
  if ('embeddings' in reply) {
    const tokens = inputsOf(request).reduce((n, t) => n + wordCount(t), 0);
    sendJson(res, 200, {
      object: 'list',
      model: request.body?.model ?? 'fake',
      data: reply.embeddings.map((embedding, index) => ({ object: 'embedding', index, embedding })),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
    return;
  }
  if (request.body?.stream === true) {
    sendChatStream(res, request, chatCompletion(request, reply) as ChatCompletionBody);
    return;
  }
  sendJson(res, 200, chatCompletion(request, reply));
}

interface ChatCompletionBody {
  readonly id: string;
  readonly model: string;
  readonly created: number;
  readonly choices: readonly [{ message: { content: string | null; tool_calls?: readonly { id: string; type: string; function: { name: string; arguments: string } }[] }; finish_reason: string }];
  readonly usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/**
 * A streamed chat completion (`stream: true`) as OpenAI sends it: server-sent events of
 * `chat.completion.chunk` — the role, the text word by word, each tool call whole, the finish reason,
 * then (when `stream_options.include_usage` asks) a chunk with the usage, and `data: [DONE]`.
 */
function sendChatStream(res: ServerResponse, request: FakeRequest, completion: ChatCompletionBody): void {
  const { message, finish_reason } = completion.choices[0];
  const chunk = (delta: unknown, finish: string | null = null) => ({ id: completion.id, object: 'chat.completion.chunk', created: completion.created, model: completion.model, choices: [{ index: 0, delta, finish_reason: finish }] });
  const events: unknown[] = [chunk({ role: 'assistant', content: '' })];
  for (const piece of (message.content ?? '').match(/\S+\s*|\s+/g) ?? []) events.push(chunk({ content: piece }));
  (message.tool_calls ?? []).forEach((call, index) => events.push(chunk({ tool_calls: [{ index, ...call }] })));
  events.push(chunk({}, finish_reason));
  const options = request.body?.['stream_options'] as { include_usage?: boolean } | undefined;
  if (options?.include_usage === true) events.push({ id: completion.id, object: 'chat.completion.chunk', created: completion.created, model: completion.model, choices: [], usage: completion.usage });
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.end(`${events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('')}data: [DONE]\n\n`);
}

function chatCompletion(request: FakeRequest, reply: Exclude<FakeReply, { status: number } | { embeddings: unknown } | { rawBody: string } | { hangUp: true }>): unknown {
  const content = 'json' in reply ? JSON.stringify(reply.json) : 'text' in reply ? (reply.text ?? null) : null;
  const toolCalls =
    'toolCalls' in reply
      ? reply.toolCalls.map((c, i) => ({
          id: `call_${request.index}_${i}`,
          type: 'function',
          function: { name: c.name, arguments: JSON.stringify(c.arguments ?? {}) },
        }))
      : undefined;
  const promptTokens = reply.usage?.promptTokens ?? promptWords(request);
  const completionTokens = reply.usage?.completionTokens ?? wordCount(content ?? '') + (toolCalls?.length ?? 0);
  return {
    id: `chatcmpl-fake-${request.index}`,
    object: 'chat.completion',
    created: 1_700_000_000,
    model: request.body?.model ?? 'fake',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, ...(toolCalls ? { tool_calls: toolCalls } : {}) },
        finish_reason: toolCalls ? 'tool_calls' : 'stop',
      },
    ],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
}

function promptWords(request: FakeRequest): number {
  let n = 0;
  for (const m of request.body?.messages ?? []) n += wordCount(typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? ''));
  return n;
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers }).end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): FakeRequestBody | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as FakeRequestBody;
  } catch {
    return undefined;
  }
}

function sleep(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      timers.delete(t);
      resolve();
    }, ms);
    timers.add(t);
  });
}
