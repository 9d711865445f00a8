import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importModule } from '../../src/config/import-module.js';
import { EvalOpsError } from '../../src/core/errors.js';
import type { TargetConfigOf } from '../../src/core/target-config.js';
import { httpTarget } from '../../src/targets/http-target.js';
import { readResponseText } from '../../src/targets/read-response-text.js';
import type { InvokeContext, TargetDeps } from '../../src/targets/target.js';
import { sendJson, sendText, startScriptedHttpServer, type ScriptedHttpServer } from '../support/scripted-http-server.js';

const deps: TargetDeps = { baseDir: process.cwd(), importModule };
const ctx: InvokeContext = {
  exampleId: 'ex-1',
  trial: 0,
  metadata: { lang: 'fr', tenant: 'acme', n: 3 },
  signal: new AbortController().signal,
};

const OPENAI_LIKE = {
  choices: [
    {
      message: {
        content: 'Your refund is on its way.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'issue_refund', arguments: '{"orderId":"A-7","amount":20}' } },
        ],
      },
    },
  ],
};

let server: ScriptedHttpServer;
let deployed = 'build-1';

beforeAll(async () => {
  server = await startScriptedHttpServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    switch (path) {
      case '/echo-request':
        return sendJson(res, 200, { method: req.method, url: req.url, body: req.body, contentType: req.headers['content-type'] ?? null });
      case '/text':
        return sendText(res, 200, 'plain words\n');
      case '/version':
        return sendText(res, 200, `${deployed}\n`);
      case '/version-empty':
        return sendText(res, 200, '  \n');
      case '/openai':
        return sendJson(res, 200, OPENAI_LIKE);
      case '/no-tools':
        return sendJson(res, 200, { choices: [{ message: { content: 'no tools needed' } }] });
      case '/plain-tools':
        return sendJson(res, 200, { answer: 'ok', calls: [{ name: 'search', arguments: { q: 'x' } }] });
      case '/tools-not-array':
        return sendJson(res, 200, { answer: 'ok', calls: { name: 'search' } });
      case '/bad-json':
        return sendText(res, 200, '{not json', { 'content-type': 'application/json' });
      case '/json-as-text':
        return sendText(res, 200, '{"data":{"answer":"hidden"}}');
      case '/rate-limited':
        return sendText(res, 429, 'slow down', { 'retry-after': '2' });
      case '/broken':
        return sendText(res, 500, 'internal failure');
      case '/unavailable':
        return sendText(res, 503, '');
      case '/bad-request':
        return sendText(res, 400, `${'x'.repeat(200)}TAIL`);
      case '/not-found':
        return sendJson(res, 404, { error: 'no such route' });
      default:
        return sendText(res, 418, 'unexpected path');
    }
  });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.requests.length = 0;
});

function http(path: string, extra: Partial<TargetConfigOf<'http'>> = {}): TargetConfigOf<'http'> {
  return { type: 'http', url: `${server.url}${path}`, method: 'POST', headers: {}, timeoutMs: 30_000, ...extra };
}

async function rejection(promise: Promise<unknown>): Promise<EvalOpsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EvalOpsError);
  return error as EvalOpsError;
}

