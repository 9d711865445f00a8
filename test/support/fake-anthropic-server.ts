/**
 * The Anthropic-compatible twin of fake-openai-server.ts: a real HTTP server on 127.0.0.1 that
 * speaks the Messages API (`POST /v1/messages`), non-streaming and streaming (server-sent events,
 * text and `tool_use` blocks with `input_json_delta`s), with scripted answers. Tests point the real
 * `@anthropic-ai/sdk` client at `url` (`new Anthropic({ baseURL: server.url })`).
 *
 * @example
 * const server = await startFakeAnthropic({ respond: () => ({ toolUses: [{ name: 'lookup_order', input: { orderId: 'A-17' } }] }) });
 * const client = new Anthropic({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
 */
import type { ServerResponse } from 'node:http';
import { sendJson, startScriptedHttpServer, type SeenRequest } from './scripted-http-server.js';

/** The parts of a Messages request tests look at; everything else stays reachable. */
export interface AnthropicRequestBody {
  readonly model?: string;
  readonly max_tokens?: number;
  readonly system?: unknown;
  readonly messages?: ReadonlyArray<{ role: string; content: unknown }>;
  readonly tools?: ReadonlyArray<{ name: string; description?: string; input_schema?: unknown }>;
  readonly stream?: boolean;
  readonly [key: string]: unknown;
}

/** One request the server received. */
export interface AnthropicRequest {
  /** 0-based arrival order over all requests. */
  readonly index: number;
  readonly method: string;
  readonly path: string;
  readonly headers: SeenRequest['headers'];
  readonly body: AnthropicRequestBody | undefined;
}

export interface AnthropicUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** A scripted answer; `undefined` from `respond` answers "ok". */
export type AnthropicReply =
  /** An assistant message: optional text, then optional `tool_use` blocks (stop reason `tool_use`). */
  | {
      readonly text?: string;
      readonly toolUses?: ReadonlyArray<{ readonly name: string; readonly input: Record<string, unknown> }>;
      readonly usage?: AnthropicUsage;
    }
  /** An HTTP error in Anthropic's error format. */
  | { readonly status: number; readonly message?: string };

export interface FakeAnthropicOptions {
  readonly respond?: (request: AnthropicRequest) => AnthropicReply | undefined;
}

export interface FakeAnthropicServer {
  /** Base URL without `/v1` (the SDK adds it), e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Every request received so far, in arrival order. */
  readonly calls: readonly AnthropicRequest[];
  close(): Promise<void>;
}

/** Starts the server on a free loopback port. */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropicServer> {
  const calls: AnthropicRequest[] = [];
  const server = await startScriptedHttpServer((seen, res) => {
    const request: AnthropicRequest = { index: calls.length, method: seen.method, path: seen.url.split('?')[0] ?? '/', headers: seen.headers, body: parseBody(seen.body) };
    calls.push(request);
    if (request.method !== 'POST' || request.path !== '/v1/messages') {
      sendError(res, 404, 'not_found_error', `fake server: no route for ${request.method} ${request.path}`);
      return;
    }
    if (request.body === undefined || !Array.isArray(request.body.messages) || typeof request.body.max_tokens !== 'number') {
      sendError(res, 400, 'invalid_request_error', 'fake server: messages and max_tokens are required');
      return;
    }
    const reply = options.respond?.(request) ?? { text: 'ok' };
    if ('status' in reply) {
      sendError(res, reply.status, reply.status === 429 ? 'rate_limit_error' : 'api_error', reply.message ?? `fake error ${reply.status}`);
      return;
    }
    const message = messageOf(request, reply);
    if (request.body.stream === true) sendStream(res, message);
    else sendJson(res, 200, message);
  });
  return { url: server.url, calls, close: () => server.close() };
}

type ContentBlock = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

interface Message {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ContentBlock[];
  stop_reason: 'end_turn' | 'tool_use';
  stop_sequence: null;
  usage: { input_tokens: number; output_tokens: number };
}

function messageOf(request: AnthropicRequest, reply: Exclude<AnthropicReply, { status: number }>): Message {
  const content: ContentBlock[] = [];
  if (reply.text !== undefined) content.push({ type: 'text', text: reply.text });
  (reply.toolUses ?? []).forEach((use, i) => content.push({ type: 'tool_use', id: `toolu_${request.index}_${i}`, name: use.name, input: use.input }));
  return {
    id: `msg_fake_${request.index}`,
    type: 'message',
    role: 'assistant',
    model: request.body?.model ?? 'fake',
    content,
    stop_reason: (reply.toolUses?.length ?? 0) > 0 ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: reply.usage?.inputTokens ?? wordCount(JSON.stringify(request.body?.messages ?? [])),
      output_tokens: reply.usage?.outputTokens ?? wordCount(reply.text ?? '') + (reply.toolUses?.length ?? 0),
    },
  };
}

/** The Messages API's event stream for one message: every text and every tool input sent in two pieces. */
function sendStream(res: ServerResponse, message: Message): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const event = (type: string, data: unknown) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...(data as object) })}\n\n`);
  event('message_start', { message: { ...message, content: [], stop_reason: null, usage: { input_tokens: message.usage.input_tokens, output_tokens: 1 } } });
  event('ping', {});
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      event('content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const piece of halves(block.text)) event('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
    } else {
      event('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
      for (const piece of halves(JSON.stringify(block.input))) event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } });
    }
    event('content_block_stop', { index });
  });
  event('message_delta', { delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage: { output_tokens: message.usage.output_tokens } });
  event('message_stop', {});
  res.end();
}

function halves(text: string): string[] {
  const middle = Math.ceil(text.length / 2);
  return text.length < 2 ? [text] : [text.slice(0, middle), text.slice(middle)];
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { type: 'error', error: { type, message } });
}

function parseBody(text: string): AnthropicRequestBody | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as AnthropicRequestBody) : undefined;
  } catch {
    return undefined;
  }
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