describe('httpTarget', () => {
  describe('request', () => {
    it('posts { input } as JSON by default', async () => {
      const target = await httpTarget(http('/echo-request'), deps);
      const { output } = await target.invoke({ q: 'refund?' }, ctx);
      expect(output).toEqual({
        method: 'POST',
        url: '/echo-request',
        body: '{"input":{"q":"refund?"}}',
        contentType: 'application/json',
      });
    });

    it('renders a body template, keeping the type of whole placeholders', async () => {
      const body = { question: 'Q: {{input.q}}', count: '{{metadata.n}}', raw: '{{input}}' };
      const target = await httpTarget(http('/echo-request', { body }), deps);
      const { output } = await target.invoke({ q: 'why' }, ctx);
      expect(JSON.parse((output as { body: string }).body)).toEqual({ question: 'Q: why', count: 3, raw: { q: 'why' } });
    });

    it('sends a body that renders to a string as text', async () => {
      const target = await httpTarget(http('/echo-request', { body: 'ask {{input.q}} in {{metadata.lang}}' }), deps);
      const { output } = await target.invoke({ q: 'this' }, ctx);
      expect(output).toMatchObject({ body: 'ask this in fr', contentType: 'text/plain; charset=utf-8' });
    });

    it('sends no body with GET and URL-encodes url placeholders', async () => {
      const target = await httpTarget(http('/echo-request?q={{input.q}}&t={{metadata.tenant}}', { method: 'GET' }), deps);
      const { output } = await target.invoke({ q: 'a&b c#d' }, ctx);
      expect(output).toMatchObject({ method: 'GET', body: '', contentType: null });
      const url = new URL((output as { url: string }).url, 'http://x');
      expect(url.searchParams.get('q')).toBe('a&b c#d');
      expect(url.searchParams.get('t')).toBe('acme');
    });

    it('renders headers from input, metadata and the environment', async () => {
      process.env['EVALOPS_TEST_TOKEN'] = 'sekret';
      try {
        const headers = {
          Authorization: 'Bearer {{env.EVALOPS_TEST_TOKEN}}',
          'X-Tenant': '{{metadata.tenant}}',
          'X-Question': '{{input.q}}',
          'Content-Type': 'application/vnd.custom+json',
        };
        const target = await httpTarget(http('/echo-request', { headers }), deps);
        await target.invoke({ q: 'hello' }, ctx);
        const seen = server.requests[0]?.headers;
        expect(seen?.['authorization']).toBe('Bearer sekret');
        expect(seen?.['x-tenant']).toBe('acme');
        expect(seen?.['x-question']).toBe('hello');
        expect(seen?.['content-type']).toBe('application/vnd.custom+json');
      } finally {
        delete process.env['EVALOPS_TEST_TOKEN'];
      }
    });

    it('does not expose the environment to the body', async () => {
      process.env['EVALOPS_TEST_TOKEN'] = 'sekret';
      try {
        const target = await httpTarget(http('/echo-request', { body: 'token={{env.EVALOPS_TEST_TOKEN}}' }), deps);
        const { output } = await target.invoke({}, ctx);
        expect(output).toMatchObject({ body: 'token=' });
      } finally {
        delete process.env['EVALOPS_TEST_TOKEN'];
      }
    });
  });

  describe('config', () => {
    it('refuses a header that reads an unset environment variable', async () => {
      const headers = { Authorization: 'Bearer {{env.EVALOPS_TEST_SURELY_UNSET}}' };
      const error = await rejection(httpTarget(http('/echo-request', { headers }), deps));
      expect(error.code).toBe('config');
      expect(error.location).toBe('target.headers.Authorization');
      expect(error.message).toContain('EVALOPS_TEST_SURELY_UNSET is not set');
    });

    it('refuses an invalid url', async () => {
      const error = await rejection(httpTarget({ ...http('/'), url: 'not a url' }, deps));
      expect(error).toMatchObject({ code: 'config', location: 'target.url' });
    });
  });

  describe('response', () => {
    it('gives a text response as text', async () => {
      const target = await httpTarget(http('/text'), deps);
      await expect(target.invoke({}, ctx)).resolves.toEqual({ output: 'plain words\n', toolCalls: [] });
    });

    it('reads the output at responsePath and OpenAI-style tool calls at toolCallsPath', async () => {
      const config = http('/openai', { responsePath: 'choices.0.message.content', toolCallsPath: 'choices.0.message.tool_calls' });
      const target = await httpTarget(config, deps);
      await expect(target.invoke({}, ctx)).resolves.toEqual({
        output: 'Your refund is on its way.',
        toolCalls: [{ name: 'issue_refund', arguments: { orderId: 'A-7', amount: 20 } }],
      });
    });

    it('reads { name, arguments } tool calls as they are', async () => {
      const target = await httpTarget(http('/plain-tools', { responsePath: 'answer', toolCallsPath: 'calls' }), deps);
      await expect(target.invoke({}, ctx)).resolves.toEqual({ output: 'ok', toolCalls: [{ name: 'search', arguments: { q: 'x' } }] });
    });

    it('has no tool calls when the toolCallsPath is absent from the response', async () => {
      const config = http('/no-tools', { responsePath: 'choices.0.message.content', toolCallsPath: 'choices.0.message.tool_calls' });
      const target = await httpTarget(config, deps);
      await expect(target.invoke({}, ctx)).resolves.toEqual({ output: 'no tools needed', toolCalls: [] });
    });

    it('refuses tool calls that are not an array', async () => {
      const target = await httpTarget(http('/tools-not-array', { toolCallsPath: 'calls' }), deps);
      const error = await rejection(target.invoke({}, ctx));
      expect(error).toMatchObject({ code: 'target', retryable: false, message: 'toolCallsPath calls is not an array in response' });
    });

    it('fails, not retryable, when the responsePath is missing', async () => {
      const target = await httpTarget(http('/openai', { responsePath: 'choices.0.text' }), deps);
      const error = await rejection(target.invoke({}, ctx));
      expect(error).toMatchObject({ code: 'target', retryable: false });
      expect(error.message).toBe(`example ex-1: responsePath choices.0.text not found in response: ${JSON.stringify(JSON.stringify(OPENAI_LIKE))}`);
    });

    it('fails when the responsePath is read from a response that is not JSON', async () => {
      const target = await httpTarget(http('/text', { responsePath: 'answer' }), deps);
      const error = await rejection(target.invoke({}, ctx));
      expect(error.message).toBe('example ex-1: responsePath answer not found in response: "plain words\\n"');
    });

    it('fails when the object that would hold the toolCallsPath is missing', async () => {
      const target = await httpTarget(http('/no-tools', { responsePath: 'choices.0.message.content', toolCallsPath: 'choices.0.mesage.tool_calls' }), deps);
      const error = await rejection(target.invoke({}, ctx));
      expect(error.message).toMatch(/^example ex-1: toolCallsPath choices\.0\.mesage\.tool_calls not found in response: /);
    });

    it('reads a responsePath from JSON sent as text', async () => {
      const target = await httpTarget(http('/json-as-text', { responsePath: 'data.answer' }), deps);
      await expect(target.invoke({}, ctx)).resolves.toMatchObject({ output: 'hidden' });
    });

    it('fails on a body that claims to be JSON and is not', async () => {
      const target = await httpTarget(http('/bad-json'), deps);
      const error = await rejection(target.invoke({}, ctx));
      expect(error.code).toBe('target');
      expect(error.message).toMatch(/^response is not valid JSON/);
    });
  });

  describe('status', () => {
    it('makes 429 retryable with retryAfterMs from Retry-After', async () => {
      const target = await httpTarget(http('/rate-limited'), deps);
      const error = await rejection(target.invoke({}, ctx));
      expect(error).toMatchObject({ code: 'target', retryable: true, details: { status: 429, retryAfterMs: 2000 } });
      expect(error.message).toBe('HTTP 429: slow down');
    });

    it('makes 500 and 503 retryable', async () => {
      for (const [path, status] of [['/broken', 500], ['/unavailable', 503]] as const) {
        const target = await httpTarget(http(path), deps);
        const error = await rejection(target.invoke({}, ctx));
        expect(error).toMatchObject({ code: 'target', retryable: true, details: { status } });
        expect(error.details).not.toHaveProperty('retryAfterMs');
      }
    });

    it('keeps 400 non-retryable and quotes the first 200 characters of the body', async () => {
      const target = await httpTarget(http('/bad-request'), deps);
      const error = await rejection(target.invoke({}, ctx));
      expect(error).toMatchObject({ code: 'target', retryable: false, details: { status: 400 } });
      expect(error.message).toBe(`HTTP 400: ${'x'.repeat(200)}`);
    });

    it('keeps 404 non-retryable', async () => {
      const target = await httpTarget(http('/not-found'), deps);
      const error = await rejection(target.invoke({}, ctx));
      expect(error).toMatchObject({ retryable: false, message: 'HTTP 404: {"error":"no such route"}' });
    });

    it('makes a refused connection retryable', async () => {
      const gone = await startScriptedHttpServer(() => undefined);
      await gone.close();
      const target = await httpTarget({ ...http('/'), url: `${gone.url}/chat?key=abc` }, deps);
      const error = await rejection(target.invoke({}, ctx));
      expect(error).toMatchObject({ code: 'target', retryable: true });
      expect(error.message).toBe(`request to ${gone.url}/chat failed: ECONNREFUSED`);
    });
  });

  describe('variant', () => {
    it('ignores headers and timeout, follows url, method, body and paths', async () => {
      const base = await httpTarget(http('/openai'), deps);
      const sameBehaviour = await httpTarget(http('/openai', { headers: { 'X-Key': 'other' }, timeoutMs: 5 }), deps);
      expect(sameBehaviour.variant).toBe(base.variant);
      const changed = await Promise.all([
        httpTarget(http('/openai-v2'), deps),
        httpTarget(http('/openai', { method: 'PUT' }), deps),
        httpTarget(http('/openai', { body: { q: '{{input}}' } }), deps),
        httpTarget(http('/openai', { responsePath: 'choices' }), deps),
        httpTarget(http('/openai', { toolCallsPath: 'tools' }), deps),
      ]);
      for (const other of changed) expect(other.variant).not.toBe(base.variant);
    });

    it('turns cache reads off without cache.key, and follows the rendered key when given', async () => {
      const bare = await httpTarget(http('/openai'), deps);
      expect(bare.cacheReadsOffReason).toMatch(/no cache\.key/);
      process.env['EVALOPS_TEST_DEPLOY'] = 'sha-1';
      try {
        const keyed = await httpTarget(http('/openai', { cache: { key: 'build-{{env.EVALOPS_TEST_DEPLOY}}' } }), deps);
        expect(keyed.cacheReadsOffReason).toBeUndefined();
        process.env['EVALOPS_TEST_DEPLOY'] = 'sha-2';
        const redeployed = await httpTarget(http('/openai', { cache: { key: 'build-{{env.EVALOPS_TEST_DEPLOY}}' } }), deps);
        expect(redeployed.variant).not.toBe(keyed.variant);
      } finally {
        delete process.env['EVALOPS_TEST_DEPLOY'];
      }
    });

    it('asks cache.versionUrl for the deployed version: a redeploy behind the same URL is a new variant', async () => {
      const config = http('/openai', { cache: { key: 'prod', versionUrl: `${server.url}/version` } });
      deployed = 'build-1';
      const first = await httpTarget(config, deps);
      expect((await httpTarget(config, deps)).variant).toBe(first.variant);
      deployed = 'build-2';
      expect((await httpTarget(config, deps)).variant).not.toBe(first.variant);
    });

    it('refuses a versionUrl with an empty answer (config) or an error status (target), naming the field', async () => {
      const empty = await rejection(httpTarget(http('/openai', { cache: { key: 'prod', versionUrl: `${server.url}/version-empty` } }), deps));
      expect(empty).toMatchObject({ code: 'config', location: 'target.cache.versionUrl' });
      const broken = await rejection(httpTarget(http('/openai', { cache: { key: 'prod', versionUrl: `${server.url}/broken` } }), deps));
      expect(broken).toMatchObject({ code: 'target', location: 'target.cache.versionUrl' });
      expect(broken.message).toMatch(/answered HTTP 500/);
    });

    it('refuses a cache.key that renders empty, naming the field', async () => {
      for (const key of ['{{env.EVALOPS_TEST_UNSET}}', 'build-{{ env.EVALOPS_TEST_UNSET }}', '{{input.x}}']) {
        const error = await rejection(httpTarget(http('/openai', { cache: { key } }), deps));
        expect(error).toMatchObject({ code: 'config', location: 'target.cache.key' });
        expect(error.message).toMatch(/renders empty/);
      }
    });
  });
});

describe('readResponseText', () => {
  it('reads a body up to the limit', async () => {
    await expect(readResponseText(new Response('héllo'), 6)).resolves.toBe('héllo');
  });

  it('refuses a body past the limit', async () => {
    const error = await rejection(readResponseText(new Response('x'.repeat(100)), 10));
    expect(error).toMatchObject({ code: 'target', retryable: false, message: 'response larger than 10 bytes' });
  });
});
